"""The technicians API: add and change a technician with the plan's camelCase names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
NEW = {
    "name": "Dana Whitfield", "phone": "(212) 555-0142", "email": "Dana@Crew.Example.com",
    "specialties": ["WashingMachine", "Dryer"], "yearsExperience": 12, "dailyCapacity": 7,
    "hourlyCost": "40.5",
}  # fmt: skip


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/technicians", body, content_type="application/json")


def put(client: Client, technician_id: int, body: dict[str, Any]) -> Any:
    return client.put(f"/api/technicians/{technician_id}", body, content_type="application/json")


def test_add_a_technician(staff_client: Client) -> None:
    # when
    response = post(staff_client, NEW)
    # then
    assert response.status_code == 201
    technician = Technician.objects.get()
    assert response.json() == {
        "id": technician.pk, "name": "Dana Whitfield", "phone": "+12125550142",
        "email": "dana@crew.example.com", "specialties": ["WashingMachine", "Dryer"],
        "yearsExperience": 12, "active": True, "qualifications": [], "dailyCapacity": 7,
        "hourlyCost": "40.50",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hourlyCost": "-1"}, "hourlyCost", "Value error, must not be negative"),
        ({"hourlyCost": "1.234"}, "hourlyCost",
         "Value error, must have at most two decimal places"),
        ({"name": "   "}, "name", "Name is required."),
        ({"specialties": ["Toaster"]}, "specialties.0", "Input should be 'Refrigerator', "
         "'WashingMachine', 'Dryer', 'Dishwasher', 'OvenRange', 'Microwave', 'Freezer', "
         "'AirConditioner', 'WaterHeater' or 'Other'"),
        ({"phone": "not a phone"}, "phone", "Phone number 'not a phone' cannot be read: (1) The "
         "string supplied did not seem to be a phone number.."),
        ({"dailyCapacity": 0}, "dailyCapacity", "Input should be greater than or equal to 1"),
        ({"active": "yes"}, "active", "Input should be a valid boolean"),
        ({"hourly": "1"}, "hourly", "Extra inputs are not permitted"),
        ({"qualifications": ["plumbing"]}, "qualifications", "Unknown qualification "
         "'plumbing'; choose from gas, refrigerant or brand:<Brand>."),
        ({"qualifications": ["brand:  "]}, "qualifications", "Unknown qualification "
         "'brand:  '; choose from gas, refrigerant or brand:<Brand>."),
        ({"qualifications": "gas"}, "qualifications", "Input should be a valid list"),
    ],
)  # fmt: skip
def test_a_refused_add_is_422_with_the_field_and_writes_nothing(
    staff_client: Client, change: dict[str, Any], field: str, message: str
) -> None:
    # when
    response = post(staff_client, {**NEW, **change})
    # then
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["errors"]
    assert Technician.objects.count() == 0


def test_update_changes_only_what_is_sent(staff_client: Client) -> None:
    # given
    technician = TechnicianFactory(name="Priya", hourly_cost=Decimal("35.00"), daily_capacity=7)
    # when
    response = put(staff_client, technician.pk, {"hourlyCost": 36, "specialties": ["OvenRange"]})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["hourlyCost"], body["specialties"], body["dailyCapacity"]) == (
        "Priya", "36.00", ["OvenRange"], 7,
    )  # fmt: skip


def test_qualifications_are_tidied_kept_and_changed(staff_client: Client) -> None:
    # when: certifications in any case, brands with stray spaces, a repeat
    response = post(
        staff_client,
        {**NEW, "qualifications": ["brand:  Bosch ", "GAS", "brand:bosch", "refrigerant"]},
    )
    # then: certifications first (the app's order), then each brand once
    assert response.status_code == 201
    assert response.json()["qualifications"] == ["gas", "refrigerant", "brand:Bosch"]
    technician = Technician.objects.get()
    assert technician.qualifications == ["gas", "refrigerant", "brand:Bosch"]
    assert technician.qualification_labels == [
        "Gas certified", "Refrigerant certified (EPA 608)", "Authorised for Bosch",
    ]  # fmt: skip
    # when: only the qualifications are changed
    changed = put(staff_client, technician.pk, {"qualifications": ["brand:Miele"]})
    # then
    assert changed.json()["qualifications"] == ["brand:Miele"]
    assert changed.json()["specialties"] == ["WashingMachine", "Dryer"]


def test_deactivate_through_the_api_keeps_the_jobs(staff_client: Client) -> None:
    # given
    job = JobFactory()
    # when
    response = put(staff_client, job.technician_id, {"active": False})
    # then
    assert response.status_code == 200
    assert response.json()["active"] is False
    job.refresh_from_db()
    assert job.technician is not None
    assert job.technician.active is False


def test_a_refused_update_changes_nothing(staff_client: Client) -> None:
    # given
    technician = TechnicianFactory(name="Priya", hourly_cost=Decimal("35.00"))
    # when
    response = put(staff_client, technician.pk, {"name": "P", "email": "priya@"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "email", "message": "Enter a valid email address."}
    ]
    technician.refresh_from_db()
    assert technician.name == "Priya"


@pytest.mark.parametrize("body", [{"name": None}, {"active": None}, {"hourlyCost": None}])
def test_null_is_refused_rather_than_clearing_a_field(
    staff_client: Client, body: dict[str, Any]
) -> None:
    # given
    technician = TechnicianFactory()
    # when
    response = put(staff_client, technician.pk, body)
    # then
    assert response.status_code == 422


def test_update_of_a_missing_technician_is_404(staff_client: Client) -> None:
    response = put(staff_client, 999, {"name": "Nobody"})
    assert (response.status_code, response.json()["detail"]) == (404, "Technician not found.")
