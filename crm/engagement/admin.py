from django.contrib import admin

from crm.engagement.models import FollowUpLog


@admin.register(FollowUpLog)
class FollowUpLogAdmin(admin.ModelAdmin[FollowUpLog]):
    list_display = ["customer", "channel", "staff_user", "technician", "occurred_at"]
    list_filter = ["channel"]
    search_fields = ["customer__name", "notes"]
    raw_id_fields = ["customer"]
    list_select_related = ["customer", "staff_user", "technician"]
