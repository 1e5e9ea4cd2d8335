"""The Customer View: every card of one customer, each a named partial that reloads itself.

Every card's root element knows how to reload itself: `hx-get` points at `customer-card`
(or, for one job, `job-card`) and `hx-trigger` names the event it listens to. Write views
(in the domain apps) answer htmx with 204 and the events of the cards they touched
(crm.core.views.form_saved):

    money-changed          Client Value Snapshot
    technicians-changed    Preferred Technician
    communication-changed  Communication Preferences
    details-changed        Customer Details (and the page header, out of band)
    appliances-changed     Client Appliances
    locations-changed      Locations (and Client Appliances, grouped by location)
    referrals-changed      Referrals
    activity-changed       Activity
    (the first five)       Changes (the audit trail)
    job-<id>-changed       that job's card in Jobs
    plans-changed          Maintenance Plans

A new card is a partial in its app's cards.html, an entry in CARDS (its context read by the
owning app's selectors or card-context function) and an include in office/customer_detail.html;
it then reloads like the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from crm.activities.views import activity_card_context
from crm.appliances.views import appliances_card_context
from crm.audit.selectors import audit_page
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import customer_url, not_found_as_404, page_number
from crm.customers.models import Customer
from crm.customers.selectors import customer_for_page
from crm.customers.views import locations_card_context, technician_card_context
from crm.jobs.selectors import job_page
from crm.office.selectors.value_snapshot import customer_value_snapshot
from crm.plans.views import plans_card_context
from crm.referrals.selectors import referral_summary


@dataclass(frozen=True)
class Card:
    """A card of the Customer View: its partial, and the context its selectors read."""

    template: str
    context: Callable[[Customer, QueryDict], dict[str, Any]]


CARDS: dict[str, Card] = {
    "client-value-snapshot": Card(
        "customers/cards.html#snapshot",
        lambda customer, query: {"snapshot": customer_value_snapshot(customer_id=customer.pk)},
    ),
    # The page header comes along out of band: one request renames both, none can be missed.
    "customer-details": Card(
        "office/customer_detail.html#details_and_header", technician_card_context
    ),
    "preferred-technician": Card(
        "customers/cards.html#preferred_technician", technician_card_context
    ),
    "communication-preferences": Card(
        "customers/cards.html#communication", lambda customer, query: {}
    ),
    "client-appliances": Card("appliances/cards.html#appliances", appliances_card_context),
    # Service locations (issue 14).
    "locations": Card("customers/cards.html#locations", locations_card_context),
    "referrals": Card(
        "referrals/cards.html#referrals",
        lambda customer, query: {"referrals": referral_summary(customer_id=customer.pk)},
    ),
    "activity": Card("activities/cards.html#activity", activity_card_context),
    # Under Activity. For Owner and Office only, once roles exist (issue 12).
    "changes": Card(
        "audit/cards.html#changes",
        lambda customer, query: {
            "changes": audit_page(customer_id=customer.pk, page=page_number(query, "changes_page"))
        },
    ),
    # Maintenance plans (issue 14): renew, cancel, new plan; prices, so Owner and Office only.
    "plans": Card("plans/cards.html#plans", plans_card_context),
    "jobs": Card(
        "jobs/cards.html#jobs",
        lambda customer, query: {
            "jobs": job_page(customer_id=customer.pk, page=page_number(query, "jobs_page"))
        },
    ),
}


@not_found_as_404
@require_GET
def customer_detail(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The Customer View: every card, read by its own selectors in a fixed number of queries."""
    customer = customer_for_page(customer_id=customer_id)
    context: dict[str, Any] = {"customer": customer}
    # Cards sharing a context (Customer Details holds Preferred Technician) read it once.
    for card_context in dict.fromkeys(card.context for card in CARDS.values()):
        context.update(card_context(customer, request.GET))
    return render(request, "office/customer_detail.html", context)


@not_found_as_404
@require_GET
def customer_card(request: HtmxHttpRequest, customer_id: int, card: str) -> HttpResponse:
    """One card, as it reloads itself; a plain visit goes to that card on the page."""
    if card not in CARDS:
        raise Http404("No such card.")
    customer = customer_for_page(customer_id=customer_id)
    if not request.htmx:
        query = request.GET.urlencode()
        return redirect(customer_url(customer.pk) + (f"?{query}" if query else "") + f"#{card}")
    chosen = CARDS[card]
    response = render(
        request, chosen.template, {"customer": customer, **chosen.context(customer, request.GET)}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
