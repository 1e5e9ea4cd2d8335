"""Writes for jobs, payments and expenses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.appliances.services import customer_service_due_refresh
from crm.audit.services import audit_bulk_created
from crm.core.bulk import rows_set
from crm.core.errors import NotFound, ValidationFailed
from crm.core.money import profit_margin_floor
from crm.customers.models import Customer
from crm.customers.selectors import location_check
from crm.jobs.models import Expense, Job, JobStatus, Payment
from crm.technicians.models import Technician

JOB_FIELDS = {
    "technician_id", "appliance_id", "description", "status", "scheduled_for", "completed_at",
    "outcome", "issues_found", "labor_hours", "arrival_window", "service_address",
    "estimated_price", "location_id",
}  # fmt: skip


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed("No customer with that id.", field="customerId")
    return customer


def _job_for(job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise ValidationFailed("No job with that id.", field="jobId")
    return job


def _check_references(
    customer: Customer, fields: dict[str, Any], *, location_was: int | None = None
) -> None:
    """Refuse ids that are not the customer's; a location only when it is new to the job (a
    finished job keeps a location since taken out of use)."""
    technician_id = fields.get("technician_id")
    if technician_id is not None and not Technician.objects.filter(pk=technician_id).exists():
        raise ValidationFailed("No technician with that id.", field="technicianId")
    appliance_id = fields.get("appliance_id")
    if (
        appliance_id is not None
        and not Appliance.objects.filter(pk=appliance_id, customer=customer).exists()
    ):
        raise ValidationFailed("No appliance with that id for this customer.", field="applianceId")
    location_id = fields.get("location_id")
    if location_id is not None and location_id != location_was:
        location_check(customer_id=customer.pk, location_id=location_id)


def _apply_status(job: Job, previous_status: str | None) -> bool:
    """Keep completed_at in step with status; True when the job has just been completed."""
    if job.status == JobStatus.COMPLETED:
        if job.completed_at is None:
            job.completed_at = timezone.now()
        return previous_status != JobStatus.COMPLETED
    if previous_status == JobStatus.COMPLETED:
        job.completed_at = None
    return False


def _on_completed(job: Job) -> None:
    """Completing a job moves the appliance's last service date forward (the satisfaction
    survey is the workflow's: crm.engagement.services.jobs)."""
    if job.appliance_id is None or job.completed_at is None:
        return
    service_date = timezone.localdate(job.completed_at)
    Appliance.objects.filter(pk=job.appliance_id).exclude(
        last_service_date__gte=service_date
    ).update(last_service_date=service_date)
    customer_service_due_refresh(customer_ids=[job.customer_id])


def _total_of(model: type[Payment] | type[Expense]) -> Coalesce:
    """The customer's sum of `model` amounts, rounded to cents (SQLite sums in floats)."""
    total = (
        model.objects.filter(customer_id=OuterRef("pk"))
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Round(Subquery(total), 2), Decimal("0.00"), output_field=DecimalField(decimal_places=2)
    )


def customer_money_refresh(*, customer_ids: Iterable[int]) -> None:
    """Store these customers' revenue, expenses and net profit from their money rows (one
    UPDATE; the customer list filters and sorts on them, see docs/adr/0006)."""
    customers = Customer.objects.filter(pk__in=list(customer_ids))
    customers.update(
        revenue_total=_total_of(Payment),
        expenses_total=_total_of(Expense),
        net_profit=_total_of(Payment) - _total_of(Expense),
    )
    margins = (
        (pk, [profit_margin_floor(revenue=revenue, net_profit=net)])
        for pk, revenue, net in customers.values_list("pk", "revenue_total", "net_profit")
    )
    rows_set(Customer, fields=["profit_margin"], rows=margins)


@transaction.atomic
def job_create(*, customer_id: int, fields: dict[str, Any]) -> Job:
    """Create a job for a customer; a Completed job gets completed_at (now, unless given).
    Doors call crm.engagement.services.jobs.job_create_and_follow_up (the survey)."""
    customer = _customer(customer_id)
    _check_references(customer, fields)
    job = Job(customer=customer, **{k: v for k, v in fields.items() if k in JOB_FIELDS})
    if not job.description.strip():
        raise ValidationFailed("Description is required.", field="description")
    if job.estimated_price is not None and job.estimated_price < 0:
        raise ValidationFailed("The estimated price cannot be below zero.", field="estimatedPrice")
    completed = _apply_status(job, None)
    job.save()
    if completed:
        _on_completed(job)
    return job


@transaction.atomic
def job_update(*, job_id: int, fields: dict[str, Any]) -> Job:
    """Update a job; moving it to Completed sets completed_at, moving it back clears it.
    Doors call crm.engagement.services.jobs.job_update_and_follow_up (the survey)."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound("Job not found.")
    _check_references(job.customer, fields, location_was=job.location_id)
    previous_status = job.status
    for name, value in fields.items():
        if name in JOB_FIELDS:
            setattr(job, name, value)
    if "description" in fields and not job.description.strip():
        raise ValidationFailed("Description is required.", field="description")
    completed = _apply_status(job, previous_status)
    job.save()
    if completed:
        _on_completed(job)
    elif previous_status == JobStatus.COMPLETED:
        customer_service_due_refresh(customer_ids=[job.customer_id])  # its day may have moved
    return job


def _positive(amount: Decimal) -> Decimal:
    """Payments and expenses are above zero (the database checks it too)."""
    if amount <= 0:
        raise ValidationFailed("Amount must be above zero.", field="amount")
    return amount


def _owner(*, customer_id: int | None, job_id: int | None) -> tuple[Customer, Job | None]:
    """The customer and job a money row belongs to; a job's customer must be the customer."""
    if customer_id is None and job_id is None:
        raise ValidationFailed("Give a customerId, a jobId or both.", field="customerId")
    job = _job_for(job_id) if job_id is not None else None
    customer = _customer(customer_id) if customer_id is not None else job.customer  # type: ignore[union-attr]
    if job is not None and job.customer_id != customer.pk:
        raise ValidationFailed("That job belongs to another customer.", field="jobId")
    return customer, job


@transaction.atomic
def payment_create(
    *, customer_id: int | None, job_id: int | None, amount: Decimal, date: dt.date,
    payment_method: str, reference: str = "",
) -> Payment:  # fmt: skip
    """Record a payment for a customer, optionally against one of the customer's jobs."""
    customer, job = _owner(customer_id=customer_id, job_id=job_id)
    payment = Payment.objects.create(
        customer=customer,
        job=job,
        amount=_positive(amount),
        date=date,
        payment_method=payment_method,
        reference=reference,
    )
    customer_money_refresh(customer_ids=[customer.pk])
    return payment


def _money_row_change(
    row: Payment | Expense, fields: dict[str, Any], names: tuple[str, ...]
) -> None:
    if "amount" in fields:
        _positive(fields["amount"])
    previous_customer_id = row.customer_id
    customer, job = _owner(
        customer_id=fields.get("customer_id", row.customer_id),
        job_id=fields.get("job_id", row.job_id),
    )
    row.customer, row.job = customer, job
    for name in names:
        if name in fields:
            setattr(row, name, fields[name])
    row.save()
    moved_from = [previous_customer_id] if previous_customer_id is not None else []
    customer_money_refresh(customer_ids={*moved_from, customer.pk})


@transaction.atomic
def payment_update(*, payment_id: int, fields: dict[str, Any]) -> Payment:
    """Change a payment; its job and customer keep agreeing."""
    payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("Payment not found.")
    _money_row_change(payment, fields, ("amount", "date", "payment_method", "reference"))
    return payment


@transaction.atomic
def expense_create(
    *, customer_id: int | None, job_id: int | None, amount: Decimal, date: dt.date,
    category: str, description: str = "",
) -> Expense:  # fmt: skip
    """Record an expense for a customer and/or a job (a job's expense is its customer's)."""
    customer, job = _owner(customer_id=customer_id, job_id=job_id)
    expense = Expense.objects.create(
        customer=customer,
        job=job,
        amount=_positive(amount),
        date=date,
        category=category,
        description=description,
    )
    customer_money_refresh(customer_ids=[customer.pk])
    return expense


@transaction.atomic
def expense_update(*, expense_id: int, fields: dict[str, Any]) -> Expense:
    """Change an expense; its job and customer keep agreeing."""
    expense = Expense.objects.select_for_update().filter(pk=expense_id).first()
    if expense is None:
        raise NotFound("Expense not found.")
    _money_row_change(expense, fields, ("amount", "date", "category", "description"))
    return expense


def jobs_history_bulk_create(*, jobs: list[Job], payments: list[Payment]) -> None:
    """Insert past, Completed jobs and their payments (the CSV import) in batches.

    History sets nothing in motion: no survey is scheduled for a job that ended long ago.
    The caller validated the rows and owns the transaction; payments may point at jobs of
    this call (their ids are filled in after the jobs are inserted).
    """
    for job in jobs:
        if job.status != JobStatus.COMPLETED or job.completed_at is None:
            raise ValidationFailed("Imported jobs are Completed, with a date.", field="status")
    for payment in payments:
        _positive(payment.amount)
    Job.objects.bulk_create(jobs, batch_size=500)
    Payment.objects.bulk_create(payments, batch_size=500)
    audit_bulk_created(instances=[*jobs, *payments])
