"""The AI panels of the Customer View: each shows its stored answer at once and fetches a
fresh one into itself, so the page never waits for an AI answer.

Every panel is one URL: GET answers the stored answer (or, when there is none, a panel that
asks for one as soon as it is on the page); POST computes an answer (`refresh=1` skips the
stored one). Both render the same frame (crm/insights/templates/insights/panels.html#panel):
where the answer came from, when, whether the data changed since, Refresh, and a loading state.
Actions answer htmx like the page's other forms (crm.core.views): 204 with the events of the
cards they touch, or the form again with its errors (422), saving nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from crm.appliances.selectors import appliance_list, appliance_of_customer
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.models import Customer
from crm.customers.selectors import customer_get
from crm.insights.answers import InsightAnswer
from crm.insights.forms import (
    TechnicianMatchForm,
)
from crm.insights.selectors import (
    MAINTENANCE,
    customer_profit_trend,
    insight_stored,
    sentiment_details,
    technician_recommendation,
)
from crm.insights.services import insight_get
from crm.plans.selectors import covered_appliance_ids

PANELS_TEMPLATE = "insights/panels.html"


@dataclass(frozen=True)
class Panel:
    """An AI panel of a customer: its feature, heading, body partial and extra reads."""

    feature: str
    title: str
    body: str
    details: Callable[[int, InsightAnswer], dict[str, Any]] | None = None


PANELS: dict[str, Panel] = {
    "timeline-summary": Panel("timeline-summary", "Timeline summary", "timeline_body"),
    "analyze-sentiment": Panel(
        "analyze-sentiment", "Customer sentiment", "sentiment_body",
        lambda customer_id, answer: {
            "sentiment": sentiment_details(customer_id=customer_id, answer=answer)
        },
    ),
    "profitability-analysis": Panel(
        "profitability-analysis", "AI profitability analysis", "profitability_body"
    ),
}  # fmt: skip


def _answer(
    request: HtmxHttpRequest, feature: str, subject_id: int, options: dict[str, Any] | None = None
) -> InsightAnswer | None:
    """POST: an answer now (stored unless `refresh`); GET: the stored one, if any."""
    if request.method == "POST":
        refresh = request.POST.get("refresh") == "1"
        return insight_get(feature=feature, subject_id=subject_id, refresh=refresh, options=options)
    return insight_stored(feature=feature, subject_id=subject_id, options=options)


def _frame(
    *, panel_id: str, title: str, body: str, url: str, answer: InsightAnswer | None
) -> dict[str, Any]:
    """What the shared frame (panels.html#panel) needs; `body` names the panel's partial."""
    return {"panel_id": panel_id, "title": title, "body": f"{PANELS_TEMPLATE}#{body}",
            "url": url, "answer": answer}  # fmt: skip


def _panel(request: HtmxHttpRequest, partial: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, f"{PANELS_TEMPLATE}#{partial}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _plain_visit(request: HtmxHttpRequest, customer_id: int, anchor: str) -> HttpResponse | None:
    """A visit without htmx (no script, or a refresh that posted a plain form) goes back to
    the panel on the page, where it shows what was stored."""
    return None if request.htmx else redirect(customer_url(customer_id, anchor))


@not_found_as_404
@require_http_methods(["GET", "POST"])
def insight_panel(request: HtmxHttpRequest, customer_id: int, panel: str) -> HttpResponse:
    """A customer's AI panel (timeline summary, sentiment, profitability)."""
    chosen = PANELS.get(panel)
    if chosen is None:
        raise Http404("No such panel.")
    customer = customer_get(customer_id=customer_id)
    answer = _answer(request, chosen.feature, customer.pk)
    if (plain := _plain_visit(request, customer.pk, f"ai-{panel}")) is not None:
        return plain
    extra = chosen.details(customer.pk, answer) if answer and chosen.details else {}
    frame = _frame(panel_id=f"ai-{panel}", title=chosen.title, body=chosen.body,
                   url=request.path, answer=answer)  # fmt: skip
    return _panel(request, "panel", {"customer": customer, **frame, **extra})


@not_found_as_404
@require_GET
def value_insights(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The AI part of the Client Value Snapshot: the 12-month trend and the stored analysis."""
    customer = customer_get(customer_id=customer_id)
    if (plain := _plain_visit(request, customer.pk, "client-value-snapshot")) is not None:
        return plain
    key = "profitability-analysis"
    chosen = PANELS[key]
    frame = _frame(
        panel_id=f"ai-{key}", title=chosen.title, body=chosen.body,
        url=reverse("insight-panel", args=[customer.pk, key]),
        answer=insight_stored(feature=chosen.feature, subject_id=customer.pk),
    )  # fmt: skip
    trend = customer_profit_trend(customer_id=customer.pk)
    return _panel(request, "value_insights", {"customer": customer, "trend": trend, **frame})


@not_found_as_404
@require_http_methods(["GET", "POST"])
def appliance_panel(request: HtmxHttpRequest, customer_id: int, appliance_id: int) -> HttpResponse:
    """One appliance's maintenance alert (risk, needs, actions, timing, savings)."""
    appliance = appliance_of_customer(customer_id=customer_id, appliance_id=appliance_id)
    answer = _answer(request, MAINTENANCE, appliance.pk)
    if (plain := _plain_visit(request, customer_id, "maintenance-alerts")) is not None:
        return plain
    frame = _frame(panel_id=f"ai-maintenance-{appliance.pk}", title=str(appliance),
                   body="maintenance_body", url=request.path, answer=answer)  # fmt: skip
    # On an active maintenance plan: plan visits instead of maintenance reminders and messages.
    on_plan = bool(covered_appliance_ids(appliance_ids=[appliance.pk]))
    return _panel(request, "panel", {"customer": appliance.customer, "appliance": appliance,
                                     "on_plan": on_plan, **frame})  # fmt: skip


def match_context(customer: Customer, form: TechnicianMatchForm, purpose: str) -> dict[str, Any]:
    title = "New job" if purpose == "job" else "Recommend a technician"
    return {"customer": customer, "form": form, "purpose": purpose, "form_title": title,
            "title": title, "back_url": customer_url(customer.pk)}  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def technician_match(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Recommend a technician for an appliance and an issue: the primary pick and the
    alternatives with their reasons, to assign to a new job or set as preferred."""
    customer = customer_get(customer_id=customer_id)
    purpose = "job" if request.GET.get("for") == "job" or request.POST.get("for") == "job" else ""
    form = TechnicianMatchForm(
        form_data(request), appliances=list(appliance_list(customer_id=customer.pk))
    )
    context = match_context(customer, form, purpose)
    answers: list[InsightAnswer] = []
    fields = {"applianceId": "appliance", "issue": "issue"}
    if form_submitted(
        request, form, lambda _: answers.append(_match(request, customer, form)), fields=fields
    ):
        answer = answers[0]
        context |= _frame(
            panel_id="ai-match-technician",
            title="Recommended technicians",
            body="technician_body",
            url=request.path,
            answer=answer,
        )
        context |= {"recommendation": technician_recommendation(answer),
                    "refresh_form": "technician-match-form"}  # fmt: skip
    return form_shown(request, f"{PANELS_TEMPLATE}#technician_form", context, form=form)


def _match(
    request: HtmxHttpRequest, customer: Customer, form: TechnicianMatchForm
) -> InsightAnswer:
    answer = _answer(request, "match-technician", customer.pk, options=form.options())
    assert answer is not None  # a POST always answers
    return answer
