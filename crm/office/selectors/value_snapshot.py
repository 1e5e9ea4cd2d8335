"""The Client Value Snapshot card of the Customer View: lifetime money and recent years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crm.core.dates import company_today
from crm.core.money import Financials
from crm.jobs.selectors import RecentYears, customer_financials, customer_financials_recent_years
from crm.plans.models import MaintenancePlan
from crm.plans.selectors import plans_active_costed

SNAPSHOT_YEARS = 12


@dataclass(frozen=True)
class ValueSnapshot:
    """A customer's lifetime money (labour apart), and revenue and profit of recent years."""

    financials: Financials
    recent: RecentYears
    # Active maintenance plans with `visits_cost` (this plan year's visits' expenses). Shown as
    # their own line: what the customer pays for a plan is recorded as payments, already in
    # the revenue above, so the plan's price is never added to it (no double count).
    plans: list[MaintenancePlan] = field(default_factory=list)


def customer_value_snapshot(*, customer_id: int, today: dt.date | None = None) -> ValueSnapshot:
    """Totals and the last SNAPSHOT_YEARS years for the Client Value Snapshot card, and the
    active plans' price against their visits' costs (6 queries)."""
    return ValueSnapshot(
        financials=customer_financials(customer_id=customer_id),
        recent=customer_financials_recent_years(
            customer_id=customer_id, count=SNAPSHOT_YEARS, today=today or company_today()
        ),
        plans=plans_active_costed(customer_id=customer_id),
    )
