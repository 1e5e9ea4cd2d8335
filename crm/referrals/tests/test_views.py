"""The Referrals card: Referred By, Clients Referred, adding and updating referrals."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.referrals.models import Referral
from crm.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def card(client, customer) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/customers/{customer.pk}/cards/referrals/", **HTMX).content.decode()


def test_the_card_links_the_referrer_and_lists_referrals_with_status_and_reward(staff_client):
    # given
    maria = CustomerFactory(name="Maria Gonzalez")
    ana = CustomerFactory(name="Ana Ruiz")
    ReferralFactory(referrer=maria, referred_customer=ana)
    ReferralFactory(referrer=ana, referred_customer=CustomerFactory(name="Leo Park"),
                    status="Rewarded", reward_given=True, reward_amount="25.00")  # fmt: skip
    ReferralFactory(referrer=ana, referred_customer=CustomerFactory(name="Kim Lee"))
    # when
    html = card(staff_client, ana)
    # then
    assert f'<a href="/customers/{maria.pk}/">Maria Gonzalez</a>' in html
    assert "Leo Park" in html
    assert "Kim Lee" in html
    assert ">Rewarded<" in html
    assert "Reward: given ($25.00)" in html
    assert "Reward: not given" in html
    assert '<span class="count">2</span>' in html


def test_a_customer_nobody_referred_says_so(staff_client):
    html = card(staff_client, CustomerFactory())
    assert "Not referred by another client." in html
    assert "No clients referred yet." in html


def test_the_add_form_searches_for_the_other_customer(staff_client):
    # given
    customer = CustomerFactory(name="Maria Gonzalez")
    CustomerFactory(name="Ana Ruiz", email="ana@example.com")
    # when
    html = staff_client.get(
        f"/customers/{customer.pk}/referrals/new/?q=ruiz", **HTMX
    ).content.decode()
    # then
    assert "Ana Ruiz" in html
    assert 'name="other_customer"' in html
    assert "Maria Gonzalez</label>" not in html  # never yourself


def test_recording_a_referral_this_customer_made(staff_client):
    # given
    maria, ana = CustomerFactory(), CustomerFactory()
    data = {"direction": "made", "other_customer": ana.pk, "status": "Qualified",
            "reward_amount": "20.00"}  # fmt: skip
    # when
    response = staff_client.post(f"/customers/{maria.pk}/referrals/new/", data, **HTMX)
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"referrals-changed", "crm:confirmed"}
    referral = Referral.objects.get()
    assert (referral.referrer, referral.referred_customer, referral.status) == (
        maria,
        ana,
        "Qualified",
    )
    assert referral.reward_amount == Decimal("20.00")
    assert referral.reward_given is False
    assert Customer.objects.get(pk=ana.pk).referred_by == maria


def test_recording_who_referred_this_customer(staff_client):
    maria, ana = CustomerFactory(), CustomerFactory()
    data = {"direction": "received", "other_customer": maria.pk, "status": "Pending"}
    response = staff_client.post(f"/customers/{ana.pk}/referrals/new/", data, **HTMX)
    assert response.status_code == 204
    assert Customer.objects.get(pk=ana.pk).referred_by == maria


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("self", "A customer cannot refer themself."),
        ("", "Search for the customer and pick one."),
        ("999999", "No customer with that id."),
        ("taken", "This customer already has a referral recorded."),
    ],
)
def test_an_impossible_referral_is_refused_at_the_customer_field(staff_client, other, message):
    # given
    customer = CustomerFactory()
    taken = ReferralFactory().referred_customer
    other_id = {"self": str(customer.pk), "taken": str(taken.pk)}.get(other, other)
    data = {"direction": "made", "other_customer": other_id, "status": "Pending"}
    # when
    response = staff_client.post(f"/customers/{customer.pk}/referrals/new/", data, **HTMX)
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_other_customer_error"' in html
    assert message in html
    assert Referral.objects.count() == 1


def test_updating_a_referral_status_and_reward(staff_client):
    # given
    referral = ReferralFactory(reward_amount="10.00")
    url = f"/customers/{referral.referrer_id}/referrals/{referral.pk}/"
    # when
    form = staff_client.get(url, **HTMX).content.decode()
    response = staff_client.post(
        url, {"status": "Rewarded", "reward_given": "on", "reward_amount": ""}, **HTMX
    )
    # then
    assert '<option value="Pending" selected>' in form
    assert response.status_code == 204
    referral.refresh_from_db()
    assert (referral.status, referral.reward_given, referral.reward_amount) == (
        "Rewarded", True, None)  # fmt: skip


def test_a_referral_is_reached_only_through_its_two_customers(staff_client):
    referral = ReferralFactory()
    stranger = CustomerFactory()
    response = staff_client.post(
        f"/customers/{stranger.pk}/referrals/{referral.pk}/", {"status": "Declined"}, **HTMX
    )
    assert response.status_code == 404
    by_referred = staff_client.get(
        f"/customers/{referral.referred_customer_id}/referrals/{referral.pk}/", **HTMX
    )
    assert by_referred.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "Pending"
