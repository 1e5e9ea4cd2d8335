"""Reviews of jobs and post-service satisfaction follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.core.models import TimeStampedModel, choices_check, rating_check


class Review(TimeStampedModel):
    """The customer's 1-5 review of one job (at most one per job)."""

    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="review")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="reviews"
    )
    technician = models.ForeignKey(
        "technicians.Technician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [rating_check("rating", "review_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}/5 for job #{self.job_id}"


# A satisfaction score at or below this needs a person (Today's "Low survey scores").
LOW_SCORE = 2


class FollowUpStatus(models.TextChoices):
    PENDING = "Pending", "Pending"
    COMPLETED = "Completed", "Completed"
    NO_RESPONSE = "NoResponse", "No response"


class ServiceFollowUp(TimeStampedModel):
    """A post-service satisfaction check for a job."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="follow_ups")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="service_follow_ups"
    )
    status = models.CharField(
        max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    satisfaction_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    follow_up_date = models.DateTimeField()
    # A low score is a person's job: set when someone has dealt with it (Today's queue).
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip

    class Meta:
        ordering = ["-follow_up_date", "-id"]
        indexes = [
            models.Index(fields=["status", "follow_up_date"]),
            # Today's low-score queue: the few answered, low, not yet handled follow-ups, in
            # the page's order (else the planner takes the index above and sorts them all).
            models.Index(
                fields=["-follow_up_date", "-id"],
                condition=models.Q(
                    status=FollowUpStatus.COMPLETED,
                    satisfaction_rating__lte=LOW_SCORE,
                    handled_at__isnull=True,
                ),
                name="followup_low_unhandled_idx",
            ),
        ]
        constraints = [
            rating_check("satisfaction_rating", "followup_rating_1_to_5", nullable=True),
            choices_check("status", FollowUpStatus.choices, "followup_status_valid"),
            # One open satisfaction check per job: a second would ask the customer twice.
            models.UniqueConstraint(
                fields=["job"],
                condition=models.Q(status=FollowUpStatus.PENDING),
                name="followup_one_pending_per_job",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up for job #{self.job_id} ({self.status})"
