"""A plan visit reminder books the plan's visit: its link opens the New job form filled in,
and the booking stores the job's plan (this customer's active plan only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from crm.appliances.tests.factories import ApplianceFactory
from crm.engagement.models import ReminderKind
from crm.engagement.services.plan_sweep import plan_sweep
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.models import Job
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.tests.factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = dt.date(2030, 12, 10)


def _plan() -> MaintenancePlan:
    fridge = ApplianceFactory(brand="Bosch")
    ApplianceFactory(customer=fridge.customer, brand="Miele")
    return MaintenancePlanFactory(customer=fridge.customer, appliances=[fridge], name="Gold care")


def _form(**changes: Any) -> dict[str, Any]:
    return {"problem": "Plan visit: Gold care", "service_address": "12 Elm St",
            "day": DAY.isoformat(), "arrival_window": "10:00-12:00", "technician": "",
            "estimated_price": "", "appliance": ""} | changes  # fmt: skip


def test_the_reminders_book_link_opens_the_form_filled_in_for_the_plan(
    staff_client: Client,
) -> None:
    # given the sweep raised the plan's visit reminder
    plan = _plan()
    fridge = plan.appliances.get()
    plan_sweep(dt.date(2026, 11, 23))
    # when the Engagement Hub shows it, and its link is followed
    hub = staff_client.get(reverse("engagement-hub", args=[plan.customer_id])).content.decode()
    url = f"{reverse('job-new', args=[plan.customer_id])}?plan={plan.pk}&amp;appliance={fridge.pk}"
    form = staff_client.get(url.replace("&amp;", "&"), **HTMX).content.decode()
    # then
    assert f'href="{url}"' in hub
    assert "Book plan visit" in hub
    assert f'<input type="hidden" name="plan" value="{plan.pk}"' in form
    assert "Plan visit: Gold care</textarea>" in form
    assert f'<option value="{fridge.pk}" selected>' in form


def test_the_book_link_shows_on_today(staff_client: Client) -> None:
    # given a plan visit reminder due today
    plan = _plan()
    ReminderFactory(customer=plan.customer, kind=ReminderKind.PLAN_VISIT_DUE,
                    source_key=f"plan:{plan.pk}:visit:2026-01-01:1")  # fmt: skip
    # when
    page = staff_client.get(reverse("today")).content.decode()
    # then
    assert f"{reverse('job-new', args=[plan.customer_id])}?plan={plan.pk}" in page


def test_booking_with_the_plan_stores_the_jobs_plan(staff_client: Client) -> None:
    # given
    plan = _plan()
    # when
    url = reverse("job-new", args=[plan.customer_id])
    response = staff_client.post(url, _form(plan=str(plan.pk)), **HTMX)
    # then
    assert response.status_code == 204
    assert Job.objects.get(customer=plan.customer).plan_id == plan.pk


@pytest.mark.parametrize("which", ["another customer's", "cancelled"])
def test_booking_on_a_plan_not_active_for_the_customer_is_refused(
    staff_client: Client, which: str
) -> None:
    # given
    plan = _plan()
    if which == "cancelled":
        MaintenancePlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.CANCELLED, cancelled_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
        )
        customer_id = plan.customer_id
    else:
        customer_id = ApplianceFactory().customer_id
    # when
    response = staff_client.post(
        reverse("job-new", args=[customer_id]), _form(plan=str(plan.pk)), **HTMX
    )
    # then
    assert response.status_code == 422
    assert "That maintenance plan is not active for this customer." in response.content.decode()
    assert not Job.objects.exists()
