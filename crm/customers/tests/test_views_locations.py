"""The Locations card of the Customer View and its Add / Edit modal (issue 14)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# Session and user, the customer and consents, the locations with their appliance counts.
CARD_QUERIES = 5


def _landlord() -> tuple[Customer, ServiceLocation, ServiceLocation]:
    customer = CustomerFactory(name="Lena Landlord")
    home = ServiceLocation.objects.create(customer=customer, label="Home", address="1 Main St")
    rental = ServiceLocation.objects.create(
        customer=customer, label="Rental", address="12 Oak St", access_notes="Key box <1234>"
    )
    return customer, home, rental


def _form(**changes: str) -> dict[str, str]:
    return {"label": "Lake house", "address": "3 Shore Rd", "access_notes": "",
            "timezone": "America/Chicago", "active": "on"} | changes  # fmt: skip


def test_the_card_lists_the_locations_in_use_first_in_a_fixed_number_of_queries(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given a landlord whose first address is no longer in use, and appliances at the rental
    customer, home, rental = _landlord()
    ServiceLocation.objects.filter(pk=home.pk).update(active=False, label="Old flat")
    ServiceLocation.objects.create(customer=customer, label="Home", address="1 Main St")
    ApplianceFactory.create_batch(2, customer=customer, location=rental)
    staff_client.get("/customers/")
    # when
    with django_assert_num_queries(CARD_QUERIES):
        html = staff_client.get(f"/customers/{customer.pk}/cards/locations/", **HTMX)
    # then
    page = html.content.decode()
    assert page.index("Rental") < page.index("Home") < page.index("Old flat")
    assert "no longer in use" in page
    assert "Key box &lt;1234&gt;" in page  # escaped
    assert "<dt>Appliances</dt><dd>2</dd>" in page


def test_the_customer_view_shows_the_locations_card(staff_client: Client) -> None:
    # given
    customer, _, _ = _landlord()
    # when
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    # then
    assert 'id="locations-title"' in page
    assert "12 Oak St" in page


def test_adding_a_location_reloads_the_locations_and_the_appliances(staff_client: Client) -> None:
    # given
    customer, _, _ = _landlord()
    # when
    response = staff_client.post(f"/customers/{customer.pk}/locations/new/", _form(), **HTMX)
    # then
    assert response.status_code == 204
    events = json.loads(response["HX-Trigger"])
    assert {"locations-changed", "appliances-changed"} <= set(events)
    assert events["crm:confirmed"]["text"] == "Location added: Lake house"
    added = ServiceLocation.objects.get(label="Lake house")
    assert (added.customer, added.address, added.timezone) == (
        customer, "3 Shore Rd", "America/Chicago",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [({"label": "Rental"}, "label", "already has a location called"),
     ({"timezone": "Mars/Base"}, "timezone", "Unknown time zone"),
     ({"address": ""}, "address", "This field is required.")],
    ids=["duplicate label", "unknown zone", "no address"],
)  # fmt: skip
def test_a_refused_location_comes_back_422_next_to_its_field(
    staff_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    # given
    customer, _, _ = _landlord()
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/locations/new/", _form(**changes), **HTMX
    )
    # then
    assert response.status_code == 422
    page = response.content.decode()
    error = page[page.index(f'id="id_{field}_error"') :]
    assert message in error[: error.index("</ul>")]
    assert ServiceLocation.objects.filter(customer=customer).count() == 2


def test_a_location_with_appliances_is_not_taken_out_of_use(staff_client: Client) -> None:
    # given
    customer, _, rental = _landlord()
    ApplianceFactory(customer=customer, location=rental)
    url = f"/customers/{customer.pk}/locations/{rental.pk}/"
    # when
    form = staff_client.get(url, **HTMX).content.decode()
    refused = staff_client.post(url, _form(label="Rental", address="12 Oak St", active=""), **HTMX)
    # then
    assert 'value="Rental"' in form
    assert refused.status_code == 422
    assert "Rental still has 1 appliance: move or finish them first." in refused.content.decode()
    rental.refresh_from_db()
    assert (rental.active, rental.label) == (True, "Rental")


def test_an_empty_location_is_taken_out_of_use(staff_client: Client) -> None:
    # given
    customer, _, rental = _landlord()
    url = f"/customers/{customer.pk}/locations/{rental.pk}/"
    # when
    response = staff_client.post(url, _form(label="Rental", active=""), **HTMX)
    # then
    assert response.status_code == 204
    rental.refresh_from_db()
    assert (rental.active, rental.address) == (False, "3 Shore Rd")


def test_another_customers_location_is_a_404(staff_client: Client) -> None:
    # given
    customer, _, _ = _landlord()
    _, _, others = _landlord()
    # when
    response = staff_client.get(f"/customers/{customer.pk}/locations/{others.pk}/", **HTMX)
    # then
    assert response.status_code == 404
