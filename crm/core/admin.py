from django.contrib import admin

from crm.core.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "name", "prefix", "read_only", "expires_at", "revoked_at",
                    "last_used_at"]  # fmt: skip
    search_fields = ["user__username", "name", "prefix"]
    list_filter = ["created_at", "read_only"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # issued on the tokens page or by create_api_token, which show the key once
