"""Confirmations and Undo in headless Chromium at desk and phone widths (issue 13): a dismissed
reminder undone on Today and on the Customer View's Engagement Hub, a cancelled message undone,
and Send now asking first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from crm.customers.models import ContactConsent, Customer
from crm.engagement.models import Reminder, ReminderKind, ReminderStatus
from crm.messaging.models import MessageStatus, Purpose, ScheduledMessage
from tests.e2e.conftest import (
    cards_unfolded,
    not_reloaded,
    sign_in_to_today,
    staff_user_create,
)
from tests.e2e.test_customer_view import page_errors, settle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {1280: 900, 390: 844}
TITLE = "Dryer <b>vent</b> cleaning overdue"


@pytest.fixture
def ana(transactional_db: None, settings) -> Customer:  # type: ignore[no-untyped-def]
    """A customer with an overdue reminder and a scheduled WhatsApp message."""
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"  # any time of day
    staff_user_create()
    customer = Customer.objects.create(
        name="Ana Ruiz", email="ana@example.com", phone="+13055550100",
        preferred_contact_method="WhatsApp",
    )  # fmt: skip
    ContactConsent.objects.create(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    Reminder.objects.create(
        customer=customer, kind=ReminderKind.MAINTENANCE_OVERDUE, priority="High",
        title=TITLE, source_key="e2e:dryer", due_date=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip
    ScheduledMessage.objects.create(
        customer=customer, channel="WhatsApp", purpose=Purpose.SERVICE,
        status=MessageStatus.SCHEDULED, body="Your technician comes on Tuesday.",
        send_at=timezone.now() + dt.timedelta(days=2), idempotency_key="e2e:tuesday",
    )  # fmt: skip
    return customer


@pytest.fixture(params=list(WIDTHS))
def signed_in(
    request: pytest.FixtureRequest, page: Page, live_server, ana: Customer,  # type: ignore[no-untyped-def]
    page_errors: list[str],  # noqa: F811
) -> Iterator[Page]:  # fmt: skip
    """Signed in at this width; no reload, no script error, no browser dialog afterwards."""
    width = request.param
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    sign_in_to_today(page, live_server.url)
    yield page
    not_reloaded(page)
    assert page_errors == []


def toast(page: Page) -> Locator:
    return page.locator("#toast")


def shot(page: Page, artifacts: Path, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"{name}-{width}.png")


def hub(page: Page, live_server, customer: Customer) -> Locator:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Ruiz")
    page.evaluate("window.notReloaded = true")
    settle(page)
    cards_unfolded(page)  # a phone-sized page shows the cards folded
    activity = page.locator("#activity")
    tab = activity.get_by_role("tab", name="Engagement Hub")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(activity.get_by_role("heading", name="Reminders")).to_be_visible()
    settle(page)
    return activity


def test_a_dismissed_reminder_is_undone_on_today(signed_in: Page, artifacts: Path) -> None:
    page = signed_in
    reminders = page.locator("#today-reminders")
    reminders.get_by_role("button", name=re.compile(r"^Dismiss\W+Dryer")).click()
    expect(reminders).not_to_contain_text(TITLE)
    # The confirmation names what changed (as text), and offers Undo for at least 10 seconds.
    expect(toast(page)).to_contain_text(f"Reminder dismissed: {TITLE}")
    shot(page, artifacts, "undo-today-confirmed")
    page.wait_for_timeout(10_500)
    undo = toast(page).get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    undo.click()
    # The section reloads with the reminder back, and the confirmation says so.
    expect(toast(page)).to_contain_text(f"Undone: {TITLE} is open again")
    expect(reminders).to_contain_text(TITLE)
    expect(undo).to_be_hidden()
    settle(page)
    assert Reminder.objects.get().status == ReminderStatus.OPEN
    shot(page, artifacts, "undo-today-undone")


def test_a_dismissed_reminder_is_undone_on_the_engagement_hub(
    signed_in: Page,
    live_server,
    ana: Customer,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in
    reminders = hub(page, live_server, ana).locator("#hub-reminders")
    reminders.get_by_role("button", name=re.compile(r"^Dismiss\W+Dryer")).click()
    expect(reminders).to_contain_text("No open reminders.")
    expect(toast(page)).to_contain_text(f"Reminder dismissed: {TITLE}")
    shot(page, artifacts, "undo-hub-confirmed")
    toast(page).get_by_role("button", name="Undo").click()
    expect(toast(page)).to_contain_text("open again")
    expect(reminders).to_contain_text(TITLE)
    settle(page)
    assert Reminder.objects.get().status == ReminderStatus.OPEN


def test_a_cancelled_message_is_undone(
    signed_in: Page,
    live_server,
    ana: Customer,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in
    outbox = hub(page, live_server, ana).locator("#hub-messages")
    message = outbox.locator("li", has_text="Your technician comes on Tuesday.")
    message.get_by_role("button", name="Cancel").click()
    expect(message.locator(".msg-status")).to_have_text("Cancelled")
    expect(toast(page)).to_contain_text("Message cancelled: WhatsApp to Ana Ruiz")
    toast(page).get_by_role("button", name="Undo").click()
    expect(toast(page)).to_contain_text("Undone: the message is scheduled again")
    expect(message.locator(".msg-status")).to_have_text("Scheduled")
    settle(page)
    assert ScheduledMessage.objects.get().status == MessageStatus.SCHEDULED
    shot(page, artifacts, "undo-message-undone")


def test_send_now_asks_first(
    signed_in: Page,
    live_server,
    ana: Customer,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in
    outbox = hub(page, live_server, ana).locator("#hub-messages")
    message = outbox.locator("li", has_text="Your technician comes on Tuesday.")
    send = message.get_by_role("button", name="Send now")
    # Not now: nothing goes, and the focus is back on the button.
    send.click()
    ask = page.get_by_role("dialog", name=re.compile("^Send this message now"))
    expect(ask).to_be_visible()
    shot(page, artifacts, "send-now-asks")
    ask.get_by_role("button", name="Not now").click()
    expect(ask).to_be_hidden()
    expect(send).to_be_focused()
    assert ScheduledMessage.objects.get().send_at > timezone.now()
    # Yes: it goes (the console channel delivers at once), and the confirmation says so.
    send.click()
    ask.get_by_role("button", name="Send now").click()
    expect(toast(page)).to_contain_text("Message on its way")
    expect(message.locator(".msg-status", has_text="Delivered").first).to_be_visible()
    settle(page)
    assert ScheduledMessage.objects.get().status == MessageStatus.DELIVERED
