"""Reads of customers."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from crm.appliances.models import Appliance
from crm.core.errors import NotFound
from crm.core.money import Financials
from crm.customers.models import Customer
from crm.jobs.models import Expense, Payment
from crm.jobs.selectors import (
    YearFinancials,
    customer_financials,
    customer_financials_by_year,
    jobs_attach_money,
    jobs_newest_first,
)
from crm.referrals.models import Referral
from crm.technicians.models import CustomerTechnicianRating

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


def customer_detail(*, customer_id: int) -> Customer:
    """A customer with everything the Customer View shows, in a fixed number of queries (nine).

    Prefetched: payments, expenses, appliances, jobs (technician, review, and from the
    customer's money rows: payment_rows, expense_rows and the financial totals, see
    jobs_attach_money), referrals made and received, technician ratings, consents;
    joined: referred_by, preferred_technician.
    """
    customer = (
        Customer.objects.select_related("referred_by", "preferred_technician")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("-date", "-id")),
            Prefetch("expenses", queryset=Expense.objects.order_by("-date", "-id")),
            Prefetch("appliances", queryset=Appliance.objects.order_by("type", "brand", "id")),
            Prefetch("jobs", queryset=jobs_newest_first()),
            Prefetch(
                "referrals_made", queryset=Referral.objects.select_related("referred_customer")
            ),
            Prefetch("referral_received", queryset=Referral.objects.select_related("referrer")),
            Prefetch(
                "technician_ratings",
                queryset=CustomerTechnicianRating.objects.select_related("technician"),
            ),
            "consents",
        )
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise NotFound("Customer not found.")
    jobs_attach_money(
        customer.jobs.all(), payments=customer.payments.all(), expenses=customer.expenses.all()
    )
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
class ValueSnapshot:
    """A customer's lifetime money (labour apart) and revenue and profit per year."""

    financials: Financials
    years: list[YearFinancials]


def customer_value_snapshot(*, customer_id: int) -> ValueSnapshot:
    """Totals and yearly figures for the Client Value Snapshot card (five queries)."""
    return ValueSnapshot(
        financials=customer_financials(customer_id=customer_id),
        years=customer_financials_by_year(customer_id=customer_id),
    )
