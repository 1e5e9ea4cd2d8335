"""Reads of customers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone

from crm.core.dates import company_today
from crm.core.errors import NotFound, ValidationFailed
from crm.core.money import Classification, plan_classification
from crm.core.pagination import COUNT_CAP, CappedPaginator
from crm.core.phones import phone_normalize_or_none
from crm.customers.models import (
    AddressSuppression,
    ContactConsent,
    Customer,
    MessageChannel,
    ServiceLocation,
    consent_address,
)

CUSTOMER_PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100
PHONE_FRAGMENT_MIN_DIGITS = 3


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
    rows = customer_search(filters=filters)
    return CappedPaginator[Customer](rows, per_page, cap=COUNT_CAP).get_page(page)


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


def suppressions_of(*, customers: Sequence[Customer]) -> dict[tuple[str, str], dt.datetime]:
    """The active suppressions of these customers' addresses: (channel, address) -> since."""
    phones = {customer.phone for customer in customers if customer.phone}
    emails = {consent_address(c, MessageChannel.EMAIL) for c in customers if c.email}
    if not phones and not emails:
        return {}
    rows = AddressSuppression.objects.filter(lifted_at__isnull=True).filter(
        Q(channel__in=[MessageChannel.SMS, MessageChannel.WHATSAPP], address__in=phones)
        | Q(channel=MessageChannel.EMAIL, address__in=emails)
    )
    return {(row.channel, row.address): row.opted_out_at for row in rows}


def consents_for_sending(*, customers: list[Customer]) -> dict[tuple[int, str], ContactConsent]:
    """Each customer's consent per channel as sending must read it: a channel whose address
    (phone or email) is suppressed counts as opted out since the suppression, even on a
    record that was never told (two queries whatever the number of customers)."""
    consents = {
        (consent.customer_id, consent.channel): consent
        for consent in ContactConsent.objects.filter(customer_id__in={c.pk for c in customers})
    }
    suppressed = suppressions_of(customers=customers)
    for customer in customers if suppressed else []:
        for channel in MessageChannel.values:
            since = suppressed.get((channel, consent_address(customer, channel)))
            known = consents.get((customer.pk, channel))
            if since is not None and (known is None or known.opted_out_at is None):
                consents[(customer.pk, channel)] = ContactConsent(
                    customer_id=customer.pk, channel=channel, opted_out_at=since
                )
    return consents


# Service locations (issue 14): where a customer's appliances stand and visits go.
# A job that is still to happen (Scheduled, In progress): jobs are above customers, so by value.
OPEN_JOB_STATUSES = ("Scheduled", "InProgress")


def location_list(*, customer_id: int, active_only: bool = False) -> QuerySet[ServiceLocation]:
    """The customer's locations, first (their own address) first, each with `appliance_count`
    (one query)."""
    locations = ServiceLocation.objects.filter(customer_id=customer_id).annotate(
        appliance_count=Count("appliances")
    )
    return (locations.filter(active=True) if active_only else locations).order_by("id")


def location_get(*, location_id: int) -> ServiceLocation:
    location = ServiceLocation.objects.filter(pk=location_id).first()
    if location is None:
        raise NotFound("Location not found.")
    return location


def location_of_customer(*, customer_id: int, location_id: int) -> ServiceLocation:
    """The customer's location, or NotFound (also when it is another customer's)."""
    location = (
        ServiceLocation.objects.select_related("customer")
        .filter(customer_id=customer_id, pk=location_id)
        .first()
    )
    if location is None:
        raise NotFound("Location not found.")
    return location


def location_check(*, customer_id: int, location_id: int) -> None:
    """Refuse (422, locationId) a location that is not one of this customer's active ones:
    what an appliance or a job may be given."""
    if not ServiceLocation.objects.filter(
        pk=location_id, customer_id=customer_id, active=True
    ).exists():
        raise ValidationFailed(
            "No location in use with that id for this customer.", field="locationId"
        )


def visit_zone(*, location: ServiceLocation | None, customer: Customer) -> ZoneInfo:
    """The time zone a visit happens in: its location's, else the customer's own (a visit
    with no location is at the customer's address). Use it for reminders and visit times.

    A stored name that is no longer a zone falls back to the company's (settings.TIME_ZONE).
    """
    for name in (location.timezone if location else "", customer.timezone):
        try:
            if name:
                return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo(settings.TIME_ZONE)
