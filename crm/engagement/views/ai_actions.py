"""Acting on the AI panels' answers (insights answers, engagement acts): the Predictive
Maintenance Alerts card with what was already done per appliance, a reminder or a message
drafted from an alert, and a new job for a recommended technician. Same paths and URL names as
the panels (`insight-*`); the answers follow crm.core.views (204 and events, or the form with
its errors)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.appliances.selectors import appliance_list, appliance_of_customer
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    signed_in,
)
from crm.customers.selectors import customer_get
from crm.engagement.forms import MaintenanceMessageForm, MaintenanceReminderForm, TechnicianJobForm
from crm.engagement.selectors.ai_actions import maintenance_board, maintenance_plan
from crm.engagement.selectors.hub import channel_for, next_send_slot
from crm.engagement.services.jobs import job_create_and_follow_up
from crm.engagement.services.reminders import reminder_create
from crm.insights.views import PANELS_TEMPLATE, match_context
from crm.messaging.models import MessageSource, MessageStatus
from crm.messaging.services.outbox import MessageDraft, message_schedule
from crm.technicians.selectors import technician_list

MAINTENANCE_EVENTS = ["maintenance-changed", "reminders-changed", "messages-changed"]


def _plain_visit(request: HtmxHttpRequest, customer_id: int) -> HttpResponse | None:
    """A visit without htmx goes back to the card on the page."""
    return None if request.htmx else redirect(customer_url(customer_id, "maintenance-alerts"))


def _card(request: HtmxHttpRequest, context: dict[str, Any]) -> HttpResponse:
    response = render(request, f"{PANELS_TEMPLATE}#maintenance_card", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@not_found_as_404
@require_GET
def maintenance_card(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Predictive Maintenance Alerts: the appliances by risk, each with its AI panel."""
    customer = customer_get(customer_id=customer_id)
    if (plain := _plain_visit(request, customer.pk)) is not None:
        return plain
    rows = maintenance_board(customer_id=customer.pk)
    return _card(request, {"customer": customer, "rows": rows})


@not_found_as_404
@require_http_methods(["GET", "POST"])
def maintenance_reminder(
    request: HtmxHttpRequest, customer_id: int, appliance_id: int
) -> HttpResponse:
    """Create reminder: a reminder for the office, prefilled from the appliance's alert."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    plan = maintenance_plan(customer=appliance.customer, appliance_id=appliance.pk)
    form = MaintenanceReminderForm(form_data(request), initial=asdict(plan))

    def save(data: dict[str, Any]) -> object:
        return reminder_create(
            customer_id=customer_id, kind=plan.kind, appliance_id=appliance.pk,
            source_key=f"ai-maintenance:{appliance.pk}:{data['due_date'].isoformat()}",
            user=signed_in(request), **data,
        )  # fmt: skip

    if form_submitted(request, form, save):
        back = customer_url(customer_id, "maintenance-alerts")
        said = f"Reminder created: {form.cleaned_data['title']}"
        return form_saved(request, events=MAINTENANCE_EVENTS, redirect_to=back, said=said)
    context = {"customer": appliance.customer, "appliance": appliance, "form": form,
               "title": f"Reminder: {appliance}", "submit_label": "Create reminder",
               "action": request.path, "back_url": customer_url(customer_id)}  # fmt: skip
    return form_shown(request, f"{PANELS_TEMPLATE}#action_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def maintenance_message(
    request: HtmxHttpRequest, customer_id: int, appliance_id: int
) -> HttpResponse:
    """Schedule maintenance message: the drafted message in an editable form; saved as a
    Draft, or approved to go at its time (Scheduled). Nothing is sent without a person."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    customer = appliance.customer
    plan = maintenance_plan(customer=customer, appliance_id=appliance.pk)
    initial = {"channel": channel_for(customer), "send_at": next_send_slot(customer),
               "body": plan.message}  # fmt: skip
    form = MaintenanceMessageForm(form_data(request), initial=initial, appliance_id=appliance.pk)
    approved = request.POST.get("status") == MessageStatus.SCHEDULED

    def save(data: dict[str, Any]) -> object:
        draft = MessageDraft(
            customer_id=customer.pk, channel=data["channel"], body=data["body"],
            subject=data["subject"], send_at=data["send_at"], source=MessageSource.REMINDER,
            status=MessageStatus.SCHEDULED if approved else MessageStatus.DRAFT,
            idempotency_key=data["idempotency_key"],
        )  # fmt: skip
        return message_schedule(draft=draft, user=signed_in(request))

    if form_submitted(request, form, save):
        back = customer_url(customer_id, "maintenance-alerts")
        said = "Message scheduled" if approved else "Message saved as a draft"
        return form_saved(request, events=MAINTENANCE_EVENTS, redirect_to=back, said=said)
    context = {"customer": customer, "appliance": appliance, "form": form,
               "title": f"Maintenance message: {appliance}", "action": request.path,
               "message_form": True, "back_url": customer_url(customer_id)}  # fmt: skip
    return form_shown(request, f"{PANELS_TEMPLATE}#action_form", context, form=form)


@not_found_as_404
@require_POST
def technician_assign(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Assign to the new job: a scheduled job for the chosen technician, the issue as its
    description; the Jobs card reloads."""
    customer = customer_get(customer_id=customer_id)
    form = TechnicianJobForm(
        request.POST,
        appliances=list(appliance_list(customer_id=customer.pk)),
        technicians=list(technician_list(active_only=True)),
    )
    saved = form_submitted(
        request, form, lambda _: job_create_and_follow_up(
            customer_id=customer.pk, fields=form.job_fields()
        ),
        fields={"technicianId": "technician", "applianceId": "appliance", "description": "issue"},
    )  # fmt: skip
    if saved:
        return form_saved(
            request, events=["jobs-changed"], redirect_to=customer_url(customer.pk, "jobs"),
            said="Job created for the chosen technician",
        )  # fmt: skip
    context = match_context(customer, form, request.POST.get("for", ""))
    return form_shown(request, f"{PANELS_TEMPLATE}#technician_form", context, form=form)
