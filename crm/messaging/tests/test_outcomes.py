"""A person settles messages: mark sent / failed (Unknown), retry (Failed), approve drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.activities.models import Activity, Direction
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.core.tests.factories import UserFactory
from crm.customers.models import ContactConsent
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.outcomes import (
    message_mark_failed,
    message_mark_sent,
    message_retry,
    messages_approve,
)
from crm.messaging.tests.factories import ScheduledMessageFactory

pytestmark = pytest.mark.django_db


def snapshot(message: ScheduledMessage) -> dict[str, object]:
    row = ScheduledMessage.objects.filter(pk=message.pk).values().get()
    row.pop("updated_at")
    return row


def test_mark_sent_settles_an_unknown_message_and_puts_it_on_the_timeline_once():
    # given
    user = UserFactory(username="dana")
    message = ScheduledMessageFactory(
        status=MessageStatus.UNKNOWN, needs_review=True, body="Your part has arrived."
    )
    # when
    message_mark_sent(message_id=message.pk, user=user)
    # then
    message.refresh_from_db()
    assert (message.status, message.needs_review) == (MessageStatus.SENT, False)
    assert message.provider_message_id == f"office-confirmed-{message.pk}"
    assert message.sent_at is not None
    entry = Activity.objects.get(customer=message.customer)
    assert (entry.direction, entry.content) == (Direction.OUTBOUND, "Your part has arrived.")
    event = MessageEvent.objects.filter(message=message).get()
    assert (event.from_status, event.to_status) == ("Unknown", "Sent")
    assert event.detail == "Marked sent by dana after checking with the provider."


def test_mark_sent_keeps_the_providers_id_and_an_earlier_timeline_entry():
    # given: the provider accepted it (sent_at, id) before the outcome became unknown
    sent_at = timezone.now()
    message = ScheduledMessageFactory(
        status=MessageStatus.UNKNOWN, provider_message_id="wamid.7", sent_at=sent_at
    )
    # when
    message_mark_sent(message_id=message.pk, user=None)
    # then
    message.refresh_from_db()
    assert (message.provider_message_id, message.sent_at) == ("wamid.7", sent_at)
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (MessageStatus.FAILED, "The provider reported this message as failed"),
        (MessageStatus.SCHEDULED, "Only a message in Unknown can be marked sent"),
        (MessageStatus.DRAFT, "Only a message in Unknown can be marked sent"),
    ],
)
def test_mark_sent_is_refused_for_anything_but_unknown_and_changes_nothing(status, reason):
    # given
    message = ScheduledMessageFactory(status=status, last_error="Blocked by the carrier.")
    before = snapshot(message)
    # when
    with pytest.raises(Conflict) as refused:
        message_mark_sent(message_id=message.pk, user=None)
    # then
    assert refused.value.message.startswith(reason)
    assert snapshot(message) == before
    assert (MessageEvent.objects.count(), Activity.objects.count()) == (0, 0)


def test_mark_failed_turns_unknown_into_failed_ready_for_a_retry():
    # given
    message = ScheduledMessageFactory(status=MessageStatus.UNKNOWN, needs_review=True)
    # when
    message_mark_failed(message_id=message.pk, user=UserFactory(username="dana"))
    # then
    message.refresh_from_db()
    assert (message.status, message.needs_review) == (MessageStatus.FAILED, False)
    assert message.last_error == "Marked failed by dana: the provider does not have it."


@pytest.mark.parametrize("status", [MessageStatus.FAILED, MessageStatus.SENDING])
def test_mark_failed_is_refused_unless_unknown(status):
    # given
    message = ScheduledMessageFactory(status=status, sending_started_at=timezone.now())
    before = snapshot(message)
    # when
    with pytest.raises(Conflict, match=f"this one is {status}"):
        message_mark_failed(message_id=message.pk, user=None)
    # then
    assert snapshot(message) == before


def test_retry_puts_a_failed_message_back_in_the_outbox_due_now():
    # given
    user = UserFactory()
    message = ScheduledMessageFactory(
        status=MessageStatus.FAILED, attempts=5, last_error="Gave up after 5 attempts.",
        send_at=timezone.now() - dt.timedelta(days=2),
    )  # fmt: skip
    asked_at = timezone.now()
    # when
    message_retry(message_id=message.pk, user=user)
    # then
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("Scheduled", 0, "")
    assert message.approved_by_id == user.pk
    assert asked_at <= message.send_at <= timezone.now()


def test_retry_of_an_unknown_message_is_refused_it_may_have_gone_out():
    # given
    message = ScheduledMessageFactory(status=MessageStatus.UNKNOWN)
    before = snapshot(message)
    # when
    with pytest.raises(Conflict, match="mark it failed before retrying"):
        message_retry(message_id=message.pk, user=None)
    # then
    assert snapshot(message) == before


def test_retry_is_refused_when_the_customer_has_opted_out_since():
    # given
    message = ScheduledMessageFactory(status=MessageStatus.FAILED)
    ContactConsent.objects.create(
        customer=message.customer, channel="WhatsApp", opted_out_at=timezone.now()
    )
    before = snapshot(message)
    # when
    with pytest.raises(ValidationFailed):
        message_retry(message_id=message.pk, user=None)
    # then
    assert snapshot(message) == before


def test_retry_of_a_sent_message_is_refused():
    message = ScheduledMessageFactory(status=MessageStatus.SENT, provider_message_id="sm1")
    with pytest.raises(Conflict, match="Only a message in Failed can be retried"):
        message_retry(message_id=message.pk, user=None)


def test_a_message_that_does_not_exist_is_not_found():
    with pytest.raises(NotFound):
        message_mark_sent(message_id=999, user=None)


def test_approving_drafts_goes_ahead_with_each_that_may_and_reports_the_others():
    # given
    user = UserFactory()
    first, second = (ScheduledMessageFactory(status=MessageStatus.DRAFT) for _ in range(2))
    opted_out = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    ContactConsent.objects.create(
        customer=opted_out.customer, channel="WhatsApp", opted_out_at=timezone.now()
    )
    scheduled = ScheduledMessageFactory(status=MessageStatus.SCHEDULED)
    # when
    report = messages_approve(
        message_ids=[second.pk, first.pk, opted_out.pk, scheduled.pk, 999], user=user
    )
    # then
    assert report.approved == [first.pk, second.pk]
    assert set(report.refused) == {opted_out.pk, scheduled.pk, 999}
    assert report.refused[scheduled.pk] == "Only a draft can be approved; this one has changed."
    assert report.refused[999] == "Scheduled message not found."
    statuses = dict(ScheduledMessage.objects.values_list("id", "status"))
    assert statuses == {
        first.pk: "Scheduled", second.pk: "Scheduled", opted_out.pk: "Draft",
        scheduled.pk: "Scheduled",
    }  # fmt: skip
