"""A review entered by hand answers the job's satisfaction survey: the customer is not asked
again (the follow-up is Completed, the survey message not sent yet is cancelled for good)."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder, ReminderKind
from crm.engagement.services.jobs import job_update_and_follow_up
from crm.engagement.services.reviews import review_create_and_follow_up
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.reviews.models import FollowUpStatus, Review, ServiceFollowUp
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db


def _completed_with_survey() -> Job:
    customer = CustomerFactory(phone="+13055550100", preferred_contact_method="WhatsApp")
    job = JobFactory(customer=customer)
    job = job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    assert ScheduledMessage.objects.get(job=job).status == MessageStatus.SCHEDULED
    return job


def _survey_state(job: Job) -> tuple[object, ...]:
    follow_up = ServiceFollowUp.objects.get(job=job)
    message = ScheduledMessage.objects.get(job=job)
    return (follow_up.status, follow_up.satisfaction_rating, follow_up.feedback, message.status)


def test_a_review_through_the_api_completes_the_survey_and_cancels_its_message(
    staff_client: Client,
) -> None:
    # given
    job = _completed_with_survey()
    # when
    response = staff_client.post(
        "/api/add-review",
        {"jobId": job.pk, "rating": 4, "comment": "Told us on the phone", "technicianId":
         job.technician_id},
        content_type="application/json",
    )  # fmt: skip
    # then
    assert response.status_code == 201
    assert _survey_state(job) == (
        FollowUpStatus.COMPLETED, 4, "Told us on the phone", MessageStatus.CANCELLED
    )  # fmt: skip
    message = ScheduledMessage.objects.get(job=job)
    assert message.last_error == "The job's review was entered before the survey went out."
    assert not Reminder.objects.exists()  # 4 is no low score


def test_a_review_on_the_job_card_completes_the_survey(staff_client: Client) -> None:
    # given
    job = _completed_with_survey()
    # when
    response = staff_client.post(
        f"/customers/{job.customer_id}/jobs/{job.pk}/review/", {"rating": "5", "comment": ""}
    )
    # then
    assert response.status_code == 302
    assert _survey_state(job) == (FollowUpStatus.COMPLETED, 5, "", MessageStatus.CANCELLED)


def test_reopening_and_completing_again_does_not_bring_back_the_survey() -> None:
    # given
    job = _completed_with_survey()
    review_create_and_follow_up(job_id=job.pk, rating=5)
    # when
    job_update_and_follow_up(job_id=job.pk, fields={"status": "InProgress"})
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    # then
    assert _survey_state(job) == (FollowUpStatus.COMPLETED, 5, "", MessageStatus.CANCELLED)


def test_a_low_review_raises_the_call_back_reminder_as_a_survey_answer_does() -> None:
    # given
    job = _completed_with_survey()
    # when
    review_create_and_follow_up(job_id=job.pk, rating=2, comment="Came late")
    # then
    reminder = Reminder.objects.get()
    follow_up = ServiceFollowUp.objects.get(job=job)
    assert (reminder.kind, reminder.source_key, reminder.details) == (
        ReminderKind.LOW_SURVEY_SCORE, f"low-score:{follow_up.pk}", "Came late"
    )  # fmt: skip


def test_a_survey_already_answered_or_unanswered_is_left_as_it_is() -> None:
    # given
    job = JobFactory(completed=True)
    closed = ServiceFollowUpFactory(job=job, status=FollowUpStatus.NO_RESPONSE)
    # when
    review_create_and_follow_up(job_id=job.pk, rating=5)
    # then
    closed.refresh_from_db()
    assert (closed.status, closed.satisfaction_rating) == (FollowUpStatus.NO_RESPONSE, None)


def test_a_refused_review_leaves_the_survey_waiting() -> None:
    # given
    job = _completed_with_survey()
    other = JobFactory(completed=True)
    # when
    with pytest.raises(ValidationFailed) as refused:
        review_create_and_follow_up(job_id=job.pk, rating=5, technician_id=other.technician_id)
    # then
    assert refused.value.field == "technicianId"
    assert not Review.objects.exists()
    assert _survey_state(job) == (FollowUpStatus.PENDING, None, "", MessageStatus.SCHEDULED)
