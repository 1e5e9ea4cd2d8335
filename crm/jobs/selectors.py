"""Reads of jobs and money: per-job and per-customer financials without N+1 queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)  # fmt: skip
from django.db.models.functions import Cast, Coalesce, ExtractYear, Substr
from django.utils import timezone

from crm.core.errors import NotFound
from crm.core.money import Financials, money
from crm.jobs.models import Expense, Job, JobStatus, Payment
from crm.reviews.models import Review

MONEY_OUTPUT = DecimalField(max_digits=14, decimal_places=2)
LABOR_STATUSES = (JobStatus.COMPLETED, JobStatus.IN_PROGRESS)


def _per_job(
    model: type[Payment] | type[Expense],
    aggregate: Sum | Count,
    output: Field[Any, Any],
    empty: Any,
) -> Coalesce:
    """Correlated subquery: `aggregate` over `model` rows of the outer job (`empty` when none)."""
    value = (
        model.objects.filter(job=OuterRef("pk"))
        .order_by()
        .values("job")
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(value, output_field=output), Value(empty), output_field=output)


def _sum_of(model: type[Payment] | type[Expense]) -> Coalesce:
    return _per_job(model, Sum("amount"), MONEY_OUTPUT, Decimal("0"))


def _count_of(model: type[Payment] | type[Expense]) -> Coalesce:
    return _per_job(model, Count("id"), IntegerField(), 0)


def jobs_with_financials(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Annotate revenue_total, expense_total, payment_count and expense_count in one query."""
    return jobs.annotate(
        revenue_total=_sum_of(Payment),
        expense_total=_sum_of(Expense),
        payment_count=_count_of(Payment),
        expense_count=_count_of(Expense),
    )


def job_financials_of(job: Job) -> Financials:
    """Financials of a job annotated by jobs_with_financials or jobs_attach_money (no query)."""
    hourly = job.technician.hourly_cost if job.technician_id and job.technician else Decimal("0")
    labor = money(job.labor_hours * hourly) if job.status in LABOR_STATUSES else money(0)
    return Financials(
        revenue=money(job.revenue_total),  # type: ignore[attr-defined]
        expenses=money(job.expense_total),  # type: ignore[attr-defined]
        labor_cost=labor,
        payment_count=job.payment_count,  # type: ignore[attr-defined]
        expense_count=job.expense_count,  # type: ignore[attr-defined]
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


NEWEST_FIRST = (F("scheduled_for").desc(nulls_last=True), "-id")


def jobs_newest_first() -> QuerySet[Job]:
    """Jobs, newest first, with technician, appliance and review joined (one query)."""
    return Job.objects.select_related("technician", "appliance", "review").order_by(*NEWEST_FIRST)


def job_list(*, customer_id: int | None = None, status: str | None = None) -> QuerySet[Job]:
    """Jobs, newest first, with technician, review, financial totals and their money rows.

    Each job carries `payment_rows` and `expense_rows` (lists, newest first).
    """
    jobs = Job.objects.select_related("technician", "appliance").prefetch_related(
        Prefetch("review", queryset=Review.objects.all()),
        Prefetch("payments", queryset=_newest(Payment), to_attr="payment_rows"),
        Prefetch("expenses", queryset=_newest(Expense), to_attr="expense_rows"),
    )
    if customer_id is not None:
        jobs = jobs.filter(customer_id=customer_id)
    if status is not None:
        jobs = jobs.filter(status=status)
    return jobs_with_financials(jobs).order_by(*NEWEST_FIRST)


def _newest(model: type[Payment] | type[Expense]) -> QuerySet[Any]:
    return model.objects.order_by("-date", "-id")


def jobs_attach_money(
    jobs: Iterable[Job], *, payments: Iterable[Payment], expenses: Iterable[Expense]
) -> None:
    """Give loaded jobs what job_list gives them, from their customer's loaded money rows.

    A job's payments and expenses are its customer's, so when the customer's rows are loaded
    anyway (the Customer View) grouping them here saves two queries and four subqueries.
    """
    payments_of: dict[int, list[Payment]] = defaultdict(list)
    expenses_of: dict[int, list[Expense]] = defaultdict(list)
    for payment in payments:
        if payment.job_id is not None:
            payments_of[payment.job_id].append(payment)
    for expense in expenses:
        if expense.job_id is not None:
            expenses_of[expense.job_id].append(expense)
    for job in jobs:
        job_payments, job_expenses = payments_of[job.pk], expenses_of[job.pk]
        attached = {
            "payment_rows": job_payments,
            "expense_rows": job_expenses,
            "revenue_total": sum((p.amount for p in job_payments), Decimal("0")),
            "expense_total": sum((e.amount for e in job_expenses), Decimal("0")),
            "payment_count": len(job_payments),
            "expense_count": len(job_expenses),
        }
        for name, value in attached.items():
            setattr(job, name, value)


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


@dataclass(frozen=True)
class RecentYears:
    """Revenue and expenses per calendar year for a window ending this year (oldest first);
    `earlier` says whether money also exists before the window."""

    years: list[YearFinancials]
    earlier: bool


def customer_financials_recent_years(
    *, customer_id: int, count: int, today: dt.date
) -> RecentYears:
    """The last `count` calendar years up to today's, from the first year with money (two queries).

    The year is the first four characters of the ISO date as text: on SQLite that is native
    string work, where ExtractYear calls a Python function per row (4 ms for 1,300 rows).
    """
    window_start = today.year - count + 1
    year = Substr(Cast("date", output_field=CharField()), 1, 4)

    def by_year(model: type[Payment] | type[Expense]) -> dict[int, Decimal]:
        rows = (
            model.objects.filter(customer_id=customer_id)
            .annotate(year=year)
            .order_by()
            .values("year")
            .annotate(total=Sum("amount"))
        )
        return {int(row["year"]): money(row["total"]) for row in rows}

    revenue, expenses = by_year(Payment), by_year(Expense)
    known = set(revenue) | set(expenses)
    if not known:
        return RecentYears(years=[], earlier=False)
    start = max(window_start, min(known))
    zero = money(0)
    years = [
        YearFinancials(y, revenue.get(y, zero), expenses.get(y, zero))
        for y in range(start, today.year + 1)
    ]
    return RecentYears(years=years, earlier=min(known) < window_start)


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


JOB_PAGE_SIZE = 5


@dataclass(frozen=True)
class JobPage:
    """One page of a customer's jobs, newest first, each with its money rows and totals."""

    items: list[Job]
    page: int
    has_next: bool
    total: int


def _with_money(jobs: list[Job]) -> list[Job]:
    """Attach payment_rows, expense_rows, totals and `financials` to loaded jobs (two queries)."""
    ids = [job.pk for job in jobs]
    jobs_attach_money(
        jobs,
        payments=_newest(Payment).filter(job_id__in=ids),
        expenses=_newest(Expense).filter(job_id__in=ids),
    )
    for job in jobs:
        job.financials = job_financials_of(job)  # type: ignore[attr-defined]
    return jobs


def job_page(*, customer_id: int, page: int = 1, per_page: int = JOB_PAGE_SIZE) -> JobPage:
    """One page of the customer's jobs for the Customer View, in four queries whatever its size.

    Technician, appliance and review are joined; each job carries `financials` (a Financials).
    """
    page = max(page, 1)
    start = (page - 1) * per_page
    jobs = jobs_newest_first().filter(customer_id=customer_id)
    rows = list(jobs[start : start + per_page + 1])
    return JobPage(
        items=_with_money(rows[:per_page]),
        page=page,
        has_next=len(rows) > per_page,
        total=Job.objects.filter(customer_id=customer_id).count(),
    )


def job_of_customer(*, customer_id: int, job_id: int) -> Job:
    """The customer's job with technician, appliance, review and money rows; else NotFound."""
    job = (
        jobs_newest_first()
        .select_related("customer")
        .filter(customer_id=customer_id, pk=job_id)
        .first()
    )
    if job is None:
        raise NotFound("Job not found.")
    return _with_money([job])[0]


def payment_of_customer(*, customer_id: int, payment_id: int) -> Payment:
    """The customer's payment, or NotFound (also when it is another customer's)."""
    payment = Payment.objects.filter(customer_id=customer_id, pk=payment_id).first()
    if payment is None:
        raise NotFound("Payment not found.")
    return payment


def expense_of_customer(*, customer_id: int, expense_id: int) -> Expense:
    """The customer's expense, or NotFound (also when it is another customer's)."""
    expense = Expense.objects.filter(customer_id=customer_id, pk=expense_id).first()
    if expense is None:
        raise NotFound("Expense not found.")
    return expense


# A Technician sees a customer from a week before a visit of theirs to 30 days after it.
WINDOW_BEFORE_VISIT = dt.timedelta(days=7)
WINDOW_AFTER_VISIT = dt.timedelta(days=30)


def technician_window_jobs(*, technician_id: int, now: dt.datetime | None = None) -> QuerySet[Job]:
    """The technician's jobs whose window (visit - 7 days .. visit + 30 days) contains `now`.

    The visit is the scheduled time, or the completion time of a job never scheduled.
    """
    now = now or timezone.now()
    visit = Coalesce("scheduled_for", "completed_at")
    return (
        Job.objects.filter(technician_id=technician_id)
        .alias(visit=visit)
        .filter(visit__gte=now - WINDOW_AFTER_VISIT, visit__lte=now + WINDOW_BEFORE_VISIT)
    )


def technician_sees_customer(technician_id: int, customer_id: int) -> bool:
    """Whether the customer is in the technician's window (crm.core.api asks it for the API)."""
    return (
        technician_window_jobs(technician_id=technician_id).filter(customer_id=customer_id).exists()
    )
