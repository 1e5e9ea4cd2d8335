"""Marketing vs Service is decided by the outbox, not by the caller: greetings, suggestions and
maintenance offers are Marketing; a Service message must be about a job or an appliance."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory

pytestmark = pytest.mark.django_db


def _schedule(client: Client, customer: Customer, **fields: object):  # type: ignore[no-untyped-def]
    payload = {"customerId": customer.pk, "channel": "SMS", "body": "Hello"} | fields
    return client.post("/api/schedule-message", payload, content_type="application/json")


def test_a_manual_service_message_about_nothing_is_refused(staff_client: Client) -> None:
    customer = CustomerFactory()
    response = _schedule(staff_client, customer, purpose="Service")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "purpose"
    assert "must be about a job or an appliance" in response.json()["detail"]
    assert not ScheduledMessage.objects.exists()


def test_a_service_message_about_an_appliance_is_kept_with_it(staff_client: Client) -> None:
    customer = CustomerFactory()
    washer = ApplianceFactory(customer=customer)
    response = _schedule(staff_client, customer, purpose="Service", applianceId=washer.pk)
    assert response.status_code == 201
    assert (response.json()["purpose"], response.json()["applianceId"]) == ("Service", washer.pk)
    assert ScheduledMessage.objects.get().appliance == washer


def test_someone_elses_appliance_is_refused(staff_client: Client) -> None:
    customer = CustomerFactory()
    response = _schedule(staff_client, customer, applianceId=ApplianceFactory().pk)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "applianceId"
    assert not ScheduledMessage.objects.exists()


@pytest.mark.parametrize("source", ["Greeting", "Suggestion", "Reminder"])
def test_promotional_sources_are_marketing_whatever_the_caller_says(
    staff_client: Client, source: str
) -> None:
    # given a customer who welcomes marketing texts
    customer = CustomerFactory()
    ContactConsentFactory(customer=customer, channel="SMS", marketing_opt_in=True)
    # when the caller calls it Service
    response = _schedule(staff_client, customer, source=source, purpose="Service")
    # then it is Marketing
    assert response.status_code == 201
    assert response.json()["purpose"] == "Marketing"
    assert ScheduledMessage.objects.get().purpose == "Marketing"


@pytest.mark.parametrize("source", ["Greeting", "Suggestion", "Reminder"])
def test_promotional_sources_need_the_marketing_opt_in(staff_client: Client, source: str) -> None:
    customer = CustomerFactory()
    ApplianceFactory(customer=customer)
    response = _schedule(staff_client, customer, source=source, purpose="Service")
    assert response.status_code == 422
    assert response.json()["detail"] == "The customer has not opted in to marketing by SMS."
    assert not ScheduledMessage.objects.exists()


def test_the_database_refuses_a_greeting_called_service() -> None:
    with pytest.raises(IntegrityError):
        ScheduledMessageFactory(source="Greeting", purpose="Service")
