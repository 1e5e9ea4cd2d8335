from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from crm.core.admin import NoDeleteAdmin
from crm.core.errors import ApplicationError
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.outbox import MessageChanges, message_update

EVENT_FIELDS = ("created_at", "kind", "from_status", "to_status", "detail", "payload")


class MessageEventInline(admin.TabularInline[MessageEvent, ScheduledMessage]):
    model = MessageEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: ScheduledMessage | None = None) -> bool:
        return False


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(admin.ModelAdmin[ScheduledMessage]):
    list_display = [
        "id", "customer", "channel", "purpose", "source", "status", "send_at", "carrier",
        "attempts", "needs_review",
    ]  # fmt: skip
    list_filter = ["status", "channel", "purpose", "source", "needs_review", "carrier"]
    search_fields = ["customer__name", "subject", "body", "provider_message_id", "idempotency_key"]
    raw_id_fields = ["customer", "job"]
    list_select_related = ["customer"]
    date_hierarchy = "send_at"
    readonly_fields = [
        "status", "attempts", "last_error", "provider_message_id", "carrier", "claim_token",
        "sending_started_at", "sent_at", "status_changed_at", "created_by", "approved_by",
        "approved_at", "idempotency_key",
    ]  # fmt: skip
    inlines = [MessageEventInline]
    actions = ["approve_drafts", "mark_reviewed"]

    @admin.action(description="Approve selected drafts (they go out at their send time)")
    def approve_drafts(self, request: HttpRequest, queryset: QuerySet[ScheduledMessage]) -> None:
        approved, refused = 0, 0
        for message_id in queryset.filter(status=MessageStatus.DRAFT).values_list("id", flat=True):
            try:
                message_update(
                    message_id=message_id,
                    changes=MessageChanges(status=MessageStatus.SCHEDULED),
                    user=request.user,
                )
                approved += 1
            except ApplicationError:  # no consent or address any more
                refused += 1
        self.message_user(request, f"{approved} drafts approved, {refused} refused.")

    @admin.action(description="Mark as checked (clears the needs-review flag)")
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[ScheduledMessage]) -> None:
        count = queryset.filter(needs_review=True).update(needs_review=False)
        self.message_user(request, f"{count} messages marked as checked.")


@admin.register(MessageEvent)
class MessageEventAdmin(NoDeleteAdmin):
    """Events are evidence: consent changes and the webhooks' dedupe keys."""

    list_display = ["created_at", "kind", "message", "customer", "from_status", "to_status"]
    list_filter = ["kind", "to_status"]
    raw_id_fields = ["message", "customer"]
    search_fields = ["detail", "dedupe_key"]
    list_select_related = ["customer"]

    def has_change_permission(self, request: HttpRequest, obj: MessageEvent | None = None) -> bool:
        return False
