"""Replies to an appointment reminder, through the real signed WhatsApp and Twilio webhooks:
"C"/"1" confirms, "R"/"2" asks to reschedule, anything else only lands on the timeline, and STOP
stays a STOP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.models import ContactConsent
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.engagement.services.appointment_replies import reply_code
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import sign_twilio, sign_whatsapp, whatsapp_inbound_body

pytestmark = pytest.mark.django_db
APP_SECRET = "meta-app-secret"
AUTH_TOKEN = "twilio-auth-token"
PUBLIC = "https://crm.example.com"
PHONE = "+13055550100"


@pytest.fixture(autouse=True)
def _secrets(settings):  # type: ignore[no-untyped-def]
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


def _whatsapp(client: Client, text: str, wamid: str = "wamid.R1") -> None:
    body = whatsapp_inbound_body(wamid=wamid, sender=PHONE.lstrip("+"), text=text)
    headers = {"X-Hub-Signature-256": sign_whatsapp(APP_SECRET, body)}
    response = client.post(
        "/webhooks/whatsapp", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200


def _sms(client: Client, text: str, sid: str = "SM1") -> None:
    path, params = "/webhooks/twilio/inbound", {"MessageSid": sid, "From": PHONE, "Body": text}
    signature = sign_twilio(AUTH_TOKEN, PUBLIC + path, params)
    response = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def _reminded_visit(channel: str = "WhatsApp", sent_days_ago: int = 0) -> Job:
    """A booked visit whose reminder went out."""
    job: Job = JobFactory(customer=CustomerFactory(phone=PHONE))
    ScheduledMessageFactory(
        customer=job.customer, job=job, channel=channel, source=MessageSource.APPOINTMENT,
        status=MessageStatus.DELIVERED, idempotency_key=f"appointment:{job.pk}",
        provider_message_id=f"out-{job.pk}",
        sent_at=timezone.now() - dt.timedelta(days=sent_days_ago, hours=1),
    )  # fmt: skip
    return job


@pytest.mark.parametrize("text", ["C", " c. ", "1"])
def test_a_whatsapp_c_or_1_confirms_the_visit(anonymous: Client, text: str) -> None:
    # given a visit whose reminder went out on WhatsApp
    job = _reminded_visit()
    # when the customer answers it
    _whatsapp(anonymous, text)
    # then the job is confirmed, and the timeline has their reply and the confirmation
    job.refresh_from_db()
    assert job.confirmed_at is not None
    contents = list(Activity.objects.order_by("id").values_list("content", flat=True))
    assert contents == [text.strip(), "The customer confirmed the visit (a WhatsApp reply)."]


@pytest.mark.parametrize("text", ["R", "2"])
def test_an_sms_r_or_2_asks_the_office_to_reschedule(anonymous: Client, text: str) -> None:
    job = _reminded_visit(channel="SMS")

    _sms(anonymous, text)

    reminder = Reminder.objects.get(job=job)
    assert (reminder.kind, reminder.priority, reminder.details) == (
        ReminderKind.RESCHEDULE_REQUEST, ReminderPriority.HIGH, "Asked through an SMS reply.",
    )  # fmt: skip
    job.refresh_from_db()
    assert job.confirmed_at is None


def test_any_other_reply_only_lands_on_the_timeline(anonymous: Client) -> None:
    job = _reminded_visit()

    _whatsapp(anonymous, "Can you come at 3 instead?")

    job.refresh_from_db()
    assert job.confirmed_at is None
    assert not Reminder.objects.exists()
    assert list(Activity.objects.values_list("content", flat=True)) == [
        "Can you come at 3 instead?"
    ]


def test_a_code_without_a_recent_reminder_of_an_open_visit_does_nothing(
    anonymous: Client,
) -> None:
    # given a reminder sent long ago, and another of a visit since cancelled
    old = _reminded_visit(sent_days_ago=30)
    cancelled = JobFactory(customer=old.customer, status="Cancelled")
    ScheduledMessageFactory(
        customer=old.customer, job=cancelled, source=MessageSource.APPOINTMENT,
        status=MessageStatus.READ, sent_at=timezone.now(), provider_message_id="out-x",
    )  # fmt: skip
    # when the customer writes C
    _whatsapp(anonymous, "C")
    # then nothing is confirmed
    assert not Job.objects.filter(confirmed_at__isnull=False).exists()


def test_stop_keeps_its_priority_over_any_reminder(anonymous: Client) -> None:
    job = _reminded_visit(channel="SMS")

    _sms(anonymous, "STOP")

    assert ContactConsent.objects.get(customer=job.customer, channel="SMS").opted_out_at
    assert not Reminder.objects.exists()


def test_a_repeated_webhook_delivery_confirms_once(anonymous: Client) -> None:
    job = _reminded_visit()

    _whatsapp(anonymous, "1")
    _whatsapp(anonymous, "1")

    assert Activity.objects.filter(job=job).count() == 1


def test_reply_codes_are_trimmed_and_case_blind() -> None:
    assert [reply_code(t) for t in ("c", " 1. ", "r!", "Yes")] == ["C", "1", "R", "YES"]
