"""Writing to the customer from the Customer View (crm/engagement/views/compose.py): the
header's Text, WhatsApp and Email and Reply on the timeline. A Service message through the
outbox; a refused channel says why (422) and saves nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.activities.tests.factories import ActivityFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _any_time(settings: Any) -> None:
    """No quiet hours unless a test says otherwise (the clock must not matter)."""
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"
    settings.WHATSAPP_TEMPLATE_NAME = ""


@pytest.fixture
def ana(db: None) -> Customer:
    return CustomerFactory(name="Ana Ruiz", email="ana@example.com", phone="+13055550100")


def compose_url(customer: Customer, query: str = "") -> str:
    return f"/customers/{customer.pk}/messages/new/" + (f"?{query}" if query else "")


def posted(**fields: str) -> dict[str, str]:
    return {"channel": "SMS", "subject": "", "body": "Your part arrived.", "when": "now",
            "send_at": "", "idempotency_key": "compose:test-1", **fields}  # fmt: skip


def test_the_form_shows_each_channel_and_the_closed_whatsapp_window(staff_client: Client, ana):
    # given: the customer last wrote on WhatsApp two days ago
    ActivityFactory(customer=ana, kind=ActivityKind.WHATSAPP, direction=Direction.INBOUND,
                    occurred_at=timezone.now() - dt.timedelta(days=2))  # fmt: skip
    # when
    response = staff_client.get(compose_url(ana, "channel=WhatsApp"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="WhatsApp" selected>' in html
    assert "24-hour window: closed" in html
    assert "WhatsApp will refuse free text" in html
    assert html.count("Consent: may receive service messages.") == 3


def test_the_window_is_open_for_24_hours_after_the_customers_whatsapp(staff_client, ana):
    # given
    wrote = timezone.now() - dt.timedelta(hours=3)
    ActivityFactory(customer=ana, kind=ActivityKind.WHATSAPP, direction=Direction.INBOUND,
                    occurred_at=wrote)  # fmt: skip
    # when
    html = staff_client.get(compose_url(ana), **HTMX).content.decode()
    # then
    closes = timezone.localtime(wrote + dt.timedelta(hours=24))
    assert "24-hour window: open until" in html
    assert f'datetime="{closes.isoformat()}"' in html or closes.strftime("%H:%M") in html


def test_sending_now_schedules_a_service_message_through_the_outbox(staff_client, ana):
    # when
    response = staff_client.post(compose_url(ana), posted(), **HTMX)
    # then
    assert response.status_code == 204
    message = ScheduledMessage.objects.get()
    assert (message.customer_id, message.channel, message.body) == (
        ana.pk,
        "SMS",
        "Your part arrived.",
    )
    assert (message.purpose, message.source) == (Purpose.SERVICE, MessageSource.OFFICE)
    assert message.status in (MessageStatus.SCHEDULED, MessageStatus.SENT, MessageStatus.DELIVERED)
    triggers = json.loads(response["HX-Trigger"])
    assert {"messages-changed", "activity-changed"} <= set(triggers)
    assert triggers["crm:confirmed"]["text"] == "Message scheduled: SMS to Ana Ruiz"


def test_a_scheduled_time_is_kept_and_said(staff_client, ana):
    # given
    later = timezone.localtime() + dt.timedelta(days=2)
    # when
    response = staff_client.post(
        compose_url(ana), posted(when="later", send_at=later.strftime("%Y-%m-%dT%H:%M")), **HTMX
    )
    # then
    assert response.status_code == 204
    message = ScheduledMessage.objects.get()
    assert message.status == MessageStatus.SCHEDULED
    assert timezone.localtime(message.send_at).replace(second=0, microsecond=0) == later.replace(
        second=0, microsecond=0
    )
    text = json.loads(response["HX-Trigger"])["crm:confirmed"]["text"]
    assert text.startswith("Message scheduled: SMS to Ana Ruiz, goes ")


def test_quiet_hours_hold_the_message_and_the_confirmation_says_until_when(
    staff_client, ana, settings
):
    # given: quiet all day but 03:00-03:01, so "now" is held for the next 3:00 AM
    settings.QUIET_HOURS_START = "03:01"
    settings.QUIET_HOURS_END = "03:00"
    # when
    response = staff_client.post(compose_url(ana), posted(), **HTMX)
    # then
    assert response.status_code == 204
    text = json.loads(response["HX-Trigger"])["crm:confirmed"]["text"]
    assert "goes" in text
    assert "3:00 AM" in text


def test_a_refused_channel_is_422_with_the_reason_and_nothing_is_saved(staff_client, ana):
    # given
    ContactConsentFactory(customer=ana, channel="SMS", opted_out_at=timezone.now())
    # when
    response = staff_client.post(compose_url(ana), posted(), **HTMX)
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "The customer opted out of SMS" in html
    assert "Cannot be sent: the customer opted out on" in html
    assert not ScheduledMessage.objects.exists()


def test_a_channel_without_an_address_is_refused(staff_client):
    # given
    customer = CustomerFactory(name="Bo", email="", phone="+13055550111")
    # when
    response = staff_client.post(compose_url(customer), posted(channel="Email"), **HTMX)
    # then
    assert response.status_code == 422
    assert "The customer has no email address for Email." in response.content.decode()
    assert not ScheduledMessage.objects.exists()


def test_a_reply_preselects_the_channel_and_quotes_the_message(staff_client, ana):
    # given
    inbound = ActivityFactory(customer=ana, kind=ActivityKind.EMAIL, direction=Direction.INBOUND,
                              content="Is Tuesday fine for the visit?")  # fmt: skip
    # when
    html = staff_client.get(compose_url(ana, f"reply_to={inbound.pk}"), **HTMX).content.decode()
    # then
    assert '<option value="Email" selected>' in html
    assert "Is Tuesday fine for the visit?" in html
    assert 'value="Re: your message of ' in html


def test_a_reply_is_sent_on_its_channel(staff_client, ana):
    # given
    inbound = ActivityFactory(customer=ana, kind=ActivityKind.WHATSAPP,
                              direction=Direction.INBOUND, content="When do you come?")  # fmt: skip
    # when
    response = staff_client.post(
        compose_url(ana, f"reply_to={inbound.pk}"),
        posted(channel="WhatsApp", body="Tomorrow at 9."), **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    message = ScheduledMessage.objects.get()
    assert (message.channel, message.body, message.purpose) == ("WhatsApp", "Tomorrow at 9.",
                                                                  Purpose.SERVICE)  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reply_to_another_customers_message_is_404(staff_client, ana, method):
    # given
    other = ActivityFactory(kind=ActivityKind.SMS, direction=Direction.INBOUND)
    # when
    address = compose_url(ana, f"reply_to={other.pk}")
    if method == "get":  # (a GET's data would replace the query string)
        response = staff_client.get(address, **HTMX)
    else:
        response = staff_client.post(address, posted(), **HTMX)
    # then
    assert response.status_code == 404
    assert not ScheduledMessage.objects.exists()


@pytest.mark.parametrize("query", ["reply_to=abc", "reply_to=-1"])
def test_a_reply_to_nonsense_is_404(staff_client, ana, query):
    assert staff_client.get(compose_url(ana, query)).status_code == 404


def test_a_reply_to_our_own_message_or_a_note_is_404(staff_client, ana):
    # given
    ours = ActivityFactory(customer=ana, kind=ActivityKind.SMS, direction=Direction.OUTBOUND)
    note = ActivityFactory(customer=ana, kind=ActivityKind.NOTE)
    # then
    for activity in (ours, note):
        assert staff_client.get(compose_url(ana, f"reply_to={activity.pk}")).status_code == 404


def test_without_javascript_the_form_is_a_page_and_saving_redirects(staff_client, ana):
    # when
    page = staff_client.get(compose_url(ana, "channel=Email"))
    response = staff_client.post(compose_url(ana), posted(channel="Email"))
    # then
    assert "<html" in page.content.decode()
    assert f"Write to {ana.name}" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{ana.pk}/#activity"
    assert ScheduledMessage.objects.get().subject  # email gets the company's default subject


def test_a_double_submit_makes_one_message(staff_client, ana):
    staff_client.post(compose_url(ana), posted(), **HTMX)
    staff_client.post(compose_url(ana), posted(), **HTMX)
    assert ScheduledMessage.objects.count() == 1


def test_the_timeline_offers_reply_on_inbound_messages_only(staff_client, ana):
    # given
    inbound = ActivityFactory(customer=ana, kind=ActivityKind.SMS, direction=Direction.INBOUND)
    outbound = ActivityFactory(customer=ana, kind=ActivityKind.SMS, direction=Direction.OUTBOUND)
    # when
    html = staff_client.get(f"/customers/{ana.pk}/").content.decode()
    # then
    assert f'id="reply-{inbound.pk}"' in html
    assert f'href="/customers/{ana.pk}/messages/new/?reply_to={inbound.pk}"' in html
    assert f'id="reply-{outbound.pk}"' not in html
    assert Activity.objects.count() == 2


def test_the_header_has_call_and_compose_actions(staff_client, ana):
    html = staff_client.get(f"/customers/{ana.pk}/").content.decode()
    assert 'href="tel:+13055550100"' in html
    for channel in ("SMS", "WhatsApp", "Email"):
        assert f'href="/customers/{ana.pk}/messages/new/?channel={channel}"' in html


def test_the_header_says_why_a_channel_is_not_offered(staff_client):
    customer = CustomerFactory(name="Bo", email="", phone="")
    html = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "No phone number on file" in html
    assert "No email address on file." in html
    assert "tel:" not in html.split('id="head-actions"')[1].split("</header>")[0]
