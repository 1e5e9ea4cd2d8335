"""Reads of customers."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from crm.core.errors import NotFound
from crm.customers.models import Customer

CUSTOMER_PAGE_SIZE = 25
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
