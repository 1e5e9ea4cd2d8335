"""Prices that make the monthly budget real: shipped for the documented models, required for
any other model on a paid API unless the budget is switched off."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings
from django.utils import timezone

from crm.llm.adapters.offline import OfflineProvider
from crm.llm.adapters.openai_chat import OpenAIChatProvider
from crm.llm.limits import call_cost_usd
from crm.llm.models import LLMCall
from crm.llm.prices import _shipped
from crm.llm.providers import provider_current

ROOT = Path(__file__).resolve().parents[3]
PAID = {"LLM_BASE_URL": "", "LLM_API_KEY": "sk-test", "LLM_PRICE_INPUT_PER_1K": None,
        "LLM_PRICE_OUTPUT_PER_1K": None, "LLM_MONTHLY_BUDGET_USD": Decimal("20")}  # fmt: skip


def test_every_paid_model_the_docs_name_has_a_shipped_price() -> None:
    text = (ROOT / "docs" / "llm.md").read_text() + (ROOT / "README.md").read_text()
    named = set(re.findall(r"`((?:gpt|claude)-[\w.-]+)`", text))
    assert {"gpt-4.1-mini", "claude-haiku-4-5"} <= named
    assert [name for name in sorted(named) if _shipped(name) is None] == []


@pytest.mark.parametrize(
    ("provider", "model", "cost"),
    [
        ("openai", "gpt-4.1-mini", "0.002000"),  # 0.0004 + 0.0016 per 1k
        ("openai", "gpt-4.1-mini-2025-04-14", "0.002000"),  # a dated snapshot
        ("anthropic", "claude-haiku-4-5", "0.006000"),  # 0.001 + 0.005
    ],
)
def test_a_documented_model_costs_its_list_price(provider: str, model: str, cost: str) -> None:
    with override_settings(LLM_PROVIDER=provider, LLM_MODEL=model, **PAID):
        assert call_cost_usd(input_tokens=1000, output_tokens=1000) == Decimal(cost)


def test_explicit_prices_win_over_the_list() -> None:
    prices = {"LLM_PRICE_INPUT_PER_1K": Decimal("1"), "LLM_PRICE_OUTPUT_PER_1K": Decimal("2")}
    with override_settings(LLM_PROVIDER="openai", LLM_MODEL="gpt-4.1-mini", **(PAID | prices)):
        assert call_cost_usd(input_tokens=1000, output_tokens=500) == Decimal("2.000000")


@override_settings(LLM_PROVIDER="openai", LLM_MODEL="gpt-9-unpriced", **PAID)
def test_a_paid_model_without_a_price_is_refused_at_check_and_answers_offline() -> None:
    # when
    with pytest.raises(SystemCheckError, match=r"llm\.E001.*gpt-9-unpriced.*no known price"):
        call_command("check")
    provider = provider_current()
    # then
    assert isinstance(provider, OfflineProvider)
    assert "LLM_MONTHLY_BUDGET_USD=0" in provider.reason


@override_settings(
    LLM_PROVIDER="openai", LLM_MODEL="gpt-9-unpriced", **(PAID | {"LLM_MONTHLY_BUDGET_USD": 0})
)
def test_without_a_budget_the_unpriced_model_runs() -> None:
    call_command("check")
    assert isinstance(provider_current(), OpenAIChatProvider)
    assert call_cost_usd(input_tokens=1000, output_tokens=1000) == Decimal("0")


@override_settings(
    LLM_PROVIDER="openai",
    LLM_MODEL="llama3.1:8b",
    **(PAID | {"LLM_BASE_URL": "http://127.0.0.1:11434/v1"}),
)
def test_a_local_server_is_free_and_needs_no_price() -> None:
    call_command("check")
    assert isinstance(provider_current(), OpenAIChatProvider)
    assert call_cost_usd(input_tokens=1000, output_tokens=1000) == Decimal("0")


@pytest.mark.django_db
@override_settings(LLM_PROVIDER="openai", LLM_MODEL="gpt-4.1-mini", **PAID)
def test_the_admin_shows_this_months_spend_against_the_budget(admin_client: Client) -> None:
    # given 15.00 spent this month, 3.00 last month
    now = timezone.now()
    for cost, when in (("15.00", now), ("3.00", now - dt.timedelta(days=40))):
        LLMCall.objects.create(
            created_at=when, feature="timeline-summary", provider="openai", model="gpt-4.1-mini",
            outcome="ok", input_tokens=1, output_tokens=1, cost_usd=Decimal(cost),
        )  # fmt: skip
    # when
    page = admin_client.get("/admin/llm/llmcall/").content.decode()
    # then
    budget = re.search(r'<p id="llm-budget">(.*?)</p>', page, re.S)
    assert budget is not None
    text = " ".join(budget.group(1).split())
    assert "$15.00 of the $20.00 monthly budget (75% used)." in text
    assert "Price of gpt-4.1-mini: $0.0004 in / $0.0016 out per 1,000 tokens" in text
