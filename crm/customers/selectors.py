"""Reads of customers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from crm.appliances.models import Appliance
from crm.core.compiled import CompiledQuery
from crm.core.dates import company_today
from crm.core.errors import NotFound
from crm.core.money import Financials
from crm.customers.models import ContactConsent, Customer
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.selectors import (
    RecentYears,
    customer_financials,
    customer_financials_recent_years,
    jobs_attach_money,
)
from crm.referrals.models import Referral
from crm.technicians.models import CustomerTechnicianRating

CUSTOMER_PAGE_SIZE = 25
UNSCHEDULED = dt.datetime.min.replace(tzinfo=dt.UTC)
SEARCH_MAX_LENGTH = 100


def customer_search(*, search: str = "") -> QuerySet[Customer]:
    """Customers whose name, email, phone or referral code contains `search` (all when empty)."""
    customers = Customer.objects.all()
    term = search.strip()[:SEARCH_MAX_LENGTH]
    if term:
        customers = customers.filter(
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(referral_code__iexact=term)
        )
    return customers.order_by("name", "id")


def customer_page(
    *, search: str = "", page: int | str = 1, per_page: int = CUSTOMER_PAGE_SIZE
) -> Page[Customer]:
    """One page of the customer search; an out-of-range page gives the last page."""
    return Paginator(customer_search(search=search), per_page).get_page(page)


def customer_get(*, customer_id: int) -> Customer:
    """The customer or NotFound."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("Customer not found.")
    return customer


def _dated_newest_first(row: Payment | Expense) -> tuple[Any, ...]:
    """ORDER BY -date, -id as a sort key (with reverse=True)."""
    return (row.date, row.pk)


def _created_newest_first(row: Referral | CustomerTechnicianRating) -> tuple[Any, ...]:
    """ORDER BY -created_at, -id as a sort key (with reverse=True)."""
    return (row.created_at, row.pk)


def _scheduled_newest_first(job: Job) -> tuple[Any, ...]:
    """NEWEST_FIRST as a sort key (with reverse=True): unscheduled jobs last."""
    return (job.scheduled_for is not None, job.scheduled_for or UNSCHEDULED, job.pk)


# The customer fetch's reads, compiled once (see crm.core.compiled); rows are one customer's
# and sorted in Python below.
_customer_joined = CompiledQuery(
    lambda pk: Customer.objects.select_related(
        "referred_by", "preferred_technician", "referral_received"
    ).filter(pk=pk)[:1]
)
_payments_of = CompiledQuery(lambda pk: Payment.objects.filter(customer_id=pk).order_by())
_expenses_of = CompiledQuery(lambda pk: Expense.objects.filter(customer_id=pk).order_by())
_appliances_of = CompiledQuery(lambda pk: Appliance.objects.filter(customer_id=pk).order_by())
_jobs_of = CompiledQuery(
    lambda pk: Job.objects.select_related("technician", "review").filter(customer_id=pk).order_by()
)
_referrals_made_by = CompiledQuery(
    lambda pk: (
        Referral.objects.select_related("referred_customer").filter(referrer_id=pk).order_by()
    )
)
_ratings_of = CompiledQuery(
    lambda pk: (
        CustomerTechnicianRating.objects.select_related("technician")
        .filter(customer_id=pk)
        .order_by()
    )
)
_consents_of = CompiledQuery(lambda pk: ContactConsent.objects.filter(customer_id=pk).order_by())


def customer_detail(*, customer_id: int) -> Customer:
    """A customer with everything the Customer View shows, in a fixed number of queries (eight).

    Joined: referred_by, preferred_technician, referral_received. Loaded by one query each
    and attached as lists: payment_rows, expense_rows, appliance_rows, job_rows (technician
    and review joined; money rows and totals from the customer's, see jobs_attach_money),
    referral_rows (made, with the referred customer), rating_rows (with technician),
    consent_rows. The API's busiest endpoint, so its queries are compiled once
    (CompiledQuery) and the rows sorted in Python: 4.1 -> 1.1 ms on PostgreSQL.
    """
    found = next(iter(_customer_joined(customer_id)), None)
    if found is None:
        raise NotFound("Customer not found.")
    received = getattr(found, "referral_received", None)
    if received is not None and received.referrer_id == found.referred_by_id:
        received.referrer = found.referred_by  # the same customer: no query to name them
    payments = sorted(_payments_of(customer_id), key=_dated_newest_first, reverse=True)
    expenses = sorted(_expenses_of(customer_id), key=_dated_newest_first, reverse=True)
    jobs = sorted(_jobs_of(customer_id), key=_scheduled_newest_first, reverse=True)
    jobs_attach_money(jobs, payments=payments, expenses=expenses)
    rows: dict[str, list[Any]] = {
        "payment_rows": payments,
        "expense_rows": expenses,
        "job_rows": jobs,
        "appliance_rows": sorted(
            _appliances_of(customer_id),
            key=lambda appliance: (appliance.type, appliance.brand, appliance.pk),
        ),
        "referral_rows": sorted(
            _referrals_made_by(customer_id), key=_created_newest_first, reverse=True
        ),
        "rating_rows": sorted(_ratings_of(customer_id), key=_created_newest_first, reverse=True),
        "consent_rows": sorted(_consents_of(customer_id), key=lambda consent: consent.channel),
    }
    for name, value in rows.items():
        setattr(found, name, value)
    return found


def customer_for_page(*, customer_id: int) -> Customer:
    """The customer with preferred technician and consents, for the Customer View (two queries)."""
    customer = (
        Customer.objects.select_related("preferred_technician")
        .prefetch_related("consents")
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise NotFound("Customer not found.")
    return customer


SNAPSHOT_YEARS = 12


@dataclass(frozen=True)
class ValueSnapshot:
    """A customer's lifetime money (labour apart), and revenue and profit of recent years."""

    financials: Financials
    recent: RecentYears


def customer_value_snapshot(*, customer_id: int, today: dt.date | None = None) -> ValueSnapshot:
    """Totals and the last SNAPSHOT_YEARS years for the Client Value Snapshot card (5 queries)."""
    return ValueSnapshot(
        financials=customer_financials(customer_id=customer_id),
        recent=customer_financials_recent_years(
            customer_id=customer_id, count=SNAPSHOT_YEARS, today=today or company_today()
        ),
    )


@dataclass(frozen=True)
class DuplicateMatch:
    """Another customer with the same phone number or email, and which of the two matched."""

    customer: Customer
    field: str  # "phone" or "email"


def customer_duplicate_of(
    *, phone: str, email: str, exclude_id: int | None = None
) -> DuplicateMatch | None:
    """The oldest other customer with this (stored, E.164) phone or (lower-case) email."""
    for field, value in (("phone", phone), ("email", email)):
        if not value:
            continue
        others = Customer.objects.filter(**{field: value}).order_by("id")
        if exclude_id is not None:
            others = others.exclude(pk=exclude_id)
        found = others.only("id", "name").first()
        if found is not None:
            return DuplicateMatch(customer=found, field=field)
    return None


PICK_LIMIT = 8


def customer_pick_list(
    *, search: str, exclude_id: int | None = None, limit: int = PICK_LIMIT
) -> list[Customer]:
    """The first few customers matching `search`, for a picker (none for a blank search)."""
    if not search.strip():
        return []
    matches = customer_search(search=search)
    if exclude_id is not None:
        matches = matches.exclude(pk=exclude_id)
    return list(matches.only("id", "name", "phone", "email")[:limit])
