"""The endpoints' doors: auth, unknown subjects, bad bodies; and the stored answer's freshness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.insights.models import InsightResult
from crm.insights.selectors import insight_latest
from crm.insights.services import insight_get
from crm.insights.tests.conftest import TODAY, World
from crm.jobs.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
CUSTOMER_PATHS = [
    "timeline-summary",
    "followup-suggestions",
    "generate-greeting",
    "analyze-sentiment",
    "profitability-analysis",
]


@pytest.mark.parametrize("path", CUSTOMER_PATHS)
def test_each_customer_endpoint_answers_offline(
    path: str, world: World, staff_client: Client
) -> None:
    # when
    response = staff_client.post(
        f"/api/customer/{world.ana.pk}/{path}", content_type="application/json"
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "feature", "source", "generatedAt", "model", "text", "data", "warnings", "dataChanged",
    }  # fmt: skip
    assert (body["feature"], body["source"], body["model"]) == (path, "offline", "offline")


def test_anonymous_requests_are_refused(world: World) -> None:
    # when
    response = Client().post(f"/api/customer/{world.ana.pk}/profitability-analysis")
    # then
    assert response.status_code == 401
    assert InsightResult.objects.count() == 0


def test_an_unknown_customer_or_appliance_is_404(world: World, staff_client: Client) -> None:
    # when
    customer = staff_client.post("/api/customer/999999/timeline-summary")
    appliance = staff_client.post("/api/appliance/999999/predict-maintenance")
    # then
    assert (customer.status_code, appliance.status_code) == (404, 404)
    assert customer.json()["detail"] == "Customer not found."
    assert InsightResult.objects.count() == 0


def test_the_greeting_body_may_name_the_occasion(world: World, staff_client: Client) -> None:
    # when
    response = staff_client.post(
        f"/api/customer/{world.ana.pk}/generate-greeting",
        data={"occasion": "Service anniversary"},
        content_type="application/json",
    )
    # then
    assert response.status_code == 200
    assert response.json()["data"]["occasion"] == "Service anniversary"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "applianceId"),
        ({"issue": "   "}, "applianceId"),
        ({"applianceId": "x"}, "applianceId"),
        ({"issue": "x" * 1001}, "issue"),
        ({"issue": "noisy", "technician": 1}, "technician"),
    ],
)
def test_match_technician_refuses_a_bad_body(
    body: dict[str, object], field: str, world: World, staff_client: Client
) -> None:
    # when
    response = staff_client.post(
        f"/api/customer/{world.ana.pk}/match-technician", data=body, content_type="application/json"
    )
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert InsightResult.objects.count() == 0


def test_match_technician_refuses_another_customers_appliance(
    world: World, staff_client: Client
) -> None:
    # given
    bobs = ApplianceFactory(customer=world.bob)
    # when
    response = staff_client.post(
        f"/api/customer/{world.ana.pk}/match-technician",
        data={"applianceId": bobs.pk},
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "applianceId", "message": "No appliance with that id for this customer."}
    ]


def test_the_stored_answer_says_when_the_data_changed_since(world: World) -> None:
    # given
    insight_get(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    before = insight_latest(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    # when: a new payment arrives
    PaymentFactory(customer=world.ana, amount=Decimal("80.00"), date=dt.date(2026, 11, 22))
    after = insight_latest(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    # then
    assert before is not None
    assert after is not None
    assert (before.data_changed, after.data_changed) == (False, True)
    assert after.text == before.text  # the stored answer, shown at once, flagged as stale


def test_no_stored_answer_yet(world: World) -> None:
    # then
    assert insight_latest(feature="timeline-summary", subject_id=world.ana.pk) is None


def test_control_characters_in_the_issue_are_dropped_before_anything_is_stored(
    world: World, staff_client: Client
) -> None:
    # when
    response = staff_client.post(
        f"/api/customer/{world.ana.pk}/match-technician",
        data={"issue": "Fridge\u0007 warm\u202e\nagain"},
        content_type="application/json",
    )
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["specialNotes"][-1] == "Reported issue: Fridge warm again"
    assert InsightResult.objects.count() == 1
