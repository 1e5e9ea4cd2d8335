"""Appliances at service locations: the API's locationId, the form's location select, and the
card grouping appliances under their locations (issue 14)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = "application/json"
# Session and user, the customer and consents, lifespans, appliances, the locations in use:
# the same however many appliances and locations.
CARD_QUERIES = 7


def _landlord() -> tuple[Customer, ServiceLocation, ServiceLocation]:
    customer = CustomerFactory(name="Lena Landlord")
    home = ServiceLocation.objects.create(customer=customer, label="Home", address="1 Main St")
    rental = ServiceLocation.objects.create(customer=customer, label="Rental", address="12 Oak St")
    return customer, home, rental


def _add(client: Client, customer: Customer, **body: Any) -> Any:
    payload = {"customerId": customer.pk, "type": "Dryer", "brand": "Maytag"} | body
    return client.post("/api/add-appliance", payload, content_type=JSON)


def test_an_appliance_is_added_at_one_of_the_customers_locations(staff_client: Client) -> None:
    # given
    customer, _, rental = _landlord()
    # when
    response = _add(staff_client, customer, locationId=rental.pk)
    # then
    assert response.status_code == 201
    assert response.json()["locationId"] == rental.pk
    assert Appliance.objects.get().location == rental


def test_a_location_of_another_customer_or_out_of_use_is_a_422(staff_client: Client) -> None:
    # given
    customer, home, rental = _landlord()
    _, others, _ = _landlord()
    rental.active = False
    rental.save()
    fridge = ApplianceFactory(customer=customer, location=home)
    # when
    responses = [
        _add(staff_client, customer, locationId=others.pk),
        _add(staff_client, customer, locationId=rental.pk),
        _add(staff_client, customer, locationId=999999),
        staff_client.put(f"/api/update-appliance/{fridge.pk}", {"locationId": others.pk},
                         content_type=JSON),
    ]  # fmt: skip
    # then
    assert [response.status_code for response in responses] == [422] * 4
    assert {error["field"] for r in responses for error in r.json()["errors"]} == {"locationId"}
    assert list(Appliance.objects.values_list("pk", "location_id")) == [(fridge.pk, home.pk)]


def test_an_appliance_moves_between_locations_and_keeps_one_taken_out_of_use(
    staff_client: Client,
) -> None:
    # given an appliance at the rental, which the office later marks unused in the database
    customer, home, rental = _landlord()
    fridge = ApplianceFactory(customer=customer, location=rental)
    ServiceLocation.objects.filter(pk=rental.pk).update(active=False)
    url = f"/api/update-appliance/{fridge.pk}"
    # when
    unchanged = staff_client.put(url, {"locationId": rental.pk, "brand": "LG"}, content_type=JSON)
    moved = staff_client.put(url, {"locationId": home.pk}, content_type=JSON)
    # then
    assert (unchanged.status_code, moved.status_code) == (200, 200)
    assert moved.json()["locationId"] == home.pk
    fridge.refresh_from_db()
    assert (fridge.brand, fridge.location_id) == ("LG", home.pk)


def test_the_form_offers_the_locations_in_use_the_first_chosen(staff_client: Client) -> None:
    # given
    customer, home, rental = _landlord()
    ServiceLocation.objects.create(customer=customer, label="Old", address="9", active=False)
    # when
    html = staff_client.get(f"/customers/{customer.pk}/appliances/new/", **HTMX).content.decode()
    # then
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', html)
    assert options == [
        (str(home.pk), " selected", "Home: 1 Main St"),
        (str(rental.pk), "", "Rental: 12 Oak St"),
    ]


def test_the_form_saves_the_location_and_refuses_anothers(staff_client: Client) -> None:
    # given
    customer, _, rental = _landlord()
    _, others, _ = _landlord()
    url = f"/customers/{customer.pk}/appliances/new/"
    data = {"type": "Dryer", "brand": "Maytag"}
    # when
    refused = staff_client.post(url, data | {"location_id": others.pk}, **HTMX)
    saved = staff_client.post(url, data | {"location_id": rental.pk}, **HTMX)
    # then
    assert refused.status_code == 422
    assert saved.status_code == 204
    assert list(Appliance.objects.values_list("location_id", flat=True)) == [rental.pk]


def _headings(html: str) -> list[str]:
    return re.findall(r'<h3 class="location-heading"[^>]*>([^<]*?) <span', html)


def _card(client: Client, customer: Customer) -> str:
    url = f"/customers/{customer.pk}/cards/client-appliances/"
    return client.get(url, **HTMX).content.decode()


def test_the_card_groups_appliances_under_their_locations_when_there_are_two(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given a landlord's dryer at home (one with no location stands there too), washer rented
    customer, home, rental = _landlord()
    dryer = ApplianceFactory(customer=customer, type="Dryer", location=home)
    older = ApplianceFactory(customer=customer, type="Dishwasher", location=None)
    washer = ApplianceFactory(customer=customer, type="WashingMachine", location=rental)
    staff_client.get("/customers/")  # a warm session
    # when
    with django_assert_num_queries(CARD_QUERIES):
        html = _card(staff_client, customer)
    # then
    assert _headings(html) == ["Home", "Rental"]
    at_home, rented = html.split('id="appliances-at-')[1:]
    assert f'id="appliance-{dryer.pk}"' in at_home
    assert f'id="appliance-{older.pk}"' in at_home
    assert f'id="appliance-{washer.pk}"' in rented
    assert f'id="appliance-{washer.pk}"' not in at_home


def test_the_card_has_no_headings_for_one_location_and_the_same_query_count(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given a customer at home only (and an old address no longer in use)
    customer, home, rental = _landlord()
    ServiceLocation.objects.filter(pk=rental.pk).update(active=False)
    ApplianceFactory.create_batch(3, customer=customer, location=home)
    staff_client.get("/customers/")
    # when
    with django_assert_num_queries(CARD_QUERIES):
        html = _card(staff_client, customer)
    # then
    assert _headings(html) == []
    assert html.count('class="appliance"') == 3
