"""Marketing email carries an unsubscribe link (and RFC 8058 one-click headers) that works
without a login; service email does not need one."""

from __future__ import annotations

import datetime as dt
import email
import re
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from crm.customers.models import ContactConsent
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import MessageStatus
from crm.messaging.services.consent import unsubscribe_url
from crm.messaging.services.dispatch import outbox_dispatch_due
from crm.messaging.tests.factories import ScheduledMessageFactory
from tests.fakes.messaging_providers import smtp_server

pytestmark = pytest.mark.django_db
PUBLIC = "https://crm.example.com"


@pytest.fixture(autouse=True)
def _public_url(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC


def _send_over_smtp(settings, **fields: object) -> EmailMessage:  # type: ignore[no-untyped-def]
    with smtp_server() as (server, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        ScheduledMessageFactory(channel="Email", subject="News", body="Winter check-ups.", **fields)
        outbox_dispatch_due()
        [envelope] = server.messages
    parsed = email.message_from_bytes(envelope.content, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_marketing_email_carries_a_working_unsubscribe_link(settings) -> None:  # type: ignore[no-untyped-def]
    # given a customer who opted in to marketing email, with another newsletter pending
    customer = CustomerFactory(email="maria@example.com")
    ContactConsentFactory(customer=customer, channel="Email", marketing_opt_in=True)
    later = ScheduledMessageFactory(
        customer=customer, channel="Email", purpose="Marketing", subject="More news",
        send_at=timezone.now() + dt.timedelta(days=20),
    )  # fmt: skip
    # when a marketing email goes out through a real SMTP server
    received = _send_over_smtp(settings, customer=customer, purpose="Marketing")
    # then it has the headers mail providers use and a link in the text
    link = received["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(f"{PUBLIC}/u/")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_content()
    assert text.rstrip().endswith(f"To stop these emails: {link}")
    path = link.removeprefix(PUBLIC)
    # when the customer opens it: a question, nothing changes yet (link scanners open links)
    page = Client().get(path)
    assert page.status_code == 200
    assert b"Stop all Email messages from ServiceCRM Appliance Care?" in page.content
    assert ContactConsent.objects.get(customer=customer, channel="Email").opted_out_at is None
    # when they press the button (no login, no CSRF token: the signed link authorises it)
    done = Client(enforce_csrf_checks=True).post(path)
    # then they are opted out of email and the pending newsletter is cancelled
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    consent = ContactConsent.objects.get(customer=customer, channel="Email")
    assert (consent.opted_out_at is not None, consent.marketing_opt_in) == (True, False)
    later.refresh_from_db()
    assert later.status == MessageStatus.CANCELLED


def test_one_click_from_a_mail_provider_and_again_changes_nothing_more() -> None:
    customer = CustomerFactory()
    path = unsubscribe_url(customer_id=customer.pk).removeprefix(PUBLIC)
    client = Client(enforce_csrf_checks=True)
    first = client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    stopped = ContactConsent.objects.get(customer=customer, channel="Email").opted_out_at
    again = client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert (first.status_code, again.status_code) == (200, 200)
    assert stopped is not None
    assert ContactConsent.objects.get(customer=customer, channel="Email").opted_out_at == stopped


def test_service_email_has_no_unsubscribe_header(settings) -> None:  # type: ignore[no-untyped-def]
    received = _send_over_smtp(settings, customer=CustomerFactory(email="john@example.com"))
    assert received["List-Unsubscribe"] is None
    assert "/u/" not in received.get_content()


def test_altered_or_foreign_links_are_404_and_change_nothing() -> None:
    customer = CustomerFactory()
    path = unsubscribe_url(customer_id=customer.pk).removeprefix(PUBLIC)
    foreign = signing.dumps({"c": customer.pk, "ch": "Email"}, salt="crm.messaging.survey")
    for bad in (re.sub(r".$", "x", path), f"/u/{foreign}"):
        assert Client().post(bad).status_code == 404
    assert not ContactConsent.objects.exists()
