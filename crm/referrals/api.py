"""JSON endpoints of the referrals app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.errors import ValidationFailed
from crm.core.schemas import PathId
from crm.referrals.models import Referral
from crm.referrals.schemas import ReferralIn, ReferralListQuery, ReferralOut, ReferralUpdateIn
from crm.referrals.selectors import referral_list
from crm.referrals.services import referral_create, referral_update

router = ApiRouter(tags=["referrals"])


@router.get("/referrals", response=list[ReferralOut])
def referrals(request: HttpRequest, filters: Query[ReferralListQuery]) -> QuerySet[Referral]:
    """Referrals made by `referrerId` and/or the one received by `referredCustomerId`."""
    if filters.referrer_id is None and filters.referred_customer_id is None:
        raise ValidationFailed("Give referrerId or referredCustomerId.", field="referrerId")
    return referral_list(
        referrer_id=filters.referrer_id, referred_customer_id=filters.referred_customer_id
    )


@router.post("/add-referral", response={201: ReferralOut})
def add_referral(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    """Record a referral: no self, circular or second referral of the same customer."""
    return Status(201, referral_create(**payload.model_dump()))


@router.put("/update-referral/{referral_id}", response=ReferralOut)
def update_referral(
    request: HttpRequest, referral_id: PathId, payload: ReferralUpdateIn
) -> Referral:
    """Move the status and record the reward."""
    changes = payload.model_dump(exclude_unset=True)
    clear_reward = "reward_amount" in changes and changes["reward_amount"] is None
    return referral_update(referral_id=referral_id, clear_reward_amount=clear_reward, **changes)
