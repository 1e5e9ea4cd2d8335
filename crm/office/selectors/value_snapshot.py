"""The Client Value Snapshot card of the Customer View: lifetime money and recent years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm.core.dates import company_today
from crm.core.money import Financials
from crm.jobs.selectors import RecentYears, customer_financials, customer_financials_recent_years

SNAPSHOT_YEARS = 12


@dataclass(frozen=True)
class ValueSnapshot:
    """A customer's lifetime money (labour apart), and revenue and profit of recent years."""

    financials: Financials
    recent: RecentYears


def customer_value_snapshot(*, customer_id: int, today: dt.date | None = None) -> ValueSnapshot:
    """Totals and the last SNAPSHOT_YEARS years for the Client Value Snapshot card (5 queries)."""
    return ValueSnapshot(
        financials=customer_financials(customer_id=customer_id),
        recent=customer_financials_recent_years(
            customer_id=customer_id, count=SNAPSHOT_YEARS, today=today or company_today()
        ),
    )
