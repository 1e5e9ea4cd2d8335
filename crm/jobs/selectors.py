"""Reads of jobs and money: per-job and per-customer financials without N+1 queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)  # fmt: skip
from django.db.models.functions import Coalesce, ExtractYear

from crm.core.errors import NotFound
from crm.core.money import Financials, money
from crm.jobs.models import Expense, Job, JobStatus, Payment
from crm.reviews.models import Review

MONEY_OUTPUT = DecimalField(max_digits=14, decimal_places=2)
LABOR_STATUSES = (JobStatus.COMPLETED, JobStatus.IN_PROGRESS)


def _sum_of(model: type[Payment] | type[Expense]) -> Coalesce:
    """Correlated subquery: the sum of `model.amount` for the outer job (0 when none)."""
    total = (
        model.objects.filter(job=OuterRef("pk"))
        .order_by()
        .values("job")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=MONEY_OUTPUT), Value(Decimal("0")), output_field=MONEY_OUTPUT
    )


def jobs_with_financials(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Annotate revenue_total and expense_total on each job in one query."""
    return jobs.annotate(revenue_total=_sum_of(Payment), expense_total=_sum_of(Expense))


def job_financials_of(job: Job) -> Financials:
    """Financials of a job annotated by jobs_with_financials (no query)."""
    hourly = job.technician.hourly_cost if job.technician_id and job.technician else Decimal("0")
    labor = money(job.labor_hours * hourly) if job.status in LABOR_STATUSES else money(0)
    return Financials(
        revenue=money(job.revenue_total),  # type: ignore[attr-defined]
        expenses=money(job.expense_total),  # type: ignore[attr-defined]
        labor_cost=labor,
    )


def job_get(*, job_id: int) -> Job:
    job = (
        jobs_with_financials(Job.objects.select_related("technician", "customer"))
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise NotFound("Job not found.")
    return job


def job_profit(*, job_id: int) -> Financials:
    """Revenue (payments), expenses and net profit of one job, labour cost separately."""
    return job_financials_of(job_get(job_id=job_id))


def job_list(*, customer_id: int | None = None, status: str | None = None) -> QuerySet[Job]:
    """Jobs, newest first, with technician, review, payments, expenses and financial totals."""
    jobs = Job.objects.select_related("technician", "appliance").prefetch_related(
        Prefetch("review", queryset=Review.objects.all()),
        Prefetch("payments", queryset=Payment.objects.order_by("-date", "-id")),
        Prefetch("expenses", queryset=Expense.objects.order_by("-date", "-id")),
    )
    if customer_id is not None:
        jobs = jobs.filter(customer_id=customer_id)
    if status is not None:
        jobs = jobs.filter(status=status)
    return jobs_with_financials(jobs).order_by(F("scheduled_for").desc(nulls_last=True), "-id")


def customer_financials(*, customer_id: int) -> Financials:
    """Customer totals: every payment, every expense (job-linked or not), labour of worked jobs."""
    revenue = Payment.objects.filter(customer_id=customer_id).aggregate(
        total=Sum("amount"), n=Count("id")
    )
    costs = Expense.objects.filter(customer_id=customer_id).aggregate(
        total=Sum("amount"), n=Count("id")
    )
    labor = Job.objects.filter(customer_id=customer_id, status__in=LABOR_STATUSES).aggregate(
        total=Sum(
            ExpressionWrapper(
                F("labor_hours") * F("technician__hourly_cost"), output_field=MONEY_OUTPUT
            )
        )
    )
    return Financials(
        revenue=money(revenue["total"]),
        expenses=money(costs["total"]),
        labor_cost=money(labor["total"]),
        payment_count=revenue["n"],
        expense_count=costs["n"],
    )


@dataclass(frozen=True)
class YearFinancials:
    year: int
    revenue: Decimal
    expenses: Decimal

    @property
    def net_profit(self) -> Decimal:
        return money(self.revenue - self.expenses)


def customer_financials_by_year(*, customer_id: int) -> list[YearFinancials]:
    """Revenue and expenses per calendar year, oldest first (two grouped queries)."""

    def by_year(model: type[Payment] | type[Expense]) -> dict[int, Decimal]:
        rows = (
            model.objects.filter(customer_id=customer_id)
            .annotate(year=ExtractYear("date"))
            .order_by()
            .values("year")
            .annotate(total=Sum("amount"))
        )
        return {row["year"]: money(row["total"]) for row in rows}

    revenue, expenses = by_year(Payment), by_year(Expense)
    years = sorted(set(revenue) | set(expenses))
    return [YearFinancials(y, revenue.get(y, money(0)), expenses.get(y, money(0))) for y in years]


def customer_net_profit_between(*, customer_id: int, start: dt.date, end: dt.date) -> Decimal:
    """Payments minus expenses dated in [start, end) for one customer."""
    paid = Payment.objects.filter(customer_id=customer_id, date__gte=start, date__lt=end).aggregate(
        t=Sum("amount")
    )
    spent = Expense.objects.filter(
        customer_id=customer_id, date__gte=start, date__lt=end
    ).aggregate(t=Sum("amount"))
    return money(money(paid["t"]) - money(spent["t"]))


def payment_get(*, payment_id: int) -> Payment:
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("Payment not found.")
    return payment


def expense_get(*, expense_id: int) -> Expense:
    expense = Expense.objects.filter(pk=expense_id).first()
    if expense is None:
        raise NotFound("Expense not found.")
    return expense
