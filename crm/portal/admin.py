from django.contrib import admin

from crm.portal.models import PortalLink


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin[PortalLink]):
    list_display = ["customer", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["customer__name"]
    raw_id_fields = ["customer", "created_by"]
    list_select_related = ["customer"]
    readonly_fields = ["nonce"]
