"""Removing an appliance from the Customer View: the record is appliances', the Undo that can
put it back (with its jobs and messages relinked) is engagement's."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from crm.appliances.selectors import appliance_of_customer
from crm.appliances.views import EVENTS
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.views import customer_url, form_saved, not_found_as_404
from crm.engagement.services.undo import appliance_remove_undoable


@not_found_as_404
@require_POST
def appliance_remove(request: HtmxHttpRequest, customer_id: int, appliance_id: int) -> HttpResponse:
    """Delete an appliance record; its jobs stay, no longer linked to it; Undo puts it back."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    removed = appliance_remove_undoable(appliance_id=appliance.pk)
    response = form_saved(
        request, events=EVENTS, redirect_to=customer_url(customer_id, "client-appliances")
    )
    return confirm(request, response, removed.text, undo=removed.url)
