"""The Client Appliances modal: add, edit and delete an appliance."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from crm.appliances.forms import ApplianceAddForm, ApplianceForm, NameplateForm
from crm.appliances.models import Appliance
from crm.appliances.nameplate.images import photo_preview, upload_read
from crm.appliances.nameplate.services import (
    appliance_add_with_photo,
    appliance_nameplate_save,
    nameplate_read,
    photo_response,
)
from crm.appliances.selectors import appliance_cards, appliance_groups, appliance_of_customer
from crm.appliances.services import appliance_update
from crm.core.errors import ValidationFailed
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    FORM_PAGE,
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
ADD_FORM = "appliances/nameplate.html#appliance_add_form"
# Read nameplate (issue 15): photo -> what was read, editable -> Save; nothing saved before Save.
NAMEPLATE = "appliances/nameplate.html"
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
    """Record an appliance the customer owns (a nameplate photo may fill it in)."""
    customer = customer_get(customer_id=customer_id)
    form = ApplianceAddForm(
        form_data(request), request.FILES or None, locations=_locations(customer.pk), initial={}
    )
    back = customer_url(customer.pk, "client-appliances")
    if form_submitted(
        request, form, lambda data: appliance_add_with_photo(customer_id=customer.pk, data=data)
    ):
        said = f"Appliance added: {form.cleaned_data['type']}"
        return form_saved(request, events=EVENTS, redirect_to=back, said=said)
    context = {"customer": customer, "form": form, "title": "Add appliance",
               "action": request.path, "back_url": back,
               "read_url": reverse("appliance-add-nameplate", args=[customer.pk])}  # fmt: skip
    return form_shown(request, ADD_FORM, context, form=form)


@not_found_as_404
@require_http_methods(["POST"])
def appliance_add_nameplate(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Read nameplate in the add-appliance form: what was read fills the form's fields."""
    customer = customer_get(customer_id=customer_id)
    reading, status = nameplate_read_posted(request.FILES.get("image"))
    form = ApplianceAddForm(initial=reading.get("initial"), locations=_locations(customer.pk))
    context = {"customer": customer, "form": form, **reading}
    return render(request, f"{NAMEPLATE}#nameplate_read", context, status=status)


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


def _nameplate_context(appliance: Appliance, form: NameplateForm) -> dict[str, Any]:
    customer_id = appliance.customer_id
    return {
        "customer": appliance.customer, "appliance": appliance, "form": form,
        "title": f"Read nameplate: {appliance}",
        "read_url": reverse("appliance-nameplate", args=[customer_id, appliance.pk]),
        "action": reverse("appliance-nameplate-save", args=[customer_id, appliance.pk]),
        "back_url": customer_url(customer_id, "client-appliances"),
    }  # fmt: skip


def nameplate_read_posted(upload: UploadedFile | None) -> tuple[dict[str, Any], int]:  # type: ignore[type-arg]
    """The page's context for a posted photo: what was read and a preview, or why not (422)."""
    if upload is None:
        return {"read_error": "Choose or take a photo of the nameplate first."}, 422
    try:
        data = upload_read(upload)
        reading = nameplate_read(data=data)
    except ValidationFailed as error:
        return {"read_error": error.message}, 422
    initial = {
        "brand": reading.brand, "model_number": reading.model_number,
        "serial_number": reading.serial_number, "manufactured_on": reading.manufactured_on,
        "manufactured_on_rule": reading.manufactured_on_rule,
    }  # fmt: skip
    return {"reading": reading, "initial": initial, "preview": photo_preview(data)}, 200


def nameplate_form_save(appliance_id: int, data: dict[str, Any]) -> Appliance:
    upload = data.pop("image", None)
    photo = upload_read(upload) if upload else None
    return appliance_nameplate_save(appliance_id=appliance_id, fields=data, photo=photo)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def appliance_nameplate(
    request: HtmxHttpRequest, customer_id: int, appliance_id: int
) -> HttpResponse:
    """The Read nameplate form; a posted photo answers what was read, for the person to check."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    form = NameplateForm(initial=NameplateForm.initial_of(appliance))
    context = _nameplate_context(appliance, form)
    if request.method == "GET":
        return form_shown(request, f"{NAMEPLATE}#nameplate_form", context, form=form)
    reading, status = nameplate_read_posted(request.FILES.get("image"))
    context.update(reading)
    if "reading" in reading:
        context["form"] = NameplateForm(initial=reading["initial"])
    template = f"{NAMEPLATE}#nameplate_read" if request.htmx else FORM_PAGE
    context["form_template"] = f"{NAMEPLATE}#nameplate_form"
    return render(request, template, context, status=status)


@not_found_as_404
@require_http_methods(["POST"])
def appliance_nameplate_confirm(
    request: HtmxHttpRequest, customer_id: int, appliance_id: int
) -> HttpResponse:
    """Save what the person confirmed, with the photo."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    form = NameplateForm(request.POST, request.FILES)
    if form_submitted(request, form, lambda data: nameplate_form_save(appliance.pk, data)):
        said = f"Nameplate saved: {appliance}"
        back = customer_url(customer_id, "client-appliances")
        return form_saved(request, events=EVENTS, redirect_to=back, said=said)
    context = _nameplate_context(appliance, form)
    return form_shown(request, f"{NAMEPLATE}#nameplate_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET"])
def appliance_nameplate_photo(
    request: HtmxHttpRequest, customer_id: int, appliance_id: int
) -> HttpResponse:
    """The kept nameplate photo, for signed-in staff only."""
    return photo_response(appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id))
