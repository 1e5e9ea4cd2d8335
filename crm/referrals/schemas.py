"""API shapes of referrals."""

from __future__ import annotations

import datetime as dt

from pydantic import StrictBool

from crm.core.schemas import (
    CamelSchema,
    Id,
    InSchema,
    MoneyIn,
    MoneyOut,
    OutSchema,
    QueryId,
    optional,
)
from crm.referrals.models import Referral, ReferralStatus


class ReferralOut(OutSchema):
    """One customer referring another: status and reward."""

    id: int
    referrer_id: int
    referrer_name: str
    referred_customer_id: int
    referred_customer_name: str
    status: ReferralStatus
    reward_given: bool
    reward_amount: MoneyOut | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_referrer_name(obj: Referral) -> str:
        return obj.referrer.name

    @staticmethod
    def resolve_referred_customer_name(obj: Referral) -> str:
        return obj.referred_customer.name


class ReferralIn(InSchema):
    """The plan's Referral: referrerId, referredCustomerId, status, rewardGiven."""

    referrer_id: Id
    referred_customer_id: Id
    status: ReferralStatus = ReferralStatus.PENDING
    reward_given: StrictBool = False
    reward_amount: MoneyIn | None = None


class ReferralUpdateIn(InSchema):
    """Only the fields sent change; rewardAmount null clears it."""

    status: ReferralStatus = optional()
    reward_given: StrictBool = optional()
    reward_amount: MoneyIn | None = None


class ReferralListQuery(CamelSchema):
    """Give referrerId (referrals made), referredCustomerId (referral received) or both."""

    referrer_id: QueryId | None = None
    referred_customer_id: QueryId | None = None
