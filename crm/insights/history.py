"""Reads of a customer's history that the feature contexts need and no app selector offers.

Every read is bounded (a `limit`, or an aggregate), so a context costs the same few queries
for a customer with five jobs as for one with five hundred.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.jobs.models import Expense, Job, JobStatus, Payment
from crm.jobs.selectors import jobs_with_financials
from crm.technicians.models import CustomerTechnicianRating

OPEN_STATUSES = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)


def recent_payments(*, customer_id: int, limit: int) -> list[Payment]:
    return list(Payment.objects.filter(customer_id=customer_id).order_by("-date", "-id")[:limit])


def recent_expenses(*, customer_id: int, limit: int) -> list[Expense]:
    return list(Expense.objects.filter(customer_id=customer_id).order_by("-date", "-id")[:limit])


def top_payment_method(*, customer_id: int) -> tuple[str, int] | None:
    """The payment method used most often, with how many times."""
    row = (
        Payment.objects.filter(customer_id=customer_id)
        .values("payment_method")
        .annotate(n=Count("id"))
        .order_by("-n", "payment_method")
        .first()
    )
    return (row["payment_method"], row["n"]) if row else None


def top_expense_category(*, customer_id: int) -> tuple[str, Decimal] | None:
    """The expense category with the largest total, with that total."""
    row = (
        Expense.objects.filter(customer_id=customer_id)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by("-total", "category")
        .first()
    )
    return (row["category"], row["total"]) if row else None


def completed_job_count(*, customer_id: int) -> int:
    return Job.objects.filter(customer_id=customer_id, status=JobStatus.COMPLETED).count()


def first_completed_job_day(*, customer_id: int) -> dt.date | None:
    """The day of the customer's first completed job: their service anniversary."""
    first = Job.objects.filter(customer_id=customer_id, status=JobStatus.COMPLETED).aggregate(
        first=Min("completed_at")
    )["first"]
    return timezone.localdate(first) if first else None


def recent_completed_jobs(*, customer_id: int, limit: int) -> list[Job]:
    """The last completed jobs with technician and review joined (one query)."""
    return list(
        Job.objects.filter(customer_id=customer_id, status=JobStatus.COMPLETED)
        .select_related("technician", "review")
        .order_by("-completed_at", "-id")[:limit]
    )


def recent_completed_jobs_with_financials(*, customer_id: int, limit: int) -> list[Job]:
    """The last completed jobs annotated for crm.jobs.selectors.job_financials_of (one query)."""
    completed = Job.objects.filter(customer_id=customer_id, status=JobStatus.COMPLETED)
    return list(
        jobs_with_financials(completed.select_related("technician")).order_by(
            "-completed_at", "-id"
        )[:limit]
    )


def recent_jobs_with_technician(*, customer_id: int, limit: int) -> list[Job]:
    """The last jobs that had a technician, any status, with technician and review (one query)."""
    return list(
        Job.objects.filter(customer_id=customer_id, technician__isnull=False)
        .select_related("technician", "review")
        .order_by(F("scheduled_for").desc(nulls_last=True), "-id")[:limit]
    )


def job_day(job: Job) -> dt.date | None:
    """When the job happened: completion, else the scheduled day (company time zone)."""
    moment = job.completed_at or job.scheduled_for
    return timezone.localdate(moment) if moment else None


def recent_activities(
    *, customer_id: int, limit: int, kinds: Iterable[str] | None = None, inbound_only: bool = False
) -> list[Activity]:
    activities: QuerySet[Activity] = Activity.objects.filter(customer_id=customer_id)
    if kinds is not None:
        activities = activities.filter(kind__in=list(kinds))
    if inbound_only:
        activities = activities.filter(direction=Direction.INBOUND)
    return list(activities.order_by("-occurred_at", "-id")[:limit])


def recent_communications(*, customer_id: int, limit: int) -> list[Activity]:
    """What the customer said (inbound messages and calls) and staff notes, newest first."""
    return list(
        Activity.objects.filter(customer_id=customer_id)
        .filter(Q(direction=Direction.INBOUND) | Q(kind=ActivityKind.NOTE))
        .order_by("-occurred_at", "-id")[:limit]
    )


def channel_stats(*, customer_id: int) -> list[dict[str, Any]]:
    """Per timeline kind: count, inbound count and last contact, most used first."""
    rows = (
        Activity.objects.filter(customer_id=customer_id)
        .values("kind")
        .annotate(
            n=Count("id"),
            inbound=Count("id", filter=Q(direction=Direction.INBOUND)),
            last=Max("occurred_at"),
        )
        .order_by("-n", "kind")
    )
    return [dict(row) for row in rows]


def last_contact(*, customer_id: int) -> dt.datetime | None:
    """The latest timeline event or completed job."""
    activity = Activity.objects.filter(customer_id=customer_id).aggregate(last=Max("occurred_at"))
    job = Job.objects.filter(customer_id=customer_id, status=JobStatus.COMPLETED).aggregate(
        last=Max("completed_at")
    )
    moments = [m for m in (activity["last"], job["last"]) if m is not None]
    return max(moments) if moments else None


def job_days_by_appliance(*, customer_id: int, since: dt.date) -> dict[int, list[dt.date]]:
    """Completed job days per appliance since `since`, oldest first (one narrow query)."""
    rows = (
        Job.objects.filter(
            customer_id=customer_id,
            status=JobStatus.COMPLETED,
            appliance__isnull=False,
            completed_at__gte=start_of(since),
        )
        .order_by("completed_at")
        .values_list("appliance_id", "completed_at")
    )
    days: dict[int, list[dt.date]] = {}
    for appliance_id, completed_at in rows:
        days.setdefault(appliance_id, []).append(timezone.localdate(completed_at))
    return days


def technician_rating_totals() -> dict[int, tuple[int, int]]:
    """Per technician: (number of ratings, sum of ratings) from every customer."""
    rows = CustomerTechnicianRating.objects.values("technician_id").annotate(
        n=Count("id"), total=Sum("rating")
    )
    return {row["technician_id"]: (row["n"], row["total"]) for row in rows}


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the company time zone (a range the index can use)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def technician_open_jobs_on(*, day: dt.date) -> dict[int, int]:
    """Per technician: scheduled or in-progress jobs on `day` (company time zone)."""
    start = start_of(day)
    rows = (
        Job.objects.filter(
            status__in=OPEN_STATUSES,
            scheduled_for__gte=start,
            scheduled_for__lt=start_of(day + dt.timedelta(days=1)),
        )
        .values("technician_id")
        .annotate(n=Count("id"))
    )
    return {row["technician_id"]: row["n"] for row in rows if row["technician_id"]}


def appliance_jobs(*, appliance_id: int, limit: int) -> list[Job]:
    """The appliance's jobs, newest first, with their technician."""
    return list(
        Job.objects.filter(appliance_id=appliance_id)
        .select_related("technician")
        .order_by("-completed_at", "-scheduled_for", "-id")[:limit]
    )


def average_job_revenue(*, appliance_type: str) -> Decimal | None:
    """Average payments per completed job on appliances of this type (all customers)."""
    jobs = Job.objects.filter(status=JobStatus.COMPLETED, appliance__type=appliance_type)
    totals = jobs.aggregate(revenue=Sum("payments__amount"), n=Count("id", distinct=True))
    if not totals["n"] or totals["revenue"] is None:
        return None
    average: Decimal = (Decimal(totals["revenue"]) / totals["n"]).quantize(Decimal("0.01"))
    return average


def technician_open_jobs_between(
    *, first: dt.date, last: dt.date
) -> dict[tuple[int, dt.date], int]:
    """Per technician and day from `first` to `last`: scheduled or in-progress jobs (one query)."""
    rows = Job.objects.filter(
        status__in=OPEN_STATUSES,
        technician__isnull=False,
        scheduled_for__gte=start_of(first),
        scheduled_for__lt=start_of(last + dt.timedelta(days=1)),
    ).values_list("technician_id", "scheduled_for")
    counts: dict[tuple[int, dt.date], int] = {}
    for technician_id, scheduled_for in rows:
        key = (technician_id, timezone.localdate(scheduled_for))
        counts[key] = counts.get(key, 0) + 1
    return counts


def customer_visits(
    *, customer_id: int, limit: int
) -> list[tuple[int | None, int | None, str, dt.date]]:
    """(technician, appliance, status, day) of the customer's jobs that were not cancelled,
    newest first (one narrow query)."""
    rows = (
        Job.objects.filter(customer_id=customer_id)
        .exclude(status=JobStatus.CANCELLED)
        .exclude(completed_at__isnull=True, scheduled_for__isnull=True)
        .order_by(F("completed_at").desc(nulls_last=True), "-scheduled_for", "-id")
        .values_list("technician_id", "appliance_id", "status", "completed_at", "scheduled_for")
    )[:limit]
    return [
        (technician, appliance, status, timezone.localdate(completed or scheduled))
        for technician, appliance, status, completed, scheduled in rows
    ]
