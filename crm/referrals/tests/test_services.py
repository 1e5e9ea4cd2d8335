from decimal import Decimal

import pytest

from crm.core.errors import Conflict, ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.referrals.models import Referral
from crm.referrals.services import referral_create, referral_update

pytestmark = pytest.mark.django_db


def test_referral_sets_referred_by():
    # given
    alice, bob = CustomerFactory(), CustomerFactory()
    # when
    referral = referral_create(referrer_id=alice.pk, referred_customer_id=bob.pk)
    # then
    bob.refresh_from_db()
    assert bob.referred_by_id == alice.pk
    assert referral.status == "Pending"


def test_self_referral_is_refused():
    alice = CustomerFactory()
    with pytest.raises(ValidationFailed):
        referral_create(referrer_id=alice.pk, referred_customer_id=alice.pk)
    assert Referral.objects.count() == 0


def test_circular_referral_is_refused_at_any_depth():
    # given: a -> b -> c
    a, b, c = CustomerFactory(), CustomerFactory(), CustomerFactory()
    referral_create(referrer_id=a.pk, referred_customer_id=b.pk)
    referral_create(referrer_id=b.pk, referred_customer_id=c.pk)
    # when / then: c may not refer a
    with pytest.raises(ValidationFailed) as error:
        referral_create(referrer_id=c.pk, referred_customer_id=a.pk)
    assert error.value.field == "referrerId"
    a.refresh_from_db()
    assert a.referred_by_id is None
    assert Referral.objects.count() == 2


def test_second_referral_for_the_same_customer_conflicts():
    a, b, c = CustomerFactory(), CustomerFactory(), CustomerFactory()
    referral_create(referrer_id=a.pk, referred_customer_id=c.pk)
    with pytest.raises(Conflict):
        referral_create(referrer_id=b.pk, referred_customer_id=c.pk)
    c.refresh_from_db()
    assert c.referred_by_id == a.pk


def test_unknown_referrer_is_a_validation_error():
    with pytest.raises(ValidationFailed) as error:
        referral_create(referrer_id=999_999, referred_customer_id=CustomerFactory().pk)
    assert error.value.field == "referrerId"


def test_reward_is_recorded():
    a, b = CustomerFactory(), CustomerFactory()
    referral = referral_create(referrer_id=a.pk, referred_customer_id=b.pk)
    updated = referral_update(
        referral_id=referral.pk,
        status="Rewarded",
        reward_given=True,
        reward_amount=Decimal("25.00"),
    )
    assert (updated.status, updated.reward_given, updated.reward_amount) == (
        "Rewarded",
        True,
        Decimal("25.00"),
    )
