from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from crm.llm import limits
from crm.llm.limits import (
    budget_left,
    call_cost_usd,
    call_slot,
    month_spend_usd,
    rate_limit_admit,
)
from crm.llm.models import LLMCall, RateLimitWindow

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 30, 15))


def _call(cost: str, at: dt.datetime) -> LLMCall:
    return LLMCall.objects.create(
        feature="x", provider="openai", model="m", outcome="ok", cost_usd=Decimal(cost),
        created_at=at,
    )  # fmt: skip


@override_settings(LLM_MAX_REQUESTS_PER_MINUTE=3)
def test_the_rate_limit_admits_the_limit_per_minute_then_refuses() -> None:
    # when
    this_minute = [rate_limit_admit(now=NOW + dt.timedelta(seconds=s)) for s in range(5)]
    next_minute = rate_limit_admit(now=NOW + dt.timedelta(minutes=1))
    # then
    assert this_minute == [True, True, True, False, False]
    assert next_minute is True
    assert RateLimitWindow.objects.get(window_start=NOW.replace(second=0)).count == 3


def test_old_rate_windows_are_deleted_when_a_new_one_opens() -> None:
    # given
    rate_limit_admit(now=NOW - dt.timedelta(hours=2))
    # when
    rate_limit_admit(now=NOW)
    # then
    assert list(RateLimitWindow.objects.values_list("window_start", flat=True)) == [
        NOW.replace(second=0)
    ]


def test_cost_is_tokens_priced_per_thousand() -> None:
    # when (settings: 0.15 per 1k in, 0.60 per 1k out)
    with override_settings(
        LLM_PRICE_INPUT_PER_1K=Decimal("0.15"), LLM_PRICE_OUTPUT_PER_1K=Decimal("0.60")
    ):
        cost = call_cost_usd(input_tokens=1500, output_tokens=500)
    # then: 1.5 * 0.15 + 0.5 * 0.60 = 0.225 + 0.300
    assert cost == Decimal("0.525000")


@override_settings(LLM_MONTHLY_BUDGET_USD=Decimal("5.00"), TIME_ZONE="America/New_York")
def test_the_budget_counts_this_month_in_the_company_time_zone() -> None:
    # given: 4.00 this month; 3.00 at 23:00 on Oct 31 in New York (already Nov 1 in UTC)
    _call("4.00", NOW)
    _call("3.00", timezone.make_aware(dt.datetime(2026, 10, 31, 23, 0)))
    # when / then
    assert month_spend_usd(now=NOW) == Decimal("4.000000")
    assert budget_left(now=NOW) is True
    _call("1.00", NOW)
    assert budget_left(now=NOW) is False


@override_settings(LLM_MONTHLY_BUDGET_USD=Decimal("0"))
def test_a_zero_budget_means_no_limit() -> None:
    # given
    _call("1000.00", NOW)
    # then
    assert budget_left(now=NOW) is True


@override_settings(LLM_MAX_CONCURRENT=1)
def test_a_slot_is_refused_while_the_only_one_is_taken() -> None:
    # when
    with call_slot() as first, call_slot() as second:
        taken = (first, second)
    with call_slot() as again:
        freed = again
    # then
    assert taken == (True, False)
    assert freed is True


@override_settings(LLM_MAX_REQUESTS_PER_MINUTE=3)
def test_a_window_created_by_another_process_meanwhile_still_admits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: our first UPDATE finds no row; before we create it, another process does
    original = limits._count_one
    calls = []

    def racing(window: dt.datetime) -> bool:
        calls.append(window)
        if len(calls) == 1:
            RateLimitWindow.objects.create(name="llm", window_start=window, count=1)
            return False
        return original(window)

    monkeypatch.setattr(limits, "_count_one", racing)
    # when
    admitted = rate_limit_admit(now=NOW)
    # then
    assert admitted is True
    assert RateLimitWindow.objects.get().count == 2
