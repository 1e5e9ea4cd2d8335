"""The Today page: landing after sign-in, sections that reload, actions in place, fixed queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.activities.tests.factories import ActivityFactory
from crm.core.company import company
from crm.core.dates import company_today
from crm.core.services import company_settings_update
from crm.core.tests.factories import UserFactory
from crm.customers.models import ContactConsent
from crm.engagement.models import ReminderKind, ReminderStatus
from crm.engagement.tests.factories import ReminderFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.office.tests.today_rows import today_rows
from crm.reviews.models import FollowUpStatus, ServiceFollowUp
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
SECTIONS = ["reminders", "messages", "drafts", "scores", "inbound", "visits"]
# Session and user, then a count and a page of rows for each of the six sections, and the
# outbox's per-channel queues going out (the messages section), and the first-run checklist's
# two (are there technicians, are there customers). company() costs none: it is in memory.
CHECKLIST_QUERIES = 2
PAGE_QUERIES = 2 + 2 * 6 + 1 + CHECKLIST_QUERIES
SECTION_QUERIES = 2 + 2
QUEUE_QUERIES = {"messages": 1}


@pytest.fixture(autouse=True)
def _always_contact_hours(settings):  # type: ignore[no-untyped-def]
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"


def events(response) -> set[str]:  # type: ignore[no-untyped-def]
    return set(json.loads(response["HX-Trigger"]))


def test_signing_in_lands_on_today(staff_user):
    # given
    staff_user.set_password("pw-for-the-test")
    staff_user.save()
    client = Client()
    # when
    response = client.post("/login/", {"username": "office", "password": "pw-for-the-test"})
    # then
    assert (response.status_code, response["Location"]) == (302, "/")
    page = client.get("/")
    assert "<h1>Today</h1>" in page.content.decode()


@pytest.mark.parametrize("rows", [2, 40])
def test_the_page_costs_the_same_queries_for_few_and_many_rows(
    staff_client, django_assert_num_queries, rows
):
    # given
    today_rows(rows)
    # when
    with django_assert_num_queries(PAGE_QUERIES):
        response = staff_client.get("/today/")
    # then
    html = response.content.decode()
    assert html.count('class="hub-item"') == 6 * min(rows, 20)
    assert html.count('<a href="/customers/') >= 6 * min(rows, 20)


@pytest.mark.parametrize("rows", [2, 40])
@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_reloads_in_fixed_queries(
    staff_client, django_assert_num_queries, rows, section
):
    # given
    today_rows(rows)
    # when
    with django_assert_num_queries(SECTION_QUERIES + QUEUE_QUERIES.get(section, 0)):
        response = staff_client.get(f"/today/sections/{section}/", **HTMX)
    # then
    html = response.content.decode()
    assert (response.status_code, html.count('class="hub-item"')) == (200, min(rows, 20))
    assert html.lstrip().startswith(f'<section class="card today-section" id="today-{section}"')


def test_a_section_keeps_the_page_address_with_its_filters(staff_client):
    # given
    ReminderFactory(kind=ReminderKind.MANUAL, title="Call about the oven")
    ReminderFactory(title="Dryer vent cleaning due")
    # when
    response = staff_client.get("/today/sections/reminders/?kind=Manual", **HTMX)
    # then
    html = response.content.decode()
    assert response["HX-Replace-Url"] == "/today/?kind=Manual"
    assert ("Call about the oven" in html, "Dryer vent cleaning due" in html) == (True, False)
    assert 'hx-get="/today/sections/reminders/?kind=Manual"' in html


def test_a_section_reloading_itself_leaves_the_address_alone(staff_client):
    # when
    response = staff_client.get(
        "/today/sections/drafts/?kind=Manual", HTTP_HX_TRIGGER="today-drafts", **HTMX
    )
    # then
    assert response.status_code == 200
    assert "HX-Replace-Url" not in response


def test_a_plain_visit_to_a_section_goes_to_it_on_the_page(staff_client):
    # when
    response = staff_client.get("/today/sections/drafts/?drafts_page=2")
    # then
    assert response["Location"] == "/today/?drafts_page=2#today-drafts"


def test_an_unknown_section_is_404(staff_client):
    assert staff_client.get("/today/sections/nope/", **HTMX).status_code == 404


def test_pages_of_a_section_link_to_each_other(staff_client):
    # given
    for _ in range(21):
        ReminderFactory()
    # when
    html = staff_client.get("/today/?reminders_page=2&kind=").content.decode()
    # then
    assert "Page 2 of 2" in html
    assert 'href="/today/?kind=&amp;reminders_page=1#today-reminders"' in html


def test_the_badge_counts_what_waits_in_one_query(staff_client, django_assert_num_queries):
    # given
    today_rows(2)
    # when
    with django_assert_num_queries(2 + 1):
        response = staff_client.get("/today/counts/", **HTMX)
    # then
    assert '<span class="nav-badge" id="today-count">10<' in response.content.decode()


def test_every_page_has_the_lazy_badge_and_nothing_waiting_shows_none(staff_client):
    # when
    page = staff_client.get("/customers/").content.decode()
    badge = staff_client.get("/today/counts/", **HTMX).content.decode()
    # then
    assert 'hx-get="/today/counts/" hx-trigger="load, today-changed from:body"' in page
    assert badge == ""


# Reminders


def test_done_answers_htmx_with_the_events_of_the_section_and_badge(staff_client):
    # given
    reminder = ReminderFactory()
    # when
    response = staff_client.post(f"/today/reminders/{reminder.pk}/", {"status": "Done"}, **HTMX)
    # then
    reminder.refresh_from_db()
    assert response.status_code == 204
    assert events(response) == {"today-reminders-changed", "today-changed", "crm:confirmed"}
    assert reminder.status == ReminderStatus.DONE


@pytest.mark.parametrize(("snooze", "days"), [("1", 1), ("7", 7)])
def test_snooze_for_a_day_or_a_week_without_htmx_goes_back_to_today(staff_client, snooze, days):
    # given
    reminder = ReminderFactory()
    # when
    response = staff_client.post(f"/today/reminders/{reminder.pk}/", {"snooze": snooze})
    # then
    reminder.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert reminder.status == ReminderStatus.SNOOZED
    assert reminder.snoozed_until == company_today() + dt.timedelta(days=days)


@pytest.mark.parametrize("data", [{"status": "Open"}, {"snooze": "3"}, {}])
def test_a_reminder_action_that_is_not_offered_is_refused_in_place(staff_client, data):
    # given
    reminder = ReminderFactory()
    # when
    response = staff_client.post(f"/today/reminders/{reminder.pk}/", data, **HTMX)
    # then
    reminder.refresh_from_db()
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert (reminder.status, reminder.snoozed_until) == (ReminderStatus.OPEN, None)


def test_dismissing_a_reminder_that_does_not_exist_is_404(staff_client):
    assert staff_client.post("/today/reminders/999/", {"status": "Dismissed"}).status_code == 404


# Messages needing a person


def test_retry_puts_a_failed_message_back_in_the_outbox(staff_client):
    # given
    message = ScheduledMessageFactory(status=MessageStatus.FAILED, attempts=5, last_error="No.")
    # when
    response = staff_client.post(f"/today/messages/{message.pk}/retry/", {"confirmed": "1"}, **HTMX)
    # then
    message.refresh_from_db()
    assert response.status_code == 204
    assert events(response) == {"today-messages-changed", "today-changed", "crm:confirmed"}
    assert (message.status, message.attempts, message.last_error) == ("Scheduled", 0, "")


def test_mark_sent_and_mark_failed_settle_unknown_messages(staff_client):
    # given
    sent = ScheduledMessageFactory(status=MessageStatus.UNKNOWN, needs_review=True)
    failed = ScheduledMessageFactory(status=MessageStatus.UNKNOWN, needs_review=True)
    # when
    staff_client.post(f"/today/messages/{sent.pk}/mark-sent/", **HTMX)
    staff_client.post(f"/today/messages/{failed.pk}/mark-failed/", **HTMX)
    # then
    sent.refresh_from_db()
    failed.refresh_from_db()
    assert (sent.status, sent.needs_review) == (MessageStatus.SENT, False)
    assert (failed.status, failed.needs_review) == (MessageStatus.FAILED, False)


def test_marking_a_failed_message_sent_is_refused_with_the_reason_beside_it(staff_client):
    # given
    message = ScheduledMessageFactory(status=MessageStatus.FAILED, last_error="Blocked.")
    # when
    response = staff_client.post(f"/today/messages/{message.pk}/mark-sent/", **HTMX)
    # then
    html = response.content.decode()
    message.refresh_from_db()
    assert response.status_code == 422
    assert "The provider reported this message as failed" in html
    assert html.lstrip().startswith('<section class="card today-section" id="today-messages"')
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "Blocked.")


def test_a_refusal_without_htmx_shows_the_whole_page_with_the_reason(staff_client):
    # given
    message = ScheduledMessageFactory(status=MessageStatus.UNKNOWN)
    # when
    response = staff_client.post(f"/today/messages/{message.pk}/retry/", {"confirmed": "1"})
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "<h1>Today</h1>" in html
    assert "mark it failed before retrying" in html
    assert ScheduledMessage.objects.get(pk=message.pk).status == MessageStatus.UNKNOWN


def test_cancel_gives_up_on_a_failed_message_but_not_on_an_unknown_one(staff_client):
    # given
    failed = ScheduledMessageFactory(status=MessageStatus.FAILED)
    unknown = ScheduledMessageFactory(status=MessageStatus.UNKNOWN)
    # when
    gave_up = staff_client.post(f"/today/messages/{failed.pk}/cancel/", **HTMX)
    refused = staff_client.post(f"/today/messages/{unknown.pk}/cancel/", **HTMX)
    # then
    assert (gave_up.status_code, refused.status_code) == (204, 422)
    assert "Sending has begun (status Unknown)" in refused.content.decode()
    statuses = dict(ScheduledMessage.objects.values_list("id", "status"))
    assert statuses == {failed.pk: MessageStatus.CANCELLED, unknown.pk: MessageStatus.UNKNOWN}


def test_an_unknown_message_action_is_404(staff_client):
    message = ScheduledMessageFactory(status=MessageStatus.FAILED)
    assert staff_client.post(f"/today/messages/{message.pk}/delete/").status_code == 404


# Drafts


def test_approve_one_draft(staff_client, staff_user):
    # given
    draft = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    # when
    response = staff_client.post("/today/drafts/approve/", {"message": [draft.pk]}, **HTMX)
    # then
    draft.refresh_from_db()
    assert response.status_code == 204
    assert events(response) == {"today-drafts-changed", "today-changed", "crm:confirmed"}
    assert (draft.status, draft.approved_by_id) == (MessageStatus.SCHEDULED, staff_user.pk)


def test_approve_selected_goes_ahead_with_the_good_ones_and_shows_why_the_others_did_not(
    staff_client,
):
    # given
    good = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    opted_out = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    ContactConsent.objects.create(
        customer=opted_out.customer, channel="WhatsApp",
        opted_out_at=dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC),
    )  # fmt: skip
    # when
    response = staff_client.post(
        "/today/drafts/approve/", {"message": [good.pk, opted_out.pk]}, **HTMX
    )
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "today-changed" in events(response)
    assert f'id="draft-{opted_out.pk}"' in html
    assert "The customer opted out of WhatsApp on Mon, Nov 2, 2026." in html
    statuses = dict(ScheduledMessage.objects.values_list("id", "status"))
    assert statuses == {good.pk: MessageStatus.SCHEDULED, opted_out.pk: MessageStatus.DRAFT}


def test_approving_nothing_says_so(staff_client):
    # when
    response = staff_client.post("/today/drafts/approve/", {"message": ["x"]}, **HTMX)
    # then
    assert response.status_code == 422
    assert "Choose at least one draft to approve." in response.content.decode()


def test_a_draft_is_edited_in_the_engagement_hub_form(staff_client):
    # given
    draft = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    # when
    html = staff_client.get("/today/sections/drafts/", **HTMX).content.decode()
    # then
    url = f"/customers/{draft.customer_id}/engagement/messages/{draft.pk}/edit/"
    assert f'href="{url}"' in html
    assert "messages-changed from:body" in html


# Low scores and unanswered messages


def test_handled_takes_a_low_score_off_the_list_and_twice_is_refused(staff_client, staff_user):
    # given
    follow_up = ServiceFollowUpFactory(status=FollowUpStatus.COMPLETED, satisfaction_rating=1)
    url = f"/today/scores/{follow_up.pk}/handled/"
    # when
    first = staff_client.post(url, **HTMX)
    second = staff_client.post(url, **HTMX)
    # then
    follow_up.refresh_from_db()
    assert (first.status_code, second.status_code) == (204, 422)
    assert "Already handled by office" in second.content.decode()
    assert follow_up.handled_by_id == staff_user.pk
    assert ServiceFollowUp.objects.filter(handled_at__isnull=True).count() == 0


def test_answered_records_a_note_that_clears_the_customers_messages(staff_client):
    # given
    message = ActivityFactory(
        kind=ActivityKind.SMS, direction=Direction.INBOUND, content="Hello?",
        occurred_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    # when
    response = staff_client.post(f"/today/inbound/{message.customer_id}/answered/", **HTMX)
    # then
    note = Activity.objects.exclude(pk=message.pk).get()
    assert response.status_code == 204
    assert events(response) == {"today-inbound-changed", "today-changed", "crm:confirmed"}
    assert (note.kind, note.customer_id) == (ActivityKind.NOTE, message.customer_id)
    html = staff_client.get("/today/sections/inbound/", **HTMX).content.decode()
    assert "Every customer has had an answer." in html


def test_actions_are_posts_only(staff_client):
    reminder = ReminderFactory()
    assert staff_client.get(f"/today/reminders/{reminder.pk}/").status_code == 405


def test_today_is_behind_login(db):
    UserFactory()
    response = Client().get("/today/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_counts_past_the_cap_show_a_plus_in_the_sections_and_the_badge(staff_client, monkeypatch):
    # given: the cap lowered to 3, and five rows in each section
    monkeypatch.setattr("crm.office.selectors.today.COUNT_CAP", 3)
    today_rows(5)
    # when
    html = staff_client.get("/today/").content.decode()
    badge = staff_client.get("/today/counts/", **HTMX).content.decode()
    # then: every row is still listed, the count says "more than"
    assert html.count('<span class="count">3+</span>') == 6
    assert html.count('class="hub-item"') == 6 * 5
    assert '<span class="nav-badge" id="today-count">3+<' in badge


def test_a_capped_section_pages_without_a_last_page(staff_client, monkeypatch):
    # given: 25 due reminders counted up to 21, pages of 20
    monkeypatch.setattr("crm.office.selectors.today.COUNT_CAP", 20)
    for _ in range(25):
        ReminderFactory()
    # when
    first = staff_client.get("/today/").content.decode()
    second = staff_client.get("/today/?reminders_page=2").content.decode()
    # then
    assert ("<span>Page 1</span>" in first, "reminders_page=2" in first) == (True, True)
    assert second.count('id="reminder-done-') == 5


def test_stored_company_settings_add_no_query_to_the_page(staff_client, django_assert_num_queries):
    # given an Owner's saved settings, already read by this process (as by any earlier request)
    today_rows(2)
    company_settings_update(values={"name": "Frost & Sons", "review_link": "https://g.page/r"})
    company()
    # when / then: company() answers from memory; the version check is a cache read, not a query
    with django_assert_num_queries(PAGE_QUERIES):
        response = staff_client.get("/today/")
    assert response.status_code == 200
