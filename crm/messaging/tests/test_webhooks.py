"""Webhooks: no login, signature first (403 and nothing changes), forward-only, replay-safe."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.activities.models import Activity
from crm.customers.models import ContactConsent
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import (
    sign_twilio,
    sign_whatsapp,
    whatsapp_inbound_body,
    whatsapp_status_body,
)

pytestmark = pytest.mark.django_db
APP_SECRET = "meta-app-secret"
AUTH_TOKEN = "twilio-auth-token"
PUBLIC = "https://crm.example.com"


@pytest.fixture(autouse=True)
def _secrets(settings):  # type: ignore[no-untyped-def]
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


def _post_whatsapp(client: Client, body: bytes, *, signature: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/webhooks/whatsapp",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature or sign_whatsapp(APP_SECRET, body)},
    )


def _post_twilio(client: Client, path: str, params: dict[str, str], *, token: str = AUTH_TOKEN):  # type: ignore[no-untyped-def]
    signature = sign_twilio(token, PUBLIC + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def _sent_whatsapp(**fields: object) -> ScheduledMessage:
    defaults = {
        "status": MessageStatus.SENT,
        "provider_message_id": "wamid.ABC",
        "carrier": "whatsapp-cloud",
    }
    message: ScheduledMessage = ScheduledMessageFactory(**(defaults | fields))
    return message


def test_verify_handshake_echoes_the_challenge_only_for_our_token(anonymous: Client) -> None:
    ok = anonymous.get(
        "/webhooks/whatsapp",
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
    )
    wrong = anonymous.get(
        "/webhooks/whatsapp",
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert wrong.status_code == 403


def test_delivered_status_moves_the_message_forward(anonymous: Client) -> None:
    # given a sent message
    message = _sent_whatsapp()
    # when Meta reports it delivered
    response = _post_whatsapp(
        anonymous, whatsapp_status_body(wamid="wamid.ABC", status="delivered")
    )
    # then
    message.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"applied": 1, "duplicate": 0, "ignored": 0}
    assert message.status == MessageStatus.DELIVERED
    event = message.events.get(kind="Webhook")
    assert (event.from_status, event.to_status) == ("Sent", "Delivered")
    assert event.payload["status"] == "delivered"


def test_a_bad_signature_is_refused_and_changes_nothing(anonymous: Client) -> None:
    # given
    message = _sent_whatsapp()
    body = whatsapp_status_body(wamid="wamid.ABC", status="read")
    # when signed with another secret, unsigned, or the body altered after signing
    forged = _post_whatsapp(anonymous, body, signature=sign_whatsapp("not-the-secret", body))
    unsigned = anonymous.post("/webhooks/whatsapp", data=body, content_type="application/json")
    altered = _post_whatsapp(
        anonymous, body.replace(b"read", b"sent"), signature=sign_whatsapp(APP_SECRET, body)
    )
    # then 403 each time and nothing moved
    message.refresh_from_db()
    assert [r.status_code for r in (forged, unsigned, altered)] == [403, 403, 403]
    assert message.status == MessageStatus.SENT
    assert not MessageEvent.objects.exists()


def test_without_a_configured_secret_every_post_is_refused(settings, anonymous: Client) -> None:  # type: ignore[no-untyped-def]
    settings.WHATSAPP_APP_SECRET = ""
    body = whatsapp_status_body(wamid="wamid.ABC", status="read")
    assert _post_whatsapp(anonymous, body, signature=sign_whatsapp("", body)).status_code == 403


def test_a_replayed_status_changes_nothing(anonymous: Client) -> None:
    # given delivered, then read
    message = _sent_whatsapp()
    delivered = whatsapp_status_body(wamid="wamid.ABC", status="delivered")
    _post_whatsapp(anonymous, delivered)
    _post_whatsapp(anonymous, whatsapp_status_body(wamid="wamid.ABC", status="read"))
    # when the "delivered" report is delivered again
    replay = _post_whatsapp(anonymous, delivered)
    # then it is recognised as a duplicate; the message stays Read with two events
    message.refresh_from_db()
    assert replay.json() == {"applied": 0, "duplicate": 1, "ignored": 0}
    assert message.status == MessageStatus.READ
    assert message.events.count() == 2


def test_statuses_only_move_forward(anonymous: Client) -> None:
    # given a read message
    message = _sent_whatsapp(status=MessageStatus.READ)
    # when a late "sent" and "failed" arrive
    _post_whatsapp(anonymous, whatsapp_status_body(wamid="wamid.ABC", status="sent"))
    late = _post_whatsapp(
        anonymous, whatsapp_status_body(wamid="wamid.ABC", status="failed", error_code=131026)
    )
    # then it stays Read; the reports are kept as events without a change
    message.refresh_from_db()
    assert late.json() == {"applied": 0, "duplicate": 0, "ignored": 1}
    assert message.status == MessageStatus.READ
    assert list(message.events.values_list("to_status", flat=True)) == ["", ""]


def test_status_for_a_row_still_sending_is_matched_by_our_outbox_id(anonymous: Client) -> None:
    # given the webhook arrives before the dispatcher stored the provider id
    message = _sent_whatsapp(
        status=MessageStatus.SENDING,
        provider_message_id="",
        sending_started_at="2026-11-23T10:00:00Z",
    )
    # when
    _post_whatsapp(
        anonymous, whatsapp_status_body(wamid="wamid.NEW", status="delivered", outbox_id=message.pk)
    )
    # then
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == (MessageStatus.DELIVERED, "wamid.NEW")


def test_inbound_whatsapp_lands_on_the_timeline_once(anonymous: Client) -> None:
    # given
    customer = CustomerFactory(phone="+13055550100")
    body = whatsapp_inbound_body(wamid="wamid.IN1", sender="13055550100", text="¿Vienen mañana?")
    # when delivered twice
    _post_whatsapp(anonymous, body)
    _post_whatsapp(anonymous, body)
    # then one inbound activity with the text as sent
    activity = Activity.objects.get(customer=customer)
    assert (activity.kind, activity.direction, activity.content) == (
        "WhatsApp",
        "Inbound",
        "¿Vienen mañana?",
    )


def test_stop_on_whatsapp_opts_out_and_cancels_pending(anonymous: Client) -> None:
    # given a customer with a marketing opt-in and a scheduled WhatsApp message
    customer = CustomerFactory(phone="+13055550100")
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    pending = ScheduledMessageFactory(customer=customer, send_at="2030-01-01T10:00:00Z")
    # when they write STOP
    _post_whatsapp(
        anonymous, whatsapp_inbound_body(wamid="wamid.IN2", sender="13055550100", text="Stop")
    )
    # then
    consent = ContactConsent.objects.get(customer=customer, channel="WhatsApp")
    pending.refresh_from_db()
    assert consent.opted_out_at is not None
    assert consent.marketing_opt_in is False
    assert pending.status == MessageStatus.CANCELLED


def test_inbound_from_an_unknown_number_is_kept_as_an_event_only(anonymous: Client) -> None:
    response = _post_whatsapp(
        anonymous, whatsapp_inbound_body(wamid="wamid.X", sender="4915112345678", text="hi")
    )
    assert response.json() == {"applied": 0, "duplicate": 0, "ignored": 1}
    assert not Activity.objects.exists()
    assert MessageEvent.objects.get().customer_id is None


def test_not_json_after_a_good_signature_is_a_400(anonymous: Client) -> None:
    assert _post_whatsapp(anonymous, b"not json").status_code == 400


def test_twilio_status_callback_signed_and_forward_only(anonymous: Client) -> None:
    # given a sent SMS
    message = ScheduledMessageFactory(
        channel="SMS", status=MessageStatus.SENT, provider_message_id="SM1", carrier="twilio"
    )
    path = f"/webhooks/twilio/status?outbox={message.pk}"
    params = {"MessageSid": "SM1", "MessageStatus": "delivered", "AccountSid": "AC1"}
    # when delivered arrives twice and then a stale "sent"
    first = _post_twilio(anonymous, path, params)
    _post_twilio(anonymous, path, params)
    _post_twilio(anonymous, path, params | {"MessageStatus": "sent"})
    # then
    message.refresh_from_db()
    assert first.json() == {"applied": 1, "duplicate": 0, "ignored": 0}
    assert message.status == MessageStatus.DELIVERED
    assert message.events.count() == 2


def test_twilio_bad_signature_is_refused_and_changes_nothing(anonymous: Client) -> None:
    message = ScheduledMessageFactory(
        channel="SMS", status=MessageStatus.SENT, provider_message_id="SM1"
    )
    path = f"/webhooks/twilio/status?outbox={message.pk}"
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    forged = _post_twilio(anonymous, path, params, token="wrong")
    # a valid signature for another URL (the outbox id was changed) is refused too
    signature = sign_twilio(AUTH_TOKEN, PUBLIC + path, params)
    moved = anonymous.post(
        f"/webhooks/twilio/status?outbox={message.pk + 1}",
        data=params,
        headers={"X-Twilio-Signature": signature},
    )
    message.refresh_from_db()
    assert (forged.status_code, moved.status_code) == (403, 403)
    assert message.status == MessageStatus.SENT
    assert not MessageEvent.objects.exists()


def test_twilio_failed_with_21610_records_the_opt_out(anonymous: Client) -> None:
    message = ScheduledMessageFactory(
        channel="SMS", status=MessageStatus.SENT, provider_message_id="SM9"
    )
    _post_twilio(
        anonymous,
        "/webhooks/twilio/status",
        {"MessageSid": "SM9", "MessageStatus": "undelivered", "ErrorCode": "21610"},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "21610"
    assert ContactConsent.objects.get(customer=message.customer, channel="SMS").opted_out_at


def test_twilio_inbound_stop_then_start(anonymous: Client) -> None:
    # given
    customer = CustomerFactory(phone="+13055550100")
    # when STOP then START arrive
    stop = _post_twilio(
        anonymous,
        "/webhooks/twilio/inbound",
        {"MessageSid": "SMa", "From": "+13055550100", "Body": "STOP"},
    )
    stopped = ContactConsent.objects.get(customer=customer, channel="SMS").opted_out_at
    _post_twilio(
        anonymous,
        "/webhooks/twilio/inbound",
        {"MessageSid": "SMb", "From": "+13055550100", "Body": "start"},
    )
    # then opted out, then back in; both texts are on the timeline; Twilio gets empty TwiML
    assert stop.status_code == 200
    assert stop["Content-Type"] == "text/xml"
    assert stopped is not None
    assert ContactConsent.objects.get(customer=customer, channel="SMS").opted_out_at is None
    assert list(Activity.objects.order_by("id").values_list("content", flat=True)) == [
        "STOP",
        "start",
    ]


def test_webhooks_refuse_other_methods(anonymous: Client) -> None:
    assert anonymous.get("/webhooks/twilio/status").status_code == 405
    assert anonymous.put("/webhooks/whatsapp").status_code == 405


def test_a_report_that_settles_an_unknown_message_puts_it_on_the_timeline_once(
    anonymous: Client,
) -> None:
    # given a message whose send had no answer (Unknown, flagged, not on the timeline)
    message = _sent_whatsapp(
        status=MessageStatus.UNKNOWN, needs_review=True, body="Ana comes at 10.",
        sending_started_at="2026-11-23T10:00:00Z",
    )  # fmt: skip
    # when the provider reports it delivered, twice, then read
    for status in ("delivered", "delivered", "read"):
        _post_whatsapp(anonymous, whatsapp_status_body(wamid="wamid.ABC", status=status))
    # then it is Read, no longer flagged, and on the timeline once, at the time it was sent
    message.refresh_from_db()
    assert (message.status, message.needs_review) == (MessageStatus.READ, False)
    activity = Activity.objects.get(customer=message.customer)
    assert (activity.kind, activity.direction, activity.content) == (
        "WhatsApp",
        "Outbound",
        "Ana comes at 10.",
    )
    assert activity.occurred_at.isoformat() == "2026-11-23T10:00:00+00:00"


@pytest.mark.parametrize("header", ["sha256=é", "ü" * 71, "sha256=\u2603"])
def test_a_non_ascii_signature_is_refused_not_a_server_error(
    anonymous: Client, header: str
) -> None:
    # given
    message = _sent_whatsapp()
    body = whatsapp_status_body(wamid="wamid.ABC", status="delivered")
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    # when: the headers arrive as the WSGI server decodes them (latin-1)
    raw = header.encode().decode("latin-1")
    whatsapp = anonymous.post(
        "/webhooks/whatsapp",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": raw},
    )
    twilio = [
        anonymous.post(path, data=params, headers={"X-Twilio-Signature": raw})
        for path in (f"/webhooks/twilio/status?outbox={message.pk}", "/webhooks/twilio/inbound")
    ]
    # then
    assert [r.status_code for r in (whatsapp, *twilio)] == [403, 403, 403]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not MessageEvent.objects.exists()
