"""A consumer killed mid-dispatch leaves rows Unknown; the provider's own status webhooks,
which carry our message id, settle them without a person. The fakes report back over real
HTTP to a live server, signed as Meta and Twilio sign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.tests.factories import CustomerFactory
from crm.messaging.channels import channel_for
from crm.messaging.channels.base import Outbound
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.recovery import outbox_recover_stuck
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import FakeTwilio, FakeWhatsAppCloud

pytestmark = pytest.mark.django_db(transaction=True)
APP_SECRET = "meta-app-secret"


@pytest.fixture
def whatsapp(settings, live_server) -> Iterator[FakeWhatsAppCloud]:  # type: ignore[no-untyped-def]
    with FakeWhatsAppCloud(
        version="v21.0", phone_number_id="1098765", access_token="t",
        webhook_url=f"{live_server.url}/webhooks/whatsapp", app_secret=APP_SECRET,
    ) as fake:  # fmt: skip
        settings.WHATSAPP_API_BASE = fake.api_base
        settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "1098765", "t"
        settings.WHATSAPP_APP_SECRET = APP_SECRET
        yield fake


@pytest.fixture
def twilio(settings, live_server) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = live_server.url
    with FakeTwilio(account_sid="AC1", auth_token="tw", callback_prefix=live_server.url) as fake:
        settings.TWILIO_API_BASE = fake.base_url
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "tw"
        settings.TWILIO_FROM_NUMBER = "+13055550199"
        yield fake


def _killed_mid_dispatch(channel: str, *, reached_provider: bool) -> ScheduledMessage:
    """A row claimed by a consumer that was killed after (or before) its provider call."""
    started = timezone.now() - dt.timedelta(hours=1)
    message: ScheduledMessage = ScheduledMessageFactory(
        customer=CustomerFactory(phone="+13055550100"), channel=channel,
        status=MessageStatus.SENDING, sending_started_at=started, claim_token="dead-consumer",
    )  # fmt: skip
    if reached_provider:
        outbound = Outbound(message_id=message.pk, to="+13055550100", subject="", body="Hi")
        channel_for(channel).send(outbound)
    return message


@pytest.mark.parametrize("channel", ["WhatsApp", "SMS"])
def test_status_webhooks_settle_messages_a_killed_consumer_left_unknown(
    request: pytest.FixtureRequest, channel: str
) -> None:
    # given two rows of a killed consumer: one reached the provider, one never did
    provider = request.getfixturevalue("whatsapp" if channel == "WhatsApp" else "twilio")
    sent = _killed_mid_dispatch(channel, reached_provider=True)
    lost = _killed_mid_dispatch(channel, reached_provider=False)
    assert outbox_recover_stuck() == 2
    # when the provider reports on what it has
    answers = provider.deliver_statuses("sent", "delivered")
    # then what it carried is settled by itself, and what it never had stays flagged
    assert answers == [200, 200]
    sent.refresh_from_db()
    lost.refresh_from_db()
    assert (sent.status, sent.needs_review) == (MessageStatus.DELIVERED, False)
    assert sent.provider_message_id == provider.accepted[0].provider_id
    assert sent.sent_at == sent.sending_started_at
    assert (lost.status, lost.needs_review) == (MessageStatus.UNKNOWN, True)
    assert list(Activity.objects.values_list("customer_id", "direction")) == [
        (sent.customer_id, "Outbound")
    ]


def test_a_status_reaching_a_row_still_in_sending_records_the_send_once(
    whatsapp: FakeWhatsAppCloud,
) -> None:
    # given a killed consumer's row that has not been swept to Unknown yet
    message = _killed_mid_dispatch("WhatsApp", reached_provider=True)
    # when Meta reports it delivered, twice (webhooks repeat)
    assert whatsapp.deliver_statuses("delivered") == [200]
    assert whatsapp.deliver_statuses("delivered") == [200]
    # then it is delivered, on the timeline once, and the crash sweep leaves it alone
    message.refresh_from_db()
    assert (message.status, message.sent_at) == (
        MessageStatus.DELIVERED,
        message.sending_started_at,
    )
    assert Activity.objects.filter(customer_id=message.customer_id).count() == 1
    assert outbox_recover_stuck() == 0
