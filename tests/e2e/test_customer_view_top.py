"""The Customer View from the top (issue 13), in headless Chromium at 1280 and 390 px: the
header's actions (Call, Text, WhatsApp, Email through the outbox), Reply on an inbound message,
the sticky section bar, and the cards folded to their headings on a phone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.activities.models import Activity, ActivityKind, Direction
from crm.appliances.services import lifespans_load
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.demo.seed import demo_seed
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import ScheduledMessage
from tests.e2e.conftest import PASSWORD, staff_user_create
from tests.e2e.test_customer_view import opened, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1280, 390]


@pytest.fixture(autouse=True)
def _any_time(settings: Any) -> None:
    """No quiet hours: "send now" goes now whatever the clock says (the live server reads the
    same settings)."""
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"
    settings.WHATSAPP_TEMPLATE_NAME = ""


@pytest.fixture
def lena(transactional_db: None) -> Customer:
    """A customer who wrote on WhatsApp 2 hours ago, by SMS and by email; with jobs and
    appliances to count; and a member of staff."""
    lifespans_load()
    staff_user_create()
    customer = CustomerFactory(name="Lena Ortiz", phone="+13055550142", email="lena@example.com")
    now = timezone.now()
    for kind, content, hours in [
        (ActivityKind.WHATSAPP, "Is the technician still coming today?", 2),
        (ActivityKind.SMS, "Can we move the visit to Friday?", 30),
        (ActivityKind.EMAIL, "Please send the invoice again.", 50),
    ]:
        Activity.objects.create(
            customer=customer, kind=kind, direction=Direction.INBOUND, content=content,
            occurred_at=now - dt.timedelta(hours=hours),
        )  # fmt: skip
    JobFactory.create_batch(3, customer=customer)
    ApplianceFactory.create_batch(2, customer=customer)
    return customer


def signed_in(page: Page, live_server: Any, customer: Customer, width: int) -> Page:
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(customer.name)
    settle(page)
    return page


def activity_open(page: Page, width: int) -> None:
    """At phone width the Activity card is folded: open it with a tap on its heading."""
    if width <= 600:
        toggle = page.locator("#activity-title button.card-toggle")
        if toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
    expect(page.locator("#timeline")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_header_call_and_whatsapp_through_the_outbox(
    page: Page, live_server: Any, lena: Customer, width: int, artifacts: Path
) -> None:
    page = signed_in(page, live_server, lena, width)
    head = page.locator("#page-header")
    # Call dials the customer's number.
    expect(head.get_by_role("link", name="Call")).to_have_attribute("href", "tel:+13055550142")
    for name in ["Call", "Text", "WhatsApp", "Email", "Edit details"]:
        box = head.get_by_role("link", name=name, exact=False).first.bounding_box()
        assert box is not None, name
        assert box["height"] >= 44, (name, box)
    # WhatsApp: the form says the channel's consent and that the window is open.
    head.get_by_role("link", name="WhatsApp").click()
    dialog = opened(page, "Write to Lena Ortiz")
    expect(dialog.get_by_role("combobox", name="Channel")).to_have_value("WhatsApp")
    expect(dialog.locator("#whatsapp-window")).to_contain_text("24-hour window: open until")
    expect(dialog.locator("#channel-state-whatsapp")).to_contain_text(
        "Consent: may receive service messages"
    )
    page.screenshot(path=str(artifacts / f"compose-whatsapp-{width}.png"))
    dialog.get_by_label("Message").fill(f"Yes, Ana arrives at 3 PM ({width}).")
    dialog.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    settle(page)
    # Sent through the outbox (console channel here), it is on the timeline.
    activity_open(page, width)
    sent = page.locator("#timeline li.event", has_text=f"Yes, Ana arrives at 3 PM ({width}).")
    expect(sent).to_contain_text("Outbound")
    message = ScheduledMessage.objects.get(customer=lena)
    assert (message.channel, message.purpose, message.source) == ("WhatsApp", "Service", "Office")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_channel_says_why_and_saves_nothing(
    page: Page, live_server: Any, lena: Customer, width: int
) -> None:
    ContactConsentFactory(customer=lena, channel="SMS", opted_out_at=timezone.now())
    page = signed_in(page, live_server, lena, width)
    page.locator("#page-header").get_by_role("link", name="Text").click()
    dialog = opened(page, "Write to Lena Ortiz")
    expect(dialog.get_by_role("combobox", name="Channel")).to_have_value("SMS")
    expect(dialog.locator("#channel-state-sms")).to_contain_text(
        "Cannot be sent: the customer opted out on"
    )
    dialog.get_by_label("Message").fill("Your part arrived.")
    dialog.get_by_role("button", name="Send message").click()
    expect(dialog.get_by_text("The customer opted out of SMS")).to_be_visible()
    settle(page)
    expect(page.get_by_role("dialog")).to_be_visible()
    assert not ScheduledMessage.objects.exists()
    # Email opens the same form on its channel.
    dialog.get_by_role("button", name="Cancel").click()
    page.locator("#page-header").get_by_role("link", name="Email").click()
    dialog = opened(page, "Write to Lena Ortiz")
    expect(dialog.get_by_role("combobox", name="Channel")).to_have_value("Email")
    expect(dialog.locator("#channel-state-email")).to_contain_text("lena@example.com")


@pytest.mark.parametrize(
    ("width", "channel", "text"),
    [(1280, "SMS", "Can we move the visit to Friday?"),
     (390, "Email", "Please send the invoice again."),
     (390, "WhatsApp", "Is the technician still coming today?")],
)  # fmt: skip
def test_reply_to_an_inbound_message_on_its_channel(
    page: Page, live_server: Any, lena: Customer, width: int, channel: str, text: str
) -> None:
    page = signed_in(page, live_server, lena, width)
    activity_open(page, width)
    event = page.locator("#timeline li.event", has_text=text)
    event.get_by_role("link", name="Reply").click()
    dialog = opened(page, "Reply")
    expect(dialog.get_by_role("combobox", name="Channel")).to_have_value(channel)
    expect(dialog.locator("#compose-reply-to")).to_contain_text(text)
    dialog.get_by_label("Message").fill(f"Answer by {channel}.")
    dialog.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    settle(page)
    expect(page.locator("#timeline li.event", has_text=f"Answer by {channel}.")).to_contain_text(
        "Outbound"
    )
    assert ScheduledMessage.objects.get(customer=lena).channel == channel


def test_sections_fold_at_390_with_counts_and_open_on_tap(
    page: Page, live_server: Any, lena: Customer, artifacts: Path
) -> None:
    page = signed_in(page, live_server, lena, 390)
    jobs = page.locator("#jobs-title button.card-toggle")
    expect(jobs).to_have_attribute("aria-expanded", "false")
    # (the dot is the phone style's: the name read out is what the eye sees)
    expect(jobs).to_have_accessible_name(re.compile(r"^Jobs · 3\b"))
    expect(page.locator("#client-appliances-title button")).to_have_accessible_name(
        re.compile(r"^Client Appliances · 2\b")
    )
    expect(page.locator("#activity-title button")).to_have_accessible_name(
        re.compile(r"^Activity · 3\b")
    )
    expect(page.locator("#timeline")).to_be_hidden()
    expect(page.locator("#job-list")).to_be_hidden()
    page.screenshot(path=str(artifacts / "customer-top-390-folded.png"), full_page=True)
    # A tap opens it; a reload of the card (a note added) keeps it open.
    page.locator("#activity-title button.card-toggle").click()
    expect(page.locator("#timeline")).to_be_visible()
    page.get_by_label("Note").fill("Called back about Friday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline li.event").first).to_contain_text("Called back about Friday.")
    settle(page)
    expect(page.locator("#activity-title button.card-toggle")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(page.locator("#activity-title button")).to_have_accessible_name(
        re.compile(r"^Activity · 4\b")
    )
    expect(page.locator("#job-list")).to_be_hidden()
    # The section bar opens the card it jumps to.
    page.locator("#section-bar").get_by_role("link", name="Jobs").click()
    expect(page.locator("#job-list")).to_be_visible()


def test_the_section_bar_stays_in_view_at_1280(
    page: Page, live_server: Any, lena: Customer, artifacts: Path
) -> None:
    page = signed_in(page, live_server, lena, 1280)
    bar = page.get_by_role("navigation", name="Sections of this page")
    for name in ["Snapshot", "Appliances", "Jobs", "Activity"]:
        expect(bar.get_by_role("link", name=name)).to_be_visible()
    # No card is folded at desk width.
    expect(page.locator(".card-toggle")).to_have_count(0)
    bar.get_by_role("link", name="Jobs").click()
    page.wait_for_url("**#jobs")
    box = bar.bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= 1, box
    page.mouse.wheel(0, 600)
    expect(bar).to_be_in_viewport()
    box = bar.bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= 1, box
    page.screenshot(path=str(artifacts / "customer-top-1280-scrolled.png"))


def test_page_height_at_390_on_the_demo_customer(
    page: Page, live_server: Any, transactional_db: None
) -> None:
    """Maria of the demo: folded, the phone page is a few screens; opened, it is the old page."""
    lifespans_load()
    demo_seed(customers=8, seed=42)
    staff_user_create()
    maria = Customer.objects.get(name="Maria Gonzalez")
    page = signed_in(page, live_server, maria, 390)
    folded = page.evaluate("document.documentElement.scrollHeight")
    folded_cards = page.locator(".card-toggle[aria-expanded=false]")
    while folded_cards.count():
        folded_cards.first.click()
        settle(page)
    opened_height = page.evaluate("document.documentElement.scrollHeight")
    print(f"page height at 390 px: folded {folded} px, every card open {opened_height} px")
    assert folded < 4_000 < opened_height
