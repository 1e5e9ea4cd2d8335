"""The Customer View's portal actions: send a new link through the outbox, revoke them all."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from crm.customers.models import ContactConsent, MessageChannel
from crm.customers.tests.factories import CustomerFactory
from crm.messaging.models import MessageSource, Purpose, ScheduledMessage
from crm.portal.models import PortalLink
from crm.portal.services.links import portal_link_create

pytestmark = pytest.mark.django_db


def test_send_puts_a_new_link_in_the_outbox_on_the_preferred_channel(staff_client: Client) -> None:
    # given
    customer = CustomerFactory(name="Ana Ruiz", preferred_contact_method="Email")
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/portal-link/send/", HTTP_HX_REQUEST="true"
    )
    # then
    assert response.status_code == 204
    said = json.loads(response["HX-Trigger"])["crm:confirmed"]["text"]
    assert said == "Portal link sent by Email."
    message = ScheduledMessage.objects.get()
    link = PortalLink.objects.get()
    assert (message.channel, message.source, message.purpose) == (
        "Email",
        MessageSource.PORTAL,
        Purpose.SERVICE,
    )
    assert "/p/" in message.body
    assert message.body.startswith("Hi Ana")
    assert link.customer_id == customer.pk
    assert link.created_by is not None


def test_send_says_why_when_no_channel_can_carry_it_and_keeps_no_link(staff_client: Client) -> None:
    # given a customer opted out of every channel
    customer = CustomerFactory()
    for channel in MessageChannel.values:
        ContactConsent.objects.create(
            customer=customer, channel=channel, opted_out_at="2026-01-01T00:00Z"
        )
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/portal-link/send/", HTTP_HX_REQUEST="true"
    )
    # then
    said = json.loads(response["HX-Trigger"])["crm:confirmed"]["text"]
    assert said.startswith("Portal link not sent: ")
    assert not ScheduledMessage.objects.exists()
    assert not PortalLink.objects.exists()


def test_a_spanish_customer_gets_the_link_in_spanish(staff_client: Client) -> None:
    customer = CustomerFactory(
        name="Ana Ruiz", language_preference="es", preferred_contact_method="SMS"
    )
    staff_client.post(f"/customers/{customer.pk}/portal-link/send/")
    assert ScheduledMessage.objects.get().body.startswith("Hola Ana")


def test_revoke_ends_the_links_from_the_customer_view(staff_client: Client) -> None:
    customer = CustomerFactory()
    portal_link_create(customer_id=customer.pk)
    response = staff_client.post(f"/customers/{customer.pk}/portal-link/revoke/")
    assert response.status_code == 302
    assert PortalLink.objects.get().revoked_at is not None
    assert staff_client.post("/customers/987654/portal-link/revoke/").status_code == 404


def test_the_customer_view_offers_both_actions(staff_client: Client) -> None:
    customer = CustomerFactory()
    text = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="head-portal-send"' in text
    assert 'id="head-portal-revoke"' in text
