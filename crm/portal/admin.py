from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from crm.portal.models import PortalLink


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin[PortalLink]):
    list_display = ["customer", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["customer__name"]
    raw_id_fields = ["customer", "created_by"]
    list_select_related = ["customer"]
    readonly_fields = ["nonce"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected portal links")
    def revoke(self, request: HttpRequest, queryset: QuerySet[PortalLink]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Portal links revoked: {count}.")
