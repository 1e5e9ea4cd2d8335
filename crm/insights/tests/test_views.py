"""The AI panels of the Customer View (crm/insights/views.py) and the actions on their answers
(crm/engagement/views/ai_actions.py), through the pages as the office uses them.

Ana (conftest.py) is analysed offline unless a test points the app at the local LLM server.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity
from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import company_today
from crm.core.words import written_moment
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.insights.models import InsightResult
from crm.insights.tests.conftest import World
from crm.insights.tests.llm_answers import MARK, as_json, valid
from crm.jobs.models import Job
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from tests.fakes.llm_server import FakeLLMServer, Reply, server_error

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CUSTOMER_PANELS = ["timeline-summary", "analyze-sentiment", "profitability-analysis"]
# A stored answer, read at once: session and user, customer, the feature's context, the stored
# row (sentiment adds its messages); then the same when the data changed, with the answer
# compared again with the facts of its day (sentiment then shows no per-message scores).
# Timeline and profitability read the active maintenance plans once per context (issue 14).
PANEL_QUERIES = {
    "timeline-summary": (20 + 1, 37 + 2),
    "analyze-sentiment": (10, 11),
    "profitability-analysis": (18 + 1, 33 + 2),
}


def panel_url(customer: Customer, panel: str) -> str:
    return f"/customers/{customer.pk}/ai/{panel}/"


def text_of(html: str) -> str:
    """The visible words of a fragment, one space between them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(client: Client, url: str) -> str:
    response = client.get(url, **HTMX)
    assert response.status_code == 200, response.content
    return response.content.decode()


def post(client: Client, url: str, data: dict[str, object] | None = None) -> str:
    response = client.post(url, data or {}, **HTMX)
    assert response.status_code == 200, response.content
    return response.content.decode()


def use_llm(settings, server: FakeLLMServer) -> None:  # type: ignore[no-untyped-def]
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = server.base_url
    settings.LLM_MODEL = "fake-model"
    settings.LLM_API_KEY = "x"
    settings.LLM_MAX_RETRIES = 0


# ---- The frame every panel shares -------------------------------------------------------


@pytest.mark.parametrize("panel", CUSTOMER_PANELS)
def test_with_nothing_stored_a_panel_asks_for_an_answer_once_on_the_page(
    panel: str, world: World, staff_client: Client
) -> None:
    # when
    html = get(staff_client, panel_url(world.ana, panel))
    # then it calls no LLM and stores nothing, and posts to itself on load
    assert InsightResult.objects.count() == 0
    assert f'hx-post="{panel_url(world.ana, panel)}" hx-trigger="load"' in html
    assert 'aria-busy="true"' in html
    assert "Preparing an analysis" in html


@pytest.mark.parametrize("panel", CUSTOMER_PANELS)
def test_a_fresh_answer_is_stored_and_shown_at_once_next_time(
    panel: str, world: World, staff_client: Client
) -> None:
    # when
    fresh = post(staff_client, panel_url(world.ana, panel))
    stored = get(staff_client, panel_url(world.ana, panel))
    # then
    row = InsightResult.objects.get()
    generated = written_moment(timezone.localtime(row.created_at))
    for html in (fresh, stored):
        assert f'id="ai-{panel}-source">Built-in analysis<' in html
        assert f'id="ai-{panel}-generated">{generated}<' in html
        assert "Data changed since" not in html
        assert 'hx-trigger="load"' not in html
        assert '<input type="hidden" name="refresh" value="1">' in html
    assert InsightResult.objects.count() == 1


def test_refresh_makes_a_new_answer_and_the_stored_one_is_not_reused(
    world: World, staff_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    # given an AI answer stored earlier
    with FakeLLMServer() as server:
        use_llm(settings, server)
        server.default = Reply(content=as_json(valid("timeline-summary", world)))
        post(staff_client, panel_url(world.ana, "timeline-summary"))
        # when
        again = post(staff_client, panel_url(world.ana, "timeline-summary"))
        refreshed = post(staff_client, panel_url(world.ana, "timeline-summary"), {"refresh": "1"})
    # then the second answer came from the store, the refresh asked the model again
    assert len(server.requests) == 2
    assert 'id="ai-timeline-summary-source">Cached answer · AI model fake-model<' in again
    assert 'id="ai-timeline-summary-source">AI model fake-model<' in refreshed
    assert f"{MARK} a long relationship with a few hiccups." in refreshed


def test_a_stored_answer_says_when_the_data_changed_since(
    world: World, staff_client: Client
) -> None:
    # given
    post(staff_client, panel_url(world.ana, "profitability-analysis"))
    # when a payment arrives afterwards
    PaymentFactory(customer=world.ana, amount=Decimal("80.00"), date=company_today())
    html = get(staff_client, panel_url(world.ana, "profitability-analysis"))
    # then
    assert 'id="ai-profitability-analysis-changed"' in html
    assert "Data changed since" in html


def test_an_answer_from_an_earlier_day_is_not_flagged_when_only_the_date_moved(
    world: World, staff_client: Client
) -> None:
    # given an answer made three days ago about the data as it still is
    post(staff_client, panel_url(world.ana, "timeline-summary"))
    InsightResult.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    # when
    html = get(staff_client, panel_url(world.ana, "timeline-summary"))
    # then (its context counts days since the last contact, which moved; the data did not)
    assert "Data changed since" not in html


def test_a_failing_model_gives_the_built_in_analysis_with_its_label_and_reason(
    world: World, staff_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    with FakeLLMServer(default=server_error()) as server:
        use_llm(settings, server)
        # when
        html = post(staff_client, panel_url(world.ana, "timeline-summary"))
    # then
    assert server.requests
    assert 'id="ai-timeline-summary-source">Built-in analysis<' in html
    assert 'class="insight-warning"' in html
    assert "Ana Diaz has been a customer since March 2023" in html


def _add_history(customer: Customer, appliance: object, count: int) -> None:
    for number in range(count):
        job = JobFactory(customer=customer, appliance=appliance, completed=True)
        PaymentFactory(customer=customer, job=job, amount=Decimal("10.00"))
        ExpenseFactory(customer=customer, job=job, amount=Decimal("4.00"))
        ActivityFactory(customer=customer, kind="WhatsApp", direction="Inbound",
                        content=f"Message {number}: all good, thanks")  # fmt: skip


@pytest.mark.parametrize("panel", CUSTOMER_PANELS)
def test_a_stored_panel_costs_the_same_queries_for_a_light_or_a_heavy_customer(
    panel: str, world: World, staff_client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # given Ana's answer, and one for a customer with 60 more jobs, payments and messages
    heavy = CustomerFactory(name="Heavy Harris")
    _add_history(heavy, ApplianceFactory(customer=heavy), 60)
    for customer in (world.ana, heavy):
        post(staff_client, panel_url(customer, panel))
    unchanged, changed = PANEL_QUERIES[panel]
    # when / then: the stored answers as they are
    for customer in (world.ana, heavy):
        with django_assert_num_queries(unchanged):
            html = get(staff_client, panel_url(customer, panel))
        assert "Data changed since" not in html
    # when / then: after more history, compared again with the facts of its day
    for customer in (world.ana, heavy):
        _add_history(customer, None, 2)
        with django_assert_num_queries(changed):
            html = get(staff_client, panel_url(customer, panel))
        assert "Data changed since" in html


def test_unknown_panels_customers_and_anonymous_visitors_are_refused(
    world: World, staff_client: Client
) -> None:
    assert staff_client.get(panel_url(world.ana, "nonsense"), **HTMX).status_code == 404
    assert staff_client.post("/customers/999999/ai/timeline-summary/", **HTMX).status_code == 404
    anonymous = Client().post(panel_url(world.ana, "timeline-summary"), **HTMX)
    assert anonymous.status_code == 302
    assert InsightResult.objects.count() == 0


def test_a_plain_browser_refresh_goes_back_to_the_panel_on_the_page(
    world: World, staff_client: Client
) -> None:
    # when (a form post without htmx)
    response = staff_client.post(panel_url(world.ana, "timeline-summary"), {"refresh": "1"})
    # then the answer is made and the browser sent back to it
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{world.ana.pk}/#ai-timeline-summary"
    assert InsightResult.objects.count() == 1


# ---- Enhanced timeline: summary and sentiment ----------------------------------------------


def test_the_timeline_summary_shows_the_four_parts_of_the_plan(
    world: World, staff_client: Client
) -> None:
    # when
    html = post(staff_client, panel_url(world.ana, "timeline-summary"))
    # then
    shown = text_of(html)
    for heading in ("Relationship summary", "Communication preferences", "Recurring themes",
                    "Opportunities"):  # fmt: skip
        assert heading in shown
    assert "Prefers WhatsApp" in shown
    assert "Repeat visit: Whirlpool Refrigerator: back within 30 days on Tue, Jul 1, 2025" in shown


def test_sentiment_shows_the_overall_badge_the_trend_and_each_scored_message(
    world: World, staff_client: Client
) -> None:
    # when
    html = post(staff_client, panel_url(world.ana, "analyze-sentiment"))
    # then the four communications, newest first, each with its colour and explanation
    scored = re.findall(r'<span class="mood mood-([a-z-]+)"', html)
    assert scored == ["very-negative", "very-negative", "very-positive", "very-positive"]
    assert "The dryer is still noisy again at night." in html
    assert "Issues: Repeat problem, Problem not solved, Noise." in html
    assert "Moved by &quot;noisy again&quot; (-2.5), &quot;still&quot; (-1.5)." in html
    assert 'id="sentiment-overall"' in html
    assert 'id="sentiment-trend">Trend: declining<' in html
    assert html.count("<circle cx=") == 4


def test_sentiment_from_the_model_is_labelled_with_the_model(
    world: World, staff_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    with FakeLLMServer() as server:
        use_llm(settings, server)
        server.default = Reply(content=as_json(valid("analyze-sentiment", world)))
        # when
        html = post(staff_client, panel_url(world.ana, "analyze-sentiment"))
    # then the model's scores (-1, -1, 2, 2 for messages 1..4) stand beside the messages
    assert 'id="ai-analyze-sentiment-source">AI model fake-model<' in html
    assert f"{MARK} Neutral" in html
    assert "by AI model fake-model" in html
    assert re.findall(r'<span class="mood mood-([a-z-]+)"', html) == [
        "negative", "negative", "very-positive", "very-positive",
    ]  # fmt: skip


def test_customer_written_html_in_a_message_is_shown_as_text(
    world: World, staff_client: Client
) -> None:
    # given
    ActivityFactory(customer=world.ana, kind="WhatsApp", direction="Inbound",
                    content="<b>HTML</b><script>alert(1)</script> is broken again")  # fmt: skip
    # when
    html = post(staff_client, panel_url(world.ana, "analyze-sentiment"))
    page = staff_client.get(f"/customers/{world.ana.pk}/").content.decode()
    # then
    for shown in (html, page):
        assert "<script>alert(1)" not in shown
        assert "<b>HTML</b>" not in shown
    assert "&lt;b&gt;HTML&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt; is broken again" in html


def test_messages_that_changed_since_the_analysis_are_not_scored_with_old_numbers(
    world: World, staff_client: Client
) -> None:
    # given
    post(staff_client, panel_url(world.ana, "analyze-sentiment"))
    ActivityFactory(customer=world.ana, kind="SMS", direction="Inbound", content="Thank you!")
    # when
    html = get(staff_client, panel_url(world.ana, "analyze-sentiment"))
    # then
    assert "Data changed since" in html
    assert 'id="sentiment-messages"' not in html
    assert "New messages since this analysis: Refresh to score them." in html


# ---- Client Value Snapshot: the AI analysis and the 12-month trend -------------------------


def _money_on(customer: Customer, day: dt.date, paid: str, spent: str) -> None:
    job = JobFactory(customer=customer, completed=True)
    PaymentFactory(customer=customer, job=job, amount=Decimal(paid), date=day)
    ExpenseFactory(customer=customer, job=job, amount=Decimal(spent), date=day)


@pytest.mark.parametrize(
    ("last", "prior", "direction", "arrow"),
    [("500.00", "200.00", "improving", "▲"), ("100.00", "400.00", "declining", "▼"),
     ("300.00", "290.00", "steady", "→")],
)  # fmt: skip
def test_the_value_insights_show_the_trend_of_the_last_12_months_against_the_12_before(
    last: str, prior: str, direction: str, arrow: str, staff_client: Client
) -> None:
    # given net profit `last` in the last 12 months and `prior` in the 12 before
    customer = CustomerFactory()
    today = company_today()
    _money_on(customer, today - dt.timedelta(days=30), last, "0.01")
    _money_on(customer, today - dt.timedelta(days=400), prior, "0.01")
    # when
    html = get(staff_client, f"/customers/{customer.pk}/ai/value/")
    # then
    trend = re.search(r'id="value-trend" title="[^"]+">([^<]+)<', html)
    assert trend is not None
    assert trend[1] == f"{arrow} {direction.capitalize()}"
    assert f"last 12 months ${Decimal(last) - Decimal('0.01'):,}" in html
    assert (
        f'hx-post="/customers/{customer.pk}/ai/profitability-analysis/" hx-trigger="load"' in html
    )
    assert "<details" in html


def test_the_profitability_analysis_shows_its_four_parts(
    world: World, staff_client: Client
) -> None:
    # when
    html = post(staff_client, panel_url(world.ana, "profitability-analysis"))
    # then
    assert 'id="profit-classification">Highly Profitable<' in html
    shown = text_of(html)
    for heading in ("Profitability analysis", "Key observation", "Recommendation"):
        assert heading in shown
    assert "a net profit of $450.00 (69.23% margin)" in shown
    assert "Most payments are by Card (2 of 3)." in shown


def test_the_value_insights_show_a_stored_analysis_at_once(
    world: World, staff_client: Client
) -> None:
    # given
    post(staff_client, panel_url(world.ana, "profitability-analysis"))
    # when
    html = get(staff_client, f"/customers/{world.ana.pk}/ai/value/")
    # then
    assert 'id="profit-classification">Highly Profitable<' in html
    assert 'hx-trigger="load"' not in html


# ---- Predictive Maintenance Alerts ---------------------------------------------------------


def maintenance_url(world: World, appliance: object, action: str = "") -> str:
    return f"/customers/{world.ana.pk}/ai/maintenance/{appliance.pk}/{action}"  # type: ignore[attr-defined]


def test_the_card_lists_the_appliances_by_risk_each_loading_its_alert(
    world: World, staff_client: Client
) -> None:
    # when
    html = get(staff_client, f"/customers/{world.ana.pk}/ai/maintenance/")
    # then the 12-year-old fridge (High) comes before the 2-year-old dryer
    assert re.findall(r'<li class="maintenance-item" id="maintenance-(\d+)"', html) == [
        str(world.fridge.pk), str(world.dryer.pk),
    ]  # fmt: skip
    assert f'hx-get="{maintenance_url(world, world.fridge)}" hx-trigger="load"' in html
    assert "High risk" in html
    assert InsightResult.objects.count() == 0


def test_an_appliance_alert_shows_risk_needs_actions_timing_savings_and_the_actions(
    world: World, staff_client: Client
) -> None:
    # when
    html = post(staff_client, maintenance_url(world, world.fridge))
    # then
    assert f'id="maintenance-{world.fridge.pk}-risk">High risk<' in html
    shown = text_of(html)
    for heading in ("Predicted needs", "Recommended actions", "Optimal timing",
                    "Estimated savings"):  # fmt: skip
        assert heading in shown
    assert f'id="ai-maintenance-{world.fridge.pk}-source">Built-in analysis<' in html
    assert "Create reminder" in shown
    assert "Schedule maintenance message" in shown


def test_an_appliance_alert_from_the_model_is_labelled_and_stored(
    world: World, staff_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    with FakeLLMServer() as server:
        use_llm(settings, server)
        server.default = Reply(content=as_json(valid("predict-maintenance", world)))
        # when
        html = post(staff_client, maintenance_url(world, world.fridge))
    stored = get(staff_client, maintenance_url(world, world.fridge))
    # then
    assert f"{MARK} clean the coils" in html
    assert f'id="ai-maintenance-{world.fridge.pk}-source">AI model fake-model<' in html
    assert (
        f'id="ai-maintenance-{world.fridge.pk}-source">Cached answer · AI model fake-model<'
        in stored
    )


def test_another_customers_appliance_is_not_found(world: World, staff_client: Client) -> None:
    # given
    other = ApplianceFactory(customer=world.bob)
    # when / then
    for action in ("", "reminder/", "message/"):
        assert staff_client.get(maintenance_url(world, other, action), **HTMX).status_code == 404
    assert staff_client.post(maintenance_url(world, other), **HTMX).status_code == 404
    assert InsightResult.objects.count() == 0


def test_create_reminder_is_prefilled_from_the_alert_and_saves_one_reminder(
    world: World, staff_client: Client
) -> None:
    # given the alert
    post(staff_client, maintenance_url(world, world.fridge))
    url = maintenance_url(world, world.fridge, "reminder/")
    form = get(staff_client, url)
    assert 'value="Maintenance: Refrigerator (Whirlpool)"' in form
    assert '<option value="High" selected>' in form
    due = company_today() + dt.timedelta(days=10)
    data = {"title": "Fridge check", "due_date": due.isoformat(), "priority": "High",
            "details": "Coils"}  # fmt: skip
    # when (twice: a double click)
    first = staff_client.post(url, data, **HTMX)
    second = staff_client.post(url, data, **HTMX)
    # then
    assert (first.status_code, second.status_code) == (204, 204)
    assert "reminders-changed" in first["HX-Trigger"]
    assert "maintenance-changed" in first["HX-Trigger"]
    reminder = Reminder.objects.get()
    assert (reminder.title, reminder.due_date, reminder.priority, reminder.appliance_id) == (
        "Fridge check", due, "High", world.fridge.pk,
    )  # fmt: skip
    card = get(staff_client, f"/customers/{world.ana.pk}/ai/maintenance/")
    assert f'id="maintenance-{world.fridge.pk}-reminder">Reminder: Fridge check' in card


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [({"due_date": "2020-01-01"}, "due_date", "Choose today or a later day."),
     ({"title": ""}, "title", "This field is required."),
     ({"priority": "Urgent"}, "priority", "Select a valid choice.")],
)  # fmt: skip
def test_a_bad_reminder_is_refused_inline_and_saves_nothing(
    change: dict[str, str], field: str, message: str, world: World, staff_client: Client
) -> None:
    # given
    data = {"title": "Fridge check", "due_date": company_today().isoformat(),
            "priority": "High", **change}  # fmt: skip
    # when
    response = staff_client.post(maintenance_url(world, world.fridge, "reminder/"), data, **HTMX)
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert Reminder.objects.count() == 0


def _offered(client: Client, url: str) -> dict[str, str]:
    html = get(client, url)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    channel = re.search(r'<option value="([^"]+)" selected>', html)
    send_at = re.search(r'name="send_at" value="([^"]+)"', html)
    body = re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', html, flags=re.S)
    assert key
    assert channel
    assert send_at
    assert body
    return {"idempotency_key": key[1], "channel": channel[1], "send_at": send_at[1],
            "subject": "", "body": body[1]}  # fmt: skip


@pytest.mark.parametrize("status", [MessageStatus.DRAFT, MessageStatus.SCHEDULED])
def test_a_maintenance_message_is_drafted_and_waits_for_a_person(
    status: str, world: World, staff_client: Client, staff_user
) -> None:  # type: ignore[no-untyped-def]
    # given the form, prefilled from the alert and the customer's preferences, and a customer
    # who welcomes marketing on WhatsApp (a maintenance offer is Marketing)
    ContactConsentFactory(customer=world.ana, channel="WhatsApp", marketing_opt_in=True)
    post(staff_client, maintenance_url(world, world.fridge))
    url = maintenance_url(world, world.fridge, "message/")
    offered = _offered(staff_client, url)
    assert offered["channel"] == "WhatsApp"
    assert offered["body"].startswith("Hi Ana, this is ")
    assert "Whirlpool refrigerator" in offered["body"]
    # when (twice: a double click)
    for _ in range(2):
        response = staff_client.post(url, {**offered, "status": status}, **HTMX)
        assert response.status_code == 204
    # then one message, a Draft or approved for its time, not sent
    message = ScheduledMessage.objects.get()
    assert (message.status, message.channel, message.source, message.purpose) == (
        status, "WhatsApp", "Reminder", "Marketing",
    )  # fmt: skip
    assert message.sent_at is None
    assert message.send_at > timezone.now()
    assert message.approved_by == (staff_user if status == MessageStatus.SCHEDULED else None)
    assert "messages-changed" in response["HX-Trigger"]
    card = get(staff_client, f"/customers/{world.ana.pk}/ai/maintenance/")
    assert f'id="maintenance-{world.fridge.pk}-message">Message by WhatsApp' in card


def test_a_maintenance_offer_needs_the_marketing_opt_in(world: World, staff_client: Client) -> None:  # type: ignore[no-untyped-def]
    # given a customer who never opted in to marketing
    post(staff_client, maintenance_url(world, world.fridge))
    url = maintenance_url(world, world.fridge, "message/")
    # when the office schedules the maintenance offer
    response = staff_client.post(url, {**_offered(staff_client, url), "status": "Scheduled"},
                                 **HTMX)  # fmt: skip
    # then it is refused as Marketing would be, and nothing is scheduled
    assert response.status_code == 422
    assert "not opted in to marketing by WhatsApp" in response.content.decode()
    assert not ScheduledMessage.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [({"body": ""}, "This field is required."),
     ({"send_at": "2020-01-01T10:00"}, "Choose a time from now on."),
     ({"idempotency_key": "hub:forged"}, "This form is out of date: open it again."),
     ({"channel": "Pigeon"}, "Select a valid choice.")],
)  # fmt: skip
def test_a_bad_maintenance_message_is_refused_inline_and_saves_nothing(
    change: dict[str, str], message: str, world: World, staff_client: Client
) -> None:
    # given
    url = maintenance_url(world, world.fridge, "message/")
    data = {**_offered(staff_client, url), "status": MessageStatus.SCHEDULED, **change}
    # when
    response = staff_client.post(url, data, **HTMX)
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert ScheduledMessage.objects.count() == 0


def test_a_message_on_a_channel_the_customer_cannot_receive_is_refused(
    world: World, staff_client: Client
) -> None:
    # given Ana has no email address
    Customer.objects.filter(pk=world.ana.pk).update(email="")
    url = maintenance_url(world, world.fridge, "message/")
    data = {**_offered(staff_client, url), "channel": "Email", "status": "Scheduled"}
    # when
    response = staff_client.post(url, data, **HTMX)
    # then
    assert response.status_code == 422
    assert "The customer has no email address for Email." in response.content.decode()
    assert ScheduledMessage.objects.count() == 0


# ---- Technician matching (and the new job it leads to) -------------------------------------


def technician_url(world: World, action: str = "") -> str:
    return f"/customers/{world.ana.pk}/ai/technician/{action}"


def test_the_form_opens_empty_and_for_a_new_job_says_so(world: World, staff_client: Client) -> None:
    # when
    plain = get(staff_client, technician_url(world))
    for_job = get(staff_client, technician_url(world) + "?for=job")
    # then
    assert '<h2 id="modal-title">Recommend a technician</h2>' in plain
    assert '<h2 id="modal-title">New job</h2>' in for_job
    assert "Whirlpool Refrigerator" in plain
    assert InsightResult.objects.count() == 0


def test_a_recommendation_shows_the_primary_and_alternatives_with_their_score_components(
    world: World, staff_client: Client
) -> None:
    # when
    html = post(staff_client, technician_url(world),
                {"appliance": world.fridge.pk, "issue": "Not cooling"})  # fmt: skip
    # then Tom (specialist, preferred, rated 5 and 4 by Ana) first, then Lee; Sara last
    picks = re.findall(r'id="technician-pick-(\d+)"', html)
    assert picks == [str(world.tom.pk), str(world.lee.pk), str(world.sara.pk)]
    assert 'id="ai-match-technician-source">Built-in analysis<' in html
    assert "Primary recommendation" in html
    assert "Repairs refrigerators" in html
    assert re.search(r"<li>Rating <span class=\"num\">0\.\d{3}</span></li>", html)
    assert '<li>Preference <span class="num">0.100</span></li>' in html
    assert html.count("Assign to the new job") == 3
    assert html.count("Set as preferred") == 3
    assert "Reported issue: Not cooling" in html


def test_a_recommendation_from_the_model_keeps_the_model_reason(
    world: World, staff_client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    with FakeLLMServer() as server:
        use_llm(settings, server)
        server.default = Reply(content=as_json(valid("match-technician", world)))
        # when
        html = post(staff_client, technician_url(world), {"appliance": world.fridge.pk})
    # then
    assert 'id="ai-match-technician-source">AI model fake-model<' in html
    assert f"{MARK} loyal." in html
    assert re.findall(r'id="technician-pick-(\d+)"', html) == [str(world.tom.pk), str(world.lee.pk)]


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose the appliance or describe the issue (or both)."),
     ({"appliance": "999999"}, "Select a valid choice."),
     ({"issue": "x" * 1001}, "Ensure this value has at most 1000 characters")],
)  # fmt: skip
def test_a_bad_request_for_a_recommendation_is_refused_inline(
    data: dict[str, str], message: str, world: World, staff_client: Client
) -> None:
    # when
    response = staff_client.post(technician_url(world), data, **HTMX)
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert InsightResult.objects.count() == 0


def test_another_customers_appliance_cannot_be_matched(world: World, staff_client: Client) -> None:
    other = ApplianceFactory(customer=world.bob)
    response = staff_client.post(technician_url(world), {"appliance": other.pk}, **HTMX)
    assert response.status_code == 422
    assert InsightResult.objects.count() == 0


def test_assign_to_the_new_job_creates_a_scheduled_job_for_the_technician(
    world: World, staff_client: Client
) -> None:
    # given
    visit = (timezone.localtime() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    before = Job.objects.count()
    data = {"appliance": world.fridge.pk, "issue": "Fridge not cooling again",
            "scheduled_for": f"{visit:%Y-%m-%dT%H:%M}", "technician": world.lee.pk}  # fmt: skip
    # when
    response = staff_client.post(technician_url(world, "assign/"), data, **HTMX)
    # then
    assert response.status_code == 204
    assert "jobs-changed" in response["HX-Trigger"]
    job = Job.objects.order_by("-id").first()
    assert Job.objects.count() == before + 1
    assert job is not None
    assert (job.customer, job.technician, job.appliance, job.description, job.status) == (
        world.ana, world.lee, world.fridge, "Fridge not cooling again", "Scheduled",
    )  # fmt: skip
    assert job.scheduled_for == visit


@pytest.mark.parametrize(
    ("change", "message"),
    [({"issue": "  "}, "Describe the issue: it becomes the job&#x27;s description."),
     ({"technician": "999999"}, "Select a valid choice."),
     ({"scheduled_for": "tomorrow-ish"}, "Enter a valid date/time.")],
)  # fmt: skip
def test_a_bad_new_job_is_refused_inline_and_saves_nothing(
    change: dict[str, str], message: str, world: World, staff_client: Client
) -> None:
    # given
    before = Job.objects.count()
    data = {"appliance": world.fridge.pk, "issue": "Not cooling", "technician": world.lee.pk,
            **change}  # fmt: skip
    # when
    response = staff_client.post(technician_url(world, "assign/"), data, **HTMX)
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Job.objects.count() == before


def test_an_inactive_technician_cannot_be_assigned(world: World, staff_client: Client) -> None:
    before = Job.objects.count()
    data = {"issue": "Not cooling", "technician": world.ivan.pk}
    response = staff_client.post(technician_url(world, "assign/"), data, **HTMX)
    assert response.status_code == 422
    assert Job.objects.count() == before


def test_set_as_preferred_goes_through_the_preferred_technician_form(
    world: World, staff_client: Client
) -> None:
    # given the recommendation's button posts the whole form to the page's own view
    html = post(staff_client, technician_url(world), {"issue": "The dryer is noisy"})
    action = f'formaction="/customers/{world.ana.pk}/preferred-technician/"'
    assert action in html
    # when
    response = staff_client.post(
        f"/customers/{world.ana.pk}/preferred-technician/",
        {"appliance": "", "issue": "The dryer is noisy", "technician": world.sara.pk}, **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    assert "technicians-changed" in response["HX-Trigger"]
    world.ana.refresh_from_db()
    assert world.ana.preferred_technician == world.sara


# ---- The hooks on the Customer View ----------------------------------------------------------


def test_the_page_places_the_panels_without_waiting_for_any_answer(
    world: World, staff_client: Client
) -> None:
    # when
    html = staff_client.get(f"/customers/{world.ana.pk}/").content.decode()
    # then every AI panel is a placeholder that loads itself, and nothing was generated
    ai = f"/customers/{world.ana.pk}/ai/"
    for url in (f"{ai}timeline-summary/", f"{ai}analyze-sentiment/", f"{ai}value/",
                f"{ai}maintenance/"):  # fmt: skip
        assert f'hx-get="{url}" hx-trigger="load"' in html
    assert 'id="technician-recommend"' in html
    assert InsightResult.objects.count() == 0


def test_each_customer_message_on_the_timeline_carries_its_mood(
    world: World, staff_client: Client
) -> None:
    # when
    html = staff_client.get(f"/customers/{world.ana.pk}/").content.decode()
    # then the three inbound messages (not the outbound email), newest first: the mood in
    # words, its score and why in the tooltip (read out by screen readers)
    moods = re.findall(
        r'<span class="mood mood-([a-z-]+)"><span aria-hidden="true">[^<]*</span> ([^<]+)'
        r'<span class="mood-tip"> \(([^<]+)\)</span>',
        html,
    )
    assert [(tone, word) for tone, word, _ in moods] == [
        ("very-negative", "Very negative"), ("very-negative", "Very negative"),
        ("very-positive", "Very positive"),
    ]  # fmt: skip
    assert moods[0][2].startswith("Very negative: -2 on the scale")
    assert "by built-in analysis" in moods[0][2]
    assert moods[1][2].endswith(
        "Moved by &quot;leaking again&quot; (-2.5), &quot;disappointed&quot; (-2.1)."
    )


def test_a_message_in_spanish_is_scored_though_the_customer_prefers_english(
    world: World, staff_client: Client
) -> None:
    # given
    Activity.objects.filter(customer=world.ana).delete()
    ActivityFactory(customer=world.ana, kind="WhatsApp", direction="Inbound",
                    content="Hola, muchas gracias por la visita de ayer")  # fmt: skip
    # when
    html = staff_client.get(f"/customers/{world.ana.pk}/").content.decode()
    # then
    assert '<span class="mood mood-positive"' in html
    assert "Moved by &quot;muchas gracias&quot; (+2)." in html


def test_a_message_in_a_language_the_analysis_does_not_read_is_marked_not_analysed(
    world: World, staff_client: Client
) -> None:
    # given
    Activity.objects.filter(customer=world.ana).delete()
    ActivityFactory(customer=world.ana, kind="WhatsApp", direction="Inbound",
                    content="Bonjour, merci pour la visite, il est très gentil")  # fmt: skip
    # when
    html = staff_client.get(f"/customers/{world.ana.pk}/").content.decode()
    # then
    assert '<span class="mood mood-not-analysed"' in html


def test_other_tabs_show_moods_but_not_the_panels(world: World, staff_client: Client) -> None:
    # when
    html = get(staff_client, f"/customers/{world.ana.pk}/cards/activity/?tab=whatsapp")
    # then
    assert 'id="timeline-ai"' not in html
    assert html.count('<span class="mood ') == 2


# ---- Query counts of the other panels --------------------------------------------------------

# Session and user, customer, appliances, lifespans, last jobs, open reminders, messages.
MAINTENANCE_CARD_QUERIES = 8
# Session and user, the customer's appliance, its prediction (appliance, lifespans, last
# job), service history, average job revenue, the stored row.
APPLIANCE_PANEL_QUERIES = 9 + 1  # is it on an active maintenance plan (issue 14)
# Session and user, customer, the stored answer (its context: 13, and its row), and the four
# sums of the trend.
VALUE_QUERIES = 22 + 1  # the active maintenance plans (issue 14)


def test_the_maintenance_card_costs_the_same_for_two_or_twelve_appliances(
    world: World, staff_client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    url = f"/customers/{world.ana.pk}/ai/maintenance/"
    with django_assert_num_queries(MAINTENANCE_CARD_QUERIES):
        get(staff_client, url)
    reminder = {"title": "Check", "due_date": company_today().isoformat(), "priority": "Low"}
    for _ in range(10):
        appliance = ApplianceFactory(customer=world.ana)
        staff_client.post(maintenance_url(world, appliance, "reminder/"), reminder, **HTMX)
    with django_assert_num_queries(MAINTENANCE_CARD_QUERIES):
        html = get(staff_client, url)
    assert html.count('class="maintenance-item"') == 12
    assert html.count("Reminder: Check") == 10


def test_a_stored_appliance_alert_and_the_value_insights_cost_fixed_queries(
    world: World, staff_client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # given stored answers
    post(staff_client, maintenance_url(world, world.fridge))
    post(staff_client, panel_url(world.ana, "profitability-analysis"))
    # when / then
    with django_assert_num_queries(APPLIANCE_PANEL_QUERIES):
        get(staff_client, maintenance_url(world, world.fridge))
    with django_assert_num_queries(VALUE_QUERIES):
        get(staff_client, f"/customers/{world.ana.pk}/ai/value/")
