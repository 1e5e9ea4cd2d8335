"""The Plans card of the Customer View: new plan (also from the "offer a maintenance plan"
opportunity, filled in), renew and cancel. For Owner and Office only, like every customer page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.core.words import written_day
from crm.customers.models import Customer
from crm.customers.selectors import customer_get
from crm.plans.forms import PlanForm
from crm.plans.selectors import plan_list, plan_next_visit_due, plan_offer
from crm.plans.services import plan_cancel, plan_create, plan_renew

FORM = "plans/cards.html#plan_form"
# The Plans card, and the Client Value Snapshot (it shows the active plan's price).
EVENTS = ["plans-changed", "money-changed"]
FIELDS = {"applianceIds": "appliances"}


def plans_card_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """The Plans card: each plan with its next visit due (two queries)."""
    plans = list(plan_list(customer_id=customer.pk))
    return {"plan_rows": [(plan, plan_next_visit_due(plan)) for plan in plans]}


@not_found_as_404
@require_http_methods(["GET", "POST"])
def plan_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Start a plan; the form comes filled in with the appliances that need it most."""
    customer = customer_get(customer_id=customer_id)
    form = PlanForm(form_data(request), customer_id=customer.pk,
                    offer=plan_offer(customer_id=customer.pk))  # fmt: skip
    back = customer_url(customer.pk, "plans")
    save = lambda _: plan_create(  # noqa: E731
        customer_id=customer.pk, appliance_ids=form.appliance_ids(), fields=form.plan_fields()
    )
    if form_submitted(request, form, save, fields=FIELDS):
        said = f"Plan started: {form.cleaned_data['name']}"
        return form_saved(request, events=EVENTS, redirect_to=back, said=said)
    context = {"customer": customer, "form": form, "title": f"New plan for {customer.name}",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, FORM, context, form=form)


@not_found_as_404
@require_POST
def plan_renew_view(request: HtmxHttpRequest, customer_id: int, plan_id: int) -> HttpResponse:
    """Another plan year from the old end day."""
    plan = plan_renew(plan_id=plan_id, customer_id=customer_id)
    said = f"Plan renewed: {plan.name}, until {written_day(plan.ends_on)}"
    return form_saved(request, events=EVENTS, redirect_to=customer_url(customer_id, "plans"),
                      said=said)  # fmt: skip


@not_found_as_404
@require_POST
def plan_cancel_view(request: HtmxHttpRequest, customer_id: int, plan_id: int) -> HttpResponse:
    """Cancel an active plan from today on."""
    plan = plan_cancel(plan_id=plan_id, customer_id=customer_id)
    return form_saved(request, events=EVENTS, redirect_to=customer_url(customer_id, "plans"),
                      said=f"Plan cancelled: {plan.name}")  # fmt: skip
