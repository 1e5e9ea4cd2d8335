"""Consent follows the address: STOP / START and the unsubscribe link speak for a phone number
or an email address, so every customer record with it follows, records made later start opted
out, and sending refuses the address until the address itself opts in again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import signing
from django.test import Client

from crm.customers.models import AddressSuppression, ContactConsent, Customer
from crm.customers.services import customer_create, customer_update
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.consent import unsubscribe_url
from crm.messaging.services.dispatch import outbox_dispatch_due
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import (
    FakeTwilio,
    sign_twilio,
    sign_whatsapp,
    whatsapp_inbound_body,
)

pytestmark = pytest.mark.django_db
PUBLIC = "https://crm.example.com"
AUTH_TOKEN = "tw-secret"
APP_SECRET = "meta-app-secret"
NUMBER = "+13055550100"


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    """Texts go to a local Twilio; its auth token also signs the inbound webhooks."""
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    with FakeTwilio(account_sid="AC123", auth_token=AUTH_TOKEN, callback_prefix=PUBLIC) as fake:
        settings.TWILIO_API_BASE = fake.base_url
        settings.TWILIO_ACCOUNT_SID = "AC123"
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.TWILIO_FROM_NUMBER = "+13055550199"
        yield fake


def _text_us(client: Client, body: str, *, sid: str, sender: str = NUMBER) -> None:
    params = {"MessageSid": sid, "From": sender, "Body": body}
    signature = sign_twilio(AUTH_TOKEN, PUBLIC + "/webhooks/twilio/inbound", params)
    response = client.post(
        "/webhooks/twilio/inbound", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200


def _texts_to(fake: FakeTwilio) -> list[str]:
    return [request.form()["To"] for request in fake.requests]


def _sms_opted_out(customer: Customer) -> bool:
    consent = ContactConsent.objects.filter(customer=customer, channel="SMS").first()
    return consent is not None and consent.opted_out_at is not None


def test_stop_from_a_shared_number_stops_texts_to_every_record_with_it(
    twilio: FakeTwilio, staff_client: Client
) -> None:
    # given a household: two records with one number, a text pending for the second one
    first = CustomerFactory(name="Ana", phone=NUMBER)
    second = customer_create(fields={"name": "Luis", "phone": "(305) 555-0100"},
                             allow_duplicate=True)  # fmt: skip
    pending = ScheduledMessageFactory(customer=second, channel="SMS", body="Visit tomorrow.")
    # when STOP comes from that number (signed like Twilio signs it)
    _text_us(Client(), "STOP", sid="SM-stop")
    # then both records are opted out, the pending text is cancelled and nothing reaches
    # Twilio, even for a text scheduled later around the page's own check
    assert (_sms_opted_out(first), _sms_opted_out(second)) == (True, True)
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED
    sneaked = ScheduledMessageFactory(customer=second, channel="SMS", body="Visit tomorrow.")
    outbox_dispatch_due()
    sneaked.refresh_from_db()
    assert sneaked.status == MessageStatus.CANCELLED
    assert sneaked.last_error.startswith("The customer opted out of SMS")
    assert _texts_to(twilio) == []
    # and the API refuses a new text to either record
    refused = staff_client.post(
        "/api/schedule-message",
        {"customerId": second.pk, "channel": "SMS", "body": "Still there?",
         "jobId": JobFactory(customer=second).pk},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422
    assert "opted out of SMS" in refused.json()["detail"]
    # and the consent events say which address spoke
    events = MessageEvent.objects.filter(kind=EventKind.CONSENT).order_by("customer_id")
    assert [(e.customer_id, e.payload["address"]) for e in events] == [
        (first.pk, NUMBER),
        (second.pk, NUMBER),
    ]


def test_a_record_made_after_the_stop_starts_opted_out_until_start(
    twilio: FakeTwilio, staff_client: Client
) -> None:
    # given STOP from a number no customer has yet
    _text_us(Client(), "Stop.", sid="SM-1")
    assert AddressSuppression.objects.filter(channel="SMS", address=NUMBER).count() == 1
    # when the office adds a customer with that number (typed another way)
    created = staff_client.post(
        "/api/add-customer",
        {"name": "New neighbour", "phone": "305-555-0100",
         "consents": [{"channel": "SMS", "marketingOptIn": True}]},
        content_type="application/json",
    )  # fmt: skip
    # then the record starts opted out of SMS (marketing withdrawn), not of WhatsApp
    assert created.status_code == 201
    sms = {c["channel"]: c for c in created.json()["consents"]}
    assert (sms["SMS"]["optedOut"], sms["SMS"]["marketingOptIn"]) == (True, False)
    customer = Customer.objects.get(pk=created.json()["id"])
    assert not ContactConsent.objects.filter(customer=customer, channel="WhatsApp").exists()
    # when START comes from the number, texts flow again
    _text_us(Client(), "START", sid="SM-2")
    assert _sms_opted_out(customer) is False
    suppression = AddressSuppression.objects.get(channel="SMS", address=NUMBER)
    assert suppression.lifted_at is not None
    assert "START" in suppression.lifted_reason
    message = ScheduledMessageFactory(customer=customer, channel="SMS", body="Welcome back.")
    outbox_dispatch_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert _texts_to(twilio) == [NUMBER]


def test_sending_refuses_a_suppressed_address_on_a_record_never_told(twilio: FakeTwilio) -> None:
    # given a suppressed number, and a record with it that no service told (an old row)
    _text_us(Client(), "UNSUBSCRIBE", sid="SM-3")
    untold = CustomerFactory(phone=NUMBER)
    ContactConsentFactory(customer=untold, channel="SMS", marketing_opt_in=True)
    message = ScheduledMessageFactory(customer=untold, channel="SMS", purpose="Marketing")
    # when the dispatcher gets to it
    outbox_dispatch_due()
    # then it is cancelled at send time, and nothing reached Twilio
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert _texts_to(twilio) == []


def test_stop_on_whatsapp_suppresses_whatsapp_only(twilio: FakeTwilio) -> None:
    # given a customer with the number
    customer = CustomerFactory(phone=NUMBER)
    body = whatsapp_inbound_body(wamid="wamid.S1", sender="13055550100", text="STOP")
    # when STOP arrives on WhatsApp
    response = Client().post(
        "/webhooks/whatsapp", data=body, content_type="application/json",
        headers={"X-Hub-Signature-256": sign_whatsapp(APP_SECRET, body)},
    )  # fmt: skip
    # then WhatsApp is suppressed for the number, SMS is not
    assert response.status_code == 200
    assert list(AddressSuppression.objects.values_list("channel", "address")) == [
        ("WhatsApp", NUMBER)
    ]
    text = ScheduledMessageFactory(customer=customer, channel="SMS")
    outbox_dispatch_due()
    text.refresh_from_db()
    assert text.status == MessageStatus.SENT


def test_a_second_stop_and_a_replayed_webhook_keep_one_active_suppression(
    twilio: FakeTwilio,
) -> None:
    CustomerFactory(phone=NUMBER)
    _text_us(Client(), "STOP", sid="SM-a")
    _text_us(Client(), "STOP", sid="SM-a")
    _text_us(Client(), "stopall", sid="SM-b")
    assert AddressSuppression.objects.filter(lifted_at__isnull=True).count() == 1


def test_unsubscribe_link_speaks_for_the_email_address_and_can_resubscribe(settings) -> None:  # type: ignore[no-untyped-def]
    # given two records with one email address (typed differently), both welcoming marketing
    settings.PUBLIC_BASE_URL = PUBLIC
    first = CustomerFactory(email="maria@example.com")
    second = customer_create(fields={"name": "Maria (work)", "email": "Maria@Example.com"},
                             allow_duplicate=True)  # fmt: skip
    for customer in (first, second):
        ContactConsentFactory(customer=customer, channel="Email", marketing_opt_in=True)
    link = unsubscribe_url(customer_id=first.pk).removeprefix(PUBLIC)
    # when the first record's link is used
    done = Client().post(link)
    # then both records are opted out, and a record made later with the address too
    assert done.status_code == 200
    emails = ContactConsent.objects.filter(channel="Email")
    assert all(consent.opted_out_at is not None for consent in emails)
    later = customer_create(fields={"name": "Maria again", "email": "MARIA@example.com"},
                            allow_duplicate=True)  # fmt: skip
    assert ContactConsent.objects.get(customer=later, channel="Email").opted_out_at is not None
    # when the same link re-subscribes
    again = Client().post(link, {"action": "resubscribe"})
    # then the address hears from us again, marketing included
    assert "You are subscribed again" in again.content.decode()
    states = {(c.customer_id, c.opted_out_at is None, c.marketing_opt_in) for c in emails.all()}
    assert states == {(first.pk, True, True), (second.pk, True, True), (later.pk, True, True)}
    assert AddressSuppression.objects.get().lifted_at is not None


def test_an_altered_link_cannot_resubscribe() -> None:
    customer = CustomerFactory(email="maria@example.com")
    ContactConsentFactory(customer=customer, channel="Email", opted_out_at="2026-01-01T10:00Z")
    forged = signing.dumps({"c": customer.pk, "ch": "Email"}, salt="not-ours")
    response = Client().post(f"/u/{forged}", {"action": "resubscribe"})
    assert response.status_code == 404
    assert ContactConsent.objects.get(customer=customer).opted_out_at is not None


def test_changing_a_phone_to_a_suppressed_number_opts_the_record_out(twilio: FakeTwilio) -> None:
    _text_us(Client(), "STOP", sid="SM-c")
    customer = CustomerFactory(phone="+13055550111")
    customer_update(customer=customer, fields={"phone": NUMBER})
    assert _sms_opted_out(customer) is True
    assert ScheduledMessage.objects.count() == 0
