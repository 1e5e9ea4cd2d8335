"""Today: the landing page after sign-in, with what needs a person across all customers.

Each section is a named partial of office/today.html whose root reloads itself (hx-get on
`today-section`, with the page's query string so filters and pages stay) when it hears its
event. Every action is one service call: htmx gets 204 and the events below, a plain post is
sent back to /today/; a refusal answers 422 with the section and the reason beside the row,
having changed nothing.

    today-reminders-changed   Reminders due
    today-messages-changed    Messages needing a person
    today-drafts-changed      Drafts waiting for approval (also messages-changed, which the
                              Engagement Hub's edit form sends)
    today-scores-changed      Low survey scores
    today-inbound-changed     Unanswered messages
    today-changed             the header badge (every action sends it)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import replace_url, trigger_client_event

from crm.activities.services import inbound_answered_record
from crm.core.dates import company_today
from crm.core.errors import Conflict, ValidationFailed
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.services import checklist_hide
from crm.core.views import asks_first, form_saved, not_found_as_404, page_number, signed_in
from crm.engagement.models import ReminderKind, ReminderPriority, ReminderStatus
from crm.engagement.services.surveys import low_score_handle
from crm.engagement.services.undo import (
    Undoable,
    message_cancel_undoable,
    reminder_update_undoable,
)
from crm.messaging.services.outcomes import (
    message_mark_failed,
    message_mark_sent,
    message_retry,
    messages_approve,
)
from crm.office.selectors import today as selectors
from crm.office.selectors.checklist import first_run_checklist
from crm.office.selectors.outbox import today_outbox

PAGE = "office/today.html"
BADGE = "today-changed"
SNOOZE_DAYS = {"1": 1, "7": 7}  # "Snooze 1 day", "Snooze 1 week"


def _pager(query: QueryDict, name: str) -> dict[str, Any]:
    """What a section's pager needs: its page parameter and the rest of the query string."""
    rest = query.copy()
    rest.pop(name, None)
    return {"page_param": name, "rest": rest.urlencode()}


def _reminders(query: QueryDict) -> dict[str, Any]:
    filters = selectors.ReminderFilter.from_query(query)
    page = selectors.today_reminders(filters=filters, page=page_number(query, "reminders_page"))
    return {"rows": page, "reminder_filter": filters, "kinds": ReminderKind.choices,
            "priorities": ReminderPriority.choices, "today": company_today()}  # fmt: skip


def _outbox(query: QueryDict) -> dict[str, Any]:
    outbox = today_outbox(page=page_number(query, "messages_page"))
    return {"rows": outbox.rows, "queues": outbox.queues}


@dataclass(frozen=True)
class Section:
    """A section of Today (a partial of the same name, paged by `<name>_page`): the event it
    reloads on and the context its selector reads."""

    event: str
    context: Callable[[QueryDict], dict[str, Any]]
    row_key: str = "pk"  # what its actions are refused by (the inbound rows: their customer)


def _rows(name: str, read: Callable[..., Any]) -> Callable[[QueryDict], dict[str, Any]]:
    return lambda query: {"rows": read(page=page_number(query, f"{name}_page"))}


SECTIONS: dict[str, Section] = {
    "reminders": Section("today-reminders-changed", _reminders),
    "messages": Section("today-messages-changed", _outbox),
    "drafts": Section("today-drafts-changed", _rows("drafts", selectors.today_drafts)),
    "scores": Section("today-scores-changed", _rows("scores", selectors.today_low_scores)),
    "inbound": Section(
        "today-inbound-changed",
        _rows("inbound", selectors.today_unanswered),
        row_key="customer_id",
    ),
    "visits": Section("today-visits-changed", _rows("visits", selectors.today_visits)),
}


def _section_context(
    name: str, query: QueryDict, refusals: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """The section's rows and links; a refusal is shown beside its row, or at the top of the
    section when that row has left the list (someone else handled it meanwhile)."""
    section = SECTIONS[name]
    context = {**section.context(query), **_pager(query, f"{name}_page"),
               "query": query.urlencode()}  # fmt: skip
    shown = {getattr(row, section.row_key) for row in context["rows"]} if refusals else set()
    context["refusals"] = {pk: why for pk, why in (refusals or {}).items() if pk in shown}
    context["refused"] = [why for pk, why in (refusals or {}).items() if pk not in shown]
    return context


def _page_context(
    query: QueryDict, refused: str = "", refusals: Mapping[int, str] | None = None
) -> dict[str, Any]:
    sections = {
        name: _section_context(name, query, refusals if name == refused else None)
        for name in SECTIONS
    }
    return {"sections": sections, "today": company_today(), "checklist": first_run_checklist()}


def _section(
    request: HtmxHttpRequest, name: str, *, status: int = 200,
    refusals: Mapping[int, str] | None = None,
) -> HttpResponse:  # fmt: skip
    context = {"s": _section_context(name, request.GET, refusals)}
    response = render(request, f"{PAGE}#{name}", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def today(request: HtmxHttpRequest) -> HttpResponse:
    """The whole page: six sections, each read in a fixed number of queries."""
    return render(request, PAGE, _page_context(request.GET))


@require_POST
def checklist_hide_view(request: HtmxHttpRequest) -> HttpResponse:
    """An Owner hides the first-run checklist (crm.core.policy: Owners only); htmx swaps the
    checklist for this empty answer."""
    checklist_hide()
    return HttpResponse("") if request.htmx else redirect("today")


@require_GET
def today_section(request: HtmxHttpRequest, section: str) -> HttpResponse:
    """One section, as it reloads itself; its filter and pager also set the page's address
    (a reload does not: another section may have changed it since). A plain visit goes to that
    section on the page."""
    if section not in SECTIONS:
        raise Http404("No such section.")
    query = request.GET.urlencode()
    page_url = reverse("today") + (f"?{query}" if query else "")
    if not request.htmx:
        return redirect(f"{page_url}#today-{section}")
    response = _section(request, section)
    if request.htmx.trigger != f"today-{section}":  # a filter or a pager, not a reload
        replace_url(response, page_url)
    return response


@require_GET
def today_counts(request: HtmxHttpRequest) -> HttpResponse:
    """The header badge: how many things wait for a person (one query)."""
    response = render(request, PAGE + "#badge", {"counts": selectors.today_counts()})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _act(
    request: HtmxHttpRequest, section: str, action: Callable[[], object], *, text: str = ""
) -> HttpResponse:
    """Run one service call. A refusal (409/422 from the domain) answers 422 with the section
    (the whole page for a plain post) and the reason beside its row; a bulk call returns its
    refusals by row. A success is confirmed with `text`, or with what an undoable change says
    and its Undo."""
    try:
        result = action()
        refusals = result if isinstance(result, dict) else {}
    except (Conflict, ValidationFailed) as error:
        pk = int(request.resolver_match.kwargs.get("pk", 0)) if request.resolver_match else 0
        refusals = {pk: error.message}
    events = [SECTIONS[section].event, BADGE]
    if not refusals:
        response = form_saved(request, events=events, redirect_to=reverse("today"))
        if isinstance(result, Undoable):
            return confirm(request, response, result.text, undo=result.url)
        return confirm(request, response, text) if text else response
    if not request.htmx:
        return render(request, PAGE, _page_context(request.GET, section, refusals), status=422)
    response = _section(request, section, status=422, refusals=refusals)
    trigger_client_event(response, BADGE)  # some of a bulk approval may have gone through
    return response


@not_found_as_404
@require_POST
def reminder_act(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Done, Dismiss, or Snooze for a day or a week (the button's `snooze` value)."""
    snooze = request.POST.get("snooze")
    status = ReminderStatus.SNOOZED if snooze is not None else request.POST.get("status", "")
    days = SNOOZE_DAYS.get(snooze or "")

    def update() -> Undoable:
        if status not in (ReminderStatus.DONE, ReminderStatus.DISMISSED, ReminderStatus.SNOOZED):
            raise ValidationFailed("Choose Done, Dismiss or Snooze.", field="status")
        if status == ReminderStatus.SNOOZED and days is None:
            raise ValidationFailed("Snooze for 1 day or 1 week.", field="snooze")
        until = company_today() + dt.timedelta(days=days) if days else None
        return reminder_update_undoable(reminder_id=pk, status=status, snoozed_until=until)

    return _act(request, "reminders", update)


MESSAGE_ACTIONS: dict[str, Callable[..., object]] = {
    "mark-sent": message_mark_sent,
    "mark-failed": message_mark_failed,
    "retry": message_retry,
    "cancel": message_cancel_undoable,
}
MESSAGE_DONE = {"mark-sent": "Message marked sent", "mark-failed": "Message marked failed",
                "retry": "Message sent again"}  # fmt: skip
RETRY_QUESTION = "Send this message again now? Once it has gone it cannot be called back."


@not_found_as_404
@require_POST
def message_act(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """Mark sent or failed (Unknown), retry or cancel (Failed); anything else is refused."""
    if action not in MESSAGE_ACTIONS:
        raise Http404("No such action.")
    if action == "retry" and not request.POST.get("confirmed"):
        return asks_first(request, RETRY_QUESTION, submit="Send again", back=reverse("today"))
    act = MESSAGE_ACTIONS[action]
    return _act(
        request, "messages", lambda: act(message_id=pk, user=signed_in(request)),
        text=MESSAGE_DONE.get(action, ""),
    )  # fmt: skip


def _ids(values: list[str]) -> list[int]:
    ids = [int(value) for value in values if value.isdigit() and len(value) < 12]
    if not ids:
        raise ValidationFailed("Choose at least one draft to approve.", field="message")
    return ids


@require_POST
def drafts_approve(request: HtmxHttpRequest) -> HttpResponse:
    """Approve the chosen drafts (one, or every ticked one); each is refused on its own with
    its reason (consent withdrawn, no longer a draft) while the others go ahead."""
    return _act(
        request, "drafts",
        lambda: messages_approve(
            message_ids=_ids(request.POST.getlist("message")), user=signed_in(request)
        ).refused,
        text="Approved: the chosen drafts go at their send times",
    )  # fmt: skip


@not_found_as_404
@require_POST
def score_handled(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A low survey score dealt with (its call-back reminder is done too)."""
    return _act(
        request, "scores",
        lambda: low_score_handle(follow_up_id=pk, user=signed_in(request)),
        text="Low score marked handled (its call-back reminder is done)",
    )  # fmt: skip


@not_found_as_404
@require_POST
def inbound_answered(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The customer's messages were answered outside ServiceCRM (a note records who said so)."""
    return _act(
        request, "inbound",
        lambda: inbound_answered_record(customer_id=pk, user=signed_in(request)),
        text="Marked answered (a note on the timeline says so)",
    )  # fmt: skip
