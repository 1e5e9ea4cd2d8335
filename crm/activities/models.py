"""The customer timeline: notes, calls and messages in and out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.models import choices_check

CONTENT_MAX_LENGTH = 10_000


class ActivityKind(models.TextChoices):
    NOTE = "Note", "Note"
    CALL = "Call", "Call"
    WHATSAPP = "WhatsApp", "WhatsApp"
    SMS = "SMS", "SMS"
    EMAIL = "Email", "Email"
    SYSTEM = "System", "System"


class Direction(models.TextChoices):
    INBOUND = "Inbound", "Inbound"
    OUTBOUND = "Outbound", "Outbound"
    INTERNAL = "Internal", "Internal"


# The messages a customer writes to us, and what answers one (anything sent to them, a call or a
# note): Today's unanswered messages and the indexes below that serve them use both.
MESSAGE_KINDS = (ActivityKind.WHATSAPP, ActivityKind.SMS, ActivityKind.EMAIL)
ANSWERS = models.Q(direction=Direction.OUTBOUND) | models.Q(
    kind__in=[ActivityKind.CALL, ActivityKind.NOTE]
)


class Activity(models.Model):
    """One event on a customer's timeline."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    direction = models.CharField(
        max_length=16, choices=Direction.choices, default=Direction.INTERNAL
    )
    content = models.TextField(max_length=CONTENT_MAX_LENGTH)
    occurred_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["customer", "-occurred_at", "-id"]),
            models.Index(fields=["customer", "kind", "-occurred_at", "-id"]),
            # Today's unanswered messages: the customers' messages of the last weeks in time
            # order (customer included, so counting them reads no table rows), each looked up
            # for a later answer in the index after it (index only, ~6 answers a customer).
            models.Index(
                fields=["occurred_at", "id"],
                include=["customer"],
                condition=models.Q(direction=Direction.INBOUND, kind__in=MESSAGE_KINDS),
                name="activity_inbound_message_idx",
            ),
            models.Index(
                fields=["customer", "occurred_at"], condition=ANSWERS, name="activity_answer_idx"
            ),
        ]
        constraints = [
            choices_check("kind", ActivityKind.choices, "activity_kind_valid"),
            choices_check("direction", Direction.choices, "activity_direction_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.direction} {self.occurred_at:%Y-%m-%d}"
