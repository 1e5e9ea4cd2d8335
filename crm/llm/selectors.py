"""Reads of the LLM call log: usage and cost per month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from crm.llm.models import CallOutcome, LLMCall


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
