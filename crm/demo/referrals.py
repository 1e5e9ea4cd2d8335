"""Demo referral chains: a referrer always joined before the customer they brought.

Referrers are picked among earlier customers of the same chunk, ordered by (created_at,
position), so chains form but can never loop, and each customer is referred at most once.
"""

from __future__ import annotations

from decimal import Decimal

from crm.demo.context import SeedContext
from crm.demo.plans import CustomerPlan
from crm.referrals.models import Referral, ReferralStatus

REFERRED_SHARE = 0.15
ADVOCATE_SHARE = 0.5
LOOKBACK = 400
SETTLED_AFTER_DAYS = 60
REWARDS = (Decimal("25.00"), Decimal("50.00"))
STATUSES: list[tuple[str, float]] = [
    (ReferralStatus.REWARDED, 65), (ReferralStatus.QUALIFIED, 20),
    (ReferralStatus.PENDING, 10), (ReferralStatus.DECLINED, 5),
]  # fmt: skip


def _referrer_pick(
    ctx: SeedContext, earlier: list[CustomerPlan], advocates: list[CustomerPlan]
) -> CustomerPlan:
    """Happy customers who referred once tend to do it again."""
    if advocates and ctx.chance(ADVOCATE_SHARE):
        return ctx.pick(advocates)
    return ctx.pick(earlier[-LOOKBACK:])


def referrers_assign(
    ctx: SeedContext, plans: list[CustomerPlan], showcase: CustomerPlan | None, showcase_refers: int
) -> None:
    """Set the referrer of about one customer in seven; the showcase refers the first few."""
    ordered = sorted(enumerate(plans), key=lambda item: (item[1].customer.created_at, item[0]))
    earlier: list[CustomerPlan] = []
    advocates: dict[CustomerPlan, None] = {}  # an ordered set
    for _position, plan in ordered:
        if showcase is not None and showcase in advocates and showcase_refers > 0:
            plan.referrer, showcase_refers = showcase, showcase_refers - 1
        elif earlier and ctx.chance(REFERRED_SHARE):
            plan.referrer = _referrer_pick(ctx, earlier, list(advocates))
        if plan.referrer is not None:
            plan.customer.referred_by = plan.referrer.customer
            advocates[plan.referrer] = None
        if plan is showcase:
            advocates[plan] = None
        earlier.append(plan)


def referral_build(ctx: SeedContext, plan: CustomerPlan) -> Referral | None:
    """The Referral row that matches `plan.referrer`, with a status that fits its age."""
    if plan.referrer is None:
        return None
    settled = plan.tenure_days > SETTLED_AFTER_DAYS
    status = ctx.weighted(STATUSES) if settled else ReferralStatus.PENDING
    rewarded = status in (ReferralStatus.REWARDED, ReferralStatus.QUALIFIED)
    return Referral(
        referrer=plan.referrer.customer,
        referred_customer=plan.customer,
        status=status,
        reward_given=status == ReferralStatus.REWARDED,
        reward_amount=ctx.pick(REWARDS) if rewarded else None,
        created_at=plan.customer.created_at,
    )
