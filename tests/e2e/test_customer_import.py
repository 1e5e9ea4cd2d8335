"""Importing customers from CSV in headless Chromium: a dry run that shows a bad row, then a
confirmed import of the corrected file whose customers appear in the list (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from crm.customers.models import Customer
from crm.jobs.models import Payment
from crm.office.tests.csvfiles import csv_bytes, row
from tests.e2e.conftest import PASSWORD, staff_user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page: Page, live_server: Any, settings: Any, tmp_path: Path) -> Page:
    """Staff signed in through the login form; uploads kept under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff_user_create()
    page.set_default_timeout(30_000)  # the shared test machine is slow at times
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def _upload_and_check(page: Page, live_server: Any, path: Path) -> None:
    page.goto(f"{live_server.url}/customers/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and choose columns").click()
    expect(page.get_by_label("Phone", exact=True)).to_have_value("Phone")
    page.get_by_role("button", name="Check the file (dry run)").click()


def test_a_bad_row_blocks_the_import_and_the_fixed_file_imports(
    signed_in: Page, live_server: Any, tmp_path: Path, artifacts: Path
) -> None:
    page = signed_in
    bad = tmp_path / "customers.csv"
    good_rows = [row(appliance="Fridge", brand="GE", job_date="2025-03-04", amount="120",
                     method="Card"), row("Ben Ode", "555-201-0002", "ben@example.com")]  # fmt: skip
    bad.write_bytes(csv_bytes([*good_rows, row("Cy <b>Bold</b>", "555-201-0003", "cy@")],
                              bom=True))  # fmt: skip

    # when: the file with a bad email is checked
    _upload_and_check(page, live_server, bad)

    # then: the error names its row, column and reason, and there is no way to confirm
    errors = page.locator("table.import-errors")
    expect(errors.get_by_role("row").nth(1)).to_have_text("4Emailbad email address 'cy@'")
    expect(page.get_by_role("alert")).to_contain_text("1 problem in 1 row")
    expect(page.get_by_role("cell", name="Cy <b>Bold</b>")).to_be_visible()  # escaped
    expect(page.get_by_role("button", name="Import 3 rows")).to_have_count(0)
    page.screenshot(path=str(artifacts / "import-dry-run-error.png"), full_page=True)
    assert Customer.objects.count() == 0

    # when: the corrected file is checked and confirmed
    good = tmp_path / "fixed.csv"
    good.write_bytes(csv_bytes(good_rows))
    _upload_and_check(page, live_server, good)
    page.get_by_role("button", name="Import 2 rows").click()

    # then: the counts, and the new customers in the list
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    counts = page.locator("dl.import-counts")
    expect(counts).to_contain_text("New customers2")
    expect(counts).to_contain_text("Payments1")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "import-done-390.png"), full_page=True)
    page.get_by_role("link", name="See the customers").click()
    expect(page.get_by_role("link", name="Ana Ruiz")).to_be_visible()
    expect(page.get_by_role("link", name="Ben Ode")).to_be_visible()
    assert Payment.objects.get().amount == 120
