"""Service locations as the customer services keep them: the customer's own address is their
first location, a merge renames a clashing label, and a visit's time zone (issue 14)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer, ServiceLocation
from crm.customers.selectors import visit_zone
from crm.customers.services import (
    customer_create,
    customer_merge,
    customer_merge_preview,
    customer_update,
    customers_bulk_create,
    customers_bulk_update,
)
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _locations(customer: Customer) -> list[tuple[str, str, str]]:
    rows = ServiceLocation.objects.filter(customer=customer).order_by("id")
    return list(rows.values_list("label", "address", "timezone"))


def test_a_new_customer_with_an_address_gets_home_there_in_their_time_zone() -> None:
    # when
    with_address = customer_create(
        fields={"name": "Ana", "address": "1 Main St", "timezone": "America/Chicago"}
    )
    without = customer_create(fields={"name": "Ben"})
    # then
    assert _locations(with_address) == [("Home", "1 Main St", "America/Chicago")]
    assert _locations(without) == []


def test_a_new_address_moves_home_while_it_was_still_the_customers_own() -> None:
    # given one customer whose Home is their address, one whose Home the office moved
    own = customer_create(fields={"name": "Ana", "address": "1 Main St"})
    edited = customer_create(fields={"name": "Ben", "address": "2 Main St"})
    ServiceLocation.objects.filter(customer=edited).update(address="2 Main St, Apt 4")
    # when both move
    customer_update(customer=own, fields={"address": "5 New Rd"})
    customer_update(customer=edited, fields={"address": "6 New Rd"})
    # then only the first follows; the office's edit stands
    assert _locations(own) == [("Home", "5 New Rd", "America/New_York")]
    assert _locations(edited) == [("Home", "2 Main St, Apt 4", "America/New_York")]


def test_a_customer_given_their_first_address_gets_home() -> None:
    # given
    customer = customer_create(fields={"name": "Ana"})
    # when
    customer_update(customer=customer, fields={"address": "1 Main St"})
    customer_update(customer=customer, fields={"name": "Ana Ruiz"})
    # then
    assert _locations(customer) == [("Home", "1 Main St", "America/New_York")]


def test_the_import_gives_new_customers_home_and_moves_it_with_their_address() -> None:
    # given
    created = customers_bulk_create(
        customers=[Customer(name="Ana", address="1 Main St"), Customer(name="Ben")]
    )
    ana = created[0]
    # when the next import changes Ana's address
    ana.address = "9 Elm St"
    customers_bulk_update(customers=[ana], fields=["address"])
    # then
    assert _locations(ana) == [("Home", "9 Elm St", "America/New_York")]
    assert _locations(created[1]) == []


def test_merging_keeps_both_homes_renaming_the_merged_ones() -> None:
    # given two records of one landlord, each with a Home, the merged one with a Home (2) too
    kept = CustomerFactory(name="Ana")
    merged = CustomerFactory(name="Ana R")
    ServiceLocation.objects.create(customer=kept, label="Home", address="1 Main St")
    home = ServiceLocation.objects.create(customer=merged, label="Home", address="12 Oak St")
    second = ServiceLocation.objects.create(customer=merged, label="Home (2)", address="3 Elm")
    fridge = ApplianceFactory(customer=merged, location=home)
    # when
    preview = customer_merge_preview(customer_id=merged.pk, into_id=kept.pk)
    summary = customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then every location moved, none removed, the clashing one renamed with its appliance
    assert preview.moved["service locations"] == summary.moved["service locations"] == 2
    assert "service locations" not in summary.dropped
    zone = "America/New_York"
    assert _locations(kept) == [
        ("Home", "1 Main St", zone),
        ("Home (3)", "12 Oak St", zone),
        ("Home (2)", "3 Elm", zone),
    ]
    fridge.refresh_from_db()
    second.refresh_from_db()
    assert (fridge.customer_id, fridge.location_id) == (kept.pk, home.pk)
    assert (second.customer_id, second.label) == (kept.pk, "Home (2)")


def test_a_visit_is_in_its_locations_zone_else_the_customers() -> None:
    # given
    customer = CustomerFactory(timezone="America/Denver")
    rental = ServiceLocation(customer=customer, label="Rental", address="1", timezone="Asia/Tokyo")
    broken = ServiceLocation(customer=customer, label="Old", address="2", timezone="Not/AZone")
    # when / then
    assert visit_zone(location=rental, customer=customer) == ZoneInfo("Asia/Tokyo")
    assert visit_zone(location=None, customer=customer) == ZoneInfo("America/Denver")
    assert visit_zone(location=broken, customer=customer) == ZoneInfo("America/Denver")
    customer.timezone = ""
    assert visit_zone(location=None, customer=customer) == ZoneInfo(settings.TIME_ZONE)
