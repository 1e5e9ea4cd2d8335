"""Reads of referrals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from crm.core.errors import NotFound
from crm.customers.models import Customer
from crm.customers.selectors import customer_search
from crm.referrals.models import Referral

REFERRAL_CANDIDATES = 8


def referral_list(
    *, referrer_id: int | None = None, referred_customer_id: int | None = None
) -> QuerySet[Referral]:
    """Referrals made by `referrer_id` and/or received by `referred_customer_id`."""
    referrals = Referral.objects.select_related("referrer", "referred_customer")
    if referrer_id is not None:
        referrals = referrals.filter(referrer_id=referrer_id)
    if referred_customer_id is not None:
        referrals = referrals.filter(referred_customer_id=referred_customer_id)
    return referrals.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ReferralSummary:
    """Who referred a customer (if anyone) and the customers they referred, newest first."""

    received: Referral | None
    made: list[Referral]


def referral_summary(*, customer_id: int) -> ReferralSummary:
    """Both sides of a customer's referrals, names joined (two queries)."""
    return ReferralSummary(
        received=referral_list(referred_customer_id=customer_id).first(),
        made=list(referral_list(referrer_id=customer_id)),
    )


def referral_of_customer(*, customer_id: int, referral_id: int) -> Referral:
    """A referral the customer made or received, or NotFound."""
    referral = (
        referral_list()
        .filter(Q(referrer_id=customer_id) | Q(referred_customer_id=customer_id), pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound("Referral not found.")
    return referral


def referral_candidates(*, customer_id: int, search: str) -> list[Customer]:
    """A few customers matching `search` who could be on the other side of a referral."""
    if not search.strip():
        return []
    return list(customer_search(search=search).exclude(pk=customer_id)[:REFERRAL_CANDIDATES])
