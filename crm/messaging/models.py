"""The outbox: scheduled messages (the schedule and the outbox in one table) and their events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.models import TimeStampedModel, choices_check
from crm.customers.models import MessageChannel

BODY_MAX_LENGTH = 4096  # WhatsApp's text limit; SMS is shorter (checked when scheduling)
SUBJECT_MAX_LENGTH = 200


class Purpose(models.TextChoices):
    SERVICE = "Service", "Service"
    MARKETING = "Marketing", "Marketing"


class MessageStatus(models.TextChoices):
    DRAFT = "Draft", "Draft"
    SCHEDULED = "Scheduled", "Scheduled"
    SENDING = "Sending", "Sending"
    SENT = "Sent", "Sent"
    DELIVERED = "Delivered", "Delivered"
    READ = "Read", "Read"
    FAILED = "Failed", "Failed"
    CANCELLED = "Cancelled", "Cancelled"
    UNKNOWN = "Unknown", "Unknown"


# Statuses a person may still edit, reschedule, cancel or send now: nothing has gone out.
EDITABLE_STATUSES = (
    MessageStatus.DRAFT,
    MessageStatus.SCHEDULED,
    MessageStatus.FAILED,
    MessageStatus.CANCELLED,
)
# Statuses that mean the provider has the message.
HANDED_OVER_STATUSES = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


class MessageSource(models.TextChoices):
    MANUAL = "Manual", "Manual"
    SUGGESTION = "Suggestion", "Suggestion"
    GREETING = "Greeting", "Greeting"
    SURVEY = "Survey", "Survey"
    REMINDER = "Reminder", "Reminder"
    # One person in the office writing to one customer from the Customer View: a reply to the
    # customer's own message, or a direct word about their business. Service, job or not.
    OFFICE = "Office", "Written by the office"
    # A booked visit's reminder, the day before (Service: names its job).
    APPOINTMENT = "Appointment", "Appointment reminder"
    # The technician is on the way (Service: names its job), sent at once.
    ON_MY_WAY = "OnMyWay", "On my way"
    # After a 4 or 5 survey answer: please review us on the public page (Marketing).
    REVIEW_REQUEST = "ReviewRequest", "Review request"
    # The customer's own portal link (Service, about the customer's whole account).
    PORTAL = "Portal", "Portal link"


# Where a message comes from decides that it is Marketing, whatever its author says: an occasion
# greeting, a follow-up suggestion, and the maintenance offer (source Reminder) all promote.
MARKETING_SOURCES = (
    MessageSource.GREETING,
    MessageSource.SUGGESTION,
    MessageSource.REMINDER,
    MessageSource.REVIEW_REQUEST,
)
# Service messages that may name no job or appliance: they are about the customer's account.
ACCOUNT_SOURCES = (MessageSource.OFFICE, MessageSource.PORTAL)


class ScheduledMessage(TimeStampedModel):
    """One message to one customer: drafted, approved for `send_at`, then sent exactly once.

    `idempotency_key` is unique so that whatever creates messages (a sweep, a job completion,
    a double click) can run twice without doubling them. `claim_token` marks the dispatcher run
    that moved the row to Sending; `carrier` names what actually carried it (console, smtp...).
    """

    # Indexes are chosen for bulk drafting: customer is covered by message_customer_idx; job
    # and the two users, mostly empty, by partial indexes.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="scheduled_messages",
        db_index=False,
    )  # fmt: skip
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        db_index=False,
    )  # fmt: skip
    appliance = models.ForeignKey(
        "appliances.Appliance", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="messages", db_index=False,
        help_text="The appliance a Service message is about (or its job).",
    )  # fmt: skip
    channel = models.CharField(max_length=16, choices=MessageChannel.choices)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.SERVICE)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, blank=True)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    template_name = models.CharField(
        max_length=100, blank=True, help_text="Approved WhatsApp template for outside 24 hours."
    )
    template_params = models.JSONField(default=list, blank=True)
    send_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.SCHEDULED
    )
    source = models.CharField(
        max_length=16, choices=MessageSource.choices, default=MessageSource.MANUAL
    )
    idempotency_key = models.CharField(max_length=150, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="Set when the outcome is unknown; a person must check it."
    )
    provider_message_id = models.CharField(max_length=120, blank=True)
    carrier = models.CharField(max_length=32, blank=True)
    claim_token = models.CharField(max_length=40, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-send_at", "-id"]
        indexes = [
            # The dispatcher's only question: which Scheduled rows are due?
            models.Index(
                fields=["send_at"],
                condition=models.Q(status="Scheduled"),
                name="message_due_idx",
            ),
            models.Index(
                fields=["sending_started_at"],
                condition=models.Q(status="Sending"),
                name="message_sending_idx",
            ),
            models.Index(fields=["customer", "-send_at"], name="message_customer_idx"),
            # Today: the few rows waiting for a person among millions sent, in the page's whole
            # order (id too: a night's greetings share their send time, and sorting them all
            # to find the first page cost more than the rest of the section).
            models.Index(
                fields=["-status_changed_at", "-id"],
                condition=models.Q(status__in=["Unknown", "Failed"]),
                name="message_needs_person_idx",
            ),
            models.Index(
                fields=["send_at", "id"],
                condition=models.Q(status="Draft"),
                name="message_draft_idx",
            ),
            # Empty until sent / claimed: partial indexes keep drafts and bulk inserts cheap.
            models.Index(
                fields=["provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="message_provider_id_idx",
            ),
            models.Index(
                fields=["claim_token"],
                condition=~models.Q(claim_token=""),
                name="message_claim_idx",
            ),
            models.Index(
                fields=["job"], condition=models.Q(job__isnull=False), name="message_job_idx"
            ),
            models.Index(
                fields=["appliance"],
                condition=models.Q(appliance__isnull=False),
                name="message_appliance_idx",
            ),
            models.Index(
                fields=["created_by"],
                condition=models.Q(created_by__isnull=False),
                name="message_created_by_idx",
            ),
            models.Index(
                fields=["approved_by"],
                condition=models.Q(approved_by__isnull=False),
                name="message_approved_by_idx",
            ),
        ]
        constraints = [
            choices_check("channel", MessageChannel.choices, "message_channel_valid"),
            choices_check("purpose", Purpose.choices, "message_purpose_valid"),
            choices_check("status", MessageStatus.choices, "message_status_valid"),
            choices_check("source", MessageSource.choices, "message_source_valid"),
            # Greetings, suggestions and maintenance offers are marketing whoever drafts them.
            models.CheckConstraint(
                condition=~models.Q(source__in=[source.value for source in MARKETING_SOURCES])
                | models.Q(purpose=Purpose.MARKETING),
                name="message_promotional_sources_are_marketing",
            ),
            models.CheckConstraint(condition=~models.Q(body=""), name="message_body_not_empty"),
            models.CheckConstraint(
                condition=models.Q(attempts__lte=20), name="message_attempts_bounded"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="Sending") | models.Q(sending_started_at__isnull=False),
                name="message_sending_has_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["Sent", "Delivered", "Read"])
                | ~models.Q(provider_message_id=""),
                name="message_handed_over_has_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.channel} to {self.customer_id} at {self.send_at:%Y-%m-%d %H:%M} ({self.status})"
        )


class EventKind(models.TextChoices):
    STATUS = "Status", "Status change"
    DEFERRED = "Deferred", "Deferred"
    WEBHOOK = "Webhook", "Provider status"
    INBOUND = "Inbound", "Inbound message"
    CONSENT = "Consent", "Consent change"


class MessageEvent(models.Model):
    """Something that happened to a message: a status change, a deferral, a raw webhook.

    Webhook events carry a `dedupe_key` (provider, provider id, status), unique when present,
    so a delivery the provider repeats changes nothing the second time.
    """

    message = models.ForeignKey(
        ScheduledMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_events",
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    detail = models.TextField(blank=True)
    payload = models.JSONField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["message", "created_at"], name="event_message_idx")]
        constraints = [choices_check("kind", EventKind.choices, "message_event_kind_valid")]

    def __str__(self) -> str:
        change = f"{self.from_status}->{self.to_status}" if self.to_status else self.kind
        return f"{change} for message {self.message_id}"


class ChannelThrottle(models.Model):
    """The next moment a channel's sending account may take another send (provider limits,
    crm/messaging/throttle.py) when there is no Redis to keep it."""

    key = models.CharField(max_length=200, unique=True)
    next_free_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} free at {self.next_free_at:%H:%M:%S.%f}"
