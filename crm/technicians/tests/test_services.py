"""Writes of the technicians app: create, update (and deactivate), delete."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import CustomerTechnicianRating, Technician
from crm.technicians.services import technician_create, technician_delete, technician_update
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

VALID: dict[str, Any] = {
    "name": "  Dana Whitfield ",
    "phone": "(212) 555-0142",
    "email": "Dana@Crew.Example.com",
    "specialties": ["Dryer", "WashingMachine", "Dryer"],
    "years_experience": 12,
    "daily_capacity": 7,
    "hourly_cost": Decimal("40.5"),
}


def row(technician: Technician) -> tuple[Any, ...]:
    technician.refresh_from_db()
    return (
        technician.name, technician.phone, technician.email, technician.specialties,
        technician.years_experience, technician.daily_capacity, technician.hourly_cost,
        technician.active,
    )  # fmt: skip


def test_create_tidies_every_field():
    # when
    technician = technician_create(fields=VALID)
    # then
    assert row(technician) == (
        "Dana Whitfield", "+12125550142", "dana@crew.example.com", ["WashingMachine", "Dryer"],
        12, 7, Decimal("40.50"), True,
    )  # fmt: skip


def test_create_with_only_a_name_takes_the_defaults():
    # when
    technician = technician_create(fields={"name": "Luis Ortega"})
    # then
    assert row(technician) == ("Luis Ortega", "", "", [], 0, 6, Decimal("0.00"), True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "   "}, "name", "Name is required."),
        ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
        ({"hourly_cost": Decimal("-0.01")}, "hourlyCost",
         "Hourly cost must be between 0.00 and 9999999999.99."),
        ({"hourly_cost": Decimal("40.005")}, "hourlyCost",
         "Hourly cost must have at most two decimal places."),
        ({"hourly_cost": Decimal("NaN")}, "hourlyCost",
         "Hourly cost must have at most two decimal places."),
        ({"hourly_cost": 40.5}, "hourlyCost", "Hourly cost must be an amount such as 40.00."),
        ({"hourly_cost": Decimal("10000000000")}, "hourlyCost",
         "Hourly cost must be between 0.00 and 9999999999.99."),
        ({"specialties": ["Dryer", "Toaster"]}, "specialties",
         "Unknown appliance type 'Toaster'; choose from Refrigerator, WashingMachine, Dryer, "
         "Dishwasher, OvenRange, Microwave, Freezer, AirConditioner, WaterHeater, Other."),
        ({"specialties": "Dryer"}, "specialties", "Specialties must be a list of appliance types."),
        ({"phone": "12"}, "phone",
         "Phone number '12' has the wrong number of digits for its country."),
        ({"email": "dana@"}, "email", "Enter a valid email address."),
        ({"daily_capacity": 0}, "dailyCapacity",
         "Visits per day must be a whole number from 1 to 50."),
        ({"years_experience": -1}, "yearsExperience",
         "Years of experience must be a whole number from 0 to 80."),
        ({"active": "no"}, "active", "Active must be true or false."),
    ],
)  # fmt: skip
def test_create_refuses_bad_input_and_writes_nothing(change, field, message):
    # when
    with pytest.raises(ValidationFailed) as refused:
        technician_create(fields={**VALID, **change})
    # then
    assert (refused.value.field, refused.value.message) == (field, message)
    assert Technician.objects.count() == 0


def test_create_ignores_fields_it_does_not_know():
    # when
    technician = technician_create(fields={"name": "Marcus Bell", "id": 999, "created_at": None})
    # then
    assert technician.pk != 999
    assert technician.created_at is not None


def test_update_changes_only_the_given_fields():
    # given
    technician = TechnicianFactory(name="Priya", phone="+12125550100", hourly_cost=Decimal("35"))
    # when
    technician_update(technician_id=technician.pk, fields={"hourly_cost": Decimal("37.25")})
    # then
    technician.refresh_from_db()
    assert (technician.name, technician.phone, technician.hourly_cost) == (
        "Priya", "+12125550100", Decimal("37.25"),
    )  # fmt: skip


def test_deactivating_keeps_the_jobs_and_does_not_recheck_an_old_phone():
    # given a technician from before phone numbers were checked, with an open job
    technician = TechnicianFactory(phone="call the office")
    job = JobFactory(technician=technician)
    # when
    technician_update(technician_id=technician.pk, fields={"active": False})
    # then
    technician.refresh_from_db()
    assert (technician.active, technician.phone) == (False, "call the office")
    assert Job.objects.get(pk=job.pk).technician_id == technician.pk


def test_update_refuses_bad_input_and_changes_nothing():
    # given
    technician = TechnicianFactory(name="Carlos", hourly_cost=Decimal("46.00"))
    before = row(technician)
    # when
    with pytest.raises(ValidationFailed) as refused:
        technician_update(
            technician_id=technician.pk, fields={"name": "Carl", "hourly_cost": Decimal("-1")}
        )
    # then
    assert refused.value.field == "hourlyCost"
    assert row(technician) == before


def test_update_of_a_missing_technician_is_not_found():
    with pytest.raises(NotFound):
        technician_update(technician_id=404, fields={"name": "Nobody"})


def test_delete_removes_a_technician_without_history():
    # given
    technician = TechnicianFactory()
    # when
    technician_delete(technician_id=technician.pk)
    # then
    assert not Technician.objects.filter(pk=technician.pk).exists()


def test_delete_refuses_a_technician_with_jobs_and_keeps_everything():
    # given
    technician = TechnicianFactory(name="Dana Whitfield")
    JobFactory.create_batch(3, technician=technician)
    # when
    with pytest.raises(Conflict) as refused:
        technician_delete(technician_id=technician.pk)
    # then
    assert refused.value.message == (
        "Dana Whitfield has 3 jobs on record and cannot be deleted: deactivate them instead, "
        "so they are no longer offered for new jobs."
    )
    assert Technician.objects.filter(pk=technician.pk).exists()
    assert Job.objects.filter(technician=technician).count() == 3


def test_delete_refuses_a_technician_with_ratings():
    # given
    rating = CustomerTechnicianRatingFactory(technician__name="Luis")
    # when
    with pytest.raises(Conflict) as refused:
        technician_delete(technician_id=rating.technician_id)
    # then
    assert refused.value.message.startswith("Luis has customer ratings on record")
    assert CustomerTechnicianRating.objects.filter(pk=rating.pk).exists()
