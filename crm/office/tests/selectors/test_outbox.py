"""Today's messages section: what needs a person, and the progress of due messages going out
at the provider's limit, read in one aggregate and one page query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.office.selectors.outbox import ChannelQueue, today_outbox

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def twilio_configured(settings):  # type: ignore[no-untyped-def]
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "tw"
    settings.TWILIO_FROM_NUMBER = "+13055550199"
    settings.SMS_MAX_PER_SECOND = 1


def _due(count: int, channel: str, *, since: dt.datetime, status: str = "Scheduled") -> None:
    customer = ScheduledMessageFactory(status=MessageStatus.CANCELLED).customer
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(
            customer=customer,
            channel=channel,
            body="Happy holidays",
            status=status,
            idempotency_key=f"q:{channel}:{status}:{since.timestamp()}:{i}",
            send_at=since,
            sending_started_at=since if status == "Sending" else None,
        )
        for i in range(count)
    )


@pytest.mark.usefixtures("twilio_configured")
def test_a_large_batch_shows_its_progress_and_expected_finish(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # given 118 text messages due 10 minutes ago and 2 being sent, 3 console WhatsApp due now,
    # 5 texts due tomorrow, and 2 messages waiting for a person
    ten_minutes_ago = NOW - dt.timedelta(minutes=10)
    _due(118, "SMS", since=ten_minutes_ago)
    _due(2, "SMS", since=ten_minutes_ago, status="Sending")
    _due(3, "WhatsApp", since=NOW)
    _due(5, "SMS", since=NOW + dt.timedelta(days=1))
    ScheduledMessageFactory.create_batch(2, status=MessageStatus.UNKNOWN, needs_review=True)
    # when
    # the queues going out (1), then the capped count and the page of Unknown/Failed rows (2)
    with django_assert_num_queries(3):
        outbox = today_outbox(now=NOW)
        rows = list(outbox.rows)
    # then
    assert (outbox.rows.paginator.count, len(rows)) == (2, 2)
    assert outbox.queues == [
        ChannelQueue(
            channel="WhatsApp", waiting=3, due_since=NOW, per_second=None, finishes_at=NOW,
            percent_done=100,
        ),
        ChannelQueue(
            channel="SMS", waiting=120, due_since=ten_minutes_ago, per_second=1,
            finishes_at=NOW + dt.timedelta(seconds=126), percent_done=83,
        ),
    ]  # fmt: skip


@pytest.mark.usefixtures("twilio_configured")
def test_the_today_page_shows_the_batch_going_out(staff_client) -> None:  # type: ignore[no-untyped-def]
    # given
    _due(30, "SMS", since=timezone.now() - dt.timedelta(minutes=1))
    # when
    html = staff_client.get("/today/").content.decode()
    # then
    assert "<strong>SMS</strong>: 30 due messages going out" in html
    assert "at the provider's limit of 1 a second: done about" in html
    assert 'hx-trigger="today-messages-changed from:body, every 30s"' in html


def test_nothing_going_out_shows_no_progress(staff_client) -> None:  # type: ignore[no-untyped-def]
    html = staff_client.get("/today/").content.decode()
    assert "outbox-progress" not in html
    assert 'hx-trigger="today-messages-changed from:body"' in html
