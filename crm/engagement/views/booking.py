"""Booking a visit in one form (issue 13): from the Customer View, its Jobs card, or Today
(which first asks for the customer). The technician list says who is free in the chosen window
and reloads when the day or window changes; Suggest fills in the matching's best free pick."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from crm.appliances.selectors import appliance_list, appliance_of_customer
from crm.core.errors import NotFound
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.models import Customer
from crm.customers.selectors import customer_get, customer_pick_list, location_list
from crm.engagement.forms import BookingForm
from crm.engagement.selectors.booking import (
    Suggestion,
    booking_initial,
    booking_when,
    customer_addresses,
    technician_slots,
    technician_suggest,
    visit_booked_text,
)
from crm.engagement.services.booking import visit_book
from crm.jobs.models import Job
from crm.plans.selectors import plan_active_of_customer

TEMPLATE = "engagement/booking.html"
FIELDS = {"technicianId": "technician", "applianceId": "appliance", "description": "problem",
          "arrivalWindow": "arrival_window", "date": "day"}  # fmt: skip
FIELDS |= {"locationId": "location"}  # service locations (issue 14)
# The Jobs card (Customer View) and Today's visits reload after a booking.
EVENTS = ["jobs-changed", "activity-changed", "today-visits-changed"]


def _technician_context(
    request: HtmxHttpRequest, customer: Customer, suggestion: Suggestion | None = None
) -> dict[str, Any]:
    """What the technician field shows: every active technician's slot for the chosen window."""
    query = request.POST if request.method == "POST" else request.GET
    day, window = booking_when(day=query.get("day", ""), window_key=query.get("arrival_window", ""))
    chosen = query.get("technician", "")
    if suggestion and suggestion.technician:
        chosen = str(suggestion.technician.pk)
    return {"customer": customer, "slots": technician_slots(day=day, window=window),
            "chosen": chosen, "suggestion": suggestion}  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def job_new(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """New job: one form that books a visit; the confirmation says what was booked."""
    customer = customer_get(customer_id=customer_id)
    form = BookingForm(
        form_data(request), appliances=list(appliance_list(customer_id=customer.pk)),
        initial=booking_initial(customer=customer) | {"appliance": request.GET.get("appliance")}
        | _plan_visit_initial(customer, request.GET),
        locations=list(location_list(customer_id=customer.pk, active_only=True)),
    )  # fmt: skip
    booked: list[Job] = []
    save = lambda _: booked.append(visit_book(request=form.visit_request(customer.pk)))  # noqa: E731
    if form_submitted(request, form, save, fields=FIELDS):
        link = customer_url(customer.pk, f"job-{booked[0].pk}")
        response = form_saved(request, events=EVENTS, redirect_to=link)
        return confirm(request, response, visit_booked_text(booked[0]), link=link,
                       link_text="Open the visit")  # fmt: skip
    context = _technician_context(request, customer) | {
        "form": form, "title": f"New job for {customer.name}", "action": request.path,
        "addresses": customer_addresses(customer=customer),
        "back_url": customer_url(customer.pk, "jobs"),
    }  # fmt: skip
    return form_shown(request, f"{TEMPLATE}#booking_form", context, form=form)


def _plan_visit_initial(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """Booking a plan's visit (its reminder's Book link): the plan, its wording, and its first
    appliance unless the link names one."""
    raw = query.get("plan", "")
    if not raw.isdigit() or len(raw) > 12:
        return {}
    plan = plan_active_of_customer(customer_id=customer.pk, plan_id=int(raw))
    if plan is None:
        return {}
    first = None if query.get("appliance") else plan.appliances.order_by("pk").first()
    initial: dict[str, Any] = {"plan": plan.pk, "problem": f"Plan visit: {plan.name}"}
    return initial | ({"appliance": first.pk} if first else {})


@not_found_as_404
@require_GET
def job_technicians(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The technician field again for the form's day and window; with `suggest`, the matching's
    best free technician chosen, with its reasons in words."""
    customer = customer_get(customer_id=customer_id)
    suggestion = None
    if "suggest" in request.GET:
        day, window = booking_when(
            day=request.GET.get("day", ""), window_key=request.GET.get("arrival_window", "")
        )
        suggestion = technician_suggest(
            customer=customer, appliance=_appliance(customer, request.GET.get("appliance", "")),
            problem=request.GET.get("problem", ""), day=day, window=window,
        )  # fmt: skip
    context = _technician_context(request, customer, suggestion)
    response = render(request, f"{TEMPLATE}#technician_field", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _appliance(customer: Customer, raw: str) -> Any:
    if not raw.isdigit():
        return None
    try:
        return appliance_of_customer(customer_id=customer.pk, appliance_id=int(raw))
    except NotFound:
        return None


@require_GET
def job_book(request: HtmxHttpRequest) -> HttpResponse:
    """New job from Today: find the customer first; each match opens the booking form."""
    search = request.GET.get("q", "")[:100]
    context = {"matches": customer_pick_list(search=search), "search": search,
               "title": "New job", "action": request.path}  # fmt: skip
    if request.htmx and request.htmx.target == "booking-customers":
        return render(request, f"{TEMPLATE}#customer_matches", context)
    template = f"{TEMPLATE}#customer_picker" if request.htmx else TEMPLATE
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
