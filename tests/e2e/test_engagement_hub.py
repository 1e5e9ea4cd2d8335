"""The Engagement Hub tab in headless Chromium against a live server (issue 7), once with the
offline provider and once against the local OpenAI-compatible server."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from crm.appliances.services import lifespans_load
from crm.customers.models import ContactConsent, Customer
from crm.engagement.models import Reminder, ReminderKind
from crm.insights.tests.llm_answers import as_json, valid
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from tests.e2e.conftest import PASSWORD, staff_user_create
from tests.e2e.test_customer_view import opened, page_errors, settle  # noqa: F401
from tests.fakes.llm_fixtures import llm_settings
from tests.fakes.llm_server import FakeLLMServer, Recorded, Reply, server_error

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECTIONS = [
    "Reminders", "Suggested Follow-ups", "Scheduled Messages", "Logged Follow-ups",
    "Occasion Messages",
]  # fmt: skip


@pytest.fixture
def ana(transactional_db: None, settings) -> Customer:  # type: ignore[no-untyped-def]
    """A customer with an overdue reminder and a greeting drafted by the nightly sweep."""
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"  # any time of day
    lifespans_load()
    staff_user_create()
    customer = Customer.objects.create(
        name="Ana Ruiz", email="ana@example.com", phone="+13055550100",
        preferred_contact_method="WhatsApp",
    )  # fmt: skip
    ContactConsent.objects.create(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    Reminder.objects.create(
        customer=customer, kind=ReminderKind.MAINTENANCE_OVERDUE, priority="High",
        title="Fridge <b>coil</b> cleaning overdue", source_key="e2e:fridge",
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip
    ScheduledMessage.objects.create(
        customer=customer, channel="WhatsApp", purpose=Purpose.MARKETING,
        status=MessageStatus.DRAFT, source=MessageSource.GREETING,
        body="Hi Ana,\n\nWishing you a wonderful Christmas Day!\n\nWarm regards",
        send_at=timezone.now() + dt.timedelta(days=5), idempotency_key="greeting:e2e",
    )  # fmt: skip
    return customer


def suggestions_answer(request: Recorded) -> Reply:
    """Follow-up suggestions from the AI model; anything else gets an empty (refused) answer."""
    schema = request.body["response_format"]["json_schema"]["name"]
    if schema == "FollowUpSuggestions":
        return Reply(content=as_json(valid("followup-suggestions", None)))
    return Reply(content=json.dumps({}))


@pytest.fixture(params=["offline", "llm"])
def provider(request: pytest.FixtureRequest, ana: Customer) -> Iterator[FakeLLMServer | None]:
    """No LLM configured, or the local OpenAI-compatible server answering as a model would."""
    if request.param == "offline":
        yield None
        return
    with FakeLLMServer() as server, llm_settings(server):
        server.responder = suggestions_answer
        yield server


def signed_in(page: Page, live_server, customer: Customer) -> Page:  # type: ignore[no-untyped-def]
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Ruiz")
    page.evaluate("window.notReloaded = true")
    settle(page)  # the page's own AI panels have loaded
    return page


@pytest.fixture
def hub(page: Page, live_server, ana: Customer, page_errors: list[str]) -> Iterator[Locator]:  # type: ignore[no-untyped-def]  # noqa: F811
    """Signed in on Ana's page; the Engagement Hub tab is not open yet."""
    signed_in(page, live_server, ana)
    yield page.locator("#activity")
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    assert page_errors == []


def open_hub(page: Page, activity: Locator) -> None:
    tab = activity.get_by_role("tab", name="Engagement Hub")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(activity.get_by_role("tab", name="All", exact=True)).to_have_attribute(
        "aria-selected", "false"
    )
    for heading in SECTIONS:
        expect(activity.get_by_role("heading", name=heading)).to_be_visible()
    settle(page)


def screenshots(page: Page, activity: Locator, stem: Path) -> None:
    """The hub at desk and phone widths (nothing wider than the phone's screen)."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        activity.screenshot(path=f"{stem}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_hub_end_to_end(
    page: Page, hub: Locator, provider: FakeLLMServer | None, artifacts: Path
) -> None:
    activity = hub
    open_hub(page, activity)
    # The suggestions load into their panel, labelled with where they came from.
    suggestions = activity.locator("#hub-suggestions")
    source = "Built-in analysis" if provider is None else "AI model fake-model"
    expect(suggestions.locator("#suggestions-source")).to_contain_text(source)
    title = "Check in" if provider is None else "LLM says: dryer check"
    expect(suggestions).to_contain_text(title)
    name = "offline" if provider is None else "llm"
    screenshots(page, activity, artifacts / f"engagement-hub-{name}")

    # Reminders: mark the overdue one done (its title is shown as text).
    reminders = activity.locator("#hub-reminders")
    expect(reminders).to_contain_text("Fridge <b>coil</b> cleaning overdue")
    expect(reminders).to_contain_text("High priority")
    reminders.get_by_role("button", name=re.compile("^Done")).click()
    expect(reminders).to_contain_text("No open reminders.")
    assert Reminder.objects.get().status == "Done"

    # Schedule a suggested follow-up: the draft opens in an editable form, prefilled.
    suggestions.get_by_role("link", name=re.compile("^Schedule")).first.click()
    dialog = opened(page, "Schedule follow-up")
    expect(dialog.get_by_label("Channel")).to_have_value("WhatsApp")
    expect(dialog.get_by_label("Message")).to_have_value(re.compile("^Hi Ana,"))
    dialog.get_by_label("Message").fill("Hi Ana, may we check on your appliances next week?")
    dialog.get_by_role("button", name="Schedule message").click()
    expect(dialog).to_be_hidden()
    outbox = activity.locator("#hub-messages")
    message = outbox.locator("li", has_text="may we check on your appliances")
    expect(message.locator(".msg-status")).to_have_text("Scheduled")
    expect(suggestions).to_contain_text("Scheduled by office")
    # ... then cancel it.
    message.get_by_role("button", name="Cancel").click()
    expect(message.locator(".msg-status")).to_have_text("Cancelled")
    assert ScheduledMessage.objects.get(source="Suggestion").status == "Cancelled"

    # Log a follow-up by hand.
    followups = activity.locator("#hub-followups")
    followups.get_by_text("Log a follow-up").click()
    followups.get_by_label("How").select_option("Phone")
    followups.get_by_label("Notes").fill("Called Ana: all <fine>.")
    followups.get_by_role("button", name="Log follow-up").click()
    logged = followups.locator("li", has_text="Called Ana: all <fine>.")
    expect(logged).to_contain_text("office")

    # Edit the greeting the nightly sweep drafted, then schedule it.
    occasions = activity.locator("#hub-occasions")
    occasions.get_by_role("link", name="Edit").click()
    dialog = opened(page, "Edit message")
    dialog.get_by_label("Message").fill("Hi Ana, merry Christmas from all of us!")
    dialog.get_by_role("button", name="Save message").click()
    expect(dialog).to_be_hidden()
    expect(occasions).to_contain_text("merry Christmas from all of us!")
    occasions.get_by_role("link", name="Schedule").click()
    dialog = opened(page, "Schedule message")
    dialog.get_by_role("button", name="Schedule").click()
    expect(dialog).to_be_hidden()
    expect(occasions).to_contain_text("No greetings waiting for review.")
    greeting = outbox.locator("li", has_text="merry Christmas")
    expect(greeting.locator(".msg-status")).to_have_text("Scheduled")
    expect(greeting).to_contain_text("approved by office")
    assert ScheduledMessage.objects.get(source="Greeting").approved_by is not None

    # Desk and phone widths again, after all that.
    screenshots(page, activity, artifacts / f"engagement-hub-{name}-after")


def test_the_hub_is_usable_while_a_slow_answer_loads(
    page: Page, hub: Locator, ana: Customer
) -> None:
    with FakeLLMServer() as server, llm_settings(server):
        server.queue(Reply(content=as_json(valid("followup-suggestions", None)), delay_s=1.5))
        activity = hub
        activity.get_by_role("tab", name="Engagement Hub").click()
        suggestions = activity.locator("#hub-suggestions")
        expect(suggestions).to_contain_text("Working out suggestions")
        # while the model writes, the rest of the hub works
        reminders = activity.locator("#hub-reminders")
        reminders.get_by_role("button", name=re.compile("^Dismiss")).click()
        expect(reminders).to_contain_text("No open reminders.")
        expect(suggestions.locator("#suggestions-source")).to_contain_text("AI model fake-model")
        expect(suggestions).to_contain_text("LLM says: dryer check")
        settle(page)


def test_a_failing_model_gives_the_built_in_analysis_with_its_label(
    page: Page, hub: Locator
) -> None:
    with FakeLLMServer(default=server_error()) as server, llm_settings(server):
        activity = hub
        open_hub(page, activity)
        suggestions = activity.locator("#hub-suggestions")
        expect(suggestions.locator("#suggestions-source")).to_contain_text("Built-in analysis")
        expect(suggestions).to_contain_text("Check in")
        # Refresh asks again, and still shows the built-in analysis with its label
        suggestions.get_by_role("button", name="Refresh suggestions").click()
        expect(suggestions.locator("#suggestions-source")).to_contain_text("Built-in analysis")
        settle(page)
        assert server.requests
