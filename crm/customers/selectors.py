"""Reads of customers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.functional import cached_property

from crm.appliances.models import Appliance
from crm.core.compiled import CompiledQuery
from crm.core.dates import company_today
from crm.core.errors import NotFound
from crm.core.money import Classification, Financials, plan_classification
from crm.customers.models import ContactConsent, Customer
from crm.customers.phones import phone_normalize_or_none
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
PHONE_FRAGMENT_MIN_DIGITS = 3
COUNT_CAP = 1_000


@dataclass(frozen=True)
class CustomerFilters:
    """The customer list's filters (all combinable; empty means "any") and its sort order."""

    search: str = ""
    profitability: str = ""  # one of Classification.PLAN_VALUES
    maintenance_overdue: bool = False
    appliance_type: str = ""
    technician_id: int | None = None
    no_contact_days: int | None = None  # last contact older than this many days, or never
    marketing_channel: str = ""  # opted in for marketing on this channel (and not opted out)
    open_reminder: bool = False
    sort: str = "name"


# Sort keys as the URL and the API spell them; "-" in front sorts the other way. Ties go by id.
SORTS = {
    "name": "name",
    "lastContact": "last_contact_at",
    "netProfit": "net_profit",
    "customerSince": "created_at",
}
SORT_CHOICES = [*SORTS, *(f"-{key}" for key in SORTS)]
# A reminder still to be done: not done, not dismissed.
UNRESOLVED_REMINDER = ("Open", "Snoozed")


def _search_q(term: str) -> Q:
    """Name, email or address containing the term; the referral code; the phone in any format
    (read as a number) or containing the term's digits."""
    found = (
        Q(name__icontains=term)
        | Q(email__icontains=term)
        | Q(address__icontains=term)
        | Q(referral_code=term.upper())
    )
    phone = phone_normalize_or_none(term)
    if phone:
        found |= Q(phone=phone)
    digits = re.sub(r"\D", "", term)
    if len(digits) >= PHONE_FRAGMENT_MIN_DIGITS:
        found |= Q(phone__icontains=digits)  # icontains: the UPPER(phone) trigram index serves it
    return found


def profitability_q(classification: str) -> Q:
    """plan_classification (crm.core.money) over the stored net profit and margin."""
    high, moderate = settings.PROFIT_HIGH_MARGIN, settings.PROFIT_MODERATE_MARGIN
    return {
        Classification.LOSS: Q(net_profit__lt=0),
        Classification.HIGHLY: Q(profit_margin__gte=high, net_profit__gte=0),
        Classification.MODERATELY: Q(
            profit_margin__gte=moderate, profit_margin__lt=high, net_profit__gte=0
        ),
        Classification.BREAK_EVEN: Q(net_profit__gte=0)
        & (Q(profit_margin__isnull=True) | Q(profit_margin__lt=moderate)),
    }[classification]


def _related_exists(name: str, **conditions: Any) -> Exists:
    """A row of the customer's reverse relation `name` matching `conditions` exists. Reached
    through the relation Django gives Customer, so apps above customers are not imported."""
    model: Any = Customer._meta.get_field(name).related_model
    return Exists(model.objects.filter(customer_id=OuterRef("pk"), **conditions))


def _filter_q(filters: CustomerFilters, today: dt.date) -> Q:
    conditions = Q()
    term = filters.search.strip()[:SEARCH_MAX_LENGTH]
    if term:
        conditions &= _search_q(term)
    if filters.profitability:
        conditions &= profitability_q(filters.profitability)
    if filters.maintenance_overdue:
        conditions &= Q(next_service_due__lt=today)
    if filters.appliance_type:
        conditions &= Q(_related_exists("appliances", type=filters.appliance_type))
    if filters.technician_id is not None:
        conditions &= Q(preferred_technician_id=filters.technician_id)
    if filters.no_contact_days is not None:
        cutoff = timezone.now() - dt.timedelta(days=filters.no_contact_days)
        conditions &= Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff)
    if filters.marketing_channel:
        conditions &= Q(
            _related_exists(
                "consents", channel=filters.marketing_channel, marketing_opt_in=True,
                opted_out_at__isnull=True,
            )
        )  # fmt: skip
    if filters.open_reminder:
        conditions &= Q(_related_exists("reminders", status__in=UNRESOLVED_REMINDER))
    return conditions


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    column = SORTS[sort.removeprefix("-")]
    if column == "last_contact_at":  # never contacted is longest ago: first up, last down
        first = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_first=True)
    else:  # NOT NULL: a NULLS clause would stop PostgreSQL from walking the index
        first = F(column).desc() if descending else F(column).asc()
    return [first, F("id").desc() if descending else F("id").asc()]


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts matches only up to COUNT_CAP (then "more than"): an exact COUNT(*) of a broad
    filter reads every matching row, which at a million customers takes longer than the page."""

    @cached_property
    def count(self) -> int:
        customers = cast(QuerySet[Customer], self.object_list)
        return customers.order_by()[: COUNT_CAP + 1].count()

    @property
    def count_is_exact(self) -> bool:
        """False when there are more matches than were counted."""
        return self.count <= COUNT_CAP

    def page(self, number: int | str) -> Page[Customer]:
        """A whole page even at the cap (Paginator would cut the last one at the count)."""
        if self.count_is_exact:
            return super().page(number)
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], valid, self)


def customer_search(
    *, search: str = "", filters: CustomerFilters | None = None, today: dt.date | None = None
) -> QuerySet[Customer]:
    """Customers matching the filters (or only `search`), in the filters' sort order."""
    chosen = filters or CustomerFilters(search=search)
    return Customer.objects.filter(_filter_q(chosen, today or company_today())).order_by(
        *_ordering(chosen.sort)
    )


def customer_page(
    *, filters: CustomerFilters, page: int | str = 1, per_page: int = CUSTOMER_PAGE_SIZE
) -> Page[Customer]:
    """One page of the filtered list (two queries); an out-of-range page gives the last page."""
    return CappedPaginator(customer_search(filters=filters), per_page).get_page(page)


EXPORT_COLUMNS = (
    "name", "phone", "email", "address", "preferred_contact_method", "language_preference",
    "timezone", "referral_code", "customer_since", "last_contact", "net_profit",
    "profitability_class", "revenue_total", "expenses_total", "next_service_due",
    "communication_frequency_preference",
)  # fmt: skip
_EXPORT_FIELDS = (
    "name", "phone", "email", "address", "preferred_contact_method", "language_preference",
    "timezone", "referral_code", "created_at", "last_contact_at", "net_profit",
    "revenue_total", "expenses_total", "next_service_due", "communication_frequency_preference",
)  # fmt: skip
EXPORT_CHUNK = 2000


def _iso(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def customer_export_rows(
    *, filters: CustomerFilters, today: dt.date | None = None
) -> Iterator[tuple[str, ...]]:
    """The filtered list as text rows in EXPORT_COLUMNS order, read in chunks (a server-side
    cursor on PostgreSQL), so any number of customers streams in constant memory."""
    rows = customer_search(filters=filters, today=today).values_list(*_EXPORT_FIELDS)
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        record = dict(zip(_EXPORT_FIELDS, row, strict=True))
        yield (
            *(record[name] for name in _EXPORT_FIELDS[:8]),
            timezone.localdate(record["created_at"]).isoformat(),
            _iso(record["last_contact_at"]),
            str(record["net_profit"]),
            plan_classification(revenue=record["revenue_total"], net_profit=record["net_profit"]),
            str(record["revenue_total"]),
            str(record["expenses_total"]),
            _iso(record["next_service_due"]),
            record["communication_frequency_preference"],
        )


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
