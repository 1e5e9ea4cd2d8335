"""The office's technician pages: the list, add and edit (page or modal), deactivate/reactivate.

Writes answer htmx with 204 and the `technicians-changed` event, which makes the list reload
itself (crm.core.views.form_saved); a plain browser post is redirected to the list.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.views import (
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    page_number,
)
from crm.office.selectors.technicians import technician_get, technician_page
from crm.technicians.forms import TechnicianForm
from crm.technicians.selectors import TechnicianStatusFilter
from crm.technicians.services import technician_create, technician_update

FORM = "technicians/technician_form.html#technician_form"
CONFIRM = "technicians/technician_form.html#active_confirm"
EVENTS = ["technicians-changed"]


def _list_url() -> str:
    return reverse("technician-list")


@require_GET
def technician_list(request: HtmxHttpRequest) -> HttpResponse:
    """Technicians with their open jobs, filtered by active/inactive/all; htmx gets the results."""
    status = TechnicianStatusFilter.parse(request.GET.get("status"))
    page = technician_page(status=status, page=page_number(request.GET))
    template = page_or_partial(request, "technicians/technician_list.html", "results")
    context = {"page": page, "status": status, "statuses": TechnicianStatusFilter}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def technician_add(request: HtmxHttpRequest) -> HttpResponse:
    """Add a technician to the crew."""
    form = TechnicianForm(form_data(request))
    if form_submitted(request, form, lambda data: technician_create(fields=data)):
        return form_saved(request, events=EVENTS, redirect_to=_list_url())
    context = {"form": form, "title": "Add technician", "action": request.path}
    return form_shown(request, FORM, context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def technician_edit(request: HtmxHttpRequest, technician_id: int) -> HttpResponse:
    """Change a technician's details."""
    technician = technician_get(technician_id=technician_id)
    form = TechnicianForm(form_data(request), initial=TechnicianForm.initial_of(technician))
    if form_submitted(
        request, form, lambda data: technician_update(technician_id=technician.pk, fields=data)
    ):
        return form_saved(request, events=EVENTS, redirect_to=_list_url())
    context = {"form": form, "technician": technician, "title": f"Edit {technician.name}",
               "action": request.path}  # fmt: skip
    return form_shown(request, FORM, context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def technician_active_set(
    request: HtmxHttpRequest, technician_id: int, *, active: bool
) -> HttpResponse:
    """Deactivate or reactivate: a GET says in words what will happen, the POST does it."""
    technician = technician_get(technician_id=technician_id)
    if request.method == "POST":
        technician_update(technician_id=technician.pk, fields={"active": active})
        return form_saved(request, events=EVENTS, redirect_to=_list_url())
    verb = "Reactivate" if active else "Deactivate"
    context = {"technician": technician, "activating": active, "action": request.path,
               "title": f"{verb} {technician.name}"}  # fmt: skip
    return form_shown(request, CONFIRM, context, form=forms.Form())  # nothing to fill in
