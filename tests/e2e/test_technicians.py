"""The office's technician pages in headless Chromium against a live server (issue 11)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory
from tests.e2e.conftest import PASSWORD, staff_user_create

# Script errors and dialogs are collected, and htmx waited for, as on the Customer View.
from tests.e2e.test_customer_view import page_errors, settle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def crew(transactional_db: None) -> Technician:
    """Two technicians (one with open jobs) and a member of staff."""
    dana = TechnicianFactory(name="Dana Whitfield", specialties=["WashingMachine", "Dryer"])
    JobFactory.create_batch(3, technician=dana)
    TechnicianFactory(name="Carlos Ramirez", specialties=["Refrigerator"])
    staff_user_create()
    return dana


@pytest.fixture
def technicians_page(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    crew: Technician,
    page_errors: list[str],  # noqa: F811
) -> Page:
    """Signed in, on the technician list reached from the top navigation; no script errors."""
    page.set_default_timeout(10_000)
    # The live server's first request imports every view and the API (seconds on a busy machine).
    page.goto(f"{live_server.url}/login/", timeout=60_000)
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Technicians").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technicians")
    page.evaluate("window.notReloaded = true")
    yield page
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    assert page_errors == []


def test_add_a_technician_then_deactivate_them_and_find_them_under_inactive(
    technicians_page: Page, artifacts: Path
) -> None:
    page = technicians_page
    results = page.locator("#results")
    expect(results.locator("tbody tr")).to_have_count(2)
    # A bad hourly cost is refused next to its field, in the open dialog.
    page.get_by_role("link", name="Add technician").click()
    dialog = page.get_by_role("dialog", name="Add technician")
    expect(dialog).to_be_visible()
    settle(page)
    expect(dialog.get_by_label("Name")).to_be_focused()
    dialog.get_by_label("Name").fill("Priya Natarajan")
    dialog.get_by_label("Phone").fill("212 555 0177")
    dialog.get_by_label("Email").fill("priya@crew.example.com")
    dialog.get_by_label("Dishwasher").check()
    dialog.get_by_label("Oven / range").check()
    dialog.get_by_label("Hourly cost").fill("-35")
    dialog.get_by_label("Visits per day").fill("7")
    dialog.get_by_role("button", name="Save technician").click()
    expect(dialog.locator("#id_hourly_cost_error")).to_have_text(
        "Ensure this value is greater than or equal to 0."
    )
    expect(dialog.get_by_label("Hourly cost")).to_be_focused()
    assert not Technician.objects.filter(name="Priya Natarajan").exists()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artifacts / "technicians-add-refused-1280.png")
    # Corrected, it saves: the dialog closes and the list shows her.
    dialog.get_by_label("Hourly cost").fill("35.00")
    dialog.get_by_role("button", name="Save technician").click()
    expect(dialog).to_be_hidden()
    priya = results.locator("tbody tr", has_text="Priya Natarajan")
    expect(priya).to_contain_text("Dishwasher, Oven / range")
    expect(priya).to_contain_text("(212) 555-0177")
    expect(priya).to_contain_text("$35.00")
    expect(results.locator("tbody tr")).to_have_count(3)
    saved = Technician.objects.get(name="Priya Natarajan")
    assert (saved.hourly_cost, saved.daily_capacity) == (Decimal("35.00"), 7)
    settle(page)
    page.screenshot(path=artifacts / "technicians-list-1280.png", full_page=True)
    # Dana's row says what deactivating does, in words, before doing it.
    dana = results.locator("tbody tr", has_text="Dana Whitfield")
    expect(dana.locator('[data-label="Open jobs"]')).to_have_text("3")
    dana.get_by_role("link", name="Deactivate Dana Whitfield").click()
    confirm = page.get_by_role("dialog", name="Deactivate Dana Whitfield")
    expect(confirm).to_contain_text(
        "Dana Whitfield will no longer be offered for new jobs, in technician matching or as a "
        "customer's preferred technician. The 3 open jobs already assigned to Dana Whitfield "
        "stay with Dana Whitfield."
    )
    settle(page)
    confirm.get_by_role("button", name="Deactivate Dana Whitfield").click()
    expect(confirm).to_be_hidden()
    expect(results.locator("tbody tr", has_text="Dana Whitfield")).to_have_count(0)
    assert Technician.objects.get(name="Dana Whitfield").active is False
    # The Inactive filter finds her, and the address says so.
    settle(page)
    page.get_by_role("navigation", name="Show technicians").get_by_role(
        "link", name="Inactive"
    ).click()
    expect(page).to_have_url(re.compile(r"/technicians/\?status=inactive$"))
    expect(results.locator("tbody tr")).to_have_count(1)
    inactive = results.locator("tbody tr", has_text="Dana Whitfield")
    expect(inactive).to_contain_text("Inactive")
    expect(inactive.get_by_role("link", name="Reactivate Dana Whitfield")).to_be_visible()
    # At phone width each row stacks, nothing is wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="All", exact=True).click()
    expect(results.locator("tbody tr")).to_have_count(3)
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    priya = results.locator("tbody tr", has_text="Priya Natarajan")
    expect(priya.locator('[data-label="Contact"]')).to_be_visible()
    expect(priya.locator('[data-label="Specialties"]')).to_have_text("Dishwasher, Oven / range")
    page.screenshot(path=artifacts / "technicians-list-390.png", full_page=True)
