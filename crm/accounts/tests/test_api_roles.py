"""The API's door: a Technician's window, money absent, tokens that expire or only read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.accounts.tests.conftest import Crew
from crm.core.models import ApiToken
from crm.core.roles import Role
from crm.core.services import api_token_create
from crm.core.tests.factories import UserFactory
from crm.technicians.models import Technician

MONEY = {"payments", "expenses", "financials", "amount", "rewardAmount", "hourlyCost", "revenue",
         "netProfit", "margin", "laborCost"}  # fmt: skip


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in _keys(value)}
    if isinstance(data, list):
        return {key for item in data for key in _keys(item)}
    return set()


def test_a_technician_gets_their_customer_without_any_money_key(crew: Crew) -> None:
    # when the technician fetches the customer of today's visit
    response = crew.client.get(f"/api/customer/{crew.ana.pk}")
    # then the customer comes, with jobs, and no money key at any depth
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Ana Ruiz"
    assert [job["id"] for job in body["jobs"]] == [crew.visit.pk]
    assert _keys(body) & MONEY == set()


def test_office_gets_the_same_customer_with_the_money(crew: Crew) -> None:
    office = Client()
    office.force_login(UserFactory(username="olga"))
    body = office.get(f"/api/customer/{crew.ana.pk}").json()
    assert body["payments"][0]["amount"] == "150.00"
    assert {"payments", "expenses", "financials", "amount"} <= _keys(body)


@pytest.mark.parametrize(("who", "status"), [("soon", 200), ("old", 404), ("later", 404),
                                             ("others", 404)])  # fmt: skip
def test_a_technician_sees_a_customer_only_inside_the_window(
    crew: Crew, who: str, status: int
) -> None:
    # given visits 6 days ahead (in), 40 days ago and 8 days ahead (out), another's (out)
    customer = getattr(crew, who)
    # when the technician asks for that customer
    response = crew.client.get(f"/api/customer/{customer.pk}")
    # then inside the window it comes; outside it does not exist for them
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not found.", "errors": []}


def test_a_technician_without_a_technician_record_sees_no_customer(crew: Crew) -> None:
    Technician.objects.update(user=None)
    assert crew.client.get(f"/api/customer/{crew.ana.pk}").status_code == 404


def test_a_technician_is_refused_other_operations_with_403(crew: Crew) -> None:
    response = crew.client.get("/api/customers")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this operation."
    refused = crew.client.post(
        "/api/add-activity",
        {"customerId": crew.ana.pk, "type": "Note", "content": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_a_signed_in_user_without_a_role_is_refused(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody", role=""))
    assert client.get("/api/technicians").status_code == 403
    assert client.get("/customers/").status_code == 403


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_acts_with_its_users_role(crew: Crew) -> None:
    _, raw = api_token_create(user=crew.user)
    assert Client().get("/api/customers", headers=_bearer(raw)).status_code == 403
    fetched = Client().get(f"/api/customer/{crew.ana.pk}", headers=_bearer(raw))
    assert fetched.status_code == 200
    assert "payments" not in fetched.json()


@pytest.mark.django_db
def test_a_read_only_token_reads_but_cannot_write() -> None:
    # given an Office user's read-only token
    _, raw = api_token_create(user=UserFactory(username="olga"), read_only=True)
    # when it reads and then tries to add a technician
    read = Client().get("/api/technicians", headers=_bearer(raw))
    write = Client().post(
        "/api/technicians", {"name": "New", "hourlyCost": "10"},
        content_type="application/json", headers=_bearer(raw),
    )  # fmt: skip
    # then the read passes, the write is 403 and nothing was made
    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["detail"] == "This API token is read-only."
    assert not Technician.objects.exists()


@pytest.mark.django_db
def test_tokens_expire_after_the_default_90_days_and_revoked_ones_stop() -> None:
    # given a new token
    token, raw = api_token_create(user=UserFactory(username="olga"))
    # then it expires in 90 days
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=1
    )
    assert Client().get("/api/technicians", headers=_bearer(raw)).status_code == 200
    # when it is past its date, it no longer works
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/technicians", headers=_bearer(raw)).status_code == 401
    # and a revoked one neither
    ApiToken.objects.update(expires_at=None, revoked_at=timezone.now())
    assert Client().get("/api/technicians", headers=_bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_the_role_comes_with_the_user_at_no_extra_query(django_assert_num_queries: Any) -> None:
    # given an Office user's token
    _, raw = api_token_create(user=UserFactory(username="olga", role=Role.OFFICE))
    client = Client()
    client.get("/api/technicians", headers=_bearer(raw))  # warm: last_used_at written once
    # then a request is the token (with user and role) and the list: 2 queries
    with django_assert_num_queries(2):
        assert client.get("/api/technicians", headers=_bearer(raw)).status_code == 200
