"""Writes for referrals; Customer.referred_by always agrees with the Referral row."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.customers.models import Customer
from crm.referrals.models import Referral, ReferralStatus

MAX_CHAIN = 1000


def _customer(customer_id: int, *, field: str) -> Customer:
    customer = Customer.objects.select_for_update().filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed("No customer with that id.", field=field)
    return customer


def _would_loop(*, referrer: Customer, referred: Customer) -> bool:
    """True when `referred` already stands somewhere above `referrer` in the referral chain."""
    current_id: int | None = referrer.referred_by_id
    for _ in range(MAX_CHAIN):
        if current_id is None:
            return False
        if current_id == referred.pk:
            return True
        current_id = (
            Customer.objects.filter(pk=current_id).values_list("referred_by_id", flat=True).first()
        )
    return True


@transaction.atomic
def referral_create(
    *,
    referrer_id: int,
    referred_customer_id: int,
    status: str = ReferralStatus.PENDING,
    reward_given: bool = False,
    reward_amount: Decimal | None = None,
) -> Referral:
    """Record that one customer referred another: no self, circular or second referral."""
    if referrer_id == referred_customer_id:
        raise ValidationFailed("A customer cannot refer themself.", field="referredCustomerId")
    referrer = _customer(referrer_id, field="referrerId")
    referred = _customer(referred_customer_id, field="referredCustomerId")
    if Referral.objects.filter(referred_customer=referred).exists():
        raise Conflict("This customer already has a referral recorded.", field="referredCustomerId")
    if _would_loop(referrer=referrer, referred=referred):
        raise ValidationFailed("That referral would make a circle.", field="referrerId")
    referral = Referral.objects.create(
        referrer=referrer, referred_customer=referred, status=status,
        reward_given=reward_given, reward_amount=reward_amount,
    )  # fmt: skip
    Customer.objects.filter(pk=referred.pk).update(referred_by=referrer)
    return referral


@transaction.atomic
def referral_update(
    *, referral_id: int, status: str | None = None, reward_given: bool | None = None,
    reward_amount: Decimal | None = None, clear_reward_amount: bool = False,
) -> Referral:  # fmt: skip
    """Move a referral's status and record the reward."""
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("Referral not found.")
    if status is not None:
        referral.status = status
    if reward_given is not None:
        referral.reward_given = reward_given
    if reward_amount is not None or clear_reward_amount:
        referral.reward_amount = reward_amount
    referral.save()
    return referral
