"""Customer pages: the list with search, and the Customer View with its self-reloading cards.

Every card of the Customer View is a named partial with a root element that knows how to
reload itself: `hx-get` points at `customer-card` (or, for one job, `job-card`) and
`hx-trigger` names the event it listens to. Write views answer htmx with 204 and the events
of the cards they touched (crm.core.views.form_saved):

    money-changed          Client Value Snapshot
    technicians-changed    Preferred Technician
    communication-changed  Communication Preferences
    appliances-changed     Client Appliances
    referrals-changed      Referrals
    activity-changed       Activity
    job-<id>-changed       that job's card in Jobs

A new card is a partial in its app's cards.html, an entry in CARDS (its context read by
selectors) and an include in customers/customer_detail.html; it then reloads like the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.activities.forms import NoteForm
from crm.activities.selectors import TIMELINE_TABS, activity_page, timeline_tab
from crm.appliances.selectors import appliance_cards
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    page_number,
)
from crm.customers.forms import CommunicationPreferencesForm, PreferredTechnicianForm
from crm.customers.models import Customer
from crm.customers.selectors import (
    customer_for_page,
    customer_get,
    customer_page,
    customer_value_snapshot,
)
from crm.customers.services import customer_preferred_technician_set, customer_update
from crm.jobs.selectors import job_page
from crm.referrals.selectors import referral_summary
from crm.technicians.selectors import customer_technician_rating_summary, technician_list

# A landlord's forty appliances wait behind "Show all": the page stays quick to read and render.
APPLIANCES_SHOWN = 8


def customer_list(request: HtmxHttpRequest) -> HttpResponse:
    """The signed-in home page: customers with search; htmx swaps only the results."""
    search = request.GET.get("q", "")
    page = customer_page(search=search, page=request.GET.get("page", "1"))
    template = page_or_partial(request, "customers/customer_list.html", "results")
    return render(request, template, {"page": page, "search": search})


def _technician_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    form = PreferredTechnicianForm(
        initial={"technician": customer.preferred_technician_id},
        technicians=technician_list(active_only=True),
    )
    ratings = customer_technician_rating_summary(customer_id=customer.pk)
    return {"technician_form": form, "technician_ratings": ratings}


def _activity_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    tab = timeline_tab(query.get("tab"))
    page = page_number(query, "activity_page")
    timeline = activity_page(customer_id=customer.pk, kind=tab.kind, page=page)
    return {
        "tab": tab,
        "timeline_tabs": TIMELINE_TABS,
        "timeline": timeline,
        "note_form": NoteForm(),
    }


def _appliance_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    show_all = query.get("appliances") == "all"
    cards = appliance_cards(customer_id=customer.pk, limit=None if show_all else APPLIANCES_SHOWN)
    return {
        "appliance_cards": cards.items,
        "appliance_count": cards.total,
        "appliances_all": show_all,
    }


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
    "preferred-technician": Card("customers/cards.html#preferred_technician", _technician_context),
    "communication-preferences": Card(
        "customers/cards.html#communication", lambda customer, query: {}
    ),
    "client-appliances": Card("appliances/cards.html#appliances", _appliance_context),
    "referrals": Card(
        "referrals/cards.html#referrals",
        lambda customer, query: {"referrals": referral_summary(customer_id=customer.pk)},
    ),
    "activity": Card("activities/cards.html#activity", _activity_context),
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
    for card in CARDS.values():
        context.update(card.context(customer, request.GET))
    return render(request, "customers/customer_detail.html", context)


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


@not_found_as_404
@require_POST
def preferred_technician_set(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Set or clear the preferred technician (the select lists the active technicians)."""
    customer = customer_for_page(customer_id=customer_id)
    form = PreferredTechnicianForm(request.POST, technicians=technician_list(active_only=True))

    def save(data: dict[str, Any]) -> None:
        technician = data["technician"]
        customer_preferred_technician_set(
            customer=customer, technician_id=technician.pk if technician else None
        )

    if form_submitted(request, form, save, fields={"technicianId": "technician"}):
        return form_saved(
            request, events=["technicians-changed"], redirect_to=customer_url(customer.pk)
        )
    context = {"customer": customer, **_technician_context(customer, request.GET)}
    return form_shown(
        request, CARDS["preferred-technician"].template, {**context, "technician_form": form},
        form=form,
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def communication_edit(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Edit contact method, contact times, frequency, language, time zone and channel consent."""
    customer = customer_get(customer_id=customer_id)
    form = CommunicationPreferencesForm(form_data(request), customer=customer)
    saved = form_submitted(
        request,
        form,
        lambda _: customer_update(
            customer=customer, fields=form.fields_changed, consents=form.consent_changes
        ),
    )
    if saved:
        return form_saved(
            request,
            events=["communication-changed"],
            redirect_to=customer_url(customer.pk, "communication-preferences"),
        )
    context = {"customer": customer, "form": form, "title": "Communication preferences",
               "back_url": customer_url(customer.pk)}  # fmt: skip
    return form_shown(request, "customers/cards.html#communication_form", context, form=form)
