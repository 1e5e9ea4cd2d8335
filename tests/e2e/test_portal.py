"""The customer portal in headless Chromium at desk and phone widths (issue 14): the customer
confirms a visit, changes a consent and requests service from their own page, signed out, and
the page never scrolls sideways at 390 px."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.appliances.models import Appliance
from crm.appliances.services import lifespans_load
from crm.customers.models import ContactConsent, Customer
from crm.engagement.models import Reminder, ReminderKind
from crm.jobs.models import Job, JobStatus, Payment
from crm.messaging.models import MessageSource, ScheduledMessage
from crm.portal.services.links import portal_link_create
from tests.e2e.conftest import not_reloaded, sign_in_to_today, staff_user_create
from tests.e2e.test_customer_view import page_errors  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {1280: 900, 390: 844}


@pytest.fixture
def ana(transactional_db: None, settings) -> Customer:  # type: ignore[no-untyped-def]
    """A customer with a booked visit, a past one she paid for, and a portal link."""
    settings.PUBLIC_PAGE_REQUESTS_PER_MINUTE = 0  # the limit has its own test
    lifespans_load()  # the flush after an earlier live-server test emptied the table
    customer = Customer.objects.create(
        name="Ana Ruiz", email="ana.ruiz.with.a.long.address@example-household.com",
        phone="+13055550100", preferred_contact_method="WhatsApp",
        address="1234 Very Long Boulevard Name, Apartment 56, Coral Gables, FL 33134",
    )  # fmt: skip
    ContactConsent.objects.create(customer=customer, channel="WhatsApp")
    fridge = Appliance.objects.create(
        customer=customer, type="Refrigerator", brand="Whirlpool", model_number="WRF555SDFZ",
        install_date=dt.date(2019, 5, 1), warranty_expires_on=dt.date(2030, 5, 1),
    )  # fmt: skip
    Job.objects.create(
        customer=customer, appliance=fridge, description="Not cooling",
        scheduled_for=timezone.now() + dt.timedelta(days=2), arrival_window="10:00-12:00",
    )  # fmt: skip
    past = Job.objects.create(
        customer=customer, appliance=fridge, description="Noise", status=JobStatus.COMPLETED,
        scheduled_for=timezone.now() - dt.timedelta(days=30),
        completed_at=timezone.now() - dt.timedelta(days=30), outcome="Replaced the fan motor",
    )  # fmt: skip
    Payment.objects.create(
        customer=customer, job=past, amount=Decimal("185.50"), date=timezone.localdate(),
        payment_method="Card",
    )  # fmt: skip
    return customer


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.evaluate("document.documentElement.clientWidth")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_customer_confirms_changes_a_consent_and_requests_service(  # type: ignore[no-untyped-def]
    page: Page, live_server, ana: Customer, width: int, artifacts: Path,
    page_errors: list[str],  # noqa: F811
) -> None:  # fmt: skip
    # given the customer opens their link, signed out, at this width
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    path = urlsplit(portal_link_create(customer_id=ana.pk).url).path
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ana")
    expect(page.get_by_text("Replaced the fan motor")).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"portal-{width}.png", full_page=True)
    # when they confirm the booked visit
    page.get_by_role("button", name="Confirm this visit").click()
    # then
    expect(page.get_by_text("Thank you: your visit is confirmed.")).to_be_visible()
    expect(page.get_by_text("✓ Confirmed")).to_be_visible()
    assert Job.objects.get(status=JobStatus.SCHEDULED).confirmed_at is not None
    # when they stop messages by SMS and save
    page.locator("#consent-sms").get_by_label("Messages about your visits").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    # then
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    expect(
        page.locator("#consent-sms").get_by_label("Messages about your visits")
    ).not_to_be_checked()
    assert ContactConsent.objects.get(customer=ana, channel="SMS").opted_out_at is not None
    # when they request service for their fridge on Mondays
    page.get_by_label("What is the problem?").fill("Water under the fridge")
    page.get_by_role("checkbox", name="Monday").check()
    page.get_by_role("button", name="Send my request").click()
    # then
    expect(page.get_by_text("we have your request")).to_be_visible()
    reminder = Reminder.objects.get(kind=ReminderKind.SERVICE_REQUEST)
    assert "Water under the fridge" in reminder.details
    assert "Monday" in reminder.details
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"portal-done-{width}.png", full_page=True)
    assert page_errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_short_problem_is_refused_next_to_the_field(  # type: ignore[no-untyped-def]
    page: Page, live_server, ana: Customer, width: int,
) -> None:  # fmt: skip
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto(live_server.url + urlsplit(portal_link_create(customer_id=ana.pk).url).path)
    problem = page.get_by_label("What is the problem?")
    # the browser holds back a problem under 5 characters (minlength) ...
    problem.fill("Hot")
    page.get_by_role("button", name="Send my request").click()
    assert problem.evaluate("(box) => box.validity.tooShort") is True
    # ... and the server refuses one that is only long with spaces
    problem.fill("   Hot   ")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Describe the problem in 5 to 2000 characters.")).to_be_visible()
    assert not Reminder.objects.exists()
    _no_sideways_scroll(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_office_sends_the_link_from_the_customer_view(  # type: ignore[no-untyped-def]
    page: Page, live_server, ana: Customer, width: int,
    page_errors: list[str],  # noqa: F811
) -> None:  # fmt: skip
    # given the office signed in, on Ana's page
    staff_user_create()
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    sign_in_to_today(page, live_server.url)
    page.goto(f"{live_server.url}/customers/{ana.pk}/")
    page.evaluate("window.notReloaded = true")
    # when
    page.get_by_role("button", name="Send portal link").click()
    # then the confirmation says how it went, and the outbox has it
    expect(page.locator("#toast")).to_contain_text("Portal link sent by WhatsApp.")
    message = ScheduledMessage.objects.get(source=MessageSource.PORTAL)
    assert "/p/" in message.body
    not_reloaded(page)
    assert page_errors == []
