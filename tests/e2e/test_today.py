"""Today in headless Chromium: signing in lands there and its sections act in place (issue 11)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.activities.models import ActivityKind, Direction
from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder, ReminderPriority, ReminderStatus
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.office.tests.today_rows import tomorrow_at
from crm.reviews.models import FollowUpStatus
from crm.reviews.tests.factories import ServiceFollowUpFactory
from tests.e2e.conftest import not_reloaded, sign_in_to_today, staff_user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECTIONS = [
    "Reminders due", "Messages needing you", "Drafts to approve", "Low survey scores",
    "Unanswered messages", "Visits today and tomorrow",
]  # fmt: skip


@pytest.fixture
def office_day(transactional_db: None, settings) -> None:  # type: ignore[no-untyped-def]
    """One or two rows in every section, and a member of staff; sending at any hour."""
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"
    staff_user_create()
    ana = CustomerFactory(name="Ana <b>Ruiz</b>", phone="+13055550101")
    ReminderFactory(customer=ana, title="Call Ana about the dryer", priority="High")
    ReminderFactory(title="Fridge coil cleaning", due_date=timezone.localdate() - dt.timedelta(2))
    ScheduledMessageFactory(
        customer=ana, status=MessageStatus.FAILED, last_error="Twilio 30003: unreachable.",
        body="Your technician arrives tomorrow between 9 and 11.",
    )  # fmt: skip
    for body in ("Happy holidays, Bo!", "Happy new year, Cy!"):
        # A greeting is Marketing: these customers welcome it on WhatsApp.
        welcomes = ContactConsentFactory(channel="WhatsApp", marketing_opt_in=True)
        ScheduledMessageFactory(
            customer=welcomes.customer, status=MessageStatus.DRAFT,
            source=MessageSource.GREETING, body=body,
        )  # fmt: skip
    ServiceFollowUpFactory(
        status=FollowUpStatus.COMPLETED, satisfaction_rating=1, feedback="Still <i>noisy</i>."
    )
    ActivityFactory(
        kind=ActivityKind.WHATSAPP, direction=Direction.INBOUND,
        content="Is anyone coming?", occurred_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    JobFactory(
        customer=ana, scheduled_for=tomorrow_at(10), appliance=ApplianceFactory(customer=ana)
    )


@pytest.fixture
def today_page(page: Page, live_server, office_day: None) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """Signed in through the login form, which lands on Today."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(dialog.message))
    sign_in_to_today(page, live_server.url)
    yield page
    not_reloaded(page)
    assert errors == []


def screenshots(page: Page, stem: Path) -> None:
    """The page at desk and phone widths (nothing wider than the phone's screen)."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=stem.with_name(f"{stem.name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_today_acts_in_place(today_page: Page, artifacts: Path) -> None:
    page = today_page
    badge = page.locator("#today-count")
    for heading in SECTIONS:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(badge).to_have_text(re.compile(r"^7\b"))  # 2 reminders and drafts, 1 each of three more
    # Customer-written text is shown as text.
    expect(page.locator("#today-scores")).to_contain_text("Still <i>noisy</i>.")
    expect(page.locator("#today-visits")).to_contain_text("Ana <b>Ruiz</b>")
    screenshots(page, artifacts / "today")

    # A reminder marked done leaves its section, and the badge counts one fewer.
    reminders = page.locator("#today-reminders")
    reminders.get_by_role("button", name=re.compile(r"^Done\W+Call Ana")).click()
    expect(reminders).not_to_contain_text("Call Ana about the dryer")
    expect(reminders.get_by_role("heading")).to_contain_text("Reminders due 1")
    expect(badge).to_have_text(re.compile(r"^6\b"))
    assert Reminder.objects.get(title="Call Ana about the dryer").status == ReminderStatus.DONE

    # The filter keeps to its section and the page's address.
    reminders.get_by_label("Priority").select_option(ReminderPriority.HIGH)
    expect(page.locator("#today-reminders")).to_contain_text("Nothing due with this filter.")
    expect(page).to_have_url(re.compile(r"/today/\?kind=&priority=High$"))

    # A failed message goes out again through the outbox.
    messages = page.locator("#today-messages")
    messages.get_by_role("button", name="Retry").click()
    ask = page.get_by_role("dialog", name=re.compile("^Send this message again now"))
    expect(ask).to_be_visible()  # it cannot be undone, so it asks first
    ask.get_by_role("button", name="Send again").click()
    expect(messages).to_contain_text("Every message went out or is on its way.")
    expect(badge).to_have_text(re.compile(r"^5\b"))
    retried = ScheduledMessage.objects.get(customer__name="Ana <b>Ruiz</b>")
    assert retried.status == MessageStatus.DELIVERED  # the console channel delivers at once

    # One draft is approved with its own button, the other ticked and approved in bulk.
    drafts = page.locator("#today-drafts")
    drafts.locator("li", has_text="Happy holidays, Bo!").get_by_role(
        "button", name="Approve"
    ).click()
    expect(drafts).not_to_contain_text("Happy holidays, Bo!")
    expect(badge).to_have_text(re.compile(r"^4\b"))
    drafts.get_by_role("checkbox").check()
    drafts.get_by_role("button", name="Approve selected").click()
    expect(drafts).to_contain_text("No drafts waiting.")
    expect(badge).to_have_text(re.compile(r"^3\b"))
    approved = ScheduledMessage.objects.filter(source=MessageSource.GREETING)
    assert list(approved.values_list("approved_by__username", flat=True)) == ["office"] * 2

    # The low score is handled, the inbound message marked answered.
    page.locator("#today-scores").get_by_role("button", name="Handled").click()
    expect(page.locator("#today-scores")).to_contain_text("No low scores waiting.")
    page.locator("#today-inbound").get_by_role("button", name=re.compile("^Answered")).click()
    expect(page.locator("#today-inbound")).to_contain_text("Every customer has had an answer.")
    expect(badge).to_have_text(re.compile(r"^1\b"))  # the other reminder
    screenshots(page, artifacts / "today-after")
