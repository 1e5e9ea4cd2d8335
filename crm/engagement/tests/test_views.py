"""The Engagement Hub tab of the Customer View: its five sections, every action, refusals.

Actions answer htmx with 204 and the events their sections reload on; a refused form comes
back with its error (422) and saves nothing; a refused button (Cancel once sending has begun)
comes back as its section with the reason beside the row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from crm.activities.tests.factories import ActivityFactory
from crm.core.dates import company_today
from crm.core.tests.factories import UserFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.customers.tests.heavy import HEAVY, LIGHT, History, customer_with_history
from crm.engagement.hub import next_send_slot
from crm.engagement.models import (
    FollowUpLog,
    Reminder,
    ReminderKind,
    ReminderStatus,
    SuggestionAction,
    SuggestionDecision,
)
from crm.engagement.tests.factories import FollowUpLogFactory
from crm.insights.models import InsightResult
from crm.insights.tests.llm_answers import as_json, valid
from crm.messaging.models import MessageSource, MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.technicians.tests.factories import TechnicianFactory
from tests.fakes.llm_fixtures import llm_server  # noqa: F401  (the local LLM server)
from tests.fakes.llm_server import FakeLLMServer, Reply, server_error

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
SECTIONS = [
    "Reminders", "Suggested Follow-ups", "Scheduled Messages", "Logged Follow-ups",
    "Occasion Messages",
]  # fmt: skip
# Session and user (2), customer and consents (2), reminders (1), the stored suggestions (10:
# the feature's context of customer, last contact twice, lifespans twice, appliances, their
# last services, recent jobs; then the answer and the decisions), messages (1), follow-ups
# (1), occasion drafts (1), the technician choices of the follow-up form (1).
HUB_QUERIES = 19


@pytest.fixture(autouse=True)
def _offline_any_time(settings: Any) -> None:
    """Offline AI and no quiet hours unless a test says otherwise (the clock must not matter)."""
    settings.LLM_PROVIDER = "offline"
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"
    settings.COMPANY_COUNTRY = "US"
    settings.COMPANY_SUBDIVISION = ""


@pytest.fixture
def ana(db: None) -> Customer:
    customer = CustomerFactory(
        name="Ana Ruiz", email="ana@example.com", phone="+13055550100",
        preferred_contact_method="WhatsApp",
    )  # fmt: skip
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    return customer


def url(customer: Customer, rest: str = "") -> str:
    return f"/customers/{customer.pk}/engagement/{rest}"


def events(response: Any) -> set[str]:
    return set(json.loads(response["HX-Trigger"]))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headings(html: str) -> list[str]:
    found = re.findall(r"<h3[^>]*>(.*?)</h3>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).split("\n")[0].strip() for text in found]


def hub_html(client: Client, customer: Customer) -> str:
    response = client.get(url(customer), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def suggestions_generated(client: Client, customer: Customer, **data: str) -> str:
    response = client.post(url(customer, "suggestions/"), data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def suggestion_keys(html: str) -> list[str]:
    return re.findall(r'id="suggestion-([0-9a-f]{32})"', html)


# The tab and the sections


def test_the_customer_page_has_the_engagement_hub_tab_beside_the_timeline_tabs(staff_client, ana):
    # when
    html = staff_client.get(f"/customers/{ana.pk}/").content.decode()
    # then
    tabs = re.findall(r'<a role="tab"[^>]*>([^<]+)</a>', html)
    assert tabs == ["All", "Notes", "Calls", "WhatsApp", "SMS", "Email", "Engagement Hub"]
    assert f'hx-get="/customers/{ana.pk}/engagement/"' in html


def test_the_hub_tab_panel_has_the_five_sections_in_order(staff_client, ana):
    # when
    html = hub_html(staff_client, ana)
    # then
    assert html.lstrip().startswith('<div role="tabpanel" id="timeline-panel"')
    assert [h.split(" ")[0] for h in headings(html)] == [s.split(" ")[0] for s in SECTIONS]
    for section in SECTIONS:
        assert any(h.startswith(section) for h in headings(html)), section


def test_without_htmx_the_hub_is_a_page_of_its_own(staff_client, ana):
    response = staff_client.get(url(ana))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Engagement Hub</h1>" in html
    assert all(any(h.startswith(s) for h in headings(html)) for s in SECTIONS)


def test_signed_out_visitors_and_unknown_customers_and_sections_are_refused(staff_client, ana):
    assert Client().get(url(ana), **HTMX).status_code == 302
    assert staff_client.get("/customers/999999/engagement/", **HTMX).status_code == 404
    assert staff_client.get(url(ana, "sections/nothing/"), **HTMX).status_code == 404


@pytest.mark.parametrize(
    ("section", "heading"),
    [("reminders", "Reminders"), ("suggestions", "Suggested Follow-ups"),
     ("messages", "Scheduled Messages"), ("followups", "Logged Follow-ups"),
     ("occasions", "Occasion Messages")],
)  # fmt: skip
def test_each_section_reloads_itself_and_a_plain_visit_goes_to_the_hub(
    staff_client, ana, section, heading
):
    # when
    response = staff_client.get(url(ana, f"sections/{section}/"), **HTMX)
    plain = staff_client.get(url(ana, f"sections/{section}/"))
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="hub-section')
    assert f'id="hub-{section}"' in html
    assert headings(html)[0].startswith(heading)
    assert plain.status_code == 302
    assert plain["Location"] == f"{url(ana)}#hub-{section}"


def _engagement_rows(customer: Customer, count: int) -> None:
    """Reminders, messages in every status, greeting drafts and logged follow-ups."""
    today = company_today()
    technician = TechnicianFactory()
    user = UserFactory()
    Reminder.objects.bulk_create(
        Reminder(customer=customer, kind=ReminderKind.MANUAL, title=f"Call back {n}",
                 due_date=today + dt.timedelta(days=n % 30), source_key=f"q:{customer.pk}:{n}")
        for n in range(count)
    )  # fmt: skip
    statuses = [MessageStatus.SCHEDULED, MessageStatus.DELIVERED, MessageStatus.CANCELLED]
    for n in range(count):
        ScheduledMessageFactory(
            customer=customer, status=statuses[n % 3], approved_by=user,
            provider_message_id="" if n % 3 != 1 else f"p{customer.pk}-{n}",
            send_at=timezone.now() + dt.timedelta(hours=n - count // 2),
        )  # fmt: skip
        ScheduledMessageFactory(
            customer=customer, status=MessageStatus.DRAFT, source=MessageSource.GREETING
        )
        FollowUpLogFactory(customer=customer, technician=technician if n % 2 else None,
                           staff_user=user)  # fmt: skip


@pytest.mark.parametrize(("history", "rows"), [(LIGHT, 1), (HEAVY, 60)], ids=["light", "heavy"])
def test_the_hub_query_count_is_pinned_and_the_same_light_or_heavy(
    staff_client, django_assert_num_queries, history: History, rows: int
):
    # given a customer with one of everything, or 2,000 activities, 40 appliances, 60 reminders,
    # messages, greeting drafts and follow-ups, and a stored answer with a decision taken
    customer = customer_with_history("Query Count", history)
    _engagement_rows(customer, rows)
    html = suggestions_generated(staff_client, customer)
    staff_client.post(url(customer, f"suggestions/{suggestion_keys(html)[0]}/dismiss/"), **HTMX)
    # when / then
    with django_assert_num_queries(HUB_QUERIES):
        response = staff_client.get(url(customer), **HTMX)
    assert "1 dismissed" in response.content.decode()


# Reminders


@pytest.fixture
def reminder(ana: Customer) -> Reminder:
    return Reminder.objects.create(
        customer=ana, kind=ReminderKind.MAINTENANCE_DUE, title="Fridge <coil> cleaning due",
        due_date=company_today() - dt.timedelta(days=2), priority="High",
        source_key="maintenance:test",
    )  # fmt: skip


def test_reminders_show_due_date_priority_and_the_three_actions(staff_client, ana, reminder):
    # given one open and one snoozed (an open one is shown first), one done (not shown)
    snoozed = Reminder.objects.create(
        customer=ana, kind=ReminderKind.MANUAL, title="Ask about the dryer",
        due_date=company_today(), status=ReminderStatus.SNOOZED,
        snoozed_until=company_today() + dt.timedelta(days=3), source_key="manual:a",
    )  # fmt: skip
    Reminder.objects.create(
        customer=ana, kind=ReminderKind.MANUAL, title="Old business",
        due_date=company_today(), status=ReminderStatus.DONE, source_key="manual:b",
    )  # fmt: skip
    # when
    html = staff_client.get(url(ana, "sections/reminders/"), **HTMX).content.decode()
    text = text_of(html)
    # then
    assert "Fridge &lt;coil&gt; cleaning due" in html
    assert html.index(f'id="reminder-{reminder.pk}"') < html.index(f'id="reminder-{snoozed.pk}"')
    due = reminder.due_date
    assert f"Due {due:%b} {due.day}, {due.year} overdue" in text
    assert "High priority" in text
    assert f"Snoozed until {snoozed.snoozed_until:%b} {snoozed.snoozed_until.day}" in text
    assert "Old business" not in text
    assert all(f'value="{action}"' in html for action in ("Done", "Dismissed", "Snoozed"))


@pytest.mark.parametrize("status", ["Done", "Dismissed"])
def test_done_and_dismiss_close_the_reminder_and_reload_the_section(staff_client, reminder, status):
    # when
    response = staff_client.post(
        url(reminder.customer, f"reminders/{reminder.pk}/"), {"status": status}, **HTMX
    )
    # then
    assert response.status_code == 204
    assert events(response) == {"reminders-changed"}
    reminder.refresh_from_db()
    assert reminder.status == status
    assert reminder.resolved_at is not None


def test_snooze_until_a_later_day(staff_client, reminder):
    # given
    until = company_today() + dt.timedelta(days=10)
    # when
    response = staff_client.post(
        url(reminder.customer, f"reminders/{reminder.pk}/"),
        {"status": "Snoozed", "snoozed_until": until.isoformat()}, **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    reminder.refresh_from_db()
    assert (reminder.status, reminder.snoozed_until) == ("Snoozed", until)


@pytest.mark.parametrize(
    "data",
    [{"status": "Snoozed", "snoozed_until": ""},
     {"status": "Snoozed", "snoozed_until": "2001-01-01"},
     {"status": "Snoozed", "snoozed_until": "not a day"}, {"status": "Open"}, {}],
    ids=["no day", "past day", "bad day", "status not offered", "nothing"],
)  # fmt: skip
def test_a_bad_reminder_action_is_refused_beside_the_reminder(staff_client, reminder, data):
    # when
    response = staff_client.post(url(reminder.customer, f"reminders/{reminder.pk}/"), data, **HTMX)
    # then the section comes back with the reason inside the reminder's row; nothing changed
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="hub-section" id="hub-reminders"')
    row = html[html.index(f'id="reminder-{reminder.pk}"') :].split("</li>")[0]
    assert 'role="alert"' in row
    reminder.refresh_from_db()
    assert (reminder.status, reminder.snoozed_until) == ("Open", None)


def test_another_customers_reminder_is_a_404_and_unchanged(staff_client, reminder):
    other = CustomerFactory()
    response = staff_client.post(
        url(other, f"reminders/{reminder.pk}/"), {"status": "Done"}, **HTMX
    )
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.status == "Open"


def test_a_plain_browser_post_goes_back_to_the_hub_page(staff_client, reminder):
    response = staff_client.post(
        url(reminder.customer, f"reminders/{reminder.pk}/"), {"status": "Done"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(reminder.customer)


def test_add_a_reminder_by_hand(staff_client, staff_user, ana):
    # when
    due = company_today() + dt.timedelta(days=5)
    response = staff_client.post(
        url(ana, "reminders/new/"),
        {"title": "Call about the warranty", "due_date": due.isoformat(), "priority": "Low"},
        **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    assert events(response) == {"reminders-changed"}
    reminder = Reminder.objects.get(customer=ana)
    assert (reminder.title, reminder.due_date, reminder.priority, reminder.kind) == (
        "Call about the warranty", due, "Low", "Manual",
    )  # fmt: skip
    assert reminder.created_by == staff_user


def test_a_reminder_without_title_or_due_date_is_refused_inline_and_not_saved(staff_client, ana):
    # when
    response = staff_client.post(
        url(ana, "reminders/new/"), {"title": " ", "due_date": "", "priority": "Urgent"}, **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"')
    assert html.count('aria-invalid="true"') == 3
    assert not Reminder.objects.exists()


# Suggested follow-ups


def test_the_hub_never_asks_for_an_answer_it_loads_one_into_the_panel(staff_client, ana):
    # when nothing is stored yet
    html = hub_html(staff_client, ana)
    # then the hub rendered without generating anything; the panel asks for it on load
    assert not InsightResult.objects.exists()
    assert f'hx-post="{url(ana, "suggestions/")}" hx-trigger="load"' in html
    assert "Working out suggestions" in html


def test_the_fresh_answer_shows_what_why_when_and_the_draft_with_its_source(staff_client, ana):
    # when
    html = suggestions_generated(staff_client, ana)
    # then the built-in analysis (no LLM configured), with its label and time
    text = text_of(html)
    assert "Built-in analysis" in text
    assert "Generated" in text
    assert 'id="suggestions-refresh"' in html
    assert "Check in" in text
    assert "Why No contact on record" in text
    assert "When Within 2 weeks" in text
    assert "Hi Ana, it has been a while since we last spoke." in text
    assert len(suggestion_keys(html)) == 1
    # and the stored answer is on the hub at once next time, without its loader
    again = hub_html(staff_client, ana)
    assert "Check in" in again
    assert 'hx-trigger="load"' not in again


def test_data_changed_since_the_stored_answer_is_flagged(staff_client, ana):
    # given an answer, then a message from the customer
    suggestions_generated(staff_client, ana)
    ActivityFactory(customer=ana, kind="WhatsApp", direction="Inbound", content="Hello!")
    # when
    html = staff_client.get(url(ana, "sections/suggestions/"), **HTMX).content.decode()
    # then
    assert "Data changed since" in html


def test_refresh_asks_the_llm_and_labels_the_answer_with_its_model(
    staff_client,
    ana,
    llm_server: FakeLLMServer,  # noqa: F811
):
    # given an answer written by the AI model, with HTML in a draft
    answer = valid("followup-suggestions", None)
    answer["suggestions"][1]["draftMessage"] = "Hi Ana, <img src=x onerror=alert(1)> winter!"
    llm_server.queue(Reply(content=as_json(answer)))
    # when
    html = suggestions_generated(staff_client, ana, refresh="1")
    # then
    assert len(llm_server.requests) == 1
    assert "AI model fake-model" in text_of(html)
    assert "LLM says: dryer check" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    # and the stored answer shows as cached on the hub, with no second LLM call
    assert "Cached answer · AI model fake-model" in text_of(hub_html(staff_client, ana))
    assert len(llm_server.requests) == 1


def test_a_failing_llm_gives_the_built_in_analysis_with_its_label(
    staff_client,
    ana,
    llm_server: FakeLLMServer,  # noqa: F811
):
    # given
    llm_server.default = server_error()
    # when
    html = suggestions_generated(staff_client, ana, refresh="1")
    # then
    assert llm_server.requests
    text = text_of(html)
    assert "Built-in analysis" in text
    assert "Check in" in text
    assert 'class="muted ai-warning"' in html


@pytest.fixture
def suggestion_key(staff_client: Client, ana: Customer) -> str:
    return suggestion_keys(suggestions_generated(staff_client, ana))[0]


def form_values(html: str) -> dict[str, str]:
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    values |= dict(
        re.findall(
            r'<select name="([^"]+)".*?<option value="([^"]*)"[^>]*selected', html, flags=re.S
        )
    )
    values |= dict(re.findall(r'<textarea name="([^"]+)"[^>]*>\s*(.*?)</textarea>', html, re.S))
    return values


def test_schedule_opens_the_draft_with_channel_and_time_from_the_preferences(
    staff_client, ana, suggestion_key
):
    # when
    response = staff_client.get(url(ana, f"suggestions/{suggestion_key}/schedule/"), **HTMX)
    # then the preferred channel, the next contact slot and the draft, all editable
    assert response.status_code == 200
    values = form_values(response.content.decode())
    assert values["channel"] == "WhatsApp"
    assert values["purpose"] == "Service"
    assert values["body"].startswith("Hi Ana, it has been a while")
    assert values["send_at"] == f"{next_send_slot(ana):%Y-%m-%dT%H:%M}"
    assert values["idempotency_key"].startswith("hub:")


def test_the_time_offered_is_inside_the_customers_contact_times_in_their_zone(
    staff_client, ana, suggestion_key
):
    # given Ana, in Madrid, likes to hear from us on one weekday from 18:00 (the day after
    # tomorrow there, so that the next slot is unambiguous)
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    day = timezone.now().astimezone(madrid).date() + dt.timedelta(days=2)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    Customer.objects.filter(pk=ana.pk).update(
        timezone="Europe/Madrid",
        preferred_contact_times=[{"day": weekday, "start": "18:00", "end": "20:00"}],
    )
    # when
    html = staff_client.get(url(ana, f"suggestions/{suggestion_key}/schedule/"), **HTMX)
    # then the form (company time) offers 18:00 in Madrid on that day
    expected = dt.datetime.combine(day, dt.time(18), madrid).astimezone(
        zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    assert form_values(html.content.decode())["send_at"] == f"{expected:%Y-%m-%dT%H:%M}"


def test_the_next_slot_skips_quiet_hours(settings, ana):
    # given quiet hours 21:00-08:00 and 22:40 in the customer's (company) time zone
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    late = dt.datetime(2026, 11, 23, 22, 40, tzinfo=zone)
    # when / then: the next morning at 08:00; by day, the next quarter hour
    assert next_send_slot(ana, now=late) == dt.datetime(2026, 11, 24, 8, 0, tzinfo=zone)
    noon = dt.datetime(2026, 11, 23, 12, 5, tzinfo=zone)
    assert next_send_slot(ana, now=noon) == dt.datetime(2026, 11, 23, 12, 15, tzinfo=zone)


def test_a_customer_who_prefers_phone_is_offered_a_written_channel_they_can_receive(
    staff_client, suggestion_key, ana
):
    Customer.objects.filter(pk=ana.pk).update(preferred_contact_method="Phone", phone="")
    html = staff_client.get(url(ana, f"suggestions/{suggestion_key}/schedule/"), **HTMX)
    assert form_values(html.content.decode())["channel"] == "Email"


def schedule_data(**changes: str) -> dict[str, str]:
    when = timezone.localtime() + dt.timedelta(days=2)
    return {
        "channel": "WhatsApp", "purpose": "Service", "subject": "",
        "body": "Hi Ana, shall we check on the <b>fridge</b>?",
        "send_at": f"{when:%Y-%m-%dT%H:%M}", "idempotency_key": "hub:test-1", **changes,
    }  # fmt: skip


def test_scheduling_a_suggestion_creates_an_approved_message_and_marks_it_handled(
    staff_client, staff_user, ana, suggestion_key
):
    # when
    response = staff_client.post(
        url(ana, f"suggestions/{suggestion_key}/schedule/"), schedule_data(), **HTMX
    )
    # then
    assert response.status_code == 204
    assert events(response) == {"suggestions-changed", "messages-changed"}
    message = ScheduledMessage.objects.get(customer=ana)
    assert (message.status, message.source, message.channel, message.purpose) == (
        "Scheduled", "Suggestion", "WhatsApp", "Service",
    )  # fmt: skip
    assert message.body == "Hi Ana, shall we check on the <b>fridge</b>?"
    assert message.approved_by == staff_user
    assert message.created_by == staff_user
    decision = SuggestionDecision.objects.get(customer=ana)
    assert (decision.action, decision.message, decision.suggestion_key) == (
        SuggestionAction.SCHEDULED, message, suggestion_key,
    )  # fmt: skip
    # and the hub shows it handled, and the message in Scheduled Messages (escaped)
    html = hub_html(staff_client, ana)
    assert f"suggestions/{suggestion_key}/schedule/" not in html
    assert "Scheduled by office" in text_of(html)
    assert f'id="message-{message.pk}"' in html
    assert "shall we check on the &lt;b&gt;fridge&lt;/b&gt;?" in html


def test_a_double_submit_of_the_schedule_form_gives_one_message(staff_client, ana, suggestion_key):
    path = url(ana, f"suggestions/{suggestion_key}/schedule/")
    assert staff_client.post(path, schedule_data(), **HTMX).status_code == 204
    again = staff_client.post(path, schedule_data(), **HTMX)
    assert again.status_code == 422
    assert "already scheduled" in again.content.decode()
    assert ScheduledMessage.objects.count() == 1
    assert SuggestionDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"body": "  "}, "body"), ({"channel": "Fax"}, "channel"),
     ({"send_at": "2001-01-01T10:00"}, "send_at"), ({"send_at": "soon"}, "send_at"),
     ({"purpose": "Marketing", "channel": "SMS"}, "channel")],
    ids=["blank draft", "unknown channel", "past time", "bad time", "marketing without opt-in"],
)  # fmt: skip
def test_a_bad_schedule_is_refused_inline_and_saves_nothing(
    staff_client, ana, suggestion_key, changes, field
):
    # when
    response = staff_client.post(
        url(ana, f"suggestions/{suggestion_key}/schedule/"), schedule_data(**changes), **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html), html
    assert not ScheduledMessage.objects.exists()
    assert not SuggestionDecision.objects.exists()


def test_a_channel_the_customer_cannot_receive_is_refused_by_the_outbox(
    staff_client, ana, suggestion_key
):
    Customer.objects.filter(pk=ana.pk).update(email="")
    response = staff_client.post(
        url(ana, f"suggestions/{suggestion_key}/schedule/"), schedule_data(channel="Email"), **HTMX
    )
    assert response.status_code == 422
    assert "The customer has no email address for Email." in response.content.decode()
    assert not ScheduledMessage.objects.exists()


def test_log_manually_records_a_follow_up_and_marks_the_suggestion(
    staff_client, staff_user, ana, suggestion_key
):
    # given the form, prefilled from the suggestion
    form = staff_client.get(url(ana, f"suggestions/{suggestion_key}/log/"), **HTMX)
    values = form_values(form.content.decode())
    assert values["channel"] == "WhatsApp"
    assert values["notes"].startswith("Check in: No contact on record")
    # when
    response = staff_client.post(
        url(ana, f"suggestions/{suggestion_key}/log/"),
        {**values, "notes": "Called her, all fine."}, **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    assert events(response) == {"suggestions-changed", "followups-changed"}
    log = FollowUpLog.objects.get(customer=ana)
    assert (log.notes, log.staff_user, log.channel) == ("Called her, all fine.", staff_user,
                                                        "WhatsApp")  # fmt: skip
    assert SuggestionDecision.objects.get().action == SuggestionAction.LOGGED
    assert "Logged manually by office" in text_of(hub_html(staff_client, ana))


def test_log_manually_in_the_future_is_refused_and_saves_nothing(staff_client, ana, suggestion_key):
    later = timezone.localtime() + dt.timedelta(days=1)
    response = staff_client.post(
        url(ana, f"suggestions/{suggestion_key}/log/"),
        {"channel": "Phone", "notes": "Will call", "occurred_at": f"{later:%Y-%m-%dT%H:%M}"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 422
    assert "cannot be in the future" in response.content.decode()
    assert not FollowUpLog.objects.exists()
    assert not SuggestionDecision.objects.exists()


def test_dismiss_hides_the_suggestion_for_everyone(staff_client, ana, suggestion_key):
    # when
    response = staff_client.post(url(ana, f"suggestions/{suggestion_key}/dismiss/"), **HTMX)
    # then
    assert response.status_code == 204
    assert events(response) == {"suggestions-changed"}
    other = Client()
    other.force_login(UserFactory())
    html = hub_html(other, ana)
    assert suggestion_key not in html
    assert "No suggestions left to act on." in html
    assert "1 dismissed." in html


def test_dismissing_twice_is_refused_beside_the_suggestion(staff_client, ana, suggestion_key):
    # given someone scheduled it meanwhile
    staff_client.post(url(ana, f"suggestions/{suggestion_key}/schedule/"), schedule_data(), **HTMX)
    # when
    response = staff_client.post(url(ana, f"suggestions/{suggestion_key}/dismiss/"), **HTMX)
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "This suggestion was already scheduled." in html
    assert SuggestionDecision.objects.get().action == SuggestionAction.SCHEDULED


def test_a_suggestion_no_longer_in_the_answer_is_a_404(staff_client, ana, suggestion_key):
    for path in ("schedule/", "log/"):
        assert (
            staff_client.get(url(ana, f"suggestions/{'0' * 32}/{path}"), **HTMX).status_code == 404
        )
    assert (
        staff_client.post(url(ana, f"suggestions/{'0' * 32}/dismiss/"), **HTMX).status_code == 404
    )
    other = CustomerFactory()
    assert (
        staff_client.post(url(other, f"suggestions/{suggestion_key}/dismiss/")).status_code == 404
    )
    assert not SuggestionDecision.objects.exists()
