"""Anonymising a customer erases what is personal in every related row and keeps money,
consent (also under a hash of the address) and counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.db.models import Sum
from django.test import Client

from crm.activities.models import Activity, ActivityKind
from crm.core.errors import Conflict, NotFound
from crm.customers.models import ContactConsent, Customer, ErasedAddressConsent
from crm.customers.services import customer_create
from crm.customers.services.merge import customer_relations
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.customers.tests.test_merge import _a_row_in_every_related_model
from crm.engagement.models import Reminder, ReminderStatus
from crm.engagement.services.anonymise import ERASURES, customer_anonymise
from crm.jobs.models import Expense, Payment
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.referrals.models import Referral
from crm.reviews.models import FollowUpStatus, ServiceFollowUp

pytestmark = pytest.mark.django_db
NAME, PHONE, EMAIL, ADDRESS = "Zelda Quixote", "+13055550177", "zelda@example.org", "42 Wallaby Way"
PERSONAL = (NAME, "Zelda", "Quixote", PHONE, "3055550177", EMAIL, ADDRESS)
# Every text field an office or a provider may have filled with something about the customer.
WRITTEN = {
    "appliances.Appliance": {"serial_number": "SN-Zelda"},
    "jobs.Job": {"description": f"Fridge at {ADDRESS}", "outcome": "Zelda happy",
                 "issues_found": f"Call {PHONE}", "service_address": ADDRESS},
    "customers.ServiceLocation": {"address": ADDRESS, "access_notes": f"Ring {PHONE}"},
    "jobs.Payment": {"reference": "Cheque from Zelda Quixote"},
    "jobs.Expense": {"description": "Part for Zelda"},
    "reviews.Review": {"comment": "Zelda says thanks"},
    "reviews.ServiceFollowUp": {"feedback": f"Email me at {EMAIL}"},
    "activities.Activity": {"content": f"Note: {NAME} lives at {ADDRESS}"},
    "engagement.FollowUpLog": {"notes": f"Rang {PHONE}"},
    "engagement.Reminder": {"title": f"Call Zelda on {PHONE}", "details": ADDRESS},
    "engagement.SuggestionDecision": {"title": "Birthday greeting for Zelda"},
    "messaging.ScheduledMessage": {"subject": "Hi Zelda", "body": f"Hi {NAME}",
                                   "template_params": [NAME], "last_error": f"Bad {PHONE}"},
    "messaging.MessageEvent": {"payload": {"from": PHONE, "text": f"I am {NAME}"},
                               "detail": f"From {PHONE}"},
    "insights.InsightResult": {"text": f"{NAME} is a loyal customer"},
}  # fmt: skip


def _zelda() -> Customer:
    """A customer with a row in every related model, personal text in each of them."""
    zelda = CustomerFactory(name=NAME, phone=PHONE, email=EMAIL, address=ADDRESS,
                            preferred_contact_times=[{"day": "Mon", "start": "09:00",
                                                      "end": "12:00"}])  # fmt: skip
    _a_row_in_every_related_model(zelda)
    # A webhook event that points at the message only, with the address in its payload.
    MessageEvent.objects.create(
        message=ScheduledMessage.objects.get(customer=zelda), kind=EventKind.WEBHOOK,
        payload={"to": PHONE}, dedupe_key="whatsapp:wamid.1:delivered",
    )  # fmt: skip
    for relation in customer_relations():
        fields = WRITTEN.get(relation.related_model._meta.label)
        if fields:
            relation.related_model._base_manager.filter(**{relation.field.name: zelda}).update(
                **fields
            )
    Referral.objects.filter(referrer=zelda).update(reward_given=True, reward_amount="25.00")
    return zelda


def _text_of(row: models.Model) -> str:
    return " ".join(
        str(getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    )


def _personal_left(customer_id: int) -> list[str]:
    """Every row about the customer (and the customer) whose text still holds personal data."""
    rows: list[models.Model] = [Customer.objects.get(pk=customer_id)]
    for relation in customer_relations():
        if relation.related_model is Customer:
            continue  # the customers they referred: other people
        rows += relation.related_model._base_manager.filter(**{relation.field.name: customer_id})
    rows += MessageEvent.objects.filter(message__customer_id=customer_id)
    return [
        f"{row._meta.label} {row.pk}: {value}"
        for row in rows
        for value in PERSONAL
        if value.lower() in _text_of(row).lower()
    ]


def _money(customer_id: int) -> tuple[Any, ...]:
    customer = Customer.objects.get(pk=customer_id)
    return (
        Payment.objects.filter(customer_id=customer_id).aggregate(s=Sum("amount"))["s"],
        Expense.objects.filter(customer_id=customer_id).aggregate(s=Sum("amount"))["s"],
        Referral.objects.filter(referrer_id=customer_id).aggregate(s=Sum("reward_amount"))["s"],
        customer.revenue_total, customer.expenses_total, customer.net_profit,
        customer.profit_margin,
    )  # fmt: skip


def _counts(customer_id: int) -> dict[str, int]:
    return {
        f"{relation.related_model._meta.label}.{relation.field.name}": (
            relation.related_model._base_manager.filter(**{relation.field.name: customer_id})
        ).count()
        for relation in customer_relations()
    }


def test_every_model_pointing_at_customer_says_what_anonymising_erases() -> None:
    labels = {relation.related_model._meta.label for relation in customer_relations()}
    assert labels == set(ERASURES)


def test_nothing_personal_is_left_and_money_and_counts_are_unchanged(staff_user) -> None:
    # given
    zelda = _zelda()
    assert _personal_left(zelda.pk), "the test data holds no personal data"
    counts, money = _counts(zelda.pk), _money(zelda.pk)
    assert all(counts.values()), f"test data misses a relation: {counts}"
    assert money[0] > 0
    assert money[2] == Decimal("25.00")
    # when
    summary = customer_anonymise(customer_id=zelda.pk, user=staff_user)
    # then
    assert _personal_left(zelda.pk) == []
    assert _money(zelda.pk) == money
    after = _counts(zelda.pk)
    assert after.pop("insights.InsightResult.customer") == 0  # AI answers about them go
    assert after.pop("portal.PortalLink.customer") == 0  # no way back into their pages
    assert after.pop("activities.Activity.customer") == 2  # the erasure's own event added
    assert after.pop("messaging.MessageEvent.customer") == 2  # the waiting message's cancel
    assert after == {k: v for k, v in counts.items() if k not in {
        "insights.InsightResult.customer", "activities.Activity.customer",
        "messaging.MessageEvent.customer", "portal.PortalLink.customer"}}  # fmt: skip
    assert summary.deleted == {"insight results": 1, "portal links": 1}
    assert summary.kept == {
        "customer technician ratings": 1, "customers (referred by)": 1, "contact consents": 2,
        "referrals (referrer)": 1, "referrals (referred customer)": 1, "maintenance plans": 1,
    }  # fmt: skip
    assert MessageEvent.objects.filter(dedupe_key="whatsapp:wamid.1:delivered").exists()
    zelda.refresh_from_db()
    assert (zelda.name, zelda.phone, zelda.email, zelda.address) == (
        f"Anonymised customer #{zelda.pk}", "", "", ""
    )  # fmt: skip
    assert zelda.anonymised_at is not None


def test_the_erasure_is_a_timeline_event_with_who_and_when(staff_user) -> None:
    # given
    zelda = CustomerFactory(name=NAME)
    # when
    customer_anonymise(customer_id=zelda.pk, user=staff_user)
    # then
    event = Activity.objects.get(customer=zelda)
    zelda.refresh_from_db()
    assert (event.kind, event.author, event.occurred_at, event.content) == (
        ActivityKind.SYSTEM, staff_user, zelda.anonymised_at,
        "Personal data erased (customer anonymised) by office.",
    )  # fmt: skip


def test_what_was_pending_stops(staff_user) -> None:
    # given
    zelda = _zelda()
    waiting = ScheduledMessageFactory(customer=zelda, status=MessageStatus.SCHEDULED)
    # when
    customer_anonymise(customer_id=zelda.pk, user=staff_user)
    # then
    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.CANCELLED
    assert not ServiceFollowUp.objects.filter(customer=zelda, status=FollowUpStatus.PENDING)
    assert set(Reminder.objects.filter(customer=zelda).values_list("status", flat=True)) == {
        ReminderStatus.DISMISSED
    }


def test_an_opted_out_address_is_still_known_by_its_hash(staff_user) -> None:
    # given
    zelda = CustomerFactory(name=NAME, phone=PHONE, email=EMAIL)
    opted_out = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    ContactConsentFactory(customer=zelda, channel="SMS", opted_out_at=opted_out)
    ContactConsentFactory(customer=zelda, channel="Email", marketing_opt_in=True)
    # when
    customer_anonymise(customer_id=zelda.pk, user=staff_user)
    returning = customer_create(fields={"name": "New record", "phone": "(305) 555-0177",
                                        "email": EMAIL})  # fmt: skip
    # then
    evidence = list(ErasedAddressConsent.objects.values_list("channel", "opted_out_at"))
    assert sorted(evidence) == [("Email", None), ("SMS", opted_out)]
    assert not any(PHONE in _text_of(row) or EMAIL in _text_of(row)
                   for row in ErasedAddressConsent.objects.all())  # fmt: skip
    consents = ContactConsent.objects.filter(customer=returning)
    assert list(consents.values_list("channel", "opted_out_at", "marketing_opt_in")) == [
        ("SMS", opted_out, False)
    ]


def test_anonymising_twice_is_a_conflict_and_a_missing_customer_not_found(staff_user) -> None:
    # given
    zelda = CustomerFactory(name=NAME)
    customer_anonymise(customer_id=zelda.pk, user=staff_user)
    # when / then
    with pytest.raises(Conflict):
        customer_anonymise(customer_id=zelda.pk, user=staff_user)
    with pytest.raises(NotFound):
        customer_anonymise(customer_id=zelda.pk + 1000, user=staff_user)
    assert Activity.objects.filter(customer=zelda).count() == 1


def test_the_api_anonymises_once(owner_client: Client) -> None:
    # given
    zelda = CustomerFactory(name=NAME)
    # when
    first = owner_client.post(f"/api/customer/{zelda.pk}/anonymise")
    second = owner_client.post(f"/api/customer/{zelda.pk}/anonymise")
    missing = owner_client.post(f"/api/customer/{zelda.pk + 1000}/anonymise")
    # then
    assert first.status_code == 200
    body = first.json()
    assert (body["customerId"], body["name"], body["erased"], body["deleted"]) == (
        zelda.pk, f"Anonymised customer #{zelda.pk}", {}, {}
    )  # fmt: skip
    assert (second.status_code, missing.status_code) == (409, 404)
    assert second.json()["errors"][0]["field"] == "customerId"


def test_the_page_confirms_in_words_then_erases(owner_client: Client) -> None:
    # given
    zelda = _zelda()
    path = f"/customers/{zelda.pk}/anonymise/"
    # when
    shown = owner_client.get(path)
    done = owner_client.post(path)
    again = owner_client.get(path)
    view = owner_client.get(f"/customers/{zelda.pk}/")
    # then
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Erase Zelda Quixote's personal data?" in page
    assert "<li>1 payment</li>" in page
    assert "<li>1 insight result</li>" in page
    assert (done.status_code, done["Location"]) == (302, f"/customers/{zelda.pk}/")
    assert again.status_code == 409
    assert "already anonymised" in again.content.decode()
    assert view.status_code == 200
    assert NAME not in view.content.decode()
    assert 'id="customer-anonymised"' in view.content.decode()


def test_the_admin_cannot_delete_a_customer(admin_client: Client) -> None:
    # given
    zelda = CustomerFactory(name=NAME)
    # when
    response = admin_client.post(f"/admin/customers/customer/{zelda.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 403
    assert Customer.objects.filter(pk=zelda.pk).exists()


def test_only_an_owner_is_offered_or_allowed_to_anonymise(
    staff_client: Client, owner_client: Client
) -> None:
    # given an Office user and an Owner on the same customer
    customer = CustomerFactory()
    view = f"/customers/{customer.pk}/"
    # then the Office user sees no Anonymise action and is refused at its door
    assert 'id="customer-anonymise"' not in staff_client.get(view).content.decode()
    assert staff_client.post(f"/customers/{customer.pk}/anonymise/").status_code == 403
    assert staff_client.post(f"/api/customer/{customer.pk}/anonymise").status_code == 403
    assert Customer.objects.get(pk=customer.pk).anonymised_at is None
    # while the Owner is offered it
    assert 'id="customer-anonymise"' in owner_client.get(view).content.decode()


def test_the_audit_trail_keeps_who_and_when_but_not_the_erased_values() -> None:
    # given a customer whose phone and a payment's amount were changed, each recorded
    from crm.audit.models import AuditEntry
    from crm.customers.services import customer_update
    from crm.jobs.tests.factories import PaymentFactory

    customer = CustomerFactory(name="Zelda Quixote", phone="+13055550123")
    customer_update(customer=customer, fields={"phone": "+13055550124"})
    payment = PaymentFactory(job__customer=customer, customer=customer, amount=Decimal("80.00"))
    payment.amount = Decimal("90.00")
    payment.save()
    # when
    customer_anonymise(customer_id=customer.pk, user=None)
    # then no recorded change names the person; the money change and the entries stay
    recorded = str(list(AuditEntry.objects.filter(customer_id=customer.pk).values()))
    for personal in ("Zelda", "Quixote", "5550123", "5550124"):
        assert personal not in recorded
    money = AuditEntry.objects.filter(customer_id=customer.pk, changes__has_key="amount")
    assert sorted(entry.changes["amount"][1] for entry in money) == ["80.00", "90.00"]
