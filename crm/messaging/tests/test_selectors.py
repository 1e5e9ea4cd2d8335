"""Messaging reads: who sent an inbound message, found by their phone number."""

from __future__ import annotations

import pytest

from crm.customers.tests.factories import CustomerFactory
from crm.messaging.selectors import customer_by_phone


@pytest.mark.django_db
def test_customer_by_phone_matches_the_stored_e164_number_in_any_format() -> None:
    # given: a Greek number whose digits are this number's without the country code
    CustomerFactory(phone="+303055550142")
    ours = CustomerFactory(phone="+13055550142")
    # when / then
    assert customer_by_phone("(305) 555-0142") == ours
    assert customer_by_phone("whatsapp:+1 305 555 0142") == ours


@pytest.mark.django_db
def test_customer_by_phone_still_finds_a_number_the_migration_could_not_read() -> None:
    # given
    old = CustomerFactory(phone="ext. 3055550142")
    # when / then
    assert customer_by_phone("+13055550142") == old
