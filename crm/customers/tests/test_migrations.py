"""The data migration that puts existing phone numbers into E.164 and emails into lower case."""

from __future__ import annotations

import importlib

import pytest

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
phones_e164 = importlib.import_module("crm.customers.migrations.0006_phones_e164")


def test_existing_rows_are_converted_and_unreadable_ones_kept_and_counted():
    # given: rows written before the services normalised anything
    rows = {
        "national": ("(305) 555-0142", "Ana@Example.com"),
        "e164": ("+13055550143", "ben@example.com"),
        "unreadable": ("ask at the front desk", ""),
        "blank": ("", ""),
    }
    for name, (phone, email) in rows.items():
        CustomerFactory(name=name, phone=phone, email=email)
    # when
    counts = phones_e164.contact_details_normalize(Customer)
    # then
    assert counts == {"phones_converted": 1, "phones_unreadable": 1, "emails_lowered": 1}
    stored = dict(Customer.objects.values_list("name", "phone"))
    assert stored == {"national": "+13055550142", "e164": "+13055550143",
                      "unreadable": "ask at the front desk", "blank": ""}  # fmt: skip
    assert Customer.objects.get(name="national").email == "ana@example.com"


def test_many_rows_go_in_batches(monkeypatch):
    # given
    monkeypatch.setattr(phones_e164, "BATCH", 2)
    for n in range(5):
        CustomerFactory(phone=f"305 555 01{n:02d}")
    # when
    counts = phones_e164.contact_details_normalize(Customer)
    # then
    assert counts["phones_converted"] == 5
    assert sorted(Customer.objects.values_list("phone", flat=True)) == [
        f"+1305555010{n}" for n in range(5)
    ]
