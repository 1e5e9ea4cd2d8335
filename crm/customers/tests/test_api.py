"""The customers API: the customer fetch in a fixed number of queries, and refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from crm.customers.models import Customer
from crm.referrals.models import Referral

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
