"""The customers API: the list with its filters in a fixed number of queries, and refusals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.referrals.models import Referral
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400_and_creates_nothing(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-customer", data='{"name": "Ana', content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x" * 201}, "name"),
        ({"name": "Ana", "preferredContactMethod": "Pigeon"}, "preferredContactMethod"),
        ({"name": "Ana", "referredById": False}, "referredById"),
        ({"name": "Ana", "nickname": "A"}, "nickname"),
        ({"name": 12}, "name"),
    ],
    ids=["oversize text", "unknown enum value", "false for an id", "unknown field", "number"],
)
def test_invalid_customer_is_a_422_naming_the_field_and_creates_nothing(
    body: dict[str, Any], field: str, staff_client: Client
) -> None:
    # when
    response = staff_client.post("/api/add-customer", body, content_type="application/json")
    # then
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Customer.objects.exists()


def test_unknown_referrer_is_a_422_and_creates_nothing(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-customer",
        json.dumps({"name": "Ana", "referredById": 999999}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["referredById"]
    assert (Customer.objects.count(), Referral.objects.count()) == (0, 0)


def test_update_of_an_unknown_customer_is_a_404(staff_client: Client) -> None:
    # when
    response = staff_client.put(
        "/api/update-customer/999999", {"name": "Ana"}, content_type="application/json"
    )
    # then
    assert response.status_code == 404


def test_a_session_write_without_the_csrf_token_is_a_403_and_creates_nothing(
    staff_user: Any,
) -> None:
    # given: a signed-in browser that sends no CSRF token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)
    # when
    response = browser.post("/api/add-customer", {"name": "Ana"}, content_type="application/json")
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed", "errors": []}
    assert not Customer.objects.exists()


# --- the customer list --------------------------------------------------------------------
# Session and user, the count, the page.
LIST_QUERIES = 4


def test_list_filters_and_sort_combine(staff_client: Client) -> None:
    # given
    tech = TechnicianFactory()
    loss = {"revenue_total": Decimal("5.00"), "expenses_total": Decimal("9.00"),
            "net_profit": Decimal("-4.00"), "profit_margin": Decimal("-0.8")}  # fmt: skip
    ana = CustomerFactory(name="Ana Ruiz", preferred_technician=tech, **loss)
    CustomerFactory(name="Bea Ruiz", **loss)
    cruz = CustomerFactory(name="Cruz Ruiz", preferred_technician=tech, **loss)
    CustomerFactory(name="Dan Ruiz", preferred_technician=tech)
    # when
    body = staff_client.get(
        "/api/customers",
        {"search": "ruiz", "profitability": "Loss-Making", "technicianId": tech.pk,
         "sort": "-name"},
    ).json()  # fmt: skip
    # then
    assert body["total"] == 2
    assert [item["id"] for item in body["items"]] == [cruz.pk, ana.pk]
    assert {key: body["items"][1][key] for key in (
        "revenueTotal", "expensesTotal", "netProfit", "profitabilityClass", "lastContactAt",
        "nextServiceDue")} == {
        "revenueTotal": "5.00", "expensesTotal": "9.00", "netProfit": "-4.00",
        "profitabilityClass": "Loss-Making", "lastContactAt": None, "nextServiceDue": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"profitability": "Rich"}, "profitability"),
        ({"noContactDays": "-1"}, "noContactDays"),
        ({"applianceType": "Boat"}, "applianceType"),
        ({"marketingChannel": "Fax"}, "marketingChannel"),
        ({"maintenanceOverdue": "maybe"}, "maintenanceOverdue"),
        ({"openReminder": "2"}, "openReminder"),
        ({"technicianId": "0"}, "technicianId"),
        ({"sort": "age"}, "sort"),
    ],
)
def test_list_refuses_bad_filter_values_with_422(
    staff_client: Client, params: dict[str, str], field: str
) -> None:
    # when
    response = staff_client.get("/api/customers", params)
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_count_is_pinned(
    staff_client: Client, django_assert_num_queries: Any, count: int
) -> None:
    # given
    for number in range(count):
        ApplianceFactory(customer=CustomerFactory(name=f"Customer {number:02d}"))
    staff_client.get("/api/customers")  # the session is warm
    # when / then
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(
            "/api/customers",
            {"applianceType": "Refrigerator", "openReminder": "false", "sort": "-customerSince"},
        )
    assert len(response.json()["items"]) == min(count, 25)
