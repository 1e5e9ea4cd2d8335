"""The maintenance plan API: the issue's three endpoints (and renew), with bad inputs refused
as 422/404 and nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.audit.models import AuditEntry
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.tests.factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db


def _body(**changes: Any) -> dict[str, Any]:
    customer = CustomerFactory()
    fridge = ApplianceFactory(customer=customer)
    body = {
        "customerId": customer.pk, "name": "Fridge care", "applianceIds": [fridge.pk],
        "visitsPerYear": 2, "pricePerYear": "199.00", "startsOn": "2026-01-01",
        "endsOn": "2027-01-01", "autoRenew": True,
    }  # fmt: skip
    return body | changes


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/add-maintenance-plan", body, content_type="application/json")


def test_add_plan_answers_the_plan_in_camel_case(staff_client: Client) -> None:
    # given
    body = _body(pricePerYear=199.5)
    # when
    response = _post(staff_client, body)
    # then
    assert response.status_code == 201
    plan = response.json()
    assert {k: plan[k] for k in ("customerId", "name", "applianceIds", "visitsPerYear")} == {
        "customerId": body["customerId"], "name": "Fridge care",
        "applianceIds": body["applianceIds"], "visitsPerYear": 2,
    }  # fmt: skip
    assert plan["pricePerYear"] == "199.50"
    assert (plan["status"], plan["visitsDone"], plan["nextVisitDue"]) == ("Active", 0, "2026-01-01")
    assert plan["autoRenew"] is True
    assert (
        AuditEntry.objects.filter(
            content_type__model="maintenanceplan", object_pk=str(plan["id"])
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applianceIds": []}, "applianceIds"),
        ({"pricePerYear": "-1.00"}, "pricePerYear"),
        ({"pricePerYear": "19.999"}, "pricePerYear"),
        ({"visitsPerYear": 0}, "visitsPerYear"),
        ({"visitsPerYear": 53}, "visitsPerYear"),
        ({"endsOn": "2025-12-31"}, "endsOn"),
        ({"endsOn": "2026-01-01"}, "endsOn"),
        ({"customerId": 999999}, "customerId"),
        ({"name": "   "}, "name"),
    ],
)
def test_add_plan_refuses_bad_input_and_saves_nothing(
    staff_client: Client, changes: dict[str, Any], field: str
) -> None:
    # when
    response = _post(staff_client, _body(**changes))
    # then
    assert response.status_code == 422, response.content
    assert field in str(response.json()["errors"])
    assert not MaintenancePlan.objects.exists()


def test_a_plan_with_no_appliances_is_refused(staff_client: Client) -> None:
    # when
    response = _post(staff_client, _body(applianceIds=[]))
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "applianceIds", "message": "Choose at least one appliance for the plan."}
    ]
    assert not MaintenancePlan.objects.exists()


def test_another_customers_appliance_is_refused(staff_client: Client) -> None:
    # given
    body = _body()
    stranger = ApplianceFactory()
    # when
    response = _post(staff_client, body | {"applianceIds": [*body["applianceIds"], stranger.pk]})
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "applianceIds"
    assert not MaintenancePlan.objects.exists()


def test_list_plans_of_a_customer_in_two_queries(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    # given: three plans, one with a completed and a scheduled visit in its year
    customer = CustomerFactory()
    fridge, washer = ApplianceFactory(customer=customer), ApplianceFactory(customer=customer)
    plan = MaintenancePlanFactory(
        customer=customer, appliances=[fridge, washer], starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2027, 6, 1), visits_per_year=4,
    )  # fmt: skip
    done_on = dt.datetime(2026, 6, 3, 10, tzinfo=dt.UTC)
    JobFactory(customer=customer, plan=plan, status=JobStatus.COMPLETED, completed_at=done_on,
               scheduled_for=done_on)  # fmt: skip
    JobFactory(
        customer=customer, plan=plan, scheduled_for=dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
    )
    JobFactory(customer=customer, plan=plan, status=JobStatus.CANCELLED)
    MaintenancePlanFactory(customer=customer, appliances=[fridge], status=PlanStatus.EXPIRED)
    MaintenancePlanFactory(customer=customer, appliances=[washer], status=PlanStatus.EXPIRED)
    MaintenancePlanFactory(appliances=[ApplianceFactory()])  # someone else's
    # when
    with django_assert_num_queries(5):  # session, user, customer exists, plans, appliances
        response = staff_client.get(f"/api/maintenance-plans?customerId={customer.pk}")
    # then
    rows = response.json()
    assert [row["status"] for row in rows] == ["Active", "Expired", "Expired"]
    assert rows[0]["applianceIds"] == sorted([fridge.pk, washer.pk])
    # visits due Jun 1, Aug 31, Nov 30, Mar 1: two booked, so the third is next
    assert (rows[0]["visitsDone"], rows[0]["nextVisitDue"]) == (1, "2026-11-30")
    assert rows[1]["nextVisitDue"] is None


def test_list_plans_of_an_unknown_customer_is_404(staff_client: Client) -> None:
    assert staff_client.get("/api/maintenance-plans?customerId=999999").status_code == 404


def _put(client: Client, plan_id: int, body: dict[str, Any]) -> Any:
    return client.put(
        f"/api/update-maintenance-plan/{plan_id}", body, content_type="application/json"
    )


def test_update_changes_price_and_appliances_and_audits_the_price(staff_client: Client) -> None:
    # given
    plan = MaintenancePlanFactory(appliances=[ApplianceFactory()])
    other = ApplianceFactory(customer=plan.customer)
    # when
    response = _put(staff_client, plan.pk, {"pricePerYear": "249", "applianceIds": [other.pk]})
    # then
    assert response.status_code == 200
    assert (response.json()["pricePerYear"], response.json()["applianceIds"]) == (
        "249.00",
        [other.pk],
    )
    change = (
        AuditEntry.objects.filter(content_type__model="maintenanceplan", object_pk=str(plan.pk))
        .order_by("-id")
        .first()
    )
    assert change is not None
    assert change.changes["price_per_year"] == ["199.00", "249.00"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"applianceIds": []}, "applianceIds"),
        ({"endsOn": "2025-06-01"}, "endsOn"),
        ({"pricePerYear": "-5"}, "pricePerYear"),
        ({"status": "Expired"}, "status"),
        ({"customerId": 3}, "customerId"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(
    staff_client: Client, body: dict[str, Any], field: str
) -> None:
    # given
    plan = MaintenancePlanFactory(appliances=[ApplianceFactory()])
    # when
    response = _put(staff_client, plan.pk, body)
    # then
    assert response.status_code == 422
    assert field in str(response.json()["errors"])
    plan.refresh_from_db()
    assert (plan.price_per_year, plan.ends_on, plan.status) == (
        199,
        dt.date(2027, 1, 1),
        PlanStatus.ACTIVE,
    )
    assert plan.appliances.count() == 1


def test_update_of_an_unknown_plan_is_404(staff_client: Client) -> None:
    assert _put(staff_client, 999999, {"name": "x"}).status_code == 404


def test_cancelling_sets_the_day_and_a_cancelled_plan_stays_cancelled(
    staff_client: Client,
) -> None:
    # given
    plan = MaintenancePlanFactory(appliances=[ApplianceFactory()])
    # when
    cancelled = _put(staff_client, plan.pk, {"status": "Cancelled"})
    again = _put(staff_client, plan.pk, {"status": "Active"})
    renewed = staff_client.post(f"/api/renew-maintenance-plan/{plan.pk}")
    # then
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelledAt"] is not None
    assert (again.status_code, renewed.status_code) == (422, 422)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED


def test_an_expired_plan_comes_back_by_renewing(staff_client: Client) -> None:
    # given
    plan = MaintenancePlanFactory(appliances=[ApplianceFactory()], status=PlanStatus.EXPIRED)
    # when
    reactivated = _put(staff_client, plan.pk, {"status": "Active"})
    renewed = staff_client.post(f"/api/renew-maintenance-plan/{plan.pk}")
    # then
    assert reactivated.status_code == 422
    assert renewed.status_code == 200
    assert (renewed.json()["status"], renewed.json()["startsOn"], renewed.json()["endsOn"]) == (
        "Active",
        "2027-01-01",
        "2028-01-01",
    )
