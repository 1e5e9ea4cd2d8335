from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from crm.core.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_filter = ["created_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are issued by `manage.py create_api_token`, which shows the key once


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records that are evidence (money, consent): never deleted in the admin, one at a time
    or with the bulk action; a correction is a new row or an edit, which the audit trail
    records (docs/adr/0007). A customer holding such rows cannot be deleted here either."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
