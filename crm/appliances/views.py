"""The Client Appliances modal: add, edit and delete an appliance."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods

from crm.appliances.forms import ApplianceForm
from crm.appliances.selectors import appliance_cards, appliance_groups, appliance_of_customer
from crm.appliances.services import appliance_create, appliance_update
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.models import Customer, ServiceLocation
from crm.customers.selectors import customer_get, location_list

FORM = "appliances/cards.html#appliance_form"
EVENTS = ["appliances-changed"]
# A landlord's forty appliances wait behind "Show all": the page stays quick to read and render.
APPLIANCES_SHOWN = 8


def appliances_card_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """The Client Appliances card's context: the first few appliances, or all of them, under
    their locations' names when the customer has more than one location in use."""
    show_all = query.get("appliances") == "all"
    cards = appliance_cards(customer_id=customer.pk, limit=None if show_all else APPLIANCES_SHOWN)
    return {
        "appliance_cards": cards.items,
        "appliance_count": cards.total,
        "appliances_all": show_all,
        "appliance_groups": appliance_groups(cards.items, _locations(customer.pk)),
    }


def _locations(customer_id: int) -> list[ServiceLocation]:
    return list(location_list(customer_id=customer_id, active_only=True))


@not_found_as_404
@require_http_methods(["GET", "POST"])
def appliance_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Record an appliance the customer owns."""
    customer = customer_get(customer_id=customer_id)
    form = ApplianceForm(form_data(request), locations=_locations(customer.pk), initial={})
    back = customer_url(customer.pk, "client-appliances")
    if form_submitted(
        request, form, lambda data: appliance_create(customer_id=customer.pk, fields=data)
    ):
        said = f"Appliance added: {form.cleaned_data['type']}"
        return form_saved(request, events=EVENTS, redirect_to=back, said=said)
    context = {"customer": customer, "form": form, "title": "Add appliance",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, FORM, context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def appliance_edit(request: HtmxHttpRequest, customer_id: int, appliance_id: int) -> HttpResponse:
    """Change an appliance's details (the form offers deleting it too)."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    form = ApplianceForm(
        form_data(request), locations=_locations(customer_id),
        initial=ApplianceForm.initial_of(appliance),
    )  # fmt: skip
    back = customer_url(customer_id, "client-appliances")
    if form_submitted(
        request, form, lambda data: appliance_update(appliance_id=appliance.pk, fields=data)
    ):
        return form_saved(request, events=EVENTS, redirect_to=back, said=f"Saved: {appliance}")
    context = {"customer": appliance.customer, "appliance": appliance, "form": form,
               "title": f"Edit {appliance}", "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, FORM, context, form=form)
