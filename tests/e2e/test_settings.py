"""The Settings page and Today's first-run checklist in headless Chromium, at 1280 and 390 px:
an Owner renames the company and the greeting drafted next signs with the new name; the Office
is refused the page; the checklist ticks its items off and leaves when all are done."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm.core.dates import company_today
from crm.core.roles import Role
from crm.customers.models import ContactConsent, Customer
from crm.engagement.selectors.occasions import ANNIVERSARY, Occasion
from crm.engagement.services.greetings import greeting_drafts_create
from crm.messaging.models import MessageSource, ScheduledMessage
from crm.technicians.tests.factories import TechnicianFactory
from tests.e2e.conftest import PASSWORD, staff_user_create

# Script errors are collected, and htmx waited for, as on the Customer View.
from tests.e2e.test_customer_view import page_errors, settle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [pytest.param({"width": 1280, "height": 900}, id="desk"),
          pytest.param({"width": 390, "height": 844}, id="phone")]  # fmt: skip


@pytest.fixture(autouse=True)
def _new_company(settings):  # type: ignore[no-untyped-def]
    """Nothing connected, no review link, the environment's name."""
    settings.COMPANY_NAME = "Env Appliance Care"
    settings.COMPANY_REVIEW_LINK = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WHATSAPP_PHONE_NUMBER_ID = settings.TWILIO_ACCOUNT_SID = ""
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"


def _sign_in(page: Page, url: str, username: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.set_default_timeout(10_000)
    # The live server's first request imports every view and the API (seconds on a busy machine).
    page.goto(f"{url}/login/", timeout=60_000)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")


@pytest.mark.parametrize("size", WIDTHS)
def test_an_owner_renames_the_company_and_the_next_greeting_signs_with_it(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    size,
    artifacts: Path,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given Ana, who agreed to news on WhatsApp, and an Owner signed in
    staff_user_create("olive", Role.OWNER)
    ana = Customer.objects.create(name="Ana Ruiz", phone="+13055550100")
    ContactConsent.objects.create(customer=ana, channel="WhatsApp", marketing_opt_in=True)
    _sign_in(page, live_server.url, "olive", size)
    # when she opens Settings from the menu and changes the name and the quiet hours
    page.locator("#nav-settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(page.locator("#name-default")).to_contain_text("COMPANY_NAME")
    page.get_by_label("Company name").fill("Frost & Sons")
    page.get_by_label("Quiet hours start").fill("20:00")
    page.get_by_role("button", name="Save settings").click()
    # then the page says what changed, and the name no longer follows the environment
    expect(page.locator("#settings-saved")).to_have_text(
        "Settings saved: company name, quiet hours"
    )
    expect(page.get_by_label("Company name")).to_have_value("Frost & Sons")
    expect(page.locator("#name-default")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"settings-saved-{size['width']}.png"), full_page=True)
    # and the greeting the nightly sweep drafts next is signed with the new name
    day = company_today()
    greeting_drafts_create(day=day, anniversaries={ana.pk: Occasion(ANNIVERSARY, day, 3)})
    draft = ScheduledMessage.objects.get(customer=ana, source=MessageSource.GREETING)
    assert "Frost & Sons" in draft.body
    assert "Env Appliance Care" not in draft.body
    assert page_errors == []


@pytest.mark.parametrize("size", WIDTHS)
def test_the_office_cannot_open_settings(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    size,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given
    staff_user_create("office", Role.OFFICE)
    _sign_in(page, live_server.url, "office", size)
    expect(page.locator("#nav-settings")).to_have_count(0)
    # when
    response = page.goto(f"{live_server.url}/settings/")
    # then
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_checklist_ticks_off_and_leaves_when_all_is_done(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    settings,
    size,
    artifacts: Path,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given a new company: nothing set up
    staff_user_create("olive", Role.OWNER)
    _sign_in(page, live_server.url, "olive", size)
    checklist = page.locator("#first-run")
    expect(checklist).to_contain_text("4 of 4 left")
    page.screenshot(path=str(artifacts / f"checklist-{size['width']}.png"), full_page=True)
    # when technicians and customers are added
    TechnicianFactory()
    Customer.objects.create(name="Ana Ruiz", phone="+13055550100")
    page.reload()
    # then they are ticked
    expect(checklist).to_contain_text("2 of 4 left")
    expect(page.locator("#first-run-technicians .badge")).to_have_text("Done")
    expect(page.locator("#first-run-customers .badge")).to_have_text("Done")
    # when the Owner sets the review link in Settings (from the checklist's link)
    page.locator("#first-run-review-link").get_by_role("link", name="Open Settings").click()
    page.get_by_label("Public review link").fill("https://g.page/r/frost/review")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-saved")).to_have_text("Settings saved: review link")
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#first-run-review-link .badge")).to_have_text("Done")
    expect(checklist).to_contain_text("1 of 4 left")
    # when e-mail is connected on the server, everything is done: the list is gone
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(checklist).to_have_count(0)
    assert page_errors == []


def test_an_owner_hides_the_checklist(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given
    staff_user_create("olive", Role.OWNER)
    _sign_in(page, live_server.url, "olive", {"width": 390, "height": 844})
    expect(page.locator("#first-run")).to_be_visible()
    # when
    page.get_by_role("button", name="Hide this list").click()
    # then it leaves at once, and stays away
    expect(page.locator("#first-run")).to_have_count(0)
    settle(page)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator("#first-run")).to_have_count(0)
    assert page_errors == []
