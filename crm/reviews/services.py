"""Writes for reviews, post-service follow-ups and customers' ratings of technicians."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.core.words import written_day
from crm.customers.models import Customer
from crm.jobs.models import Job, JobStatus
from crm.reviews.models import LOW_SCORE, FollowUpStatus, Review, ServiceFollowUp
from crm.technicians.models import CustomerTechnicianRating, Technician

COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def review_create(
    *, job_id: int, rating: int, comment: str = "", customer_id: int | None = None,
    technician_id: int | None = None,
) -> Review:  # fmt: skip
    """Review a completed job (one per job); the job's technician gets the same rating.
    customer_id and technician_id, when given, must be the job's (the plan's client sends them)."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise ValidationFailed("No job with that id.", field="jobId")
    if customer_id is not None and customer_id != job.customer_id:
        raise ValidationFailed("That job belongs to another customer.", field="customerId")
    if technician_id is not None and technician_id != job.technician_id:
        raise ValidationFailed("That is not the technician of this job.", field="technicianId")
    if job.status != JobStatus.COMPLETED:
        raise ValidationFailed("Only completed jobs can be reviewed.", field="jobId")
    if Review.objects.filter(job=job).exists():
        raise Conflict("This job already has a review.", field="jobId")
    review = Review.objects.create(
        job=job,
        customer_id=job.customer_id,
        technician_id=job.technician_id,
        rating=rating,
        comment=comment,
    )
    if job.technician_id is not None:
        technician_rating_record(
            customer=job.customer, technician_id=job.technician_id, rating=rating, job=job
        )
    return review


@transaction.atomic
def review_update(
    *, review_id: int, rating: int | None = None, comment: str | None = None
) -> Review:
    """Change a review's rating or comment; the technician rating follows."""
    review = (
        Review.objects.select_for_update()
        .select_related("job", "customer")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound("Review not found.")
    if rating is not None:
        review.rating = rating
    if comment is not None:
        review.comment = comment
    review.save()
    if rating is not None and review.technician_id is not None:
        technician_rating_record(
            customer=review.customer,
            technician_id=review.technician_id,
            rating=rating,
            job=review.job,
        )
    return review


class FollowUpPending(Conflict):
    """The job already has a Pending follow-up; `existing` is its id."""

    def __init__(self, *, existing_id: int, field: str = "jobId") -> None:
        super().__init__(f"This job already has a pending follow-up (#{existing_id}).", field=field)
        self.existing_id = existing_id

    def details(self) -> dict[str, Any]:
        return {"existingId": self.existing_id}


def _pending_refuse(job_id: int, *, other_than: int | None = None, field: str = "jobId") -> None:
    """Refuse (409, with its id) when the job has a Pending follow-up other than `other_than`."""
    pending = ServiceFollowUp.objects.filter(job_id=job_id, status=FollowUpStatus.PENDING)
    if other_than is not None:
        pending = pending.exclude(pk=other_than)
    existing = pending.values_list("pk", flat=True).first()
    if existing is not None:
        raise FollowUpPending(existing_id=existing, field=field)


@transaction.atomic
def follow_up_schedule(*, job_id: int, follow_up_date: dt.datetime) -> ServiceFollowUp:
    """Schedule a satisfaction follow-up for a job; refused (FollowUpPending, 409) while the job
    has a Pending one (also a database rule: followup_one_pending_per_job)."""
    # The job's row lock orders two concurrent schedules: the second sees the first's row.
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound("Job not found.")
    _pending_refuse(job.pk)
    return ServiceFollowUp.objects.create(
        job=job, customer_id=job.customer_id, follow_up_date=follow_up_date
    )


@transaction.atomic
def follow_up_update(
    *, follow_up_id: int, status: str | None = None, satisfaction_rating: int | None = None,
    feedback: str | None = None, follow_up_date: dt.datetime | None = None,
) -> ServiceFollowUp:  # fmt: skip
    """Record the outcome of a follow-up: status, rating and feedback."""
    follow_up = ServiceFollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
    if follow_up is None:
        raise NotFound("Follow-up not found.")
    changes = {"status": status, "satisfaction_rating": satisfaction_rating, "feedback": feedback,
               "follow_up_date": follow_up_date}  # fmt: skip
    for name, value in changes.items():
        if value is not None:
            setattr(follow_up, name, value)
    if status == FollowUpStatus.PENDING:
        list(Job.objects.select_for_update().filter(pk=follow_up.job_id).values_list("pk"))
        _pending_refuse(follow_up.job_id, other_than=follow_up.pk, field="status")
    if (
        follow_up.status == FollowUpStatus.COMPLETED
        and follow_up.satisfaction_rating is None
        and not follow_up.feedback
    ):
        raise ValidationFailed(
            "A completed follow-up needs a rating or feedback.", field="satisfactionRating"
        )
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_handle(*, follow_up_id: int, user: User | None) -> ServiceFollowUp:
    """Record that a person dealt with a low survey score (2 or less); refused (409) for any
    other follow-up and for one already handled, changing nothing."""
    follow_up = (
        # Lock the follow-up only: PostgreSQL locks no row of an outer join's nullable side.
        ServiceFollowUp.objects.select_for_update(of=("self",))
        .select_related("handled_by")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise NotFound("Follow-up not found.")
    if follow_up.satisfaction_rating is None or follow_up.satisfaction_rating > LOW_SCORE:
        raise Conflict(
            f"Only a survey answer scored {LOW_SCORE} or less needs handling.", field="followUpId"
        )
    if follow_up.handled_at is not None:
        who = follow_up.handled_by.get_username() if follow_up.handled_by else "someone"
        raise Conflict(
            f"Already handled by {who} on {written_day(timezone.localtime(follow_up.handled_at))}.",
            field="followUpId",
        )
    follow_up.handled_at = timezone.now()
    follow_up.handled_by = user
    follow_up.save(update_fields=["handled_at", "handled_by", "updated_at"])
    return follow_up


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
