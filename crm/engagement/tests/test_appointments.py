"""A customer answers a booked visit: confirm it, or ask to move it."""

from __future__ import annotations

import pytest

from crm.activities.models import Activity
from crm.core.errors import Conflict
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.engagement.services.appointments import visit_confirm, visit_reschedule_ask
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_confirming_marks_the_job_once_and_writes_the_timeline_once():
    job = JobFactory()

    first = visit_confirm(job_id=job.pk, via="a WhatsApp reply")
    again = visit_confirm(job_id=job.pk, via="the portal")

    assert first.confirmed_at is not None
    assert again.confirmed_at == first.confirmed_at
    notes = Activity.objects.filter(job=job).values_list("content", flat=True)
    assert list(notes) == ["The customer confirmed the visit (a WhatsApp reply)."]


def test_asking_to_reschedule_raises_one_high_reminder_for_the_office():
    job = JobFactory()

    reminder = visit_reschedule_ask(job_id=job.pk, via="an SMS reply", note="  Friday instead ")
    again = visit_reschedule_ask(job_id=job.pk, via="the portal")

    assert again.pk == reminder.pk
    assert (reminder.kind, reminder.priority) == (
        ReminderKind.RESCHEDULE_REQUEST, ReminderPriority.HIGH,
    )  # fmt: skip
    assert reminder.details == "Asked through an SMS reply. They wrote: Friday instead"
    assert Reminder.objects.filter(job=job).count() == 1
    assert Activity.objects.filter(job=job).count() == 1


@pytest.mark.parametrize("trait", [{"completed": True}, {"status": "Cancelled"}])
def test_a_visit_no_longer_booked_cannot_be_answered(trait):
    job = JobFactory(**trait)

    with pytest.raises(Conflict):
        visit_confirm(job_id=job.pk, via="the portal")
    with pytest.raises(Conflict):
        visit_reschedule_ask(job_id=job.pk, via="the portal")
    assert not Reminder.objects.filter(job=job).exists()
