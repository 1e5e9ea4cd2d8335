"""The AI panels of the Customer View in headless Chromium (issue 7): each section once with
the built-in analysis (offline provider) and once against the local OpenAI-compatible server;
a slow answer that leaves the page usable, a failing one that falls back to the built-in
analysis with its label, and customer-written HTML shown as text.

Ana Diaz (crm/insights/tests/conftest.py) is the customer; screenshots go to var/artifacts/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from crm.activities.tests.factories import ActivityFactory
from crm.appliances.services import lifespans_load
from crm.customers.models import ContactConsent, Customer
from crm.engagement.models import Reminder
from crm.insights.registry import FEATURES
from crm.insights.tests.conftest import World, aware, build_world
from crm.insights.tests.llm_answers import MARK, valid
from crm.jobs.models import Job
from crm.messaging.models import ScheduledMessage
from tests.e2e.conftest import PASSWORD, cards_unfolded, staff_user_create
from tests.e2e.test_customer_view import opened, page_errors, settle  # noqa: F401 (a fixture)
from tests.fakes.llm_server import (
    DATA_CLOSE,
    DATA_OPEN,
    FakeLLMServer,
    Recorded,
    Reply,
    server_error,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HTML_MESSAGE = "<b>HTML</b><script>window.injected = 1</script> the dryer is still broken"
SLOW_S = 4.0
FEATURE_OF_SCHEMA = {spec.output_model.__name__: name for name, spec in FEATURES.items()}
Responder = Callable[[Recorded], Reply]


@pytest.fixture
def world(transactional_db: None) -> World:
    """Ana's history, a message with HTML in it, and a member of staff."""
    lifespans_load()  # the live-server flush empties the table the migration loaded
    world = build_world()
    ActivityFactory(customer=world.ana, kind="WhatsApp", direction="Inbound",
                    content=HTML_MESSAGE, occurred_at=aware(2026, 11, 21))  # fmt: skip
    staff_user_create()
    return world


def feature_of(request: Recorded) -> str:
    schema = request.body["response_format"]["json_schema"]["name"]
    return FEATURE_OF_SCHEMA[schema]


def _sentiment_for(request: Recorded) -> dict[str, Any]:
    """One score per numbered message of the prompt (-1, 1, -1, ...: average 0 or -0.2)."""
    data = request.user.split(DATA_OPEN, 1)[1].split(DATA_CLOSE, 1)[0]
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", data, flags=re.M)]
    scores = [-1 if n % 2 else 1 for n in numbers]
    return {
        "communications": [
            {"number": n, "sentimentScore": s, "themes": ["Repairs"], "issues": [],
             "opportunities": []}
            for n, s in zip(numbers, scores, strict=True)
        ],
        "averageSentiment": round(sum(scores) / len(scores), 2),
        "sentimentDescription": f"{MARK} Neutral",
        "dominantThemes": ["Repairs"], "keyIssues": ["Noisy dryer"],
        "opportunities": ["Ask for a review"],
    }  # fmt: skip


def answers(world: World, *, slow: str = "", failing: str = "") -> Responder:
    """The model's answers: valid ones (crm/insights/tests/llm_answers.py) for every feature,
    `slow` after SLOW_S seconds, `failing` with a 500."""

    def respond(request: Recorded) -> Reply:
        feature = feature_of(request)
        if feature == failing:
            return server_error()
        answer = (
            _sentiment_for(request) if feature == "analyze-sentiment" else valid(feature, world)
        )
        return Reply(content=json.dumps(answer), delay_s=SLOW_S if feature == slow else 0.0)

    return respond


@pytest.fixture(params=["offline", "llm"])
def provider(request: pytest.FixtureRequest, world: World, settings: Any) -> Iterator[str]:
    """The built-in analysis, or the local OpenAI-compatible server with valid answers."""
    if request.param == "offline":
        settings.LLM_PROVIDER = "offline"
        yield "offline"
        return
    with FakeLLMServer() as server:
        server.responder = answers(world)
        use_server(settings, server)
        yield "llm"


def use_server(settings: Any, server: FakeLLMServer) -> None:
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = server.base_url
    settings.LLM_MODEL = "fake-model"
    settings.LLM_API_KEY = "x"
    settings.LLM_TIMEOUT_S = 15
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_MAX_CONCURRENT = 8
    settings.LLM_MAX_REQUESTS_PER_MINUTE = 1000


def source(provider: str) -> str:
    return "Built-in analysis" if provider == "offline" else "AI model fake-model"


@pytest.fixture
def signed_in(
    page: Page,
    live_server: Any,
    world: World,
    page_errors: list[str],  # noqa: F811 (the fixture imported above)
) -> Page:
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    yield page
    assert page_errors == []
    assert page.evaluate("window.injected") is None


def open_ana(page: Page, live_server: Any, world: World) -> Page:
    page.goto(f"{live_server.url}/customers/{world.ana.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Diaz")
    page.evaluate("window.notReloaded = true")
    return page


def panels_loaded(page: Page) -> None:
    """Every AI panel has its answer and htmx is done (the page's own settle, and aria-busy)."""
    page.locator("[aria-busy=true]").first.wait_for(state="detached")
    settle(page)


def panel(page: Page, panel_id: str) -> Any:
    """An AI panel once its answer is in."""
    found = page.locator(f"#{panel_id}")
    expect(found.locator(f"#{panel_id}-source")).to_be_visible()
    return found


# ---- Enhanced timeline -------------------------------------------------------------------


def test_timeline_summary_and_sentiment(
    provider: str, signed_in: Page, live_server: Any, world: World
) -> None:
    page = open_ana(signed_in, live_server, world)
    summary = panel(page, "ai-timeline-summary")
    expect(summary.locator("#ai-timeline-summary-source")).to_have_text(source(provider))
    expect(summary).to_contain_text("Relationship summary")
    expect(summary).to_contain_text("Opportunities")
    if provider == "llm":
        expect(summary).to_contain_text(f"{MARK} a long relationship with a few hiccups.")
    else:
        expect(summary).to_contain_text("Ana Diaz has been a customer since March 2023")
    expect(summary.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    # Sentiment: the overall badge, the trend line, each message with its mood
    sentiment = panel(page, "ai-analyze-sentiment")
    expect(sentiment.locator("#ai-analyze-sentiment-source")).to_have_text(source(provider))
    expect(sentiment.locator("#sentiment-overall")).to_be_visible()
    expect(sentiment.locator("svg.sparkline")).to_be_visible()
    sentiment.get_by_text("Scored messages").click()
    scored = sentiment.locator("#sentiment-messages li")
    expect(scored).to_have_count(5)
    expect(scored.first).to_contain_text(HTML_MESSAGE)  # shown as text, nothing ran
    # The timeline: a mood on each inbound message, its explanation on hover
    moods = page.locator("#timeline li.event .mood")
    expect(moods).to_have_count(4)
    first = page.locator("#timeline li.event").first
    expect(first.locator(".text")).to_have_text(HTML_MESSAGE)
    first.locator(".mood").hover()
    expect(first.locator(".mood-tip")).to_be_visible()
    expect(first.locator(".mood-tip")).to_contain_text("by built-in analysis")
    expect(first.locator(".mood-tip")).to_contain_text("Problem not solved")
    # Refresh asks again and the panel says so while it works
    sentiment.get_by_role("button", name=re.compile("^Refresh")).click()
    expect(page.locator("#ai-analyze-sentiment-source")).to_have_text(source(provider))


# ---- Client Value Snapshot ---------------------------------------------------------------


def test_value_insights_in_the_snapshot(
    provider: str, signed_in: Page, live_server: Any, world: World
) -> None:
    page = open_ana(signed_in, live_server, world)
    details = page.locator("#value-insights")
    expect(details.locator("#value-trend")).to_be_visible()
    expect(details.locator("#value-trend")).to_have_text(
        re.compile(r"(▲ Improving|▼ Declining|→ Steady)")
    )
    details.locator("summary").click()
    analysis = panel(page, "ai-profitability-analysis")
    expect(analysis.locator("#ai-profitability-analysis-source")).to_have_text(source(provider))
    expect(analysis.locator("#profit-classification")).to_have_text("Highly Profitable")
    for heading in ("Profitability analysis", "Key observation", "Recommendation"):
        expect(analysis).to_contain_text(heading)
    if provider == "llm":
        expect(analysis).to_contain_text(f"{MARK} a loyal, high-margin customer.")
    analysis.get_by_role("button", name=re.compile("^Refresh")).click()
    expect(page.locator("#ai-profitability-analysis-source")).to_have_text(source(provider))
    expect(page.locator("#value-insights")).to_have_attribute("open", "")


# ---- Predictive Maintenance Alerts -------------------------------------------------------


def test_maintenance_alerts_with_reminder_and_message_actions(
    provider: str, signed_in: Page, live_server: Any, world: World
) -> None:
    # A maintenance offer is Marketing: Ana welcomes it on WhatsApp.
    ContactConsent.objects.create(customer=world.ana, channel="WhatsApp", marketing_opt_in=True)
    page = open_ana(signed_in, live_server, world)
    card = page.locator("#maintenance-alerts")
    fridge = panel(page, f"ai-maintenance-{world.fridge.pk}")
    panel(page, f"ai-maintenance-{world.dryer.pk}")
    items = card.locator("li.maintenance-item")
    expect(items).to_have_count(2)
    expect(items.first).to_have_id(f"maintenance-{world.fridge.pk}")  # highest risk first
    expect(fridge.locator(f"#maintenance-{world.fridge.pk}-risk")).to_have_text("High risk")
    expect(fridge.locator(f"#ai-maintenance-{world.fridge.pk}-source")).to_have_text(
        source(provider)
    )
    for heading in (
        "Predicted needs",
        "Recommended actions",
        "Optimal timing",
        "Estimated savings",
    ):
        expect(fridge).to_contain_text(heading)
    # Create reminder: prefilled from the alert; a past day is refused, then it saves
    fridge.get_by_role("link", name=re.compile("^Create reminder")).click()
    dialog = opened(page, re.compile("^Reminder"))
    expect(dialog.get_by_label("Title")).to_have_value("Maintenance: Refrigerator (Whirlpool)")
    dialog.get_by_label("Due").fill("2020-01-01")
    dialog.get_by_role("button", name="Create reminder").click()
    expect(dialog.locator("#id_due_date_error")).to_have_text("Choose today or a later day.")
    assert Reminder.objects.count() == 0
    dialog.get_by_label("Due").fill("2030-01-15")
    dialog.get_by_role("button", name="Create reminder").click()
    expect(dialog).to_be_hidden()
    reminder = page.locator(f"#maintenance-{world.fridge.pk}-reminder")
    expect(reminder).to_contain_text("due Tue, Jan 15, 2030")
    # Schedule maintenance message: a draft waits for a person, nothing is sent
    panels_loaded(page)
    page.locator(f"#maintenance-{world.fridge.pk}-message-new").click()
    dialog = opened(page, re.compile("^Maintenance message"))
    expect(dialog.get_by_label("Message")).to_have_value(re.compile("^Hi Ana, this is "))
    expect(dialog.get_by_label("Channel")).to_have_value("WhatsApp")
    dialog.get_by_role("button", name="Save as draft").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#maintenance-{world.fridge.pk}-message")).to_contain_text("Draft")
    message = ScheduledMessage.objects.get()
    assert (message.status, message.sent_at) == ("Draft", None)


# ---- Technician matching -----------------------------------------------------------------


def test_recommend_a_technician_then_set_as_preferred_and_assign_a_new_job(
    provider: str, signed_in: Page, live_server: Any, world: World
) -> None:
    page = open_ana(signed_in, live_server, world)
    panels_loaded(page)
    page.get_by_role("link", name="Recommend a technician").click()
    dialog = opened(page, "Recommend a technician")
    dialog.get_by_role("button", name="Recommend a technician").click()
    expect(dialog.locator(".form-errors")).to_contain_text("Choose the appliance or describe")
    dialog.get_by_label("Appliance").select_option(label="Whirlpool Refrigerator")
    dialog.get_by_label("What is wrong?").fill("Not cooling since the weekend")
    dialog.get_by_role("button", name="Recommend a technician").click()
    picks = dialog.locator("#ai-match-technician .technician-pick")
    expect(dialog.locator("#ai-match-technician-source")).to_have_text(source(provider))
    expect(picks.first).to_contain_text("Primary recommendation")
    expect(picks.first).to_contain_text("Tom Baker")
    expect(picks.first.get_by_label("Score components")).to_contain_text("Specialty")
    expect(picks.nth(1)).to_contain_text("Lee Chan")
    # Set as preferred: the Preferred Technician section shows it
    picks.nth(1).get_by_role("button", name=re.compile("^Set as preferred")).click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#preferred-technician-current")).to_have_text("Lee Chan")
    assert Customer.objects.get(pk=world.ana.pk).preferred_technician_id == world.lee.pk
    # The new-job form of the Jobs card: pick the appliance, describe it, assign the match
    panels_loaded(page)
    page.locator("#jobs").get_by_role("link", name="Match a technician").click()
    dialog = opened(page, "New job")
    dialog.get_by_label("Appliance").select_option(label="LG Dryer")
    dialog.get_by_label("What is wrong?").fill("The dryer drum squeaks")
    dialog.get_by_label("Visit (for a new job)").fill("2030-03-04T09:30")
    dialog.get_by_role("button", name="Recommend a technician").click()
    expect(dialog.locator("#ai-match-technician-source")).to_have_text(source(provider))
    expect(dialog.get_by_role("button", name=re.compile("^Set as preferred"))).to_have_count(0)
    first = dialog.locator(".technician-pick").first
    chosen = first.locator("strong").inner_text()
    first.get_by_role("button", name=re.compile("^Assign to the new job")).click()
    expect(dialog).to_be_hidden()
    added = page.locator("#jobs article.job", has_text="The dryer drum squeaks")
    expect(added).to_contain_text(chosen)
    expect(added).to_contain_text("Mon, Mar 4, 2030, 9:30 AM")
    job = Job.objects.get(description="The dryer drum squeaks")
    assert (job.status, job.appliance_id, job.technician.name) == (  # type: ignore[union-attr]
        "Scheduled", world.dryer.pk, chosen,
    )  # fmt: skip


# ---- Slow and failing answers, screenshots -----------------------------------------------


def test_a_slow_answer_leaves_the_page_usable_while_the_panel_loads(
    signed_in: Page, live_server: Any, world: World, settings: Any
) -> None:
    with FakeLLMServer() as server:
        server.responder = answers(world, slow="timeline-summary")
        use_server(settings, server)
        page = open_ana(signed_in, live_server, world)
        summary = page.locator("#ai-timeline-summary")
        expect(summary.locator("#ai-timeline-summary-working")).to_be_visible()
        # While the model thinks, another card works: edit communication preferences
        preferences = page.locator("#communication-preferences")
        preferences.get_by_role("link", name="Edit preferences").click()
        expect(preferences.get_by_role("button", name="Save preferences")).to_be_visible()
        preferences.get_by_label("Contact frequency").select_option("Minimal")
        preferences.get_by_role("button", name="Save preferences").click()
        expect(page.locator("#contact-frequency")).to_have_text("Minimal")
        expect(summary).to_have_attribute("aria-busy", "true")  # still waiting for the model
        expect(summary.locator("#ai-timeline-summary-source")).to_have_text(
            "AI model fake-model", timeout=(SLOW_S + 10) * 1000
        )
        expect(summary).to_contain_text(f"{MARK} a long relationship with a few hiccups.")
    assert page.evaluate("window.notReloaded") is True


def test_a_failing_model_gives_the_built_in_analysis_with_its_label(
    signed_in: Page, live_server: Any, world: World, settings: Any
) -> None:
    with FakeLLMServer() as server:
        server.responder = answers(world, failing="timeline-summary")
        use_server(settings, server)
        page = open_ana(signed_in, live_server, world)
        summary = panel(page, "ai-timeline-summary")
        expect(summary.locator("#ai-timeline-summary-source")).to_have_text("Built-in analysis")
        expect(summary.locator(".insight-warning")).to_contain_text("Built-in analysis shown.")
        expect(summary).to_contain_text("Ana Diaz has been a customer since March 2023")
        # the other panels still came from the model
        sentiment = panel(page, "ai-analyze-sentiment")
        expect(sentiment.locator("#ai-analyze-sentiment-source")).to_have_text(
            "AI model fake-model"
        )


def test_screenshots_of_the_ai_panels_at_desk_and_phone_width(
    signed_in: Page, live_server: Any, world: World, artifacts: Path
) -> None:
    page = open_ana(signed_in, live_server, world)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        cards_unfolded(page)  # at 390 px the cards fold to their headings
        page.locator("#value-insights summary").click()
        panel(page, "ai-profitability-analysis")
        panel(page, "ai-timeline-summary")
        panel(page, f"ai-maintenance-{world.fridge.pk}")
        panels_loaded(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=artifacts / f"ai-panels-{width}.png", full_page=True)
        for part in ("timeline-ai", "value-insights", "maintenance-alerts"):
            page.locator(f"#{part}").screenshot(path=artifacts / f"ai-{part}-{width}.png")
        page.locator("#value-insights summary").click()  # closed again for the next width
