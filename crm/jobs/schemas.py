"""API shapes of jobs, payments, expenses and profit."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.core.money import Financials
from crm.core.schemas import (
    CamelSchema,
    DateIn,
    DateTimeIn,
    HoursIn,
    Id,
    InSchema,
    MoneyIn,
    MoneyOut,
    OutSchema,
    QueryId,
    optional,
)
from crm.jobs.models import Expense, ExpenseCategory, Job, JobStatus, Payment, PaymentMethod
from crm.jobs.selectors import job_financials_of
from crm.reviews.models import Review
from crm.reviews.schemas import ReviewOut

JOB_TEXT_MAX_LENGTH = 5000
REFERENCE_MAX_LENGTH = 100
EXPENSE_DESCRIPTION_MAX_LENGTH = 500
SERVICE_ADDRESS_MAX_LENGTH = 500


class FinancialsOut(OutSchema):
    """Revenue (payments), expenses, netProfit = revenue - expenses; labour shown separately."""

    revenue: MoneyOut
    expenses: MoneyOut
    net_profit: MoneyOut
    margin: MoneyOut | None = Field(description="Net profit as a percentage of revenue.")
    status: str = Field(description="Profitable, Break-Even, Loss or No Revenue.")
    classification: str
    labor_cost: MoneyOut = Field(description="Labour hours x the technician's hourly cost.")
    net_profit_after_labor: MoneyOut
    payment_count: int
    expense_count: int


class PaymentOut(OutSchema):
    id: int
    customer_id: int
    job_id: int | None
    amount: MoneyOut
    date: dt.date
    payment_method: PaymentMethod
    reference: str
    created_at: dt.datetime


class ExpenseOut(OutSchema):
    id: int
    customer_id: int | None
    job_id: int | None
    amount: MoneyOut
    date: dt.date
    category: ExpenseCategory
    description: str
    created_at: dt.datetime


class JobOut(OutSchema):
    """A job with its technician's name and its financials."""

    id: int
    customer_id: int
    technician_id: int | None
    technician_name: str | None
    appliance_id: int | None
    description: str
    status: JobStatus
    scheduled_for: dt.datetime | None
    arrival_window: str = Field(description='The booked arrival window ("10:00-12:00"), or "".')
    confirmed_at: dt.datetime | None = Field(
        description="When the customer confirmed the visit (a reply to its reminder), or null."
    )
    service_address: str
    location_id: int | None = Field(
        description="The visit's location (one of the customer's); null: their own address."
    )
    estimated_price: MoneyOut | None
    completed_at: dt.datetime | None
    outcome: str
    issues_found: str
    labor_hours: MoneyOut
    created_at: dt.datetime
    updated_at: dt.datetime
    financials: FinancialsOut

    @staticmethod
    def resolve_technician_name(obj: Job) -> str | None:
        return obj.technician.name if obj.technician is not None else None

    @staticmethod
    def resolve_financials(obj: Job) -> Financials:
        return job_financials_of(obj)


class JobWithRecordsOut(JobOut):
    """A job with its review, payments and expenses (the customer page's job card).

    Read from jobs given by job_list or customer_detail (their `payment_rows`, `expense_rows`).
    """

    review: ReviewOut | None
    payments: list[PaymentOut]
    expenses: list[ExpenseOut]

    @staticmethod
    def resolve_review(obj: Job) -> Review | None:
        return getattr(obj, "review", None)

    @staticmethod
    def resolve_payments(obj: Job) -> list[Payment]:
        return obj.payment_rows  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_expenses(obj: Job) -> list[Expense]:
        return obj.expense_rows  # type: ignore[attr-defined,no-any-return]


class JobIn(InSchema):
    """A new job; status Completed sets completedAt (now, unless given)."""

    customer_id: Id
    technician_id: Id | None = None
    appliance_id: Id | None = None
    description: str = Field(max_length=JOB_TEXT_MAX_LENGTH)
    status: JobStatus = JobStatus.SCHEDULED
    scheduled_for: DateTimeIn | None = None
    completed_at: DateTimeIn | None = None
    outcome: str = Field(default="", max_length=JOB_TEXT_MAX_LENGTH)
    issues_found: str = Field(default="", max_length=JOB_TEXT_MAX_LENGTH)
    labor_hours: HoursIn = optional()
    service_address: str = Field(default="", max_length=SERVICE_ADDRESS_MAX_LENGTH)
    estimated_price: MoneyIn | None = None
    location_id: Id | None = Field(
        default=None, description="One of the customer's locations in use; null: their own."
    )


class JobUpdateIn(InSchema):
    """Only the fields sent change; moving to Completed sets completedAt."""

    technician_id: Id | None = None
    appliance_id: Id | None = None
    description: str = optional(max_length=JOB_TEXT_MAX_LENGTH)
    status: JobStatus = optional()
    scheduled_for: DateTimeIn | None = None
    completed_at: DateTimeIn | None = None
    outcome: str = optional(max_length=JOB_TEXT_MAX_LENGTH)
    issues_found: str = optional(max_length=JOB_TEXT_MAX_LENGTH)
    labor_hours: HoursIn = optional()
    service_address: str = optional(max_length=SERVICE_ADDRESS_MAX_LENGTH)
    estimated_price: MoneyIn | None = None
    location_id: Id | None = None


class JobListQuery(CamelSchema):
    customer_id: QueryId
    status: JobStatus | None = None


class PaymentIn(InSchema):
    """A payment for a customer and/or one of the customer's jobs."""

    customer_id: Id | None = None
    job_id: Id | None = None
    amount: MoneyIn
    date: DateIn
    payment_method: PaymentMethod
    reference: str = Field(default="", max_length=REFERENCE_MAX_LENGTH)


class PaymentUpdateIn(InSchema):
    customer_id: Id = optional()
    job_id: Id | None = None
    amount: MoneyIn = optional()
    date: DateIn = optional()
    payment_method: PaymentMethod = optional()
    reference: str = optional(max_length=REFERENCE_MAX_LENGTH)


class ExpenseIn(InSchema):
    """An expense for a customer and/or a job (a job's expense is its customer's)."""

    customer_id: Id | None = None
    job_id: Id | None = None
    amount: MoneyIn
    date: DateIn
    category: ExpenseCategory
    description: str = Field(default="", max_length=EXPENSE_DESCRIPTION_MAX_LENGTH)


class ExpenseUpdateIn(InSchema):
    customer_id: Id | None = None
    job_id: Id | None = None
    amount: MoneyIn = optional()
    date: DateIn = optional()
    category: ExpenseCategory = optional()
    description: str = optional(max_length=EXPENSE_DESCRIPTION_MAX_LENGTH)
