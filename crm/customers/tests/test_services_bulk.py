"""The bulk writes the CSV import uses: unique referral codes, consents set per channel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.customers.services import consents_bulk_set, customers_bulk_create
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def test_new_customers_get_referral_codes_no_one_else_has(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: a code already taken, and two new customers whose default code clashes with it
    # and with each other; the generator then hands out fresh ones
    CustomerFactory(referral_code="TAKEN234")
    fresh = iter(["TAKEN234", "FRESH234", "OTHER234"])
    monkeypatch.setattr("crm.customers.services.referral_code_new", lambda: next(fresh))
    new = [
        Customer(name="A", referral_code="TAKEN234"),
        Customer(name="B", referral_code="SAME2345"),
        Customer(name="C", referral_code="SAME2345"),
    ]

    # when
    created = customers_bulk_create(customers=new)

    # then
    assert all(customer.pk for customer in created)
    assert sorted(Customer.objects.values_list("referral_code", flat=True)) == [
        "FRESH234",
        "OTHER234",
        "SAME2345",
        "TAKEN234",
    ]


def test_consents_are_created_or_changed_and_an_opt_out_stays() -> None:
    # given
    customer = CustomerFactory()
    opted_out_at = timezone.now()
    ContactConsentFactory(
        customer=customer,
        channel=MessageChannel.SMS,
        marketing_opt_in=False,
        opted_out_at=opted_out_at,
    )

    # when
    changed = consents_bulk_set(
        marketing={
            (customer.pk, MessageChannel.SMS): True,
            (customer.pk, MessageChannel.EMAIL): False,
        }
    )

    # then
    assert changed == 2
    assert list(
        ContactConsent.objects.filter(customer=customer).values_list(
            "channel", "marketing_opt_in", "opted_out_at"
        )
    ) == [("Email", False, None), ("SMS", True, opted_out_at)]
