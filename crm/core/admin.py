from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from crm.core.models import ApiToken, CompanySettings


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "name", "prefix", "read_only", "expires_at", "revoked_at",
                    "last_used_at"]  # fmt: skip
    search_fields = ["user__username", "name", "prefix"]
    list_filter = ["created_at", "read_only"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # issued on the tokens page or by create_api_token, which show the key once


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records that are evidence (money, consent): never deleted in the admin, one at a time
    or with the bulk action; a correction is a new row or an edit, which the audit trail
    records (docs/adr/0010). A customer holding such rows cannot be deleted here either."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CompanySettings)
class CompanySettingsAdmin(admin.ModelAdmin[CompanySettings]):
    """Read-only: the Settings page stores them, so that every process sees the change
    (crm.core.company's version); an edit here would wait for no one."""

    list_display = ["name", "country", "subdivision", "currency_symbol", "updated_at"]
    search_fields = ["name", "address"]
    list_filter = ["country"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
