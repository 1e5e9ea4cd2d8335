"""The audit trail in the browser: an edit of a customer's phone shows under Activity, with who
made it and the old and new number, without a reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm.customers.models import Customer
from tests.e2e.conftest import PASSWORD, staff_user_create
from tests.e2e.test_customer_view import settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_edit_shows_under_activity(page: Page, live_server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    # given
    customer = Customer.objects.create(name="Lena Park", phone="+13055550142")
    staff_user_create("office")
    page.set_default_timeout(10_000)
    # The live server's first answer can take many seconds on a busy machine.
    page.goto(f"{live_server.url}/login/", timeout=60_000)
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    changes = page.locator("#changes")
    expect(changes.get_by_role("heading", name="Changes")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    # when the phone is edited in the details modal
    page.locator("#customer-details").get_by_role("link", name="Edit details").click()
    dialog = page.get_by_role("dialog", name="Edit contact details")
    expect(dialog).to_be_visible()
    settle(page)
    dialog.locator("#id_phone").fill("305 555 0199")
    dialog.get_by_role("button", name="Save details").click()
    expect(dialog).to_be_hidden()
    # then the Changes card under Activity reloads with the change on top
    newest = changes.locator("li.event").first
    # the new number first: until the card has reloaded, the newest event is the creation
    expect(newest).to_contain_text("+13055550199")
    expect(newest).to_contain_text("Phone")
    expect(newest.locator("del")).to_have_text("+13055550142")
    expect(newest.locator("ins")).to_have_text("+13055550199")
    expect(newest).to_contain_text("by office")
    settle(page)
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    activity, below = page.locator("#activity").bounding_box(), changes.bounding_box()
    assert activity
    assert below
    assert below["y"] > activity["y"]
    page.screenshot(path=artifacts / "customer-changes-1280.png", full_page=True)
