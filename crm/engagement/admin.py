from django.contrib import admin

from crm.engagement.models import FollowUpLog, Reminder, SuggestionDecision


@admin.register(FollowUpLog)
class FollowUpLogAdmin(admin.ModelAdmin[FollowUpLog]):
    list_display = ["customer", "channel", "staff_user", "technician", "occurred_at"]
    list_filter = ["channel"]
    search_fields = ["customer__name", "notes"]
    raw_id_fields = ["customer"]
    list_select_related = ["customer", "staff_user", "technician"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    list_display = ["title", "customer", "kind", "priority", "status", "due_date", "snoozed_until"]
    list_filter = ["status", "priority", "kind"]
    search_fields = ["customer__name", "title", "source_key"]
    raw_id_fields = ["customer", "appliance", "job"]
    list_select_related = ["customer"]
    date_hierarchy = "due_date"
    readonly_fields = ["source_key", "created_at", "updated_at", "resolved_at", "created_by"]


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(admin.ModelAdmin[SuggestionDecision]):
    list_display = ["title", "customer", "action", "decided_by", "decided_at"]
    list_filter = ["action"]
    search_fields = ["customer__name", "title"]
    raw_id_fields = ["customer", "message", "follow_up_log"]
    list_select_related = ["customer", "decided_by"]
