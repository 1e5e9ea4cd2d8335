"""The job workflow: the job write plus the satisfaction survey that completing it sets off."""

from __future__ import annotations

import pytest

from crm.core.errors import NotFound
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.services.jobs import job_create_and_follow_up, job_update_and_follow_up
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.reviews.models import ServiceFollowUp

pytestmark = pytest.mark.django_db


def test_completing_a_job_schedules_its_survey_and_reopening_withdraws_it() -> None:
    # given a scheduled job of a customer with an email address
    job = JobFactory(customer=CustomerFactory(email="maria@example.com"), status="Scheduled")
    # when it is completed
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    # then one follow-up and one scheduled survey message exist
    message = ScheduledMessage.objects.get(job=job)
    assert (ServiceFollowUp.objects.filter(job=job).count(), message.status) == (1, "Scheduled")
    # when it is reopened
    job_update_and_follow_up(job_id=job.pk, fields={"status": "InProgress"})
    # then the survey is withdrawn
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED


def test_a_job_created_completed_gets_its_survey() -> None:
    customer = CustomerFactory(email="maria@example.com")
    job = job_create_and_follow_up(
        customer_id=customer.pk, fields={"description": "Dryer", "status": "Completed"}
    )
    assert ServiceFollowUp.objects.filter(job=job).count() == 1


def test_an_unknown_job_is_refused_and_nothing_is_scheduled() -> None:
    with pytest.raises(NotFound):
        job_update_and_follow_up(job_id=999_999, fields={"status": "Completed"})
    assert not ScheduledMessage.objects.exists()
