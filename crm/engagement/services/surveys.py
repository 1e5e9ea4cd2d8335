"""What the office does about satisfaction surveys: an unanswered one becomes NoResponse with a
reminder to call, a score of 2 or less gets a High-priority call-back reminder (at once when the
customer answers on the survey page, and again by the nightly sweep, once per answer) until a
person marks the score handled."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from crm.engagement.models import Reminder, ReminderKind, ReminderPriority, ReminderStatus
from crm.engagement.services.reminders import ReminderRow, reminders_upsert
from crm.engagement.services.review_requests import review_request_schedule
from crm.jobs.models import JobStatus
from crm.messaging.services.surveys import survey_answer
from crm.reviews.models import LOW_SCORE, FollowUpStatus, ServiceFollowUp
from crm.reviews.services import follow_up_handle

# The call-back reminder of one low score (the sweep raises it once; handling the score closes it).
LOW_SCORE_REMINDER_KEY = "low-score:{pk}"


def follow_ups_no_response(*, now: dt.datetime | None = None) -> int:
    """Pending follow-ups unanswered FOLLOWUP_NO_RESPONSE_DAYS after their date become
    NoResponse, each with a reminder to call the customer. Returns how many closed."""
    return close_unanswered(now or timezone.now())[0]


def close_unanswered(moment: dt.datetime) -> tuple[int, int]:
    """Close the follow-ups unanswered at `moment`; (follow-ups closed, reminders written)."""
    cutoff = moment - dt.timedelta(days=settings.FOLLOWUP_NO_RESPONSE_DAYS)
    overdue = list(
        ServiceFollowUp.objects.filter(
            status=FollowUpStatus.PENDING,
            follow_up_date__lt=cutoff,
            job__status=JobStatus.COMPLETED,  # a reopened job's survey waits for completion
        )
        .values_list("id", "customer_id", "job_id")
        .order_by("id")
    )
    closed = ServiceFollowUp.objects.filter(
        pk__in=[row[0] for row in overdue], status=FollowUpStatus.PENDING
    ).update(status=FollowUpStatus.NO_RESPONSE, updated_at=moment)
    written = reminders_upsert(
        [
            ReminderRow(
                customer_id=customer_id,
                job_id=job_id,
                kind=ReminderKind.FOLLOW_UP_OVERDUE,
                title=f"No answer to the satisfaction survey for job #{job_id}: call to check",
                due_date=timezone.localdate(moment),
                priority=ReminderPriority.MEDIUM,
                source_key=f"followup-no-response:{follow_up_id}",
            )
            for follow_up_id, customer_id, job_id in overdue
        ]
    )
    return closed, written


def low_score_reminders(follow_ups: QuerySet[ServiceFollowUp]) -> int:
    """A High-priority call-back reminder per answered follow-up rated 2 or less (once each);
    returns the reminders written."""
    rows = follow_ups.filter(
        status=FollowUpStatus.COMPLETED, satisfaction_rating__lte=LOW_SCORE
    ).values_list("id", "customer_id", "job_id", "satisfaction_rating", "feedback", "updated_at")
    return reminders_upsert(
        [
            ReminderRow(
                customer_id=customer_id,
                job_id=job_id,
                kind=ReminderKind.LOW_SURVEY_SCORE,
                title=f"Low survey score ({rating}/5) for job #{job_id}: call the customer",
                details=feedback[:2000],
                due_date=timezone.localdate(answered),
                priority=ReminderPriority.HIGH,
                source_key=LOW_SCORE_REMINDER_KEY.format(pk=follow_up_id),
            )
            for follow_up_id, customer_id, job_id, rating, feedback, answered in rows
        ]
    )


@transaction.atomic
def survey_answer_and_follow_up(*, token: str, rating: int, comment: str = "") -> ServiceFollowUp:
    """The customer's answer on the survey page (crm.messaging closes the loop: follow-up,
    review, timeline), and a rating of 2 or less raises a High-priority reminder at once; 4 or
    5 asks for a public review (review_requests.py)."""
    follow_up = survey_answer(token=token, rating=rating, comment=comment)
    low_score_reminders(ServiceFollowUp.objects.filter(pk=follow_up.pk))  # only if 2 or less
    review_request_schedule(follow_up=follow_up)  # only if 4 or 5, with a review link
    return follow_up


@transaction.atomic
def low_score_handle(*, follow_up_id: int, user: User | None) -> ServiceFollowUp:
    """Mark a low survey score handled (refused, changing nothing, if it is not one or was
    already handled) and close its open or snoozed call-back reminder."""
    follow_up = follow_up_handle(follow_up_id=follow_up_id, user=user)
    Reminder.objects.filter(
        source_key=LOW_SCORE_REMINDER_KEY.format(pk=follow_up.pk),
        status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED],
    ).update(
        status=ReminderStatus.DONE, snoozed_until=None, resolved_at=timezone.now(),
        updated_at=timezone.now(),
    )  # fmt: skip
    return follow_up
