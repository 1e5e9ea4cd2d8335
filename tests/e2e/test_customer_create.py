"""Creating a customer (with a duplicate warning) and editing contact details, in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm.customers.models import Customer
from crm.referrals.models import Referral
from tests.e2e.conftest import PASSWORD, staff_user_create
from tests.e2e.test_customer_view import opened, page_errors, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["page_errors"]  # the fixture, used by name


@pytest.fixture
def signed_in(page: Page, live_server, transactional_db: None, page_errors: list[str]) -> Page:  # type: ignore[no-untyped-def]
    """Maria exists with her phone number; a member of staff is signed in."""
    Customer.objects.create(name="Maria Gonzalez", phone="+13055550142")
    staff_user_create()
    page.set_default_timeout(10_000)
    # The live server's first answer can take many seconds on a busy machine.
    page.goto(f"{live_server.url}/login/", timeout=60_000)
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    yield page
    assert page_errors == []


def test_create_a_customer_who_shares_a_phone_then_edit_contact_details(
    signed_in: Page,
    live_server,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/customers/new/")
    page.locator("#id_name").fill("Mario Gonzalez")
    page.locator("#id_phone").fill("(305) 555-0142")
    page.locator("#id_email").fill("Mario@Example.com")
    page.get_by_label("Search customers by name, phone or email").fill("Maria")
    page.get_by_role("radio", name="Maria Gonzalez").check()
    page.get_by_role("button", name="Create customer").click()
    # The phone is Maria's: the page says so and offers to create anyway.
    warning = page.locator("#possible-duplicate")
    expect(warning).to_contain_text("Possible duplicate: Maria Gonzalez")
    expect(warning.get_by_role("link", name="Maria Gonzalez", exact=True)).to_have_attribute(
        "href", f"/customers/{Customer.objects.get(name='Maria Gonzalez').pk}/"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artifacts / "customer-create-duplicate-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "customer-create-duplicate-390.png", full_page=True)
    page.get_by_role("button", name="Create anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mario Gonzalez")
    mario = Customer.objects.get(name="Mario Gonzalez")
    assert (mario.phone, mario.email) == ("+13055550142", "mario@example.com")
    assert Referral.objects.get(referred_customer=mario).referrer.name == "Maria Gonzalez"
    # Edit contact details in the modal: a bad phone first, then a good one.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.notReloaded = true")
    page.locator("#customer-details").get_by_role("link", name="Edit details").click()
    dialog = opened(page, "Edit contact details")
    dialog.locator("#id_phone").fill("12")
    dialog.get_by_role("button", name="Save details").click()
    expect(dialog.locator("#id_phone_error")).to_contain_text("wrong number of digits")
    settle(page)  # the refused form is swapped in whole: type into the new one, not the old
    dialog.locator("#id_name").fill("Mario G. Gonzalez")
    dialog.locator("#id_phone").fill("305 555 0199")
    dialog.get_by_role("button", name="Save details").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#customer-phone")).to_have_text("(305) 555-0199")
    # The header comes back with the card's reload, out of band.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mario G. Gonzalez")
    settle(page)
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    page.screenshot(path=artifacts / "customer-details-edited-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "customer-details-edited-390.png", full_page=True)


def test_merge_a_duplicate_record_into_the_one_kept(
    signed_in: Page,
    live_server,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in
    duplicate = Customer.objects.create(name="M. Gonzalez", email="maria@example.com")
    page.goto(f"{live_server.url}/customers/{duplicate.pk}/")
    page.get_by_role("link", name="Merge into another customer…").click()
    page.get_by_label("Customer to keep (name, phone or email)").fill("Maria")
    page.get_by_role("link", name="Keep Maria Gonzalez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge M. Gonzalez into Maria Gonzalez?"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "customer-merge-confirm-390.png", full_page=True)
    page.get_by_role("button", name="Merge into Maria Gonzalez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Gonzalez")
    expect(page.locator("#customer-email")).to_have_text("maria@example.com")
    assert list(Customer.objects.values_list("name", flat=True)) == ["Maria Gonzalez"]
