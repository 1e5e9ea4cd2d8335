"""My visits: a Technician's landing page on the phone, today's and tomorrow's visits, with
Start, Complete (labour, parts, outcome) and Add a note. Each action is scoped to the
technician's own jobs inside their window (404 otherwise, by the selectors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.forms import VisitCompleteForm, VisitNoteForm
from crm.accounts.selectors import my_visit_get, my_visits
from crm.accounts.services import (
    my_visit_appliance_save,
    my_visit_complete,
    my_visit_note_add,
    my_visit_start,
)
from crm.appliances.forms import ApplianceForm
from crm.core.errors import NotFound
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.roles import user_technician_id
from crm.core.views import form_data, form_saved, form_shown, form_submitted, not_found_as_404
from crm.engagement.forms import OnMyWayForm
from crm.engagement.services.on_my_way import on_my_way_send

FORMS = "accounts/visit_forms.html"
EVENTS = ["visits-changed"]


def _technician_id(request: HtmxHttpRequest) -> int:
    technician_id = user_technician_id(request.user)
    if technician_id is None:
        raise NotFound("Your user is not linked to a technician record.")
    return technician_id


def _back() -> str:
    return reverse("my-visits")


@require_GET
def my_visits_page(request: HtmxHttpRequest) -> HttpResponse:
    """Today's and tomorrow's visits; htmx gets the list (it reloads after each action)."""
    technician_id = user_technician_id(request.user)
    days = my_visits(technician_id=technician_id) if technician_id is not None else []
    template = page_or_partial(request, "accounts/my_visits.html", "visits")
    return render(request, template, {"days": days, "linked": technician_id is not None})


@not_found_as_404
@require_POST
def visit_start(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """The technician has arrived: Scheduled -> In progress."""
    my_visit_start(job_id=job_id, technician_id=_technician_id(request))
    return form_saved(request, events=EVENTS, redirect_to=_back())


@not_found_as_404
@require_http_methods(["GET", "POST"])
def visit_complete(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """Complete the visit with labour hours, parts and outcome (the survey follows)."""
    technician_id = _technician_id(request)
    job = my_visit_get(job_id=job_id, technician_id=technician_id)
    form = VisitCompleteForm(form_data(request))

    def save(data: dict[str, Any]) -> None:
        my_visit_complete(job_id=job.pk, technician_id=technician_id, **data)

    if form_submitted(request, form, save, fields={"status": "outcome"}):
        return form_saved(request, events=EVENTS, redirect_to=_back())
    context = {"form": form, "job": job, "title": f"Complete: {job.customer.name}",
               "action": request.path, "submit_label": "Complete visit"}  # fmt: skip
    return form_shown(request, f"{FORMS}#visit_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def visit_note(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """Add a note to the visit's customer timeline."""
    technician_id = _technician_id(request)
    job = my_visit_get(job_id=job_id, technician_id=technician_id)
    form = VisitNoteForm(form_data(request))

    def save(data: dict[str, Any]) -> None:
        my_visit_note_add(
            job_id=job.pk, technician_id=technician_id, content=data["content"],
            author=request.user,  # type: ignore[arg-type]
        )  # fmt: skip

    if form_submitted(request, form, save):
        return form_saved(request, events=EVENTS, redirect_to=_back())
    context = {"form": form, "job": job, "title": f"Note: {job.customer.name}",
               "action": request.path, "submit_label": "Add note"}  # fmt: skip
    return form_shown(request, f"{FORMS}#visit_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def visit_appliance(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """Take the visit's appliance details (the job's appliance, or a new one for the customer)."""
    technician_id = _technician_id(request)
    job = my_visit_get(job_id=job_id, technician_id=technician_id)
    initial = ApplianceForm.initial_of(job.appliance) if job.appliance else None
    form = ApplianceForm(form_data(request), initial=initial)

    def save(data: dict[str, Any]) -> None:
        my_visit_appliance_save(job_id=job.pk, technician_id=technician_id, fields=data)

    if form_submitted(request, form, save):
        return form_saved(request, events=EVENTS, redirect_to=_back())
    context = {"form": form, "job": job, "title": f"Appliance: {job.customer.name}",
               "action": request.path, "submit_label": "Save appliance"}  # fmt: skip
    return form_shown(request, f"{FORMS}#visit_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def visit_on_my_way(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """Tell the customer you are on the way (your own visits only: 404 otherwise)."""
    technician_id = _technician_id(request)
    job = my_visit_get(job_id=job_id, technician_id=technician_id)
    form = OnMyWayForm(form_data(request))

    def save(data: dict[str, Any]) -> None:
        on_my_way_send(
            job_id=job.pk, eta_minutes=data["eta_minutes"], user=request.user,
            technician_id=technician_id,
        )  # fmt: skip

    if form_submitted(request, form, save, fields={"etaMinutes": "eta_minutes"}):
        said = f"On my way sent: arriving in about {form.cleaned_data['eta_minutes']} minutes"
        return form_saved(request, events=EVENTS, redirect_to=_back(), said=said)
    context = {"form": form, "job": job, "title": f"On my way: {job.customer.name}",
               "action": request.path, "submit_label": "Send now"}  # fmt: skip
    return form_shown(request, f"{FORMS}#visit_form", context, form=form)
