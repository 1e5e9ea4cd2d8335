"""Clearing an opt-out is its own action with the customer's request recorded (API and page);
PUT /api/update-customer cannot opt an opted-out channel back in, nor save over a late opt-out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from crm.customers.models import AddressSuppression, ContactConsent, Customer
from crm.customers.services.consent import address_opt_out
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import EventKind, MessageEvent

pytestmark = pytest.mark.django_db
NUMBER = "+13055550100"
REQUEST = "Called on 3 Dec at 10:15 and asked for visit texts again."
HTMX = {"HTTP_HX_REQUEST": "true"}


def _stopped(customer: Customer) -> None:
    address_opt_out(channel="SMS", address=customer.phone, source="Keyword", detail="STOP")


def _consent(customer: Customer) -> ContactConsent:
    return ContactConsent.objects.get(customer=customer, channel="SMS")


def test_clearing_through_the_api_records_who_when_and_why(staff_client: Client) -> None:
    # given a customer whose number wrote STOP
    customer = CustomerFactory(phone=NUMBER)
    _stopped(customer)
    # when the office clears it with the customer's request
    response = staff_client.post(
        f"/api/customer/{customer.pk}/consent/clear",
        {"channel": "SMS", "request": REQUEST},
        content_type="application/json",
    )
    # then the opt-out and the number's suppression are gone, and an event keeps the request
    assert response.status_code == 200
    body = response.json()
    assert (body["customerId"], body["channel"], body["addressWasSuppressed"]) == (
        customer.pk, "SMS", True,
    )  # fmt: skip
    assert _consent(customer).opted_out_at is None
    suppression = AddressSuppression.objects.get()
    assert suppression.lifted_at is not None
    assert REQUEST in suppression.lifted_reason
    event = MessageEvent.objects.get(pk=body["eventId"])
    assert (event.kind, event.customer_id) == (EventKind.CONSENT, customer.pk)
    assert event.payload["request"] == REQUEST
    assert event.payload["clearedBy"] == "office"
    assert f"cleared by office at the customer's request: {REQUEST}" in event.detail


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"channel": "SMS", "request": "asked"}, 422, "request"),
        ({"channel": "SMS", "request": "   "}, 422, "request"),
        ({"channel": "Fax", "request": REQUEST}, 422, "channel"),
        ({"channel": "Email", "request": REQUEST}, 409, "channel"),
    ],
)
def test_clearing_without_a_request_or_an_opt_out_is_refused_and_changes_nothing(
    staff_client: Client, payload: dict[str, str], status: int, field: str
) -> None:
    customer = CustomerFactory(phone=NUMBER)
    _stopped(customer)
    response = staff_client.post(
        f"/api/customer/{customer.pk}/consent/clear", payload, content_type="application/json"
    )
    assert response.status_code == status
    assert field in str(response.json()["errors"])
    assert _consent(customer).opted_out_at is not None
    assert AddressSuppression.objects.get().lifted_at is None
    assert not MessageEvent.objects.exists()


def test_clearing_an_unknown_customer_is_404(staff_client: Client) -> None:
    response = staff_client.post(
        "/api/customer/999999/consent/clear",
        {"channel": "SMS", "request": REQUEST},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "consent", [{"channel": "SMS", "optedOut": False}, {"channel": "SMS", "marketingOptIn": True}]
)
def test_update_customer_refuses_to_opt_an_opted_out_channel_back_in(
    staff_client: Client, consent: dict[str, object]
) -> None:
    # given an SMS opt-out
    customer = CustomerFactory(phone=NUMBER, name="Ana")
    _stopped(customer)
    # when a client opts it back in with PUT, renaming the customer in the same request
    response = staff_client.put(
        f"/api/update-customer/{customer.pk}",
        {"name": "Ana Ruiz", "consents": [consent]},
        content_type="application/json",
    )
    # then 409 names the clearing endpoint, and nothing changed
    assert response.status_code == 409
    assert f"POST /api/customer/{customer.pk}/consent/clear" in response.json()["detail"]
    assert _consent(customer).opted_out_at is not None
    assert _consent(customer).marketing_opt_in is False
    customer.refresh_from_db()
    assert customer.name == "Ana"


def test_update_customer_refuses_a_copy_read_before_a_late_opt_out(staff_client: Client) -> None:
    # given a client read the customer, then the number wrote STOP
    customer = CustomerFactory(phone=NUMBER, language_preference="en")
    read_at = timezone.now() - dt.timedelta(minutes=5)
    _stopped(customer)
    # when it saves its copy
    response = staff_client.put(
        f"/api/update-customer/{customer.pk}",
        {"languagePreference": "es", "consentsReadAt": read_at.isoformat()},
        content_type="application/json",
    )
    # then 409 with the reason; a fresh copy saves
    assert response.status_code == 409
    assert "opted out of SMS" in response.json()["detail"]
    customer.refresh_from_db()
    assert customer.language_preference == "en"
    fresh = staff_client.put(
        f"/api/update-customer/{customer.pk}",
        {"languagePreference": "es", "consentsReadAt": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert fresh.status_code == 200


def test_the_page_action_clears_with_the_request(staff_client: Client) -> None:
    # given an SMS opt-out shown on the preferences form with its own action
    customer = CustomerFactory(phone=NUMBER)
    ContactConsentFactory(customer=customer, channel="SMS", opted_out_at=timezone.now())
    url = f"/customers/{customer.pk}/consent/SMS/clear/"
    shown = staff_client.get(url, **HTMX)
    assert shown.status_code == 200
    assert "Clear the SMS opt-out of" in shown.content.decode()
    assert "Clear the SMS opt-out of" in staff_client.get(url).content.decode()  # its own page
    # when the office posts without the request, then with it
    refused = staff_client.post(url, {"request": ""}, **HTMX)
    assert refused.status_code == 422
    assert _consent(customer).opted_out_at is not None
    saved = staff_client.post(url, {"request": REQUEST}, **HTMX)
    # then the card reloads and the request is on record
    assert saved.status_code == 204
    assert "communication-changed" in saved["HX-Trigger"]
    assert _consent(customer).opted_out_at is None
    assert MessageEvent.objects.get(kind=EventKind.CONSENT).payload["request"] == REQUEST


def test_the_page_action_for_an_unknown_channel_is_404(staff_client: Client) -> None:
    customer = CustomerFactory()
    assert staff_client.get(f"/customers/{customer.pk}/consent/Fax/clear/").status_code == 404
