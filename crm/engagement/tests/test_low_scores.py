"""Handling a low survey score also closes its call-back reminder."""

from __future__ import annotations

import pytest

from crm.core.errors import Conflict
from crm.engagement.models import Reminder, ReminderKind, ReminderStatus
from crm.engagement.services.surveys import low_score_handle
from crm.engagement.tests.factories import ReminderFactory
from crm.reviews.models import FollowUpStatus
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db


def test_handling_a_low_score_marks_its_reminder_done_and_leaves_others_alone(staff_user):
    # given
    follow_up = ServiceFollowUpFactory(status=FollowUpStatus.COMPLETED, satisfaction_rating=1)
    callback = ReminderFactory(
        customer=follow_up.customer, kind=ReminderKind.LOW_SURVEY_SCORE,
        source_key=f"low-score:{follow_up.pk}",
    )  # fmt: skip
    other = ReminderFactory(customer=follow_up.customer)
    # when
    low_score_handle(follow_up_id=follow_up.pk, user=staff_user)
    # then
    statuses = dict(Reminder.objects.values_list("id", "status"))
    assert statuses == {callback.pk: ReminderStatus.DONE, other.pk: ReminderStatus.OPEN}
    follow_up.refresh_from_db()
    assert follow_up.handled_by_id == staff_user.pk


def test_a_refused_handling_leaves_the_reminder_open(staff_user):
    # given
    follow_up = ServiceFollowUpFactory(status=FollowUpStatus.COMPLETED, satisfaction_rating=4)
    callback = ReminderFactory(source_key=f"low-score:{follow_up.pk}")
    # when
    with pytest.raises(Conflict):
        low_score_handle(follow_up_id=follow_up.pk, user=staff_user)
    # then
    callback.refresh_from_db()
    assert callback.status == ReminderStatus.OPEN
