"""Reads of the LLM call log: usage and cost per month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from crm.llm.limits import month_spend_usd
from crm.llm.models import CallOutcome, LLMCall
from crm.llm.prices import ModelPrice, model_price


@dataclass(frozen=True)
class MonthUsage:
    """Calls, tokens and cost of one calendar month (company time zone)."""

    month: dt.date
    calls: int
    ok_calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal


def llm_usage_by_month(*, months: int = 12) -> list[MonthUsage]:
    """The last `months` months that had calls, newest first (one grouped query)."""
    rows = (
        LLMCall.objects.annotate(
            month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
        )
        .values("month")
        .annotate(
            calls=Count("id"),
            ok_calls=Count("id", filter=Q(outcome=CallOutcome.OK)),
            input_tokens=Sum("input_tokens"),
            output_tokens=Sum("output_tokens"),
            cost_usd=Sum("cost_usd"),
        )
        .order_by("-month")[:months]
    )
    return [
        MonthUsage(
            month=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            calls=row["calls"],
            ok_calls=row["ok_calls"],
            input_tokens=row["input_tokens"] or 0,
            output_tokens=row["output_tokens"] or 0,
            cost_usd=row["cost_usd"] or Decimal("0"),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class BudgetStatus:
    """This month's spend against LLM_MONTHLY_BUDGET_USD (0: no limit), and the price in use."""

    spent_usd: Decimal
    budget_usd: Decimal
    percent_used: int | None  # None without a budget
    price: ModelPrice | None  # None: a paid model without a price (runs only without a budget)
    model: str


def llm_budget_status() -> BudgetStatus:
    budget: Decimal = settings.LLM_MONTHLY_BUDGET_USD
    spent = month_spend_usd()
    model = settings.LLM_MODEL.strip()
    return BudgetStatus(
        spent_usd=spent,
        budget_usd=budget,
        percent_used=int(spent * 100 / budget) if budget > 0 else None,
        price=model_price(
            provider=settings.LLM_PROVIDER.strip().lower(),
            model=model,
            base_url=settings.LLM_BASE_URL.strip(),
        ),
        model=model,
    )
