"""Writes for technician ratings."""

from __future__ import annotations

from django.db import transaction

from crm.core.errors import Conflict, ValidationFailed
from crm.customers.models import Customer
from crm.jobs.models import Job
from crm.technicians.models import CustomerTechnicianRating, Technician


def technician_rating_record(
    *, customer: Customer, technician_id: int, rating: int, job: Job | None
) -> CustomerTechnicianRating:
    """Create or replace the customer's rating of a technician for a job (one per job)."""
    if job is None:
        return CustomerTechnicianRating.objects.create(
            customer=customer, technician_id=technician_id, rating=rating
        )
    rating_row, _ = CustomerTechnicianRating.objects.update_or_create(
        job=job, defaults={"customer": customer, "technician_id": technician_id, "rating": rating}
    )
    return rating_row


@transaction.atomic
def technician_rating_create(
    *, customer: Customer, technician_id: int, rating: int, job_id: int | None = None
) -> CustomerTechnicianRating:
    """A customer's 1-5 rating of a technician, optionally for one of their jobs."""
    if not Technician.objects.filter(pk=technician_id).exists():
        raise ValidationFailed("No technician with that id.", field="technicianId")
    job = None
    if job_id is not None:
        job = Job.objects.filter(pk=job_id, customer=customer).first()
        if job is None:
            raise ValidationFailed("No job with that id for this customer.", field="jobId")
        if CustomerTechnicianRating.objects.filter(job=job).exists():
            raise Conflict("This job already has a technician rating.", field="jobId")
    return technician_rating_record(
        customer=customer, technician_id=technician_id, rating=rating, job=job
    )
