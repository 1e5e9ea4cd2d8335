"""The service locations API: list, add and update, with their refusals (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.roles import Role
from crm.core.tests.factories import UserFactory
from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import JobStatus
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
# Session and user, the customer (404 check), their locations with the appliance counts.
LIST_QUERIES = 4


def _location(customer: Customer, label: str = "Home", **fields: Any) -> ServiceLocation:
    return ServiceLocation.objects.create(
        customer=customer, label=label, address=fields.pop("address", "1 Main Street"), **fields
    )


def _add(client: Client, **body: Any) -> Any:
    return client.post("/api/add-location", body, content_type=JSON)


def _update(client: Client, location: ServiceLocation, **body: Any) -> Any:
    return client.put(f"/api/update-location/{location.pk}", body, content_type=JSON)


def test_the_list_gives_every_location_first_first_with_appliance_counts(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given a landlord with a home, a rental with two appliances, and an old address
    customer = CustomerFactory(timezone="America/New_York")
    home = _location(customer)
    rental = _location(customer, "Rental", address="12 Oak St", access_notes="Key box 1234",
                       timezone="America/Chicago")  # fmt: skip
    old = _location(customer, "Old flat", address="9 Elm St", active=False)
    ApplianceFactory.create_batch(2, customer=customer, location=rental)
    _location(CustomerFactory(), "Elsewhere")
    # when
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(f"/api/customer/{customer.pk}/locations")
    # then
    assert response.status_code == 200
    body = response.json()
    assert [(row["id"], row["label"], row["applianceCount"], row["active"]) for row in body] == [
        (home.pk, "Home", 0, True), (rental.pk, "Rental", 2, True), (old.pk, "Old flat", 0, False),
    ]  # fmt: skip
    assert {key: body[1][key] for key in ("customerId", "address", "accessNotes", "timeZone")} == {
        "customerId": customer.pk, "address": "12 Oak St", "accessNotes": "Key box 1234",
        "timeZone": "America/Chicago",
    }  # fmt: skip


def test_the_list_of_an_unknown_customer_is_a_404(staff_client: Client) -> None:
    # when
    response = staff_client.get("/api/customer/999999/locations")
    # then
    assert response.status_code == 404


def test_adding_a_location_takes_the_customers_time_zone_unless_given(
    staff_client: Client,
) -> None:
    # given
    customer = CustomerFactory(timezone="America/Denver")
    # when
    plain = _add(staff_client, customerId=customer.pk, label=" Rental ", address="12 Oak St")
    zoned = _add(
        staff_client, customerId=customer.pk, label="Lake house", address="3 Shore Rd",
        accessNotes="Gate 42", timeZone="America/Chicago",
    )  # fmt: skip
    # then
    assert plain.status_code == 201, plain.json()
    assert (plain.json()["label"], plain.json()["timeZone"]) == ("Rental", "America/Denver")
    assert zoned.status_code == 201
    assert zoned.json()["accessNotes"] == "Gate 42"
    stored = ServiceLocation.objects.get(pk=zoned.json()["id"])
    assert (stored.customer_id, stored.timezone, stored.active) == (
        customer.pk, "America/Chicago", True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"label": "Home"}, "label", 'This customer already has a location called "Home"'),
        ({"label": "  "}, "label", "Give the location a name of 1 to 100 characters."),
        ({"label": "x" * 101}, "label", None),
        ({"address": ""}, "address", "Address is required."),
        ({"address": "   "}, "address", "Address is required."),
        ({"timeZone": "Mars/Olympus"}, "timeZone", "Unknown time zone"),
        ({"customerId": 999999}, "customerId", "No customer with that id."),
        ({"active": "yes"}, "active", None),
    ],
    ids=[
        "duplicate label", "blank label", "long label", "empty address", "blank address",
        "unknown zone", "unknown customer", "unknown field",
    ],
)  # fmt: skip
def test_a_bad_new_location_is_a_422_naming_the_field_and_saves_nothing(
    staff_client: Client, body: dict[str, Any], field: str, message: str | None
) -> None:
    # given a customer whose first location is Home
    customer = CustomerFactory()
    _location(customer)
    # when
    response = _add(
        staff_client, **({"customerId": customer.pk, "label": "Rental", "address": "1 Oak"} | body)
    )
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    if message:
        assert response.json()["detail"].startswith(message)
    assert ServiceLocation.objects.count() == 1


def test_updating_changes_only_what_is_sent(staff_client: Client) -> None:
    # given
    customer = CustomerFactory()
    rental = _location(customer, "Rental", address="12 Oak St", access_notes="Key box")
    # when
    response = _update(staff_client, rental, label="Rental A", timeZone="America/Chicago")
    # then
    assert response.status_code == 200
    rental.refresh_from_db()
    assert (rental.label, rental.address, rental.access_notes, rental.timezone) == (
        "Rental A", "12 Oak St", "Key box", "America/Chicago",
    )  # fmt: skip
    assert response.json()["applianceCount"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"label": "Home"}, "label"), ({"address": ""}, "address"),
     ({"timeZone": "Not/AZone"}, "timeZone"), ({"label": None}, "label")],
    ids=["duplicate label", "empty address", "unknown zone", "null label"],
)  # fmt: skip
def test_a_bad_update_is_a_422_and_changes_nothing(
    staff_client: Client, body: dict[str, Any], field: str
) -> None:
    # given
    customer = CustomerFactory()
    _location(customer)
    rental = _location(customer, "Rental", address="12 Oak St")
    # when
    response = _update(staff_client, rental, **body)
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    rental.refresh_from_db()
    assert (rental.label, rental.address, rental.timezone) == (
        "Rental",
        "12 Oak St",
        "America/New_York",
    )


def test_a_location_with_appliances_or_open_jobs_cannot_be_taken_out_of_use(
    staff_client: Client,
) -> None:
    # given a rental with an appliance, a flat with a booked visit, a shed with a finished job
    customer = CustomerFactory()
    rental, flat, shed = (_location(customer, label) for label in ("Rental", "Flat", "Shed"))
    ApplianceFactory(customer=customer, location=rental)
    JobFactory(customer=customer, location=flat, status=JobStatus.SCHEDULED)
    JobFactory(customer=customer, location=shed, status=JobStatus.COMPLETED,
               completed_at=timezone.now())  # fmt: skip
    # when
    refused = [_update(staff_client, location, active=False) for location in (rental, flat)]
    done = _update(staff_client, shed, active=False)
    # then
    assert [response.status_code for response in refused] == [409, 409]
    assert [response.json()["detail"] for response in refused] == [
        "Rental still has 1 appliance: move or finish them first.",
        "Flat still has 1 open job: move or finish them first.",
    ]
    assert refused[0].json()["errors"] == [
        {"field": "active", "message": refused[0].json()["detail"]}
    ]
    assert list(ServiceLocation.objects.filter(active=True).values_list("label", flat=True)) == [
        "Rental", "Flat",
    ]  # fmt: skip
    assert done.status_code == 200
    assert done.json()["active"] is False


def test_updating_an_unknown_location_is_a_404(staff_client: Client) -> None:
    # when
    response = staff_client.put("/api/update-location/999999", {"label": "X"}, content_type=JSON)
    # then
    assert response.status_code == 404


def test_a_technician_is_refused_every_location_operation() -> None:
    # given a technician signed in, and a customer's location
    customer = CustomerFactory()
    home = _location(customer)
    client = Client()
    client.force_login(UserFactory(username="tech", role=Role.TECHNICIAN))
    # when
    statuses = [
        client.get(f"/api/customer/{customer.pk}/locations").status_code,
        _add(client, customerId=customer.pk, label="Rental", address="12 Oak St").status_code,
        _update(client, home, label="Elsewhere").status_code,
    ]
    # then
    assert statuses == [403, 403, 403]
    assert list(ServiceLocation.objects.values_list("label", flat=True)) == ["Home"]
