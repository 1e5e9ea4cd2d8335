"""`POST /api/customer/{id}/match-technician` with a visit day: `date` (default today, where the
appliance is), `urgent` (today or tomorrow), refusals, the preferred technician's later day and
the pinned query count."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import company_today
from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import CustomerFactory
from crm.insights.features.technician import TechnicianMatch, TechnicianPick
from crm.insights.models import InsightResult
from crm.insights.registry import FEATURES
from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def _post(client: Client, customer: Customer, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/customer/{customer.pk}/match-technician", data=body, content_type="application/json"
    )


def _booked_up(technician: Technician, day: dt.date) -> None:
    for hour in range(technician.daily_capacity):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + hour)))
        JobFactory(technician=technician, scheduled_for=moment)


def _fridge_case() -> tuple[Customer, Appliance, Technician, Technician]:
    customer = CustomerFactory()
    fridge = ApplianceFactory(customer=customer)
    ana = TechnicianFactory(name="Ana Ruiz", daily_capacity=2)
    bo = TechnicianFactory(name="Bo Berg", daily_capacity=2)
    return customer, fridge, ana, bo


@pytest.mark.parametrize(
    ("days", "urgent", "message"),
    [
        (-1, False, "That day has passed: pick today or a later day."),
        (2, True, "An urgent visit is today or tomorrow."),
        (400, False, "Pick a day within the next year."),
    ],
)
def test_a_day_that_will_not_do_is_refused_and_nothing_is_stored(
    staff_client: Client, days: int, urgent: bool, message: str
) -> None:
    # given
    customer, fridge, _, _ = _fridge_case()
    day = company_today() + dt.timedelta(days=days)
    # when
    response = _post(
        staff_client, customer, {"applianceId": fridge.pk, "date": str(day), "urgent": urgent}
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "date", "message": message}]
    assert InsightResult.objects.count() == 0


def test_the_last_day_of_the_calendar_is_refused_not_a_crash(staff_client: Client) -> None:
    customer, fridge, _, _ = _fridge_case()
    response = _post(staff_client, customer, {"applianceId": fridge.pk, "date": "9999-12-31"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "date", "message": "Pick a day within the next year."}
    ]


@pytest.mark.parametrize(
    ("body", "field"), [({"date": "next tuesday"}, "date"), ({"urgent": "yes"}, "urgent")]
)
def test_a_bad_date_or_urgent_is_422(
    staff_client: Client, body: dict[str, Any], field: str
) -> None:
    customer, fridge, _, _ = _fridge_case()
    response = _post(staff_client, customer, {"applianceId": fridge.pk, **body})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_day_asked_for_decides_who_is_free(staff_client: Client) -> None:
    # given Ana is better rated but booked up on the day asked for
    customer, fridge, ana, _ = _fridge_case()
    CustomerTechnicianRatingFactory(technician=ana, rating=5)
    day = company_today() + dt.timedelta(days=3)
    _booked_up(ana, day)
    # when
    response = _post(staff_client, customer, {"applianceId": fridge.pk, "date": str(day)})
    # then
    data = response.json()["data"]
    assert data["facts"]["visitDay"] == str(day)
    assert data["primary"]["name"] == "Bo Berg"
    assert data["facts"]["candidates"][1]["leftOut"] == [
        f"fully booked {day:%a}, {day:%b} {day.day}"
    ]


def test_urgent_offers_the_preferred_technician_free_tomorrow(staff_client: Client) -> None:
    # given the preferred technician is booked up today and free tomorrow
    customer, fridge, ana, _ = _fridge_case()
    customer.preferred_technician = ana
    customer.save()
    today = company_today()
    _booked_up(ana, today)
    tomorrow = today + dt.timedelta(days=1)
    # when
    response = _post(staff_client, customer, {"applianceId": fridge.pk, "urgent": True})
    # then: Bo goes today; Ana is offered as she is
    data = response.json()["data"]
    assert data["facts"]["visitDay"] == str(today)
    assert data["primary"]["name"] == "Bo Berg"
    assert data["alternatives"][0] == {
        "technicianId": ana.pk,
        "name": "Ana Ruiz",
        "reason": f"Ana is preferred; free {tomorrow:%a}, {tomorrow:%b} {tomorrow.day}",
    }


def test_the_day_is_the_local_day_of_the_appliances_location(staff_client: Client) -> None:
    # given an appliance at a location 14 hours ahead of UTC, a date that is today 11 behind
    customer = CustomerFactory()
    far_ahead = ServiceLocation.objects.create(
        customer=customer, label="Island", address="1 Lagoon Road", timezone="Pacific/Kiritimati"
    )
    fridge = ApplianceFactory(customer=customer, location=far_ahead)
    TechnicianFactory()
    behind = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    there = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    # when
    refused = _post(staff_client, customer, {"applianceId": fridge.pk, "date": str(behind)})
    answered = _post(staff_client, customer, {"applianceId": fridge.pk})
    # then: the day behind has already passed there; the visit day is the location's today
    assert refused.status_code == 422
    assert answered.json()["data"]["facts"]["visitDay"] == str(there)


# Session, user, customer, appliance; the customer's ratings, rating totals, the week's visits,
# the customer's visits, the technicians; past interactions, repeat visits; the stored answer
# looked up and written.
MATCH_QUERIES = 13


@pytest.mark.parametrize("technicians", [1, 6])
def test_the_endpoint_query_count_is_pinned(
    staff_client: Client, django_assert_num_queries: Any, technicians: int
) -> None:
    # given a customer with history and any number of technicians with ratings and visits
    customer, fridge, _, _ = _fridge_case()
    for _ in range(technicians):
        technician = TechnicianFactory(qualifications=["gas"])
        CustomerTechnicianRatingFactory(customer=customer, technician=technician, rating=4)
        JobFactory(
            customer=customer, appliance=fridge, technician=technician, status="Completed",
            completed_at=timezone.now() - dt.timedelta(days=60),
        )  # fmt: skip
        JobFactory(technician=technician, scheduled_for=timezone.now() + dt.timedelta(days=1))
    # when / then
    with django_assert_num_queries(MATCH_QUERIES):
        response = _post(staff_client, customer, {"applianceId": fridge.pk, "issue": "gas leak"})
    assert response.status_code == 200


def test_an_llm_answer_sending_someone_left_out_is_refused_by_the_check() -> None:
    # given Ana booked up today, Bo free
    customer, fridge, ana, bo = _fridge_case()
    _booked_up(ana, company_today())
    spec = FEATURES["match-technician"]
    context = spec.build_context(subject_id=customer.pk, appliance_id=fridge.pk)
    # when an answer sends Ana
    answer = TechnicianMatch(
        primary=TechnicianPick(technician_id=ana.pk, name="Ana Ruiz", reason="Best rated"),
        alternatives=[TechnicianPick(technician_id=bo.pk, name="Bo Berg", reason="Free")],
        special_notes=[],
    )
    # then
    day = company_today()
    assert spec.check(answer, context) == [
        f"Ana Ruiz is left out (fully booked {day:%a}, {day:%b} {day.day}) while others can go"
    ]


def test_the_panels_visit_day_is_the_day_matched_for(staff_client: Client) -> None:
    # given Ana (better rated) is booked up on the day of the visit entered in the panel
    customer, fridge, ana, bo = _fridge_case()
    CustomerTechnicianRatingFactory(technician=ana, rating=5)
    day = company_today() + dt.timedelta(days=2)
    _booked_up(ana, day)
    visit = f"{day:%Y-%m-%d}T15:00"
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/ai/technician/",
        {"appliance": fridge.pk, "issue": "Fridge warm", "scheduled_for": visit},
        HTTP_HX_REQUEST="true",
    )
    # then Bo is recommended first, Ana said to be booked up that day
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'id="technician-pick-(\d+)"', html)[:2] == [str(bo.pk), str(ana.pk)]
    assert f"Left out: fully booked {day:%a}, {day:%b} {day.day}" in html
