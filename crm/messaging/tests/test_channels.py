"""WhatsApp Cloud and Twilio over real HTTP against local fakes that check shape and auth;
email through Django's SMTP backend into a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.activities.tests.factories import ActivityFactory
from crm.customers.models import ContactConsent
from crm.customers.tests.factories import CustomerFactory
from crm.messaging.models import MessageStatus
from crm.messaging.services.dispatch import outbox_dispatch_due
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import (
    FakeTwilio,
    FakeWhatsAppCloud,
    Reply,
    free_port,
    smtp_server,
)

pytestmark = pytest.mark.django_db
PUBLIC = "https://crm.example.com"


@pytest.fixture
def whatsapp(settings) -> Iterator[FakeWhatsAppCloud]:  # type: ignore[no-untyped-def]
    with FakeWhatsAppCloud(
        version="v21.0", phone_number_id="1098765", access_token="EAAG-test"
    ) as fake:
        settings.WHATSAPP_API_BASE = fake.api_base
        settings.WHATSAPP_PHONE_NUMBER_ID = "1098765"
        settings.WHATSAPP_ACCESS_TOKEN = "EAAG-test"
        settings.WHATSAPP_TEMPLATE_NAME = "service_update"
        yield fake


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC
    with FakeTwilio(account_sid="AC123", auth_token="tw-secret", callback_prefix=PUBLIC) as fake:
        settings.TWILIO_API_BASE = fake.base_url
        settings.TWILIO_ACCOUNT_SID = "AC123"
        settings.TWILIO_AUTH_TOKEN = "tw-secret"
        settings.TWILIO_FROM_NUMBER = "+13055550199"
        yield fake


def _customer_who_wrote_recently():  # type: ignore[no-untyped-def]
    customer = CustomerFactory(phone="+1 (305) 555-0100")
    ActivityFactory(
        customer=customer,
        kind="WhatsApp",
        direction="Inbound",
        content="Is Ana coming today?",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
    )
    return customer


def test_whatsapp_free_text_inside_the_24_hour_window(whatsapp: FakeWhatsAppCloud) -> None:
    # given a customer who wrote two hours ago
    message = ScheduledMessageFactory(customer=_customer_who_wrote_recently(), body="Yes, at 10.")
    # when
    outbox_dispatch_due()
    # then one well-formed, authenticated text message went out
    message.refresh_from_db()
    assert whatsapp.problems == []
    [request] = whatsapp.requests
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "13055550100",
        "biz_opaque_callback_data": str(message.pk),
        "type": "text",
        "text": {"preview_url": False, "body": "Yes, at 10."},
    }
    assert (message.status, message.carrier) == (MessageStatus.SENT, "whatsapp-cloud")
    assert message.provider_message_id == "wamid.TEST000001"


def test_whatsapp_outside_the_window_uses_the_approved_template(
    whatsapp: FakeWhatsAppCloud,
) -> None:
    # given a customer who has not written in the last 24 hours
    message = ScheduledMessageFactory(body="Your dryer check\n\tis due.")
    # when
    outbox_dispatch_due()
    # then the template carries the body as its parameter
    [request] = whatsapp.requests
    body = request.json()
    assert whatsapp.problems == []
    assert body["type"] == "template"
    assert body["template"] == {
        "name": "service_update",
        "language": {"code": "en_US"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Your dryer check is due."}]}
        ],
    }
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_whatsapp_without_a_template_outside_the_window_fails_without_calling(
    settings,
    whatsapp: FakeWhatsAppCloud,  # type: ignore[no-untyped-def]
) -> None:
    settings.WHATSAPP_TEMPLATE_NAME = ""
    message = ScheduledMessageFactory()
    outbox_dispatch_due()
    message.refresh_from_db()
    assert whatsapp.requests == []
    assert message.status == MessageStatus.FAILED
    assert "24-hour window" in message.last_error


def test_whatsapp_wrong_token_is_a_permanent_failure(
    settings,
    whatsapp: FakeWhatsAppCloud,  # type: ignore[no-untyped-def]
) -> None:
    settings.WHATSAPP_ACCESS_TOKEN = "expired"
    message = ScheduledMessageFactory(customer=_customer_who_wrote_recently())
    outbox_dispatch_due()
    message.refresh_from_db()
    assert whatsapp.problems == ["bad or missing bearer token"]
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "WhatsApp 401 (code 190): Invalid OAuth access token."


def test_whatsapp_throttling_pauses_the_channel_without_counting_an_attempt(
    whatsapp: FakeWhatsAppCloud,
) -> None:
    # given Meta answers the first send with its throughput limit (130429)
    whatsapp.script(Reply(429, {"error": {"message": "Too many", "code": 130429}}))
    message = ScheduledMessageFactory(customer=_customer_who_wrote_recently())
    # when
    report = outbox_dispatch_due()
    # then it went back to the outbox for the pause (1 s) and out again in the same run
    message.refresh_from_db()
    assert (report.throttled, report.sent, report.retried) == (1, 1, 0)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert len(whatsapp.requests) == 2
    deferred = message.events.get(kind="Deferred")
    assert deferred.detail.startswith(
        "The provider asked us to slow down: WhatsApp 429 (code 130429): Too many"
    )


def test_whatsapp_unreachable_is_retried_not_failed(settings) -> None:  # type: ignore[no-untyped-def]
    # given credentials but nothing listening on the port
    settings.WHATSAPP_API_BASE = f"http://127.0.0.1:{free_port()}/v21.0"
    settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "1", "t"
    message = ScheduledMessageFactory(customer=_customer_who_wrote_recently())
    outbox_dispatch_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED
    assert message.last_error.startswith("Could not reach http://127.0.0.1:")


def test_twilio_sms_with_basic_auth_and_status_callback(twilio: FakeTwilio) -> None:
    # given
    message = ScheduledMessageFactory(channel="SMS", body="Ana is on her way.")
    # when
    outbox_dispatch_due()
    # then
    message.refresh_from_db()
    assert twilio.problems == []
    [request] = twilio.requests
    assert request.form() == {
        "To": message.customer.phone,
        "From": "+13055550199",
        "Body": "Ana is on her way.",
        "StatusCallback": f"{PUBLIC}/webhooks/twilio/status?outbox={message.pk}",
    }
    assert (message.status, message.carrier) == (MessageStatus.SENT, "twilio")
    assert message.provider_message_id == "SM" + "1".zfill(32)


def test_twilio_unsubscribed_recipient_opts_the_customer_out(twilio: FakeTwilio) -> None:
    twilio.script(
        Reply(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
    )
    message = ScheduledMessageFactory(channel="SMS")
    outbox_dispatch_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    consent = ContactConsent.objects.get(customer=message.customer, channel="SMS")
    assert consent.opted_out_at is not None


def test_email_reaches_a_real_smtp_server_exactly_once(settings) -> None:  # type: ignore[no-untyped-def]
    # given Django's SMTP backend pointed at aiosmtpd on 127.0.0.1
    with smtp_server() as (server, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
        settings.DEFAULT_FROM_EMAIL = "Service <service@example.com>"
        message = ScheduledMessageFactory(
            channel="Email",
            subject="Your visit",
            body="Ana comes Tuesday at 9.",
            customer=CustomerFactory(email="maria@example.com"),
        )
        # when the dispatcher runs twice
        outbox_dispatch_due()
        outbox_dispatch_due()
        received = list(server.messages)
    # then exactly one email, to the customer, with our Message-ID as the provider id
    message.refresh_from_db()
    assert len(received) == 1
    envelope = received[0]
    text = envelope.content.decode()
    assert envelope.rcpt_tos == ["maria@example.com"]
    assert envelope.mail_from == "service@example.com"
    assert "Subject: Your visit" in text
    assert "Ana comes Tuesday at 9." in text
    assert f"Message-ID: {message.provider_message_id}" in text
    assert message.provider_message_id.endswith(f".outbox{message.pk}@example.com>")
    assert (message.status, message.carrier) == (MessageStatus.SENT, "email-smtp")


def test_email_server_down_is_retried(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = ScheduledMessageFactory(channel="Email", subject="Hi")
    outbox_dispatch_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SCHEDULED, 1)
    assert message.last_error.startswith("Could not reach the mail server")


def test_email_kept_on_this_machine_is_delivered_with_a_label(settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    # given the default kind of backend: nothing leaves the machine (here: memory)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = ScheduledMessageFactory(
        channel="Email", subject="Your visit", body="Ana comes Tuesday at 9.",
        customer=CustomerFactory(email="maria@example.com"),
    )  # fmt: skip
    # when
    outbox_dispatch_due()
    # then the email was built once and the demo sees it delivered, labelled on the timeline
    message.refresh_from_db()
    [email] = mailoutbox
    assert (email.to, email.subject) == (["maria@example.com"], "Your visit")
    assert (message.status, message.carrier) == (MessageStatus.DELIVERED, "email-locmem")
    assert Activity.objects.get(customer=message.customer).content == (
        "[EMAIL KEPT BY THE LOCMEM MAIL BACKEND - NOT SENT TO THE CUSTOMER] Your visit\n\n"
        "Ana comes Tuesday at 9."
    )
