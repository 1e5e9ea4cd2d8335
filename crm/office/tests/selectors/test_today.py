"""What is in and out of each section of Today, at its boundaries."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.tests.factories import ActivityFactory
from crm.core.dates import company_today
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import ReminderKind, ReminderPriority, ReminderStatus
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.models import JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageStatus
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.office.selectors.today import (
    ReminderFilter,
    today_counts,
    today_drafts,
    today_low_scores,
    today_messages,
    today_reminders,
    today_unanswered,
    today_visits,
)
from crm.office.tests.today_rows import today_rows, tomorrow_at
from crm.reviews.models import FollowUpStatus
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Monday 2026-11-23 11:00 in New York: four working hours back is Friday 17:00.
MONDAY_11 = dt.datetime(2026, 11, 23, 11, 0, tzinfo=NEW_YORK)


def ids(page) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.pk for row in page]


def test_reminders_due_today_or_overdue_are_in_tomorrow_and_closed_ones_are_out():
    # given
    today = company_today()
    overdue = ReminderFactory(due_date=today - dt.timedelta(days=3))
    due = ReminderFactory(due_date=today)
    ReminderFactory(due_date=today + dt.timedelta(days=1))
    ReminderFactory(due_date=today, status=ReminderStatus.DONE)
    ReminderFactory(due_date=today, status=ReminderStatus.DISMISSED)
    ReminderFactory(
        due_date=today, status=ReminderStatus.SNOOZED, snoozed_until=today + dt.timedelta(days=1)
    )
    woken = ReminderFactory(
        due_date=today - dt.timedelta(days=1), status=ReminderStatus.SNOOZED, snoozed_until=today
    )
    # when
    page = today_reminders(filters=ReminderFilter())
    # then
    assert ids(page) == [overdue.pk, woken.pk, due.pk]


def test_reminders_filter_by_kind_and_priority_and_sort_urgent_first_within_a_day():
    # given
    today = company_today()
    low = ReminderFactory(priority=ReminderPriority.LOW)
    high = ReminderFactory(priority=ReminderPriority.HIGH)
    manual = ReminderFactory(kind=ReminderKind.MANUAL, priority=ReminderPriority.HIGH)
    ReminderFactory(kind=ReminderKind.MANUAL, due_date=today + dt.timedelta(days=2))
    # when / then
    assert ids(today_reminders(filters=ReminderFilter())) == [high.pk, manual.pk, low.pk]
    assert ids(today_reminders(filters=ReminderFilter(kind=ReminderKind.MANUAL))) == [manual.pk]
    assert ids(today_reminders(filters=ReminderFilter(priority="Low"))) == [low.pk]


def test_a_filter_value_that_is_no_kind_or_priority_means_all():
    # when
    filters = ReminderFilter.from_query({"kind": "Nonsense", "priority": "Urgent!"})
    # then
    assert filters == ReminderFilter("", "")


def test_messages_in_unknown_or_failed_need_a_person_and_no_others():
    # given
    unknown = ScheduledMessageFactory(status=MessageStatus.UNKNOWN)
    failed = ScheduledMessageFactory(status=MessageStatus.FAILED)
    for status in (MessageStatus.SCHEDULED, MessageStatus.DRAFT, MessageStatus.CANCELLED):
        ScheduledMessageFactory(status=status)
    ScheduledMessageFactory(status=MessageStatus.SENT, provider_message_id="wamid.1")
    # when
    page = today_messages()
    # then
    assert sorted(ids(page)) == [unknown.pk, failed.pk]


def test_drafts_are_every_draft_soonest_first():
    # given
    later = ScheduledMessageFactory(
        status=MessageStatus.DRAFT, send_at=timezone.now() + dt.timedelta(days=3)
    )
    sooner = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    ScheduledMessageFactory(status=MessageStatus.SCHEDULED)
    # when / then
    assert ids(today_drafts()) == [sooner.pk, later.pk]


def test_survey_scores_of_two_or_less_not_handled_are_in_three_and_handled_are_out():
    # given
    answered = {"status": FollowUpStatus.COMPLETED}
    two = ServiceFollowUpFactory(satisfaction_rating=2, **answered)
    one = ServiceFollowUpFactory(
        satisfaction_rating=1, follow_up_date=timezone.now() + dt.timedelta(days=3), **answered
    )
    ServiceFollowUpFactory(satisfaction_rating=3, **answered)
    ServiceFollowUpFactory(satisfaction_rating=1, handled_at=timezone.now(), **answered)
    ServiceFollowUpFactory(status=FollowUpStatus.PENDING)
    # when / then
    assert ids(today_low_scores()) == [one.pk, two.pk]


def inbound(at: dt.datetime, **fields: object):  # type: ignore[no-untyped-def]
    return ActivityFactory(
        kind=ActivityKind.WHATSAPP, direction=Direction.INBOUND, content="Is it fixed?",
        occurred_at=at, **fields,
    )  # fmt: skip


def test_inbound_waits_four_working_hours_across_the_weekend():
    # given: Friday 17:00 to Monday 11:00 is one hour on Friday and three on Monday
    four_hours = inbound(dt.datetime(2026, 11, 20, 17, 0, tzinfo=NEW_YORK))
    a_minute_later = inbound(dt.datetime(2026, 11, 20, 17, 1, tzinfo=NEW_YORK))
    saturday = inbound(dt.datetime(2026, 11, 21, 10, 0, tzinfo=NEW_YORK))
    inbound(dt.datetime(2026, 11, 23, 8, 30, tzinfo=NEW_YORK))
    # when: at 11:00 the Saturday message has waited Monday's three hours only
    page = today_unanswered(now=MONDAY_11)
    # then
    assert ids(page) == [four_hours.pk]
    # and at 12:00 the weekend messages have waited four working hours too
    later = today_unanswered(now=MONDAY_11 + dt.timedelta(hours=1))
    assert ids(later) == [four_hours.pk, a_minute_later.pk, saturday.pk]


def test_a_reply_call_or_note_after_an_inbound_message_answers_it_an_earlier_one_does_not():
    # given
    thursday = dt.datetime(2026, 11, 19, 10, 0, tzinfo=NEW_YORK)
    kept, replied, called, noted = (CustomerFactory() for _ in range(4))
    ActivityFactory(
        customer=kept, kind=ActivityKind.SMS, direction=Direction.OUTBOUND, content="Booked.",
        occurred_at=thursday - dt.timedelta(hours=1),
    )  # fmt: skip
    waiting = inbound(thursday, customer=kept)
    answers = (
        (replied, ActivityKind.EMAIL, Direction.OUTBOUND),
        (called, ActivityKind.CALL, Direction.INBOUND),
        (noted, ActivityKind.NOTE, Direction.INTERNAL),
    )
    for customer, kind, direction in answers:
        inbound(thursday, customer=customer)
        ActivityFactory(
            customer=customer, kind=kind, direction=direction, content="Spoke to them.",
            occurred_at=thursday + dt.timedelta(hours=2),
        )  # fmt: skip
    # when
    page = today_unanswered(now=MONDAY_11)
    # then
    assert ids(page) == [waiting.pk]


def test_inbound_older_than_the_lookback_and_outbound_messages_are_out():
    # given
    inbound(MONDAY_11 - dt.timedelta(days=31))
    ActivityFactory(
        kind=ActivityKind.WHATSAPP, direction=Direction.OUTBOUND, content="Hello",
        occurred_at=MONDAY_11 - dt.timedelta(days=2),
    )  # fmt: skip
    # when / then
    assert ids(today_unanswered(now=MONDAY_11)) == []


def test_visits_are_scheduled_and_running_jobs_of_today_and_tomorrow_in_time_order():
    # given
    today = company_today()
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    first = JobFactory(scheduled_for=start_of_today)
    running = JobFactory(scheduled_for=tomorrow_at(9), status=JobStatus.IN_PROGRESS)
    last = JobFactory(scheduled_for=start_of_today + dt.timedelta(days=2, microseconds=-1))
    JobFactory(scheduled_for=start_of_today + dt.timedelta(days=2))
    JobFactory(scheduled_for=start_of_today - dt.timedelta(microseconds=1))
    JobFactory(scheduled_for=tomorrow_at(10), status=JobStatus.CANCELLED)
    JobFactory(scheduled_for=None)
    # when / then
    assert ids(today_visits()) == [first.pk, running.pk, last.pk]


def test_sections_paginate_twenty_rows_a_page():
    # given
    for _ in range(21):
        ReminderFactory()
    # when
    second = today_reminders(filters=ReminderFilter(), page=2)
    # then
    assert (len(today_reminders(filters=ReminderFilter())), len(second)) == (20, 1)
    assert second.paginator.count == 21


def test_counts_add_up_what_needs_a_person_but_not_the_visits(django_assert_num_queries):
    # given
    today_rows(3)
    # when
    with django_assert_num_queries(1):
        counts = today_counts()
    # then
    assert (counts.reminders, counts.messages, counts.drafts, counts.low_scores) == (3, 3, 3, 3)
    assert (counts.unanswered, counts.total) == (3, 15)
