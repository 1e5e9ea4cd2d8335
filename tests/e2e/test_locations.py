"""Service locations in headless Chromium at desk and phone width (issue 14): a landlord adds a
rental on the Customer View, moves an appliance there and sees the appliances grouped under
their locations; booking a visit at the rental fills in its address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from crm.appliances.services import lifespans_load
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType
from crm.customers.models import Customer, ServiceLocation
from crm.customers.services import customer_create
from tests.e2e.conftest import (
    VIEWPORTS,
    cards_unfolded,
    signed_in_at,
    staff_user_create,
)
from tests.e2e.test_customer_view import opened, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lena(transactional_db: None) -> Customer:
    """Lena, whose own address became her Home, with a dryer and a washer there."""
    lifespans_load()  # the live-server flush empties the table the migration loaded
    staff_user_create()
    lena = customer_create(fields={"name": "Lena Landlord", "address": "1 Main St"})
    home = ServiceLocation.objects.get(customer=lena)
    ApplianceFactory(customer=lena, type=ApplianceType.DRYER, brand="Maytag", location=home)
    ApplianceFactory(customer=lena, type=ApplianceType.WASHING_MACHINE, brand="Bosch",
                     location=home)  # fmt: skip
    return lena


@pytest.fixture(params=list(VIEWPORTS))
def signed_in(
    request: pytest.FixtureRequest, page: Page, live_server: Any, lena: Customer
) -> Iterator[Page]:
    with signed_in_at(page, live_server.url, request.param):
        yield page


def test_a_second_location_groups_the_appliances_and_fills_the_visit_address(
    signed_in: Page, live_server: Any, lena: Customer, artifacts: Path
) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/customers/{lena.pk}/")
    page.evaluate("window.notReloaded = true")  # from here on, htmx only
    cards_unfolded(page)
    appliances = page.locator("#client-appliances")
    expect(appliances.locator(".location-heading")).to_have_count(0)  # one location: no headings
    # Add the rental on the Locations card
    page.locator("#locations").get_by_role("link", name="Add location").click()
    dialog = opened(page, "Add location")
    dialog.get_by_label("Name").fill("Rental")
    dialog.get_by_label("Address").fill("12 Oak St, Miami, FL 33145")
    dialog.get_by_label("Access notes").fill("Key box by the back door, code 4321")
    dialog.get_by_role("button", name="Save location").click()
    expect(dialog).to_be_hidden()
    settle(page)
    cards_unfolded(page)
    expect(page.locator("#locations")).to_contain_text("Key box by the back door, code 4321")
    # Move the washer there: the appliances now stand under their locations' names
    page.get_by_role("link", name="Edit Washing machine Bosch").click()
    dialog = opened(page, "Edit Bosch Washing machine")
    expect(dialog.get_by_label("Location")).to_have_value(
        str(ServiceLocation.objects.get(label="Home").pk)
    )
    dialog.get_by_label("Location").select_option(label="Rental: 12 Oak St, Miami, FL 33145")
    dialog.get_by_role("button", name="Save appliance").click()
    expect(dialog).to_be_hidden()
    settle(page)
    cards_unfolded(page)
    expect(appliances.locator(".location-heading")).to_have_count(2)
    rental = ServiceLocation.objects.get(label="Rental")
    expect(appliances.locator(".location-heading").nth(1)).to_contain_text("Rental")
    group = appliances.locator(f"ul[aria-labelledby=appliances-at-{rental.pk}]")
    expect(group).to_contain_text("Bosch")
    expect(group).not_to_contain_text("Maytag")
    expect(page.locator(f"#location-{rental.pk}")).to_contain_text("Appliances1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(artifacts / f"locations-grouped-{width}.png"), full_page=True)
    # A visit at the rental: choosing the location fills in its address
    page.locator("#page-header").get_by_role("link", name="New job").click()
    dialog = opened(page, "New job for Lena Landlord")
    expect(dialog.get_by_label("Service address")).to_have_value("1 Main St")
    dialog.get_by_label("Location").select_option(label="Rental: 12 Oak St, Miami, FL 33145")
    expect(dialog.get_by_label("Service address")).to_have_value("12 Oak St, Miami, FL 33145")
