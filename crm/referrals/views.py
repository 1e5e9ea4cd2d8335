"""The Referrals card's modal: record a referral either way, update its status and reward."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.customers.selectors import customer_get
from crm.referrals.forms import MADE, ReferralForm, ReferralStatusForm
from crm.referrals.selectors import referral_candidates, referral_of_customer
from crm.referrals.services import referral_create, referral_update

FORM = "referrals/cards.html#referral_form"
EVENTS = ["referrals-changed"]
# The service names the side it refuses; the form has one field for the other customer.
OTHER_SIDE = {"referrerId": "other_customer", "referredCustomerId": "other_customer"}


def _create(customer_id: int, data: dict[str, Any]) -> None:
    other = data["other_customer"]
    referrer, referred = (customer_id, other) if data["direction"] == MADE else (other, customer_id)
    referral_create(
        referrer_id=referrer, referred_customer_id=referred, status=data["status"],
        reward_given=data["reward_given"], reward_amount=data["reward_amount"],
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def referral_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Record that this customer referred someone, or who referred them (search, then pick)."""
    customer = customer_get(customer_id=customer_id)
    form = ReferralForm(form_data(request))
    back = customer_url(customer.pk, "referrals")
    if form_submitted(request, form, lambda data: _create(customer.pk, data), fields=OTHER_SIDE):
        return form_saved(request, events=EVENTS, redirect_to=back, said="Referral added")
    search = (request.POST.get("q") or request.GET.get("q", ""))[:100]
    context = {"customer": customer, "form": form, "title": "Add referral", "search": search,
               "candidates": referral_candidates(customer_id=customer.pk, search=search),
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, FORM, context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def referral_edit(request: HtmxHttpRequest, customer_id: int, referral_id: int) -> HttpResponse:
    """Move a referral's status on and record its reward."""
    referral = referral_of_customer(customer_id=customer_id, referral_id=referral_id)
    form = ReferralStatusForm(form_data(request), initial=ReferralStatusForm.initial_of(referral))
    back = customer_url(customer_id, "referrals")
    saved = form_submitted(
        request,
        form,
        lambda data: referral_update(
            referral_id=referral.pk, status=data["status"], reward_given=data["reward_given"],
            reward_amount=data["reward_amount"], clear_reward_amount=data["reward_amount"] is None,
        ),
    )  # fmt: skip
    if saved:
        return form_saved(request, events=EVENTS, redirect_to=back, said="Referral saved")
    title = f"Referral: {referral.referrer.name} → {referral.referred_customer.name}"
    context = {"customer": customer_get(customer_id=customer_id), "form": form, "title": title,
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, FORM, context, form=form)
