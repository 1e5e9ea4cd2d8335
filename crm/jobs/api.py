"""JSON endpoints of the jobs app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.money import Financials
from crm.core.schemas import PathId
from crm.customers.selectors import customer_get
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.schemas import (
    ExpenseIn,
    ExpenseOut,
    ExpenseUpdateIn,
    FinancialsOut,
    JobListQuery,
    JobWithRecordsOut,
    PaymentIn,
    PaymentOut,
    PaymentUpdateIn,
)
from crm.jobs.selectors import customer_financials, expense_get, job_list, job_profit
from crm.jobs.services import (
    expense_create,
    expense_update,
    payment_create,
    payment_update,
)

router = ApiRouter(tags=["jobs"])


@router.get("/jobs", response=list[JobWithRecordsOut])
def jobs(request: HttpRequest, filters: Query[JobListQuery]) -> QuerySet[Job]:
    """A customer's jobs, newest first, each with review, payments, expenses and financials."""
    return job_list(customer_id=filters.customer_id, status=filters.status)


@router.get("/job/{job_id}/profit", response=FinancialsOut)
def job_profit_get(request: HttpRequest, job_id: PathId) -> Financials:
    """Revenue (the job's payments), expenses and netProfit = revenue - expenses."""
    return job_profit(job_id=job_id)


@router.get("/customer/{customer_id}/profit", response=FinancialsOut)
def customer_profit_get(request: HttpRequest, customer_id: PathId) -> Financials:
    """All the customer's payments and expenses (job-linked or not) and labour of worked jobs."""
    customer_get(customer_id=customer_id)
    return customer_financials(customer_id=customer_id)


@router.post("/add-payment", response={201: PaymentOut})
def add_payment(request: HttpRequest, payload: PaymentIn) -> Status[Payment]:
    """Record a payment with its paymentMethod, for a customer and optionally one of their jobs."""
    return Status(201, payment_create(**payload.model_dump()))


@router.put("/update-payment/{payment_id}", response=PaymentOut)
def update_payment(request: HttpRequest, payment_id: PathId, payload: PaymentUpdateIn) -> Payment:
    """Change a payment (amount, date, paymentMethod, reference, customer or job)."""
    return payment_update(payment_id=payment_id, fields=payload.model_dump(exclude_unset=True))


@router.post("/add-expense", response={201: ExpenseOut})
def add_expense(request: HttpRequest, payload: ExpenseIn) -> Status[Expense]:
    """Record an expense for a customer and/or a job; the job must be the customer's."""
    return Status(201, expense_create(**payload.model_dump()))


@router.get("/expense/{expense_id}", response=ExpenseOut)
def expense(request: HttpRequest, expense_id: PathId) -> Expense:
    return expense_get(expense_id=expense_id)


@router.put("/expense/{expense_id}", response=ExpenseOut)
def update_expense(request: HttpRequest, expense_id: PathId, payload: ExpenseUpdateIn) -> Expense:
    """Change an expense; its customerId and jobId keep agreeing."""
    return expense_update(expense_id=expense_id, fields=payload.model_dump(exclude_unset=True))
