"""Reads of referrals."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.referrals.models import Referral


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
