"""The customer's own changes from the portal: contact choices and service requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from crm.activities.models import Activity
from crm.appliances.tests.factories import ApplianceFactory
from crm.audit.models import AuditEntry
from crm.customers.models import AddressSuppression, ContactConsent, MessageChannel
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.portal.tests.conftest import Portal

pytestmark = pytest.mark.django_db
CHOICES = {
    "prefs-method": "Email", "prefs-frequency": "Minimal", "prefs-language": "en",
    "prefs-messages_whatsapp": "on", "prefs-messages_sms": "on", "prefs-messages_email": "on",
}  # fmt: skip


def _save(portal: Portal, client: Client | None = None, **changes: Any) -> Any:
    data = {**CHOICES, **changes}
    return (client or Client()).post(
        portal.path + "preferences/", {k: v for k, v in data.items() if v}
    )


def test_unticking_a_channel_opts_its_address_out_as_the_customers_own_change(
    portal: Portal,
) -> None:
    before = AuditEntry.objects.count()
    # when the customer unticks SMS and asks for offers by email, in Spanish
    client = Client()
    response = _save(portal, client, **{"prefs-messages_sms": "", "prefs-offers_email": "on"},
                     **{"prefs-language": "es"})  # fmt: skip
    # then
    assert response.status_code == 302
    customer = portal.customer
    customer.refresh_from_db()
    assert (customer.preferred_contact_method, customer.language_preference) == ("Email", "es")
    consents = {c.channel: c for c in ContactConsent.objects.filter(customer=customer)}
    assert consents[MessageChannel.SMS].opted_out_at is not None
    assert consents[MessageChannel.EMAIL].marketing_opt_in is True
    assert AddressSuppression.objects.filter(
        channel="SMS", address=customer.phone, source="Portal"
    ).exists()
    entries = AuditEntry.objects.filter(customer_id=customer.pk).order_by("id")[before:]
    assert len(entries) >= 3
    assert {e.actor_email for e in entries} == {"the customer"}
    assert all(
        e.source.startswith("the customer's own change through portal link") for e in entries
    )
    assert "Sus preferencias están guardadas" in client.get(portal.path).content.decode()


def test_ticking_an_opted_out_channel_again_is_the_customers_request(portal: Portal) -> None:
    # given SMS opted out from the portal
    _save(portal, **{"prefs-messages_sms": ""})
    # when ticked again
    _save(portal)
    # then
    consent = ContactConsent.objects.get(customer=portal.customer, channel="SMS")
    assert consent.opted_out_at is None
    assert not AddressSuppression.objects.filter(lifted_at__isnull=True).exists()


@pytest.mark.parametrize(("field", "value"), [("prefs-method", "Pigeon"), ("prefs-language", "fr"),
                                          ("prefs-frequency", "")])  # fmt: skip
def test_bad_choices_are_refused_and_nothing_changes(
    portal: Portal, field: str, value: str
) -> None:
    response = _save(portal, **{field: value, "prefs-messages_sms": ""})
    assert response.status_code == 422
    assert not ContactConsent.objects.filter(opted_out_at__isnull=False).exists()
    portal.customer.refresh_from_db()
    assert portal.customer.preferred_contact_method != "Email"


def _request(portal: Portal, **data: Any) -> Any:
    form = {"request-appliance": str(portal.appliance.pk), "request-problem": "Fridge is warm",
            "request-days": ["mon", "fri"]}  # fmt: skip
    form.update(data)
    return Client().post(portal.path + "request/", {k: v for k, v in form.items() if v != ""})


def test_a_service_request_raises_a_reminder_and_a_timeline_entry(portal: Portal) -> None:
    # when
    response = _request(portal)
    # then
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert reminder.kind == ReminderKind.SERVICE_REQUEST
    assert reminder.priority == ReminderPriority.MEDIUM
    assert reminder.appliance_id == portal.appliance.pk
    assert reminder.title == "Service requested for Whirlpool refrigerator"
    assert "Fridge is warm" in reminder.details
    assert "Monday, Friday" in reminder.details
    assert Activity.objects.filter(customer=portal.customer, content__contains="requested").exists()


def test_a_request_for_another_appliance_names_none(portal: Portal) -> None:
    _request(portal, **{"request-appliance": "other", "request-days": []})
    reminder = Reminder.objects.get()
    assert reminder.appliance_id is None
    assert "No preferred days" in reminder.details


@pytest.mark.parametrize("data", [
    {"request-problem": "Hot"},
    {"request-problem": "x" * 2001},
    {"request-problem": "     \n   "},
    {"request-appliance": "999999"},
    {"request-appliance": ""},
    {"request-days": ["mon", "someday"]},
])  # fmt: skip
def test_bad_requests_show_errors_and_save_nothing(portal: Portal, data: dict[str, Any]) -> None:
    response = _request(portal, **data)
    assert response.status_code == 422
    assert "Please check the form below." in response.content.decode()
    assert not Reminder.objects.exists()
    assert not Activity.objects.filter(content__contains="requested").exists()


def test_another_customers_appliance_cannot_be_named(portal: Portal) -> None:
    foreign = ApplianceFactory(customer=CustomerFactory())
    response = _request(portal, **{"request-appliance": str(foreign.pk)})
    assert response.status_code == 422
    assert not Reminder.objects.exists()


def test_a_spanish_customer_reads_the_errors_in_spanish(db: None) -> None:
    from crm.portal.tests.conftest import portal_for

    portal = portal_for("es")
    text = _request(portal, **{"request-problem": "Hot"}).content.decode()
    assert "Describa el problema en 5 a 2000 caracteres." in text
