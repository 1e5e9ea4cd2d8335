from django.contrib import admin

from crm.activities.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["customer", "kind", "direction", "occurred_at", "author"]
    list_filter = ["kind", "direction"]
    search_fields = ["customer__name", "content"]
    raw_id_fields = ["customer", "job"]
    list_select_related = ["customer", "author"]
    date_hierarchy = "occurred_at"
