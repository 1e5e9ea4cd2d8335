"""Acting on a low survey score: a person handled it, so its call-back reminder is done too."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.engagement.models import Reminder, ReminderStatus
from crm.reviews.models import ServiceFollowUp
from crm.reviews.services import follow_up_handle

# The nightly sweep raises one call-back reminder per low score under this key.
LOW_SCORE_REMINDER_KEY = "low-score:{pk}"


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
