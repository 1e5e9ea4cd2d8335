"""Customer views of the Customer View: the preferred technician and communication preferences.

The page that composes the cards is crm/office/views/customer_view.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.forms import CommunicationPreferencesForm, PreferredTechnicianForm
from crm.customers.models import Customer
from crm.customers.selectors import customer_for_page, customer_get
from crm.customers.services import customer_preferred_technician_set, customer_update
from crm.technicians.selectors import customer_technician_rating_summary, technician_list

TECHNICIAN_CARD = "customers/cards.html#preferred_technician"


def technician_card_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """The Preferred Technician card's context: the select of active technicians, ratings."""
    form = PreferredTechnicianForm(
        initial={"technician": customer.preferred_technician_id},
        technicians=technician_list(active_only=True),
    )
    ratings = customer_technician_rating_summary(customer_id=customer.pk)
    return {"technician_form": form, "technician_ratings": ratings}


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
    context = {"customer": customer, **technician_card_context(customer, request.GET)}
    return form_shown(
        request, TECHNICIAN_CARD, {**context, "technician_form": form},
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
