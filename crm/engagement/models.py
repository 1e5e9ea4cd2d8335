"""Engagement: follow-ups logged by hand and reminders raised by the nightly sweeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format

from crm.core.models import choices_check
from crm.customers.models import ContactMethod

TITLE_MAX_LENGTH = 200  # a reminder's title; forms and the AI's reminder drafts cut to it


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


class ReminderKind(models.TextChoices):
    MAINTENANCE_DUE = "MaintenanceDue", "Maintenance due"
    MAINTENANCE_OVERDUE = "MaintenanceOverdue", "Maintenance overdue"
    END_OF_LIFE = "EndOfLife", "Near or past expected lifespan"
    WARRANTY_ENDING = "WarrantyEnding", "Warranty ending"
    NO_RECENT_CONTACT = "NoRecentContact", "No recent contact"
    SERVICE_ANNIVERSARY = "ServiceAnniversary", "Service anniversary"
    FOLLOW_UP_OVERDUE = "FollowUpOverdue", "Survey not answered"
    LOW_SURVEY_SCORE = "LowSurveyScore", "Low survey score"
    PLAN_VISIT_DUE = "PlanVisitDue", "Plan visit due"
    PLAN_RENEWAL = "PlanRenewal", "Plan renewal"
    RESCHEDULE_REQUEST = "RescheduleRequest", "Asked to reschedule"
    SERVICE_REQUEST = "ServiceRequest", "Service requested"
    MANUAL = "Manual", "Manual"


class ReminderPriority(models.TextChoices):
    LOW = "Low", "Low"
    MEDIUM = "Medium", "Medium"
    HIGH = "High", "High"


class ReminderStatus(models.TextChoices):
    OPEN = "Open", "Open"
    SNOOZED = "Snoozed", "Snoozed"
    DONE = "Done", "Done"
    DISMISSED = "Dismissed", "Dismissed"


class Reminder(models.Model):
    """Something the office should do for a customer, by a due date.

    `source_key` names what raised it (e.g. maintenance:<appliance>:<due date>) and is unique,
    so the nightly sweeps can run any number of times and a dismissed reminder stays dismissed.
    """

    # Indexes are chosen for the sweeps' bulk writes: customer is covered by the composite
    # index below; job and created_by, mostly empty, by partial ones.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    appliance = models.ForeignKey(
        "appliances.Appliance", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    details = models.TextField(blank=True)
    due_date = models.DateField()
    priority = models.CharField(
        max_length=8, choices=ReminderPriority.choices, default=ReminderPriority.MEDIUM
    )
    # High 0, Medium 1, Low 2: the order lists sort by. Computed and stored by the database
    # itself (every writer, the sweeps' bulk upserts included, keeps it without knowing), so
    # Today's order (due date, urgency) walks an index instead of sorting every due reminder.
    priority_rank = models.GeneratedField(
        expression=models.Case(
            models.When(priority=ReminderPriority.HIGH, then=models.Value(0)),
            models.When(priority=ReminderPriority.MEDIUM, then=models.Value(1)),
            default=models.Value(2),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    status = models.CharField(
        max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.OPEN
    )
    snoozed_until = models.DateField(null=True, blank=True)
    source_key = models.CharField(max_length=150, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["customer", "status", "due_date"], name="reminder_customer_idx"),
            # Today: open (and snoozed, some of them awake) reminders across all customers, in
            # the page's order, so its first page and its capped count stop early.
            models.Index(
                fields=["due_date", "priority_rank", "id"],
                condition=models.Q(status__in=["Open", "Snoozed"]),
                name="reminder_today_idx",
            ),
            models.Index(
                fields=["snoozed_until"],
                condition=models.Q(status="Snoozed"),
                name="reminder_snoozed_idx",
            ),
            models.Index(
                fields=["job"], condition=models.Q(job__isnull=False), name="reminder_job_idx"
            ),
            models.Index(
                fields=["created_by"],
                condition=models.Q(created_by__isnull=False),
                name="reminder_created_by_idx",
            ),
        ]
        constraints = [
            choices_check("kind", ReminderKind.choices, "reminder_kind_valid"),
            choices_check("priority", ReminderPriority.choices, "reminder_priority_valid"),
            choices_check("status", ReminderStatus.choices, "reminder_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="Snoozed") | models.Q(snoozed_until__isnull=False),
                name="reminder_snoozed_has_date",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="reminder_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status}, due {date_format(self.due_date, 'M j, Y')})"


class SuggestionAction(models.TextChoices):
    SCHEDULED = "Scheduled", "Scheduled"
    LOGGED = "Logged", "Logged manually"
    DISMISSED = "Dismissed", "Dismissed"


class SuggestionDecision(models.Model):
    """What a person did with one AI follow-up suggestion (its content digest), so the
    Engagement Hub shows it as handled and never offers it twice."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    suggestion_key = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    action = models.CharField(max_length=12, choices=SuggestionAction.choices)
    message = models.ForeignKey(
        "messaging.ScheduledMessage", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    follow_up_log = models.ForeignKey(
        FollowUpLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "suggestion_key"], name="suggestion_decision_once"
            ),
            choices_check("action", SuggestionAction.choices, "suggestion_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.title} ({self.customer_id})"
