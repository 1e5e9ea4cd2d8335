"""Customer pages: a new customer, merging two, and the Customer Details card's forms.

The page that composes the cards is crm/office/views/customer_view.py.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.errors import ApplicationError
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.forms import (
    CommunicationPreferencesForm,
    ContactDetailsForm,
    CustomerCreateForm,
    LocationForm,
    PreferredTechnicianForm,
)
from crm.customers.models import Customer
from crm.customers.selectors import (
    customer_for_page,
    customer_get,
    customer_pick_list,
    location_list,
    location_of_customer,
)
from crm.customers.services import (
    DuplicateCustomer,
    MergeSummary,
    customer_create,
    customer_merge,
    customer_merge_preview,
    customer_preferred_technician_set,
    customer_update,
)
from crm.customers.services.locations import location_create, location_update
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
            request, events=["technicians-changed"], redirect_to=customer_url(customer.pk),
            said="Preferred technician saved",
        )  # fmt: skip
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
            customer=customer,
            fields=form.fields_changed,
            consents=form.consent_changes,
            consents_read_at=form.consents_read_at,
        ),
    )
    if saved:
        return form_saved(
            request,
            events=["communication-changed"],
            redirect_to=customer_url(customer.pk, "communication-preferences"),
            said="Communication preferences saved",
        )
    context = {"customer": customer, "form": form, "title": "Communication preferences",
               "back_url": customer_url(customer.pk)}  # fmt: skip
    return form_shown(request, "customers/cards.html#communication_form", context, form=form)


@require_http_methods(["GET", "POST"])
def customer_create_page(request: HtmxHttpRequest) -> HttpResponse:
    """A new customer; saving opens their Customer View, a possible duplicate asks first."""
    form = CustomerCreateForm(form_data(request))
    outcome: dict[str, Any] = {}

    def save(_: dict[str, Any]) -> None:
        try:
            outcome["created"] = customer_create(**form.create_arguments())
        except DuplicateCustomer as error:
            outcome["duplicate"] = error.duplicate
            raise

    if form_submitted(request, form, save, fields={"referredById": "referred_by"}):
        return redirect(customer_url(outcome["created"].pk))
    status = 422 if form.is_bound else 200
    context = {"form": form, "duplicate": outcome.get("duplicate")}
    return render(request, "customers/customer_create.html", context, status=status)


@require_GET
def customer_pick(request: HtmxHttpRequest) -> HttpResponse:
    """Customers matching `q` as choices for the referrer of a new customer."""
    matches = customer_pick_list(search=request.GET.get("q", "")[:100])
    context = {"matches": matches, "form": CustomerCreateForm()}
    return render(request, "customers/customer_create.html#referrer_choices", context)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def details_edit(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Change the customer's name, phone, email and address (Customer Details' modal)."""
    customer = customer_get(customer_id=customer_id)
    form = ContactDetailsForm(form_data(request), initial=ContactDetailsForm.initial_of(customer))
    back = customer_url(customer.pk, "customer-details")
    if form_submitted(
        request, form, lambda _: customer_update(customer=customer, fields=form.contact_fields)
    ):
        return form_saved(
            request, events=["details-changed"], redirect_to=back, said="Contact details saved"
        )
    context = {"customer": customer, "form": form, "title": "Edit contact details",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, "customers/cards.html#details_form", context, form=form)


@not_found_as_404
@require_GET
def merge_pick(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Choose the customer to keep: search, and each match leads to the confirmation."""
    customer = customer_get(customer_id=customer_id)
    search = request.GET.get("q", "")[:100]
    matches = customer_pick_list(search=search, exclude_id=customer.pk)
    template = page_or_partial(request, "customers/merge.html", "merge_matches")
    return render(request, template, {"customer": customer, "search": search, "matches": matches})


def _merge_preview(customer_id: int, into_id: int) -> MergeSummary:
    try:
        return customer_merge_preview(customer_id=customer_id, into_id=into_id)
    except ApplicationError as error:  # gone meanwhile, or the same customer twice
        raise Http404(error.message) from error


@require_http_methods(["GET", "POST"])
def merge_confirm(request: HtmxHttpRequest, customer_id: int, into_id: int) -> HttpResponse:
    """What merging moves, in words; posting it merges and opens the kept customer."""
    summary = _merge_preview(customer_id, into_id)
    refusal: ApplicationError | None = None
    if request.method == "POST":
        try:
            kept = customer_merge(customer_id=customer_id, into_id=into_id).kept
        except ApplicationError as error:  # the database refused, or one was deleted meanwhile
            refusal = error
        else:
            return redirect(customer_url(kept.pk))
    context = {"summary": summary, "refusal": refusal.message if refusal else ""}
    status = refusal.status if refusal else 200
    return render(request, "customers/merge_confirm.html", context, status=status)


# Service locations (issue 14): the Locations card and its Add / Edit modal.
LOCATION_FORM = "customers/cards.html#location_form"
# The appliances card groups by location, and says where each one stands.
LOCATION_EVENTS = ["locations-changed", "appliances-changed"]
LOCATION_FIELDS = {"timeZone": "timezone"}


def locations_card_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """The Locations card's context: every location, those in use first, with appliance counts."""
    locations = sorted(location_list(customer_id=customer.pk), key=lambda loc: not loc.active)
    return {"locations": locations}


@not_found_as_404
@require_http_methods(["GET", "POST"])
def location_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Add a service location (a rental, a second home) to the customer."""
    customer = customer_get(customer_id=customer_id)
    form = LocationForm(form_data(request), initial={"timezone": customer.timezone})
    back = customer_url(customer.pk, "locations")
    save = lambda data: location_create(customer_id=customer.pk, fields=data)  # noqa: E731
    if form_submitted(request, form, save, fields=LOCATION_FIELDS):
        said = f"Location added: {form.cleaned_data['label']}"
        return form_saved(request, events=LOCATION_EVENTS, redirect_to=back, said=said)
    context = {"customer": customer, "form": form, "title": "Add location",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, LOCATION_FORM, context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def location_edit(request: HtmxHttpRequest, customer_id: int, location_id: int) -> HttpResponse:
    """Change a location, or take it out of use (refused while appliances stand there)."""
    location = location_of_customer(customer_id=customer_id, location_id=location_id)
    form = LocationForm(form_data(request), initial=LocationForm.initial_of(location))
    back = customer_url(customer_id, "locations")
    save = lambda data: location_update(location_id=location.pk, fields=data)  # noqa: E731
    if form_submitted(request, form, save, fields=LOCATION_FIELDS):
        said = f"Location saved: {form.cleaned_data['label']}"
        return form_saved(request, events=LOCATION_EVENTS, redirect_to=back, said=said)
    context = {"customer": location.customer, "form": form, "title": f"Edit {location.label}",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, LOCATION_FORM, context, form=form)
