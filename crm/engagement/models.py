"""Engagement: follow-ups logged by hand (reminders and suggestions come with the engine)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.models import choices_check
from crm.customers.models import ContactMethod


class FollowUpLog(models.Model):
    """A follow-up a person made by hand, recorded with who did it and when."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="follow_up_logs"
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    technician = models.ForeignKey(
        "technicians.Technician", on_delete=models.SET_NULL, null=True, blank=True
    )
    channel = models.CharField(max_length=16, choices=ContactMethod.choices)
    notes = models.TextField(max_length=5000)
    occurred_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["customer", "-occurred_at"])]
        constraints = [
            choices_check("channel", ContactMethod.choices, "followup_log_channel_valid")
        ]

    def __str__(self) -> str:
        return f"{self.channel} follow-up with {self.customer} on {self.occurred_at:%Y-%m-%d}"
