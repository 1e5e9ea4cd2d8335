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
from crm.core.words import written_day, written_moment
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.customers.tests.heavy import HEAVY, LIGHT, History, customer_with_history
from crm.engagement.models import (
    FollowUpLog,
    Reminder,
    ReminderKind,
    ReminderStatus,
    SuggestionAction,
    SuggestionDecision,
)
from crm.engagement.selectors.hub import next_send_slot
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
# last services, recent jobs; then the answer and the decisions), messages (1), messages sent
# on the timeline (1), follow-ups (1), occasion drafts (1), the technician choices of the
# follow-up form (1).
HUB_QUERIES = 20 + 1  # the appliances on an active maintenance plan (issue 14)


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
    """The reload events (the confirmation travels beside them: crm/engagement/tests/test_undo)."""
    return set(json.loads(response["HX-Trigger"])) - {"crm:confirmed"}


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
    assert f"Due {due:%a}, {due:%b} {due.day}, {due.year} overdue" in text
    assert "High priority" in text
    assert f"Snoozed until {written_day(snoozed.snoozed_until)}" in text
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


def form_opened(client: Client, path: str) -> dict[str, str]:
    """The values a form shows when it opens (GET)."""
    response = client.get(path, **HTMX)
    assert response.status_code == 200
    return form_values(response.content.decode())


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
    assert "purpose" not in values  # a suggestion's message is Marketing, not a choice
    assert "Sent as Marketing" in response.content.decode()
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
    # then (a suggestion's message is Marketing, though the post says Service)
    assert response.status_code == 204
    assert events(response) == {"suggestions-changed", "messages-changed"}
    message = ScheduledMessage.objects.get(customer=ana)
    assert (message.status, message.source, message.channel, message.purpose) == (
        "Scheduled", "Suggestion", "WhatsApp", "Marketing",
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
     ({"purpose": "Marketing", "channel": "SMS"}, "channel"),
     ({"channel": "Email", "subject": "Hello\nBcc: everyone@example.com"}, "subject")],
    ids=["blank draft", "unknown channel", "past time", "bad time", "marketing without opt-in",
         "newline in the subject"],
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
    values = form_opened(staff_client, url(ana, f"suggestions/{suggestion_key}/log/"))
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


# Scheduled messages


def message_for(customer: Customer, **fields: Any) -> ScheduledMessage:
    fields.setdefault("send_at", timezone.now() + dt.timedelta(days=1))
    return ScheduledMessageFactory(customer=customer, **fields)


def schedule_at(client: Client, message: ScheduledMessage, when: str) -> Any:
    path = url(message.customer, f"messages/{message.pk}/schedule/")
    return client.post(path, {"send_at": when}, **HTMX)


def section_html(client: Client, customer: Customer, section: str) -> str:
    return client.get(url(customer, f"sections/{section}/"), **HTMX).content.decode()


def test_scheduled_messages_show_status_time_and_delivery(staff_client, ana):
    # given a scheduled message, a delivered one (console) and a failed one
    waiting = message_for(ana, body="See you <Tuesday>")
    delivered = message_for(
        ana, status=MessageStatus.DELIVERED, provider_message_id="c-1", carrier="console",
        send_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    failed = message_for(ana, status=MessageStatus.FAILED, last_error="Number unreachable.")
    # when
    html = section_html(staff_client, ana, "messages")
    text = text_of(html)
    # then
    assert "See you &lt;Tuesday&gt;" in html
    when = timezone.localtime(waiting.send_at)
    assert f"Scheduled WhatsApp {written_moment(when)}" in text
    row = text_of(html[html.index(f'id="message-{delivered.pk}"') :].split("</li>")[0])
    assert "Delivered via console (console channel: not sent to the customer)" in row
    assert "Cancel" not in row  # sending has happened: no actions
    assert "Failed: Number unreachable." in text
    assert f'id="message-send-{failed.pk}"' in html


def test_the_section_polls_while_a_status_may_still_change(staff_client, ana):
    # given only a message delivered long ago: no polling
    message = message_for(
        ana, status=MessageStatus.DELIVERED, provider_message_id="c-1",
        status_changed_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    assert "every 5s" not in section_html(staff_client, ana, "messages")
    # when it is Sent (waiting for the delivery report) or Scheduled, it polls
    for status in (MessageStatus.SENT, MessageStatus.SCHEDULED, MessageStatus.SENDING):
        ScheduledMessage.objects.filter(pk=message.pk).update(
            status=status, status_changed_at=timezone.now(),
            sending_started_at=timezone.now(),
        )  # fmt: skip
        assert "every 5s" in section_html(staff_client, ana, "messages"), status


def test_cancel_a_scheduled_message(staff_client, staff_user, ana):
    message = message_for(ana)
    response = staff_client.post(url(ana, f"messages/{message.pk}/cancel/"), **HTMX)
    assert response.status_code == 204
    assert events(response) == {"messages-changed"}
    message.refresh_from_db()
    assert message.status == "Cancelled"
    assert message.last_error == f"Cancelled by {staff_user.username}."


@pytest.mark.parametrize("action", ["cancel/", "send-now/"])
@pytest.mark.parametrize("status", [MessageStatus.SENDING, MessageStatus.SENT])
def test_cancel_and_send_now_are_refused_once_sending_has_begun(staff_client, ana, action, status):
    # given the dispatcher took the message while the page was open
    message = message_for(
        ana, status=status, provider_message_id="p-1", sending_started_at=timezone.now()
    )
    # when
    response = staff_client.post(
        url(ana, f"messages/{message.pk}/{action}"), {"confirmed": "1"}, **HTMX
    )
    # then the section comes back with the reason beside the message; nothing changed
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="hub-section" id="hub-messages"')
    row = html[html.index(f'id="message-{message.pk}"') :].split("</li>")[0]
    assert f"Sending has begun (status {status}); the message can no longer change." in row
    message.refresh_from_db()
    assert message.status == status


def test_send_now_approves_and_sends_at_once(
    staff_client, staff_user, ana, django_capture_on_commit_callbacks
):
    # given a draft for tomorrow (the console channel: WhatsApp is not configured)
    message = message_for(ana, status=MessageStatus.DRAFT)
    # when (tasks run inline in tests, as a consumer runs them once the row is committed)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url(ana, f"messages/{message.pk}/send-now/"), {"confirmed": "1"}, **HTMX
        )
    # then
    assert response.status_code == 204
    message.refresh_from_db()
    assert (message.status, message.carrier) == ("Delivered", "console")
    assert message.approved_by == staff_user
    assert "Delivered via console" in text_of(section_html(staff_client, ana, "messages"))


def test_send_now_to_an_opted_out_channel_is_refused_beside_the_message(staff_client, ana):
    message = message_for(ana)
    ana.consents.filter(channel="WhatsApp").update(opted_out_at=timezone.now())
    response = staff_client.post(
        url(ana, f"messages/{message.pk}/send-now/"), {"confirmed": "1"}, **HTMX
    )
    assert response.status_code == 422
    assert "The customer opted out of WhatsApp" in response.content.decode()
    message.refresh_from_db()
    assert message.status == "Scheduled"


def test_reschedule_moves_the_time_and_records_the_approval(staff_client, staff_user, ana):
    # given a cancelled message
    message = message_for(ana, status=MessageStatus.CANCELLED)
    form = staff_client.get(url(ana, f"messages/{message.pk}/schedule/"), **HTMX)
    assert form_values(form.content.decode())["send_at"] == (
        f"{timezone.localtime(message.send_at):%Y-%m-%dT%H:%M}"
    )
    when = timezone.localtime() + dt.timedelta(days=3)
    # when
    response = schedule_at(staff_client, message, f"{when:%Y-%m-%dT%H:%M}")
    # then
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == "Scheduled"
    assert message.send_at == when.replace(second=0, microsecond=0)
    assert message.approved_by == staff_user


@pytest.mark.parametrize("when", ["2001-01-01T09:00", "", "tomorrow"])
def test_a_bad_reschedule_is_refused_inline_and_changes_nothing(staff_client, ana, when):
    message = message_for(ana)
    before = message.send_at
    response = schedule_at(staff_client, message, when)
    assert response.status_code == 422
    assert re.search(r'name="send_at"[^>]*aria-invalid="true"', response.content.decode())
    message.refresh_from_db()
    assert message.send_at == before


def test_reschedule_after_sending_began_is_refused_in_the_form(staff_client, ana):
    message = message_for(ana, status=MessageStatus.SENDING, sending_started_at=timezone.now())
    when = timezone.localtime() + dt.timedelta(days=3)
    response = schedule_at(staff_client, message, f"{when:%Y-%m-%dT%H:%M}")
    assert response.status_code == 422
    assert "Sending has begun (status Sending)" in response.content.decode()


def test_another_customers_message_is_a_404_and_unchanged(staff_client, ana):
    message = message_for(CustomerFactory())
    for action in ("cancel/", "send-now/"):
        assert (
            staff_client.post(url(ana, f"messages/{message.pk}/{action}"), **HTMX).status_code
            == 404
        )
    for action in ("schedule/", "edit/"):
        assert (
            staff_client.get(url(ana, f"messages/{message.pk}/{action}"), **HTMX).status_code == 404
        )
    message.refresh_from_db()
    assert message.status == "Scheduled"


# Logged follow-ups


def test_logged_follow_ups_show_who_and_when(staff_client, ana):
    # given one by a technician, one by a staff user
    tom = TechnicianFactory(name="Tom Baker")
    by_tech = FollowUpLogFactory(customer=ana, technician=tom, notes="Fridge <ok>")
    by_staff = FollowUpLogFactory(
        customer=ana, staff_user=UserFactory(first_name="Eva", last_name="Lind"),
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )  # fmt: skip
    # when
    html = section_html(staff_client, ana, "followups")
    text = text_of(html)
    # then newest first, with who and when
    assert html.index(f'id="followup-{by_tech.pk}"') < html.index(f'id="followup-{by_staff.pk}"')
    when = timezone.localtime(by_staff.occurred_at)
    assert f"Eva Lind {written_moment(when)} Phone" in text
    assert "Tom Baker" in text
    assert "Fridge &lt;ok&gt;" in html


def test_log_a_follow_up_by_a_technician_or_by_me(staff_client, staff_user, ana):
    # given
    tom = TechnicianFactory(name="Tom Baker")
    now = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
    # when
    by_me = staff_client.post(
        url(ana, "followups/new/"),
        {"channel": "Phone", "technician": "", "occurred_at": now, "notes": "Called."}, **HTMX,
    )  # fmt: skip
    by_tom = staff_client.post(
        url(ana, "followups/new/"),
        {"channel": "SMS", "technician": tom.pk, "occurred_at": now, "notes": "Texted."}, **HTMX,
    )  # fmt: skip
    # then
    assert (by_me.status_code, by_tom.status_code) == (204, 204)
    assert events(by_me) == {"followups-changed"}
    logs = {log.notes: log for log in FollowUpLog.objects.filter(customer=ana)}
    assert (logs["Called."].staff_user, logs["Called."].technician) == (staff_user, None)
    assert logs["Texted."].technician == tom


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"notes": ""}, "notes"), ({"channel": "Pigeon"}, "channel"),
     ({"technician": "999999"}, "technician"),
     ({"occurred_at": "2999-01-01T10:00"}, "occurred_at")],
    ids=["no notes", "unknown channel", "unknown technician", "in the future"],
)  # fmt: skip
def test_a_bad_follow_up_is_refused_inline_and_not_saved(staff_client, ana, changes, field):
    data = {"channel": "Phone", "technician": "", "notes": "Called.",
            "occurred_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}", **changes}  # fmt: skip
    response = staff_client.post(url(ana, "followups/new/"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"')
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html)
    assert not FollowUpLog.objects.exists()


def test_an_inactive_technician_cannot_be_named(staff_client, ana):
    gone = TechnicianFactory(active=False)
    response = staff_client.post(
        url(ana, "followups/new/"),
        {"channel": "Phone", "technician": gone.pk, "notes": "Called.",
         "occurred_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"}, **HTMX,
    )  # fmt: skip
    assert response.status_code == 422
    assert not FollowUpLog.objects.exists()


# Occasion messages


@pytest.fixture
def greeting(ana: Customer) -> ScheduledMessage:
    """A draft as the nightly sweep writes it."""
    return message_for(
        ana, status=MessageStatus.DRAFT, source=MessageSource.GREETING, purpose="Marketing",
        body="Hi Ana,\n\nWishing you a wonderful <Thanksgiving>!", idempotency_key="greeting:x",
    )  # fmt: skip


def test_greeting_drafts_wait_in_occasion_messages_not_in_the_outbox(staff_client, greeting):
    html = hub_html(staff_client, greeting.customer)
    occasions = html[html.index('id="hub-occasions"') :]
    outbox = html[html.index('id="hub-messages"') : html.index('id="hub-followups"')]
    assert f'id="message-{greeting.pk}"' in occasions
    assert f'id="message-{greeting.pk}"' not in outbox
    assert "Wishing you a wonderful &lt;Thanksgiving&gt;!" in occasions
    for action in ("edit/", "schedule/", "send-now/", "cancel/"):
        assert f"messages/{greeting.pk}/{action}" in occasions


def test_edit_a_greeting_keeps_it_a_draft(staff_client, greeting):
    # given
    customer = greeting.customer
    values = form_opened(staff_client, url(customer, f"messages/{greeting.pk}/edit/"))
    assert values["body"].startswith("Hi Ana,")
    # when
    response = staff_client.post(
        url(customer, f"messages/{greeting.pk}/edit/"),
        {**values, "body": "Hi Ana, happy Thanksgiving from all of us!"}, **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    assert events(response) == {"messages-changed"}
    greeting.refresh_from_db()
    assert greeting.body == "Hi Ana, happy Thanksgiving from all of us!"
    assert (greeting.status, greeting.approved_by) == ("Draft", None)


def test_an_emptied_greeting_is_refused_and_unchanged(staff_client, greeting):
    customer = greeting.customer
    values = form_opened(staff_client, url(customer, f"messages/{greeting.pk}/edit/"))
    response = staff_client.post(
        url(customer, f"messages/{greeting.pk}/edit/"), {**values, "body": ""}, **HTMX
    )
    assert response.status_code == 422
    greeting.refresh_from_db()
    assert greeting.body.startswith("Hi Ana,")


def test_schedule_a_greeting_approves_it_into_scheduled_messages(
    staff_client, staff_user, greeting
):
    # when
    customer = greeting.customer
    when = timezone.localtime() + dt.timedelta(days=1)
    response = schedule_at(staff_client, greeting, f"{when:%Y-%m-%dT%H:%M}")
    # then
    assert response.status_code == 204
    greeting.refresh_from_db()
    assert (greeting.status, greeting.approved_by) == ("Scheduled", staff_user)
    html = hub_html(staff_client, customer)
    outbox = html[html.index('id="hub-messages"') : html.index('id="hub-followups"')]
    assert f'id="message-{greeting.pk}"' in outbox
    assert "No greetings waiting for review." in html


def test_send_a_greeting_now(
    staff_client, staff_user, greeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url(greeting.customer, f"messages/{greeting.pk}/send-now/"),
            {"section": "occasions", "confirmed": "1"}, **HTMX,
        )  # fmt: skip
    assert response.status_code == 204
    greeting.refresh_from_db()
    assert (greeting.status, greeting.approved_by) == ("Delivered", staff_user)


def test_a_greeting_refused_at_send_time_is_shown_in_occasion_messages(staff_client, greeting):
    # given the customer withdrew the marketing opt-in meanwhile
    greeting.customer.consents.update(marketing_opt_in=False)
    # when
    response = staff_client.post(
        url(greeting.customer, f"messages/{greeting.pk}/send-now/"),
        {"section": "occasions", "confirmed": "1"}, **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="hub-occasions"' in html.split(">")[0]
    assert "has not opted in to marketing by WhatsApp" in html
    greeting.refresh_from_db()
    assert greeting.status == "Draft"


def test_draft_a_greeting_for_an_upcoming_occasion(staff_client, ana):
    # given the form: the occasions coming up and the channels Ana accepts marketing on
    html = staff_client.get(url(ana, "greetings/new/"), **HTMX).content.decode()
    occasions = re.findall(r'<option value="([^"]+)"', html.split('name="channel"')[0])
    assert any(o.startswith("service-anniversary:") for o in occasions)
    assert re.findall(r'<option value="([^"]+)"', html.split('name="channel"')[1]) == ["WhatsApp"]
    chosen = next(o for o in occasions if not o.startswith("service-anniversary"))
    # when
    response = staff_client.post(
        url(ana, "greetings/new/"), {"occasion": chosen, "channel": "WhatsApp"}, **HTMX
    )
    # then a draft from the greeting feature (offline: the built-in wording), not approved
    assert response.status_code == 204
    assert events(response) == {"messages-changed"}
    draft = ScheduledMessage.objects.get(customer=ana)
    assert (draft.status, draft.source, draft.purpose, draft.approved_by) == (
        "Draft", "Greeting", "Marketing", None,
    )  # fmt: skip
    assert draft.idempotency_key == f"greeting:{ana.pk}:{chosen}"
    assert draft.body.startswith("Hi Ana,")
    assert f'id="message-{draft.pk}"' in section_html(staff_client, ana, "occasions")
    # and the same occasion twice is refused
    again = staff_client.post(
        url(ana, "greetings/new/"), {"occasion": chosen, "channel": "WhatsApp"}, **HTMX
    )
    assert again.status_code == 422
    assert "already exists (Draft)" in again.content.decode()
    assert ScheduledMessage.objects.count() == 1


def test_no_greeting_without_a_marketing_opt_in(staff_client, ana):
    ana.consents.update(marketing_opt_in=False)
    html = staff_client.get(url(ana, "greetings/new/"), **HTMX).content.decode()
    anniversary = re.search(r'<option value="(service-anniversary:[^"]+)"', html).group(1)
    response = staff_client.post(
        url(ana, "greetings/new/"), {"occasion": anniversary, "channel": "WhatsApp"}, **HTMX
    )
    assert response.status_code == 422
    assert not ScheduledMessage.objects.exists()


# CSRF


def test_every_action_needs_the_csrf_token(ana, staff_user, reminder, greeting):
    # given a browser session without the token
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    # when / then
    for path in (f"reminders/{reminder.pk}/", "reminders/new/", "suggestions/",
                 f"messages/{greeting.pk}/send-now/", f"messages/{greeting.pk}/cancel/",
                 f"messages/{greeting.pk}/edit/", "followups/new/", "greetings/new/"):  # fmt: skip
        assert client.post(url(ana, path), {"status": "Done"}, **HTMX).status_code == 403, path
    reminder.refresh_from_db()
    greeting.refresh_from_db()
    assert (reminder.status, greeting.status) == ("Open", "Draft")
    assert not InsightResult.objects.exists()


# Without JavaScript


def test_without_htmx_forms_are_pages_and_actions_land_on_the_hub_page(
    staff_client, ana, suggestion_key
):
    # the schedule form on a page of its own
    page = staff_client.get(url(ana, f"suggestions/{suggestion_key}/schedule/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h2 id="modal-title">Schedule follow-up</h2>' in html
    assert f'href="{url(ana)}">Back to Ana Ruiz</a>' in html
    # saving goes back to the hub page
    saved = staff_client.post(url(ana, f"suggestions/{suggestion_key}/schedule/"), schedule_data())
    assert saved.status_code == 302
    assert saved["Location"] == url(ana)
    # a refused button shows the hub page with the reason beside the message
    message = ScheduledMessage.objects.get()
    ScheduledMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, sending_started_at=timezone.now()
    )
    refused = staff_client.post(url(ana, f"messages/{message.pk}/cancel/"))
    assert refused.status_code == 422
    assert "<h1>Engagement Hub</h1>" in refused.content.decode()
    assert "Sending has begun (status Sending)" in refused.content.decode()


def test_messages_sent_outside_the_outbox_show_in_the_messages_section(staff_client) -> None:
    # given a WhatsApp sent before ServiceCRM (on the timeline, no outbox row) and a note
    customer = CustomerFactory()
    ActivityFactory(customer=customer, kind="WhatsApp", direction="Outbound",
                    content="Your dryer part arrived, see you Tuesday")  # fmt: skip
    ActivityFactory(customer=customer, kind="Note", direction="Internal", content="Gate code 41")
    # when
    page = staff_client.get(url(customer, "sections/messages/"), **HTMX).content.decode()
    # then
    assert "No messages scheduled or sent yet." not in page
    sent = page[page.index('id="hub-sent"') :]
    assert "Your dryer part arrived, see you Tuesday" in sent
    assert "Gate code 41" not in page


def test_a_customer_with_no_messages_is_told_so(staff_client) -> None:
    page = staff_client.get(url(CustomerFactory(), "sections/messages/"), **HTMX).content.decode()
    assert "No messages scheduled or sent yet." in page
    assert 'id="hub-sent"' not in page
