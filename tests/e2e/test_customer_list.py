"""The customer list in headless Chromium: filter by two things, sort, the URL keeps them,
and Export CSV downloads exactly the filtered rows (issue 11)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from tests.e2e.conftest import PASSWORD, staff_user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERDUE = dt.date(2020, 1, 1)


def customer(name: str, net: str, *, overdue: bool) -> Customer:
    revenue = Decimal("100.00")
    return CustomerFactory(
        name=name, revenue_total=revenue, expenses_total=revenue - Decimal(net),
        net_profit=Decimal(net), profit_margin=Decimal(net) / revenue,
        next_service_due=OVERDUE if overdue else None,
    )  # fmt: skip


@pytest.fixture
def signed_in(page: Page, live_server, transactional_db: None) -> Page:  # type: ignore[no-untyped-def]
    """Six customers and a member of staff, signed in on the customer list."""
    customer("Ana Loss", "-30.00", overdue=True)
    customer("Ben Loss", "-5.00", overdue=True)
    customer("Cy Loss", "-50.00", overdue=False)
    customer("Di Gain", "60.00", overdue=True)
    customer("Ed Loss", "-10.00", overdue=True)
    customer("Flo Gain", "20.00", overdue=False)
    staff_user_create()
    page.set_default_timeout(30_000)
    # "domcontentloaded": on a machine shared by many test runs the load event can lag.
    page.goto(f"{live_server.url}/login/?next=/customers/", wait_until="domcontentloaded")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    return page


def shown(page: Page) -> list[str]:
    return page.locator("#results tbody tr td:first-child a").all_inner_texts()


def test_filter_sort_keep_in_url_and_export(signed_in: Page, artifacts: Path) -> None:
    page = signed_in
    page.evaluate("window.notReloaded = true")
    # when: two filters
    page.get_by_label("Profitability").select_option("Loss-Making")
    page.get_by_label("Maintenance overdue").check()
    # then
    expect(page.locator("#results")).to_contain_text("3 customers")
    assert shown(page) == ["Ana Loss", "Ben Loss", "Ed Loss"]
    # when: sort by net profit, then the other way
    page.get_by_role("link", name="Net profit").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Net profit")
    assert shown(page) == ["Ana Loss", "Ed Loss", "Ben Loss"]
    page.get_by_role("link", name="Net profit").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Net profit")
    # then: only the results were swapped, and the URL says it all
    assert shown(page) == ["Ben Loss", "Ed Loss", "Ana Loss"]
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(
        "/customers/?profitability=Loss-Making&maintenanceOverdue=true&sort=-netProfit"
    )
    # when: the URL is opened afresh
    page.reload(wait_until="domcontentloaded")
    # then: same rows, and the form shows the filters
    assert shown(page) == ["Ben Loss", "Ed Loss", "Ana Loss"]
    expect(page.get_by_label("Profitability")).to_have_value("Loss-Making")
    expect(page.get_by_label("Maintenance overdue")).to_be_checked()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=artifacts / "customer-list-1280.png", full_page=True)
    # when: Export CSV
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    # then: exactly the filtered rows, in the list's order
    with open(download.path(), newline="") as exported:
        rows = list(csv.DictReader(exported))
    assert download.suggested_filename == "customers.csv"
    assert [(row["name"], row["net_profit"], row["profitability_class"]) for row in rows] == [
        ("Ben Loss", "-5.00", "Loss-Making"),
        ("Ed Loss", "-10.00", "Loss-Making"),
        ("Ana Loss", "-30.00", "Loss-Making"),
    ]
    # and at phone width every filter and the list are reachable
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_label("Search customers")).to_be_visible()
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"the page scrolls sideways ({scroll} px)"
    page.screenshot(path=artifacts / "customer-list-390.png", full_page=True)


def test_a_bad_value_in_the_url_is_named(signed_in: Page) -> None:
    page = signed_in
    # when
    page.goto(
        page.url.split("/customers/")[0] + "/customers/?noContactDays=soon",
        wait_until="domcontentloaded",
    )
    # then
    expect(page.get_by_role("alert")).to_contain_text(
        "No contact for (days): Input should be a valid integer"
    )
