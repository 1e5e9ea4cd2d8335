"""jobs_history_bulk_create: only past, Completed jobs; payments above zero; no survey."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job, JobStatus, Payment
from crm.jobs.services import jobs_history_bulk_create
from crm.reviews.models import ServiceFollowUp

pytestmark = pytest.mark.django_db
DONE = timezone.make_aware(dt.datetime(2025, 3, 4, 12))


def test_completed_jobs_and_their_payments_are_written_and_no_survey_is_scheduled() -> None:
    customer = CustomerFactory()
    job = Job(customer=customer, description="Seal", status=JobStatus.COMPLETED, completed_at=DONE)
    payment = Payment(
        customer=customer, job=job, amount=Decimal("80.00"), date=DONE.date(), payment_method="Cash"
    )

    jobs_history_bulk_create(jobs=[job], payments=[payment])

    assert Payment.objects.get().job_id == Job.objects.get().pk
    assert ServiceFollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "completed_at", "amount", "field"),
    [
        (JobStatus.SCHEDULED, None, Decimal("1"), "status"),
        (JobStatus.COMPLETED, None, Decimal("1"), "status"),
        (JobStatus.COMPLETED, DONE, Decimal("0"), "amount"),
    ],
)
def test_open_jobs_and_zero_payments_are_refused_and_nothing_is_written(
    status: str, completed_at: dt.datetime | None, amount: Decimal, field: str
) -> None:
    customer = CustomerFactory()
    job = Job(customer=customer, description="x", status=status, completed_at=completed_at)
    payment = Payment(
        customer=customer, job=job, amount=amount, date=DONE.date(), payment_method="Cash"
    )

    with pytest.raises(ValidationFailed) as refused:
        jobs_history_bulk_create(jobs=[job], payments=[payment])

    assert refused.value.field == field
    assert Job.objects.count() == Payment.objects.count() == 0
