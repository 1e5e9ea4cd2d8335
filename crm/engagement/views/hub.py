"""The Engagement Hub: a tab of the Customer View's Activity card, in five sections.

Each section is a named partial of engagement/hub.html whose root reloads itself (hx-get on
`engagement-section`) when it hears its event. Write views follow the page's pattern
(crm.core.views): htmx gets 204 and the events of the sections touched, a plain browser post
is redirected to the hub page, a refused form comes back with its errors (422, nothing saved).
A refused button (Cancel once sending has begun...) answers 422 with its section and the reason
beside the row. Other cards may fire these events too:

    reminders-changed    Reminders
    suggestions-changed  Suggested Follow-ups
    messages-changed     Scheduled Messages and Occasion Messages
    followups-changed    Logged Follow-ups
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.dates import company_today
from crm.core.errors import Conflict, ValidationFailed
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.views import form_data, form_saved, form_shown, form_submitted, not_found_as_404
from crm.core.views import signed_in as user_of
from crm.customers.models import Customer
from crm.customers.selectors import customer_for_page
from crm.engagement.forms import (
    FollowUpLogForm,
    ReminderForm,
    ReminderStatusForm,
    ScheduleForm,
)
from crm.engagement.models import ReminderKind
from crm.engagement.selectors import hub
from crm.engagement.services import hub as hub_services
from crm.engagement.services.follow_ups import follow_up_log_create
from crm.engagement.services.reminders import reminder_create
from crm.engagement.services.undo import Undoable, reminder_update_undoable
from crm.insights.services import insight_get
from crm.messaging.models import EDITABLE_STATUSES
from crm.technicians.selectors import technician_list

HUB = "engagement/hub.html"
ADD_REMINDER, LOG_FOLLOW_UP = "Add reminder", "Log follow-up"  # also in hub.html
SNOOZE_DAYS = 7
# The sections' own forms sit on the page beside the modal's: their field ids differ.
REMINDER_IDS, FOLLOW_UP_IDS = "reminder_%s", "followup_%s"
FOLLOW_UP_FIELDS = {"technicianId": "technician"}
Row = tuple[str, int | str]  # (kind, id) of the row a refusal is shown beside


def hub_url(customer_id: int) -> str:
    """The hub on a page of its own: where a plain browser lands after an action."""
    return reverse("engagement-hub", args=[customer_id])


def _reminder_form(data: Any = None) -> ReminderForm:
    return ReminderForm(data, initial={"due_date": company_today()}, auto_id=REMINDER_IDS)


def _follow_up_form(data: Any = None, **kwargs: Any) -> FollowUpLogForm:
    return FollowUpLogForm(data, technicians=technician_list(active_only=True), **kwargs)


def _reminders(customer: Customer) -> dict[str, Any]:
    today = company_today()
    return {
        "reminders": hub.hub_reminders(customer_id=customer.pk),
        "today": today,
        "snooze_default": today + dt.timedelta(days=SNOOZE_DAYS),
        "reminder_form": _reminder_form(),
    }


def _messages(customer: Customer) -> dict[str, Any]:
    rows = hub.hub_messages(customer_id=customer.pk)
    return {
        "messages": rows,
        "sent": hub.hub_sent_on_timeline(customer_id=customer.pk),
        "polling": hub.messages_in_flight(rows.items, now=timezone.now()),
        "editable": EDITABLE_STATUSES,
    }


def _follow_ups(customer: Customer) -> dict[str, Any]:
    return {
        "follow_ups": hub.hub_follow_ups(customer_id=customer.pk),
        "follow_up_form": _follow_up_form(auto_id=FOLLOW_UP_IDS),
    }


def _occasions(customer: Customer) -> dict[str, Any]:
    return {
        "occasion_drafts": hub.hub_occasion_drafts(customer_id=customer.pk),
        "editable": EDITABLE_STATUSES,
    }


@dataclass(frozen=True)
class Section:
    """A section of the hub: its partial, and the context its selectors read."""

    template: str
    context: Callable[[Customer], dict[str, Any]]


SECTIONS: dict[str, Section] = {
    "reminders": Section(f"{HUB}#reminders", _reminders),
    "suggestions": Section(
        f"{HUB}#suggestions", lambda c: {"panel": hub.hub_suggestions(customer_id=c.pk)}
    ),
    "messages": Section(f"{HUB}#messages", _messages),
    "followups": Section(f"{HUB}#followups", _follow_ups),
    "occasions": Section(f"{HUB}#occasions", _occasions),
}


def _hub_context(customer: Customer) -> dict[str, Any]:
    context: dict[str, Any] = {"customer": customer}
    for section in SECTIONS.values():
        context.update(section.context(customer))
    return context


@not_found_as_404
@require_GET
def engagement_hub(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The hub: the Activity card's tab panel for htmx, a page of its own otherwise."""
    customer = customer_for_page(customer_id=customer_id)
    template = f"{HUB}#hub_panel" if request.htmx else "engagement/hub_page.html"
    response = render(request, template, _hub_context(customer))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _section(
    request: HtmxHttpRequest, customer: Customer, name: str, *, status: int = 200,
    **extra: Any,
) -> HttpResponse:  # fmt: skip
    """One section rendered alone, as htmx swaps it in."""
    chosen = SECTIONS[name]
    context = {"customer": customer, **chosen.context(customer), **extra}
    response = render(request, chosen.template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@not_found_as_404
@require_GET
def engagement_section(request: HtmxHttpRequest, customer_id: int, section: str) -> HttpResponse:
    """One section, as it reloads itself; a plain visit goes to the hub page."""
    customer = customer_for_page(customer_id=customer_id)
    if section not in SECTIONS:
        raise Http404("No such section.")
    if request.htmx:
        return _section(request, customer, section)
    return redirect(f"{hub_url(customer.pk)}#hub-{section}")


def section_button(
    request: HtmxHttpRequest, customer: Customer, section: str, *, row: Row,
    action: Callable[[], object], events: list[str], said: str = "",
) -> HttpResponse:  # fmt: skip
    """Run one service call for a button. A domain refusal answers 422 with the section (the
    whole hub for a plain post) and the reason beside the row; nothing was saved. A success is
    confirmed with `said`, or with what an undoable change says and its Undo."""
    try:
        result = action()
    except (Conflict, ValidationFailed) as error:
        kind, pk = row
        refusal = {"kind": kind, "pk": pk, "message": error.message}
        if request.htmx:
            return _section(request, customer, section, status=422, refusal=refusal)
        context = {**_hub_context(customer), "refusal": refusal}
        return render(request, "engagement/hub_page.html", context, status=422)
    response = form_saved(request, events=events, redirect_to=hub_url(customer.pk), said=said)
    if isinstance(result, Undoable):
        return confirm(request, response, result.text, undo=result.url)
    return response


def section_form_answer(
    request: HtmxHttpRequest, customer: Customer, form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object], *, events: list[str], title: str, submit: str,
    partial: str = "modal_form", form_id: str = "hub-form", intro: str = "",
    fields: dict[str, str] | None = None, said: str = "",
) -> HttpResponse:  # fmt: skip
    """A valid form saved by one service call: 204 and the events (a plain post: the hub page),
    confirmed with `said`. Otherwise the form, in the modal or in its section, with its errors
    (422 when refused)."""
    if form_submitted(request, form, save, fields=fields):
        return form_saved(request, events=events, redirect_to=hub_url(customer.pk), said=said)
    context = {"customer": customer, "form": form, "title": title, "submit_label": submit,
               "intro": intro, "form_id": form_id,
               "action": request.path, "back_url": hub_url(customer.pk)}  # fmt: skip
    return form_shown(request, f"{HUB}#{partial}", context, form=form)


# Reminders


@not_found_as_404
@require_POST
def reminder_act(request: HtmxHttpRequest, customer_id: int, reminder_id: int) -> HttpResponse:
    """Done, Dismiss, or Snooze until a day (refused beside the reminder when that day is bad)."""
    customer = customer_for_page(customer_id=customer_id)
    reminder = hub.hub_reminder(customer_id=customer.pk, reminder_id=reminder_id)
    form = ReminderStatusForm(request.POST)

    def update() -> Undoable:
        if not form.is_valid():
            raise ValidationFailed(" ".join(str(e) for err in form.errors.values() for e in err))
        data = form.cleaned_data
        return reminder_update_undoable(
            reminder_id=reminder.pk, status=data["status"], snoozed_until=data["snoozed_until"]
        )

    return section_button(
        request, customer, "reminders", row=("reminder", reminder.pk), action=update,
        events=["reminders-changed"],
    )  # fmt: skip


@not_found_as_404
@require_POST
def reminder_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """A reminder added by hand (kind Manual), signed by whoever is signed in."""
    customer = customer_for_page(customer_id=customer_id)
    form = _reminder_form(request.POST)
    return section_form_answer(
        request, customer, form,
        lambda data: reminder_create(
            customer_id=customer.pk, kind=ReminderKind.MANUAL, user=user_of(request), **data
        ),
        events=["reminders-changed"], title="Add a reminder", submit=ADD_REMINDER,
        partial="section_form", form_id="reminder-form", said="Reminder added",
    )  # fmt: skip


# Suggested follow-ups


def _with_suggestion(customer_id: int, key: str) -> tuple[Customer, hub.Suggestion]:
    customer = customer_for_page(customer_id=customer_id)
    return customer, hub.hub_suggestion(customer_id=customer.pk, key=key)


@not_found_as_404
@require_POST
def suggestions_generate(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """A fresh answer into the panel: the stored one if still good, or a new one on Refresh
    (the LLM, or the built-in analysis with its label when the LLM fails or is off)."""
    customer = customer_for_page(customer_id=customer_id)
    answer = insight_get(
        feature=hub.FOLLOWUPS, subject_id=customer.pk, refresh=bool(request.POST.get("refresh"))
    )
    if not request.htmx:
        return redirect(f"{hub_url(customer.pk)}#hub-suggestions")
    panel = hub.suggestions_panel(customer_id=customer.pk, answer=answer)
    return render(request, SECTIONS["suggestions"].template, {"customer": customer, "panel": panel})


@not_found_as_404
@require_http_methods(["GET", "POST"])
def suggestion_schedule(request: HtmxHttpRequest, customer_id: int, key: str) -> HttpResponse:
    """The suggestion's draft in an editable schedule form (channel and time prefilled from
    the customer's preferences); saving schedules an approved message."""
    customer, suggestion = _with_suggestion(customer_id, key)
    initial = {"channel": hub.channel_for(customer), "send_at": hub.next_send_slot(customer),
               "body": suggestion.draft_message}  # fmt: skip
    form = ScheduleForm(form_data(request), initial=initial)
    return section_form_answer(
        request, customer, form,
        lambda _: hub_services.suggestion_schedule(
            customer_id=customer.pk, suggestion=suggestion,
            draft=form.draft(customer_id=customer.pk), user=user_of(request),
        ),
        events=["suggestions-changed", "messages-changed"], title="Schedule follow-up",
        submit="Schedule message", fields={"idempotencyKey": "__all__"},
        said="Follow-up message scheduled",
        intro=f"{suggestion.title}: {suggestion.reason} Prefilled with {customer.name}'s "
        f"preferred channel and the next time inside their contact hours ({customer.timezone}).",
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def suggestion_log(request: HtmxHttpRequest, customer_id: int, key: str) -> HttpResponse:
    """Record that the suggestion was followed up by hand (a logged follow-up)."""
    customer, suggestion = _with_suggestion(customer_id, key)
    initial = {"channel": customer.preferred_contact_method,
               "notes": f"{suggestion.title}: {suggestion.reason}"}  # fmt: skip
    form = _follow_up_form(form_data(request), initial=initial)
    return section_form_answer(
        request, customer, form,
        lambda _: hub_services.suggestion_log(
            customer_id=customer.pk, suggestion=suggestion, user=user_of(request),
            **form.log_fields(),
        ),
        events=["suggestions-changed", "followups-changed"], title="Log follow-up",
        submit=LOG_FOLLOW_UP, intro=suggestion.title, fields=FOLLOW_UP_FIELDS,
        said="Follow-up logged",
    )  # fmt: skip


@not_found_as_404
@require_POST
def suggestion_dismiss(request: HtmxHttpRequest, customer_id: int, key: str) -> HttpResponse:
    """Hide the suggestion for everyone."""
    customer, suggestion = _with_suggestion(customer_id, key)
    dismiss = lambda: hub_services.suggestion_dismiss(  # noqa: E731
        customer_id=customer.pk, suggestion=suggestion, user=user_of(request)
    )
    return section_button(
        request, customer, "suggestions", row=("suggestion", key), action=dismiss,
        events=["suggestions-changed"], said=f"Suggestion dismissed: {suggestion.title}",
    )  # fmt: skip


# Logged follow-ups


@not_found_as_404
@require_POST
def follow_up_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Log a follow-up made by hand: by a technician, else by whoever is signed in."""
    customer = customer_for_page(customer_id=customer_id)
    form = _follow_up_form(request.POST, auto_id=FOLLOW_UP_IDS)
    return section_form_answer(
        request, customer, form,
        lambda _: follow_up_log_create(
            customer_id=customer.pk, staff_user=user_of(request), **form.log_fields()
        ),
        events=["followups-changed"], title="Log a follow-up", submit=LOG_FOLLOW_UP,
        partial="section_form", form_id="followup-form", fields=FOLLOW_UP_FIELDS,
        said="Follow-up logged",
    )  # fmt: skip
