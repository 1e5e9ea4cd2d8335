"""The dispatcher: claims once, re-checks the rules at send time, retries, never blind re-sends."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.models import ContactConsent
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.channels.base import (
    Outbound,
    PermanentSendError,
    SendResult,
    TransientSendError,
    UncertainSendError,
)
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services import dispatch
from crm.messaging.services.consent import channel_opt_out_set
from crm.messaging.services.dispatch import outbox_dispatch_due, outbox_dispatch_one
from crm.messaging.services.recovery import outbox_recover_stuck
from crm.messaging.services.webhooks import ProviderStatus, provider_status_apply
from crm.messaging.tests.factories import ScheduledMessageFactory

pytestmark = pytest.mark.django_db


class ScriptedChannel:
    """A channel that records what it is given and fails as told (thread-safe)."""

    carrier = "scripted"
    throttle_account = ""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.sent: list[Outbound] = []
        self.lock = threading.Lock()

    def send(self, outbound: Outbound) -> SendResult:
        with self.lock:
            if self.errors:
                raise self.errors.pop(0)
            self.sent.append(outbound)
            return SendResult(f"prov-{outbound.message_id}", MessageStatus.SENT, self.carrier)


@pytest.fixture
def channel(monkeypatch: pytest.MonkeyPatch) -> ScriptedChannel:
    scripted = ScriptedChannel()
    monkeypatch.setattr(dispatch, "channel_for", lambda name: scripted)
    return scripted


def test_due_message_goes_through_the_console_channel_once_and_lands_on_the_timeline() -> None:
    # given a due WhatsApp message and no WhatsApp credentials
    message = ScheduledMessageFactory(body="See you tomorrow at 9.")
    # when the dispatcher runs twice
    first = outbox_dispatch_due()
    second = outbox_dispatch_due()
    # then it was delivered by the labelled console channel exactly once
    message.refresh_from_db()
    assert (first.sent, second.claimed) == (1, 0)
    assert message.status == MessageStatus.DELIVERED
    assert message.carrier == "console"
    assert message.provider_message_id.startswith("console-")
    assert message.attempts == 1
    activity = Activity.objects.get(customer=message.customer)
    assert (activity.kind, activity.direction) == ("WhatsApp", "Outbound")
    assert activity.content == (
        "[CONSOLE CHANNEL - NOT SENT TO THE CUSTOMER] See you tomorrow at 9."
    )
    changes = list(message.events.values_list("from_status", "to_status"))
    assert changes == [("Scheduled", "Sending"), ("Sending", "Delivered")]


def test_future_drafts_and_cancelled_messages_are_not_touched(channel: ScriptedChannel) -> None:
    # given
    future = ScheduledMessageFactory(send_at=timezone.now() + dt.timedelta(hours=1))
    draft = ScheduledMessageFactory(status=MessageStatus.DRAFT)
    cancelled = ScheduledMessageFactory(status=MessageStatus.CANCELLED)
    # when
    report = outbox_dispatch_due()
    # then
    assert report.claimed == 0
    assert channel.sent == []
    for message, status in ((future, "Scheduled"), (draft, "Draft"), (cancelled, "Cancelled")):
        message.refresh_from_db()
        assert message.status == status


def test_two_claims_of_the_same_row_cannot_both_win(channel: ScriptedChannel) -> None:
    # given one due message
    message = ScheduledMessageFactory()
    # when two dispatchers ask for it (send-now and the minute tick)
    outbox_dispatch_one(message_id=message.pk)
    outbox_dispatch_one(message_id=message.pk)
    outbox_dispatch_due()
    # then one send
    assert [o.message_id for o in channel.sent] == [message.pk]


def test_opt_out_at_send_time_cancels_with_the_reason(channel: ScriptedChannel) -> None:
    # given the customer opted out of WhatsApp after the message was scheduled
    message = ScheduledMessageFactory()
    ContactConsentFactory(
        customer=message.customer,
        channel="WhatsApp",
        opted_out_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC),
    )
    # when
    report = outbox_dispatch_due()
    # then nothing is sent and the reason is kept
    message.refresh_from_db()
    assert report.cancelled == 1
    assert channel.sent == []
    assert message.status == MessageStatus.CANCELLED
    assert message.last_error == "The customer opted out of WhatsApp on Fri, Nov 20, 2026."
    assert not Activity.objects.filter(customer=message.customer).exists()


def test_marketing_without_opt_in_is_cancelled(channel: ScriptedChannel) -> None:
    message = ScheduledMessageFactory(purpose="Marketing")
    outbox_dispatch_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert message.last_error == "The customer has not opted in to marketing by WhatsApp."
    assert channel.sent == []


def test_quiet_hours_defer_to_the_end_of_quiet_hours(settings, channel: ScriptedChannel) -> None:  # type: ignore[no-untyped-def]
    # given quiet hours around "now" in the customer's zone: from an hour ago to an hour ahead
    zone = zoneinfo.ZoneInfo("America/Chicago")
    local = timezone.now().astimezone(zone)
    start, end = local - dt.timedelta(hours=1), local + dt.timedelta(hours=1)
    if start.date() != local.date() or end.date() != local.date():
        pytest.skip("too close to midnight in Chicago for this window")
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = f"{start:%H:%M}", f"{end:%H:%M}"
    message = ScheduledMessageFactory(customer=CustomerFactory(timezone="America/Chicago"))
    # when
    report = outbox_dispatch_due()
    # then it waits, still Scheduled, until quiet hours end (to the minute)
    message.refresh_from_db()
    assert report.deferred == 1
    assert channel.sent == []
    assert message.status == MessageStatus.SCHEDULED
    assert message.send_at == end.replace(second=0, microsecond=0)
    assert message.attempts == 0
    event = message.events.get(kind="Deferred")
    assert event.detail.startswith("Outside the customer's contact hours")


def test_transient_failures_retry_with_backoff_then_fail_after_five(
    settings,
    channel: ScriptedChannel,  # type: ignore[no-untyped-def]
) -> None:
    # given a provider that keeps answering 503
    settings.MESSAGE_MAX_ATTEMPTS = 5
    channel.errors = [TransientSendError("WhatsApp 503") for _ in range(5)]
    message = ScheduledMessageFactory()
    delays = []
    # when the dispatcher retries each time the row is due again
    for _ in range(5):
        before = timezone.now()
        outbox_dispatch_due()
        message.refresh_from_db()
        if message.status == MessageStatus.SCHEDULED:
            delays.append(round((message.send_at - before).total_seconds() / 60))
            ScheduledMessage.objects.filter(pk=message.pk).update(send_at=timezone.now())
    # then 1, 4, 16, 64 minutes apart, then Failed with the reason; never sent
    assert delays == [1, 4, 16, 64]
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 5
    assert message.last_error == "Gave up after 5 attempts. Last error: WhatsApp 503"
    assert channel.sent == []


def test_a_permanent_refusal_fails_at_once(channel: ScriptedChannel) -> None:
    channel.errors = [PermanentSendError("WhatsApp 400 (code 131026): undeliverable")]
    message = ScheduledMessageFactory()
    report = outbox_dispatch_due()
    message.refresh_from_db()
    assert report.failed == 1
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert message.last_error == "WhatsApp 400 (code 131026): undeliverable"


def test_an_uncertain_send_is_unknown_and_flagged_never_retried(channel: ScriptedChannel) -> None:
    # given the provider took the request and never answered
    channel.errors = [UncertainSendError("No answer after sending")]
    message = ScheduledMessageFactory()
    # when the dispatcher runs again and again
    outbox_dispatch_due()
    outbox_dispatch_due()
    # then the row waits for a person
    message.refresh_from_db()
    assert (message.status, message.needs_review) == (MessageStatus.UNKNOWN, True)
    assert channel.sent == []


def test_a_row_left_in_sending_by_a_crash_becomes_unknown_and_flagged(settings) -> None:  # type: ignore[no-untyped-def]
    # given a row claimed 20 minutes ago by a process that died
    settings.MESSAGE_SENDING_TIMEOUT_MIN = 15
    started = timezone.now() - dt.timedelta(minutes=20)
    stuck = ScheduledMessageFactory(status=MessageStatus.SENDING, sending_started_at=started)
    recent = ScheduledMessageFactory(
        status=MessageStatus.SENDING, sending_started_at=timezone.now()
    )
    # when
    recovered = outbox_recover_stuck()
    outbox_dispatch_due()
    # then only the old one is flagged, and neither is sent again
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert recovered == 1
    assert (stuck.status, stuck.needs_review) == (MessageStatus.UNKNOWN, True)
    assert stuck.last_error.startswith("The dispatcher stopped while sending")
    assert recent.status == MessageStatus.SENDING
    assert not Activity.objects.exists()


def test_a_provider_opt_out_refusal_records_the_opt_out() -> None:
    # given Twilio said 21610 (unsubscribed recipient)
    from crm.messaging.channels.base import ConsentRevokedError

    message = ScheduledMessageFactory(channel="SMS")
    scripted = ScriptedChannel(ConsentRevokedError("Twilio 400 (code 21610): unsubscribed"))
    later = ScheduledMessageFactory(
        customer=message.customer, channel="SMS", send_at=timezone.now() + dt.timedelta(days=1)
    )
    # when
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dispatch, "channel_for", lambda name: scripted)
        outbox_dispatch_due()
    # then the customer is opted out of SMS and the later SMS is cancelled too
    message.refresh_from_db()
    later.refresh_from_db()
    consent = ContactConsent.objects.get(customer=message.customer, channel="SMS")
    assert consent.opted_out_at is not None
    assert message.status == MessageStatus.FAILED
    assert later.status == MessageStatus.CANCELLED
    assert MessageEvent.objects.filter(kind="Consent", customer=message.customer).count() == 1


def test_marketing_frequency_holds_back_a_second_message_in_the_same_batch(
    channel: ScriptedChannel,
) -> None:
    # given two marketing messages for a Moderate customer who opted in
    customer = CustomerFactory(communication_frequency_preference="Moderate")
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    first = ScheduledMessageFactory(customer=customer, purpose="Marketing")
    second = ScheduledMessageFactory(customer=customer, purpose="Marketing")
    # when
    report = outbox_dispatch_due()
    # then one goes, the other waits 14 days
    first.refresh_from_db()
    second.refresh_from_db()
    assert (report.sent, report.deferred) == (1, 1)
    assert first.status == MessageStatus.SENT
    assert second.status == MessageStatus.SCHEDULED
    wait = second.send_at - first.sent_at  # type: ignore[operator]
    assert dt.timedelta(days=14) <= wait < dt.timedelta(days=14, minutes=1)


def test_a_stop_that_arrives_during_a_batch_holds_back_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given two due messages for two customers, and the second customer writes STOP while the
    # first message is being sent (consents older than 0 s are read again)
    monkeypatch.setattr(dispatch, "CONSENT_MAX_AGE_S", 0.0)
    first = ScheduledMessageFactory()
    second = ScheduledMessageFactory()

    class StopArrivesChannel(ScriptedChannel):
        def send(self, outbound: Outbound) -> SendResult:
            if outbound.message_id == first.pk:
                channel_opt_out_set(
                    customer_id=second.customer_id, channel="WhatsApp", opted_out=True,
                    reason="The customer wrote 'STOP'.",
                )  # fmt: skip
            return super().send(outbound)

    channel = StopArrivesChannel()
    monkeypatch.setattr(dispatch, "channel_for", lambda name: channel)
    # when one batch carries both
    report = outbox_dispatch_due()
    # then the second is not sent
    second.refresh_from_db()
    assert [o.message_id for o in channel.sent] == [first.pk]
    assert (report.sent, report.cancelled) == (1, 1)
    assert second.status == MessageStatus.CANCELLED
    assert second.last_error.startswith("The customer opted out of WhatsApp on ")


def test_a_delivery_report_that_beats_the_record_keeps_its_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a provider whose "delivered" webhook arrives before the dispatcher records the send
    message = ScheduledMessageFactory()

    class FastWebhookChannel(ScriptedChannel):
        def send(self, outbound: Outbound) -> SendResult:
            result = super().send(outbound)
            report = ProviderStatus(
                provider="whatsapp", channel="WhatsApp", provider_id=result.provider_message_id,
                raw_status="delivered", outbox_id=outbound.message_id,
            )  # fmt: skip
            provider_status_apply(report=report, payload={"status": "delivered"})
            return result

    monkeypatch.setattr(dispatch, "channel_for", lambda name: FastWebhookChannel())
    # when
    outbox_dispatch_due()
    # then the message stays Delivered, with the provider id, once on the timeline
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("Delivered", f"prov-{message.pk}")
    assert message.carrier == "scripted"
    assert Activity.objects.filter(customer=message.customer).count() == 1


def test_a_run_that_takes_too_long_gives_the_rest_back(settings, channel: ScriptedChannel) -> None:  # type: ignore[no-untyped-def]
    # given a lease that is over before the first send
    settings.MESSAGE_SENDING_TIMEOUT_MIN = 0
    message = ScheduledMessageFactory()
    # when
    report = outbox_dispatch_one(message_id=message.pk)
    # then it is Scheduled again, unsent, and the history says why
    message.refresh_from_db()
    assert (report.claimed, report.released, channel.sent) == (1, 1, [])
    assert (message.status, message.claim_token, message.sending_started_at) == (
        MessageStatus.SCHEDULED,
        "",
        None,
    )
    assert list(message.events.values_list("from_status", "to_status")) == [
        ("Scheduled", "Sending"),
        ("Sending", "Scheduled"),
    ]


@pytest.mark.parametrize("count", [3, 40])
def test_dispatch_queries_do_not_grow_with_the_batch(count: int, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # given due console messages for three customers, one batch
    customers = CustomerFactory.create_batch(3)
    for index in range(count):
        ScheduledMessageFactory(customer=customers[index % 3])
    # when / then the same statements whatever the count: the claim (select, update, read,
    # events), the facts (consents, suppressed addresses, WhatsApp windows), one recorded group
    # (lock, update, events, customers, timeline, the customers' last contact), the empty claim
    # that ends the run; and 8 savepoints
    with django_assert_num_queries(22):
        report = outbox_dispatch_due()
    assert report.sent == count
