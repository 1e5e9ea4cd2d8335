"""The Plans card of the Customer View and its new-plan form; the plan's money in the Client
Value Snapshot and in the profitability analysis; "Set up a plan" on the opportunity."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType
from crm.core.dates import add_months, company_today
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.insights.features import followups
from crm.insights.features.profitability import build_context, offline
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.tests.factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _customer_with_two_appliances() -> tuple[Customer, Any, Any]:
    """A refrigerator overdue for service and a washer serviced this year."""
    customer = CustomerFactory(name="Ana Ruiz")
    fridge = ApplianceFactory(customer=customer, brand="Bosch",
                              last_service_date=dt.date(2024, 1, 1))  # fmt: skip
    washer = ApplianceFactory(customer=customer, brand="Miele", type=ApplianceType.WASHING_MACHINE,
                              last_service_date=company_today())  # fmt: skip
    return customer, fridge, washer


def _form(**changes: Any) -> dict[str, Any]:
    return {"name": "Gold care", "visits_per_year": "2", "price_per_year": "199.00",
            "starts_on": "2026-12-01", "ends_on": "2027-12-01"} | changes  # fmt: skip


def test_the_new_plan_form_comes_filled_in_with_the_appliances_that_need_it(
    staff_client: Client,
) -> None:
    # given
    customer, fridge, washer = _customer_with_two_appliances()
    # when
    page = staff_client.get(reverse("plan-new", args=[customer.pk]), **HTMX).content.decode()
    # then the overdue refrigerator only, two visits, 2 x 60.00, a year from today
    assert 'value="Care plan: refrigerator"' in page
    assert "checked" in page.split(f'value="{fridge.pk}"')[1][:40]
    assert "checked" not in page.split(f'value="{washer.pk}"')[1][:40]
    assert 'name="visits_per_year" value="2"' in page
    assert 'name="price_per_year" value="120.00"' in page
    ends = add_months(company_today(), 12).isoformat()
    assert f'name="ends_on" value="{ends}"' in page


def test_saving_the_form_starts_the_plan_and_reloads_the_card_and_snapshot(
    staff_client: Client,
) -> None:
    # given
    customer, fridge, _ = _customer_with_two_appliances()
    # when
    response = staff_client.post(
        reverse("plan-new", args=[customer.pk]), _form(appliances=[str(fridge.pk)]), **HTMX
    )
    # then
    assert response.status_code == 204
    events = json.loads(response["HX-Trigger"])
    assert {"plans-changed", "money-changed"} <= set(events)
    assert events["crm:confirmed"]["text"] == "Plan started: Gold care"
    plan = MaintenancePlan.objects.get(customer=customer)
    assert (plan.price_per_year, list(plan.appliances.all())) == (Decimal("199.00"), [fridge])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Choose at least one appliance for the plan."),
        ({"ends_on": "2026-11-01"}, "The plan ends after it starts."),
        ({"price_per_year": "-3"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_refused_plan_comes_back_422_with_the_reason_and_saves_nothing(
    staff_client: Client, changes: dict[str, Any], message: str
) -> None:
    # given
    customer, fridge, _ = _customer_with_two_appliances()
    data = _form(**changes) | ({"appliances": [str(fridge.pk)]} if changes else {})
    # when
    response = staff_client.post(reverse("plan-new", args=[customer.pk]), data, **HTMX)
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MaintenancePlan.objects.exists()


def test_another_customers_appliance_cannot_be_chosen(staff_client: Client) -> None:
    customer, _, _ = _customer_with_two_appliances()
    stranger = ApplianceFactory()
    data = _form(appliances=[str(stranger.pk)])
    response = staff_client.post(reverse("plan-new", args=[customer.pk]), data, **HTMX)
    assert response.status_code == 422
    assert not MaintenancePlan.objects.exists()


def test_the_plans_card_lists_plans_with_visits_and_actions_in_fixed_queries(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given an active plan with one visit done and an expired one
    customer, fridge, washer = _customer_with_two_appliances()
    plan = MaintenancePlanFactory(customer=customer, appliances=[fridge, washer], name="Gold")
    JobFactory(customer=customer, plan=plan, completed=True)
    MaintenancePlanFactory(customer=customer, appliances=[fridge], status=PlanStatus.EXPIRED,
                           starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 1, 1))  # fmt: skip
    url = reverse("customer-card", args=[customer.pk, "plans"])
    staff_client.get(url, **HTMX)
    # when: session, user, customer and consents (the page's customer), plans, their appliances
    with django_assert_num_queries(6):
        page = staff_client.get(url, **HTMX).content.decode()
    # then
    assert f'id="plan-{plan.pk}-visits">1 of 2 done this plan year<' in page
    assert f'id="plan-{plan.pk}-next">Thu, Jul 2, 2026<' in page
    assert "Bosch Refrigerator, Miele Washing machine" in page
    assert page.count("Cancel plan<") == 1
    assert page.count("Renew<") == 2
    assert "$199.00 a year" in page


def test_renew_and_cancel_from_the_card(staff_client: Client) -> None:
    # given
    customer, fridge, _ = _customer_with_two_appliances()
    plan = MaintenancePlanFactory(customer=customer, appliances=[fridge])
    # when
    renewed = staff_client.post(reverse("plan-renew", args=[customer.pk, plan.pk]), **HTMX)
    cancelled = staff_client.post(reverse("plan-cancel", args=[customer.pk, plan.pk]), **HTMX)
    other = staff_client.post(reverse("plan-cancel", args=[CustomerFactory().pk, plan.pk]))
    # then
    assert (renewed.status_code, cancelled.status_code, other.status_code) == (204, 204, 404)
    said = json.loads(renewed["HX-Trigger"])["crm:confirmed"]["text"]
    assert said == "Plan renewed: Care plan, until Sat, Jan 1, 2028"
    plan.refresh_from_db()
    assert (plan.status, plan.ends_on) == (PlanStatus.CANCELLED, dt.date(2028, 1, 1))
    assert plan.cancelled_at is not None


def _plan_with_money() -> tuple[Customer, MaintenancePlan]:
    """Gold care at 199.00 a year; its visit this year cost 35.00 + 12.50, one last year 99.00
    (another plan year); a plan payment of 199.00 is recorded as a payment."""
    customer, fridge, _ = _customer_with_two_appliances()
    plan = MaintenancePlanFactory(customer=customer, appliances=[fridge], name="Gold care")
    visit = JobFactory(customer=customer, plan=plan, completed=True)
    ExpenseFactory(customer=customer, job=visit, amount="35.00", date=dt.date(2026, 3, 1))
    ExpenseFactory(customer=customer, job=visit, amount="12.50", date=dt.date(2026, 3, 2))
    ExpenseFactory(customer=customer, job=visit, amount="99.00", date=dt.date(2025, 6, 1))
    PaymentFactory(customer=customer, amount="199.00", date=dt.date(2026, 1, 5))
    return customer, plan


def test_the_snapshot_shows_the_plan_price_against_its_visits_cost_once(
    staff_client: Client,
) -> None:
    # given
    customer, plan = _plan_with_money()
    # when
    page = staff_client.get(reverse("customer-detail", args=[customer.pk])).content.decode()
    # then the plan line; its payment counted once, in the revenue
    assert (
        f'id="plan-money-{plan.pk}">Plan: Gold care $199.00/yr, this plan year\'s visits cost '
        "$47.50<"
    ) in page.replace("&#x27;", "'")
    assert 'id="total-revenue">$199.00<' in page


def test_profitability_counts_plan_revenue_against_plan_visits_costs() -> None:
    # given
    customer, _ = _plan_with_money()
    # when
    context = build_context(subject_id=customer.pk)
    answer = offline(context)
    # then
    assert [(p.price_per_year, p.visits_cost) for p in context.plans] == [
        (Decimal("199.00"), Decimal("47.50"))
    ]
    assert context.total_revenue == Decimal("199.00")
    assert answer.key_observation.endswith(
        "On the Gold care plan: $199.00 a year against $47.50 of plan visits' costs this plan year."
    )


def test_the_offline_opportunity_offers_set_up_a_plan(staff_client: Client) -> None:
    # given a customer whose refrigerator is off its service schedule
    customer, _, _ = _customer_with_two_appliances()
    # when the timeline summary is made
    url = f"/customers/{customer.pk}/ai/timeline-summary/"
    page = staff_client.post(url, **HTMX).content.decode()
    # then
    assert "Offer a maintenance plan for the Bosch Refrigerator" in page
    assert f'href="{reverse("plan-new", args=[customer.pk])}">Set up a plan</a>' in page


def test_appliances_on_a_plan_are_not_offered_a_plan_again(staff_client: Client) -> None:
    # given the overdue refrigerator is on a plan
    customer, fridge, _ = _customer_with_two_appliances()
    MaintenancePlanFactory(customer=customer, appliances=[fridge])
    # when
    url = f"/customers/{customer.pk}/ai/timeline-summary/"
    page = staff_client.post(url, **HTMX).content.decode()
    # then
    assert "Offer a maintenance plan" not in page
    assert "Set up a plan" not in page


def test_follow_up_suggestions_offer_no_maintenance_message_for_appliances_on_a_plan() -> None:
    # given the overdue refrigerator
    customer, fridge, _ = _customer_with_two_appliances()
    before = [
        s.title
        for s in followups.offline(followups.build_context(subject_id=customer.pk)).suggestions
    ]
    # when it goes on a plan
    MaintenancePlanFactory(customer=customer, appliances=[fridge])
    after = [
        s.title
        for s in followups.offline(followups.build_context(subject_id=customer.pk)).suggestions
    ]
    # then
    assert "Bosch Refrigerator maintenance overdue" in before
    assert not [title for title in after if "maintenance" in title]


def test_the_maintenance_alert_of_an_appliance_on_a_plan_offers_no_maintenance_message(
    staff_client: Client,
) -> None:
    # given the overdue refrigerator on a plan, and the washer not
    customer, fridge, washer = _customer_with_two_appliances()
    MaintenancePlanFactory(customer=customer, appliances=[fridge])
    # when
    on_plan = staff_client.post(f"/customers/{customer.pk}/ai/maintenance/{fridge.pk}/", **HTMX)
    off_plan = staff_client.post(f"/customers/{customer.pk}/ai/maintenance/{washer.pk}/", **HTMX)
    # then
    assert f'id="maintenance-{fridge.pk}-on-plan"' in on_plan.content.decode()
    assert "Schedule maintenance message" not in on_plan.content.decode()
    assert "Schedule maintenance message" in off_plan.content.decode()


def test_a_plan_visit_says_so_on_its_job_card_and_other_jobs_do_not(staff_client: Client) -> None:
    # given a plan's visit and a repair of the same customer
    plan = MaintenancePlanFactory()
    visit = JobFactory(customer=plan.customer, plan=plan, description="Plan visit: Care")
    repair = JobFactory(customer=plan.customer, description="Leaking door seal")
    # when
    cards = [
        staff_client.get(f"/customers/{job.customer_id}/jobs/{job.pk}/", **HTMX).content.decode()
        for job in (visit, repair)
    ]
    # then
    assert f'id="job-{visit.pk}-plan-visit">Plan visit<' in cards[0]
    assert "plan-visit" not in cards[1]
