"""The referrals API refuses self, circular and second referrals, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.referrals.models import Referral
from crm.referrals.services import referral_create

pytestmark = pytest.mark.django_db


def _add(client: Client, referrer: Customer, referred: Customer, **extra: Any) -> Any:
    return client.post(
        "/api/add-referral",
        {"referrerId": referrer.pk, "referredCustomerId": referred.pk, **extra},
        content_type="application/json",
    )


def test_self_referral_is_a_422_and_saves_nothing(staff_client: Client) -> None:
    # given
    ana = CustomerFactory()
    # when
    response = _add(staff_client, ana, ana)
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "referredCustomerId", "message": "A customer cannot refer themself."}
    ]
    assert not Referral.objects.exists()


def test_circular_referral_is_a_422_and_leaves_the_chain_as_it_was(staff_client: Client) -> None:
    # given: Ana referred Bob, Bob referred Carl
    ana, bob, carl = CustomerFactory.create_batch(3)
    referral_create(referrer_id=ana.pk, referred_customer_id=bob.pk)
    referral_create(referrer_id=bob.pk, referred_customer_id=carl.pk)
    # when: Carl would refer Ana
    response = _add(staff_client, carl, ana)
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "referrerId", "message": "That referral would make a circle."}
    ]
    assert Referral.objects.count() == 2
    ana.refresh_from_db()
    assert ana.referred_by_id is None


def test_second_referral_of_a_customer_is_a_409_and_the_first_stays(staff_client: Client) -> None:
    # given
    ana, bob, carl = CustomerFactory.create_batch(3)
    referral_create(referrer_id=ana.pk, referred_customer_id=carl.pk)
    # when
    response = _add(staff_client, bob, carl)
    # then
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "referredCustomerId"
    carl.refresh_from_db()
    assert (Referral.objects.count(), carl.referred_by_id) == (1, ana.pk)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"status": "Paid"}, "status"),
        ({"rewardGiven": "yes"}, "rewardGiven"),
        ({"rewardAmount": "-5.00"}, "rewardAmount"),
        ({"rewardAmount": "5.001"}, "rewardAmount"),
    ],
    ids=["unknown status", "text for a boolean", "negative reward", "three decimals"],
)
def test_invalid_referral_fields_are_a_422_and_save_nothing(
    extra: dict[str, Any], field: str, staff_client: Client
) -> None:
    # given
    ana, bob = CustomerFactory.create_batch(2)
    # when
    response = _add(staff_client, ana, bob, **extra)
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Referral.objects.exists()


def test_unknown_customer_in_a_referral_is_a_422(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-referral",
        {"referrerId": 999999, "referredCustomerId": CustomerFactory().pk},
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referrerId"
