"""API shapes of the office: the whole customer of the customer fetch (`GET /api/customer/{id}`,
composed of the customers, jobs, appliances, referrals and technicians apps' shapes), the
CSV import's answer and a customer's audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from crm.appliances.schemas import ApplianceOut
from crm.audit.selectors import AUDIT_PAGE_SIZE, AuditPage
from crm.core.schemas import CamelSchema, MoneyOut, OutSchema, PageNumber, QueryId
from crm.customers.models import Customer
from crm.customers.schemas import CustomerOut, CustomerSummaryOut
from crm.jobs.schemas import ExpenseOut, JobWithRecordsOut, PaymentOut
from crm.referrals.models import Referral, ReferralStatus
from crm.referrals.schemas import ReferralOut
from crm.technicians.schemas import TechnicianRatingOut, TechnicianSummaryOut


class ReferredCustomerOut(OutSchema):
    """A customer this customer referred, with the referral's status and reward."""

    id: int
    name: str
    referral_id: int
    status: ReferralStatus
    reward_given: bool
    reward_amount: MoneyOut | None
    referred_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Referral) -> int:
        return obj.referred_customer_id

    @staticmethod
    def resolve_name(obj: Referral) -> str:
        return obj.referred_customer.name

    @staticmethod
    def resolve_referral_id(obj: Referral) -> int:
        return obj.pk

    @staticmethod
    def resolve_referred_at(obj: Referral) -> dt.datetime:
        return obj.created_at


class CustomerDetailOut(CustomerOut):
    """Everything the Customer View shows: money, appliances, jobs, referrals, technicians.

    Read from a customer given by customer_detail (its `*_rows` lists).
    """

    referred_by: CustomerSummaryOut | None
    referral_received: ReferralOut | None = Field(
        description="The referral that brought this customer, with its status and reward."
    )
    referred_customers: list[ReferredCustomerOut]
    preferred_technician: TechnicianSummaryOut | None
    technician_ratings: list[TechnicianRatingOut]
    payments: list[PaymentOut]
    expenses: list[ExpenseOut]
    appliances: list[ApplianceOut]
    jobs: list[JobWithRecordsOut]

    @staticmethod
    def resolve_referral_received(obj: Customer) -> Referral | None:
        return getattr(obj, "referral_received", None)

    @staticmethod
    def resolve_referred_customers(obj: Customer) -> Any:
        return obj.referral_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_technician_ratings(obj: Customer) -> Any:
        return obj.rating_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_payments(obj: Customer) -> Any:
        return obj.payment_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_expenses(obj: Customer) -> Any:
        return obj.expense_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_appliances(obj: Customer) -> Any:
        return obj.appliance_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_jobs(obj: Customer) -> Any:
        return obj.job_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_consents(obj: Customer) -> Any:
        return obj.consent_rows  # type: ignore[attr-defined]


class ImportCountsOut(OutSchema):
    rows: int
    created: int
    updated: int
    skipped: int
    rows_with_errors: int
    errors: int
    appliances: int
    jobs: int
    payments: int


class ImportRowOut(OutSchema):
    row: int
    action: str
    name: str
    detail: str


class ImportErrorOut(OutSchema):
    row: int
    column: str
    reason: str


class ImportOut(OutSchema):
    """A dry run (nothing written) or a confirmed import; counts are exact, lists are capped."""

    dry_run: bool
    imported: bool
    counts: ImportCountsOut
    mapping: dict[str, str]
    rows: list[ImportRowOut]
    errors: list[ImportErrorOut]


class AuditQuery(CamelSchema):
    customer_id: QueryId
    page: PageNumber = 1


class FieldChangeOut(OutSchema):
    """One field: its name, its label, the old and new values (JSON, as stored; a link is
    the id of the record it points at) and both as shown on the page."""

    field: str
    label: str
    old: Any
    new: Any
    old_text: str
    new_text: str


class AuditEntryOut(OutSchema):
    """One recorded change: `who` is a username or "system"; `via` how it came in (page,
    API token <prefix>, task <name>); `action` Created, Changed or Deleted."""

    id: int
    at: dt.datetime
    who: str
    via: str
    action: str
    model: str
    object_id: str
    object_repr: str
    changes: list[FieldChangeOut]


class AuditPageOut(OutSchema):
    """One page of changes, newest first; hasNext says whether an older page exists."""

    page: int
    page_size: int
    has_next: bool
    items: list[AuditEntryOut]

    @staticmethod
    def resolve_page_size(obj: AuditPage) -> int:
        return AUDIT_PAGE_SIZE
