"""Maintenance plans on the Customer View (issue 14), in headless Chromium at desk and phone
width: "Set up a plan" on the timeline summary's "offer a maintenance plan" opens the new-plan
form filled in; saving it shows the plan on the Plans card; Renew and Cancel ask first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from crm.appliances.services import lifespans_load
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType
from crm.core.dates import add_months, company_today
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.plans.models import MaintenancePlan, PlanStatus
from tests.e2e.conftest import (
    VIEWPORTS,
    signed_in_at,
    staff_user_create,
)
from tests.e2e.test_customer_view import opened, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def maria(transactional_db: None) -> Customer:
    """Maria's refrigerator is two years past its yearly service; her washer was serviced."""
    lifespans_load()  # the live-server flush empties the table the migration loaded
    staff_user_create()
    maria = CustomerFactory(name="Maria Gonzalez")
    ApplianceFactory(customer=maria, brand="Bosch", last_service_date=dt.date(2024, 1, 10))
    ApplianceFactory(customer=maria, brand="Miele", type=ApplianceType.WASHING_MACHINE,
                     last_service_date=company_today())  # fmt: skip
    return maria


@pytest.fixture(params=list(VIEWPORTS))
def customer_view(
    request: pytest.FixtureRequest, page: Page, live_server: Any, maria: Customer
) -> Iterator[Page]:
    """Signed in, on Maria's Customer View, at desk or phone width."""
    with signed_in_at(page, live_server.url, request.param, maria.pk):
        yield page


def saved(page: Page, button: Any) -> str:
    """Press `button`; the save's confirmation text (crm:confirmed), once the page has it."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        button.click()
    assert answer.value.status == 204
    text: str = json.loads(answer.value.headers["hx-trigger"])["crm:confirmed"]["text"]
    settle(page)
    return text


def test_set_up_a_plan_from_the_opportunity_and_see_it_on_the_plans_card(
    customer_view: Page, maria: Customer, artifacts: Path
) -> None:
    page = customer_view
    # the offline timeline summary offers a plan for the refrigerator
    summary = page.locator("#ai-timeline-summary")
    expect(summary).to_contain_text("Offer a maintenance plan for the Bosch Refrigerator")
    summary.get_by_role("link", name="Set up a plan").click()
    dialog = opened(page, "New plan for Maria Gonzalez")
    expect(dialog.get_by_label("Name")).to_have_value("Care plan: refrigerator")
    expect(dialog.get_by_label("Bosch Refrigerator")).to_be_checked()
    expect(dialog.get_by_label("Miele Washing machine")).not_to_be_checked()
    expect(dialog.get_by_label("Visits per year")).to_have_value("2")
    expect(dialog.get_by_label("Price per year ($)")).to_have_value("120.00")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / f"plan-offer-{page.viewport_size['width']}.png"))
    # saved as filled in: the card shows it, the snapshot its price
    assert saved(page, dialog.get_by_role("button", name="Save plan")) == (
        "Plan started: Care plan: refrigerator"
    )
    expect(dialog).to_be_hidden()
    plan = MaintenancePlan.objects.get(customer=maria)
    card = page.locator(f"#plan-{plan.pk}")
    expect(card).to_contain_text("Care plan: refrigerator")
    expect(card.locator(f"#plan-{plan.pk}-status")).to_have_text("Active")
    expect(card.locator(f"#plan-{plan.pk}-visits")).to_have_text("0 of 2 done this plan year")
    expect(card.locator(f"#plan-{plan.pk}-next")).not_to_have_text("—")
    expect(page.locator(f"#plan-money-{plan.pk}")).to_contain_text("$120.00/yr")
    assert (plan.starts_on, plan.ends_on) == (company_today(), add_months(company_today(), 12))


def test_renew_and_cancel_ask_first_then_change_the_card(
    customer_view: Page, maria: Customer, artifacts: Path
) -> None:
    page = customer_view
    page.locator("#plans").get_by_role("link", name="New plan").click()
    dialog = opened(page, "New plan for Maria Gonzalez")
    dialog.get_by_label("Name").fill("Gold care")
    saved(page, dialog.get_by_role("button", name="Save plan"))
    plan = MaintenancePlan.objects.get(customer=maria)
    # Renew asks first; Not now changes nothing
    page.locator(f"#plan-{plan.pk}-renew").click()
    ask = page.locator("#ask")
    expect(ask).to_contain_text("Renew Gold care for another year")
    ask.get_by_role("button", name="Not now").click()
    plan.refresh_from_db()
    assert plan.ends_on == add_months(company_today(), 12)
    page.locator(f"#plan-{plan.pk}-renew").click()
    assert saved(page, ask.get_by_role("button", name="Renew")).startswith("Plan renewed")
    plan.refresh_from_db()
    assert plan.ends_on == add_months(company_today(), 24)
    # Cancel asks first, then the card says Cancelled with no more actions
    page.locator(f"#plan-{plan.pk}-cancel").click()
    expect(ask).to_contain_text("Cancel Gold care?")
    assert saved(page, ask.get_by_role("button", name="Cancel plan")) == (
        "Plan cancelled: Gold care"
    )
    expect(page.locator(f"#plan-{plan.pk}-status")).to_have_text("Cancelled")
    expect(page.locator(f"#plan-{plan.pk}-renew")).to_have_count(0)
    assert MaintenancePlan.objects.get().status == PlanStatus.CANCELLED
    page.screenshot(path=str(artifacts / f"plan-cancelled-{page.viewport_size['width']}.png"))
