from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from crm.llm.models import LLMCall
from crm.llm.selectors import MonthUsage, llm_usage_by_month

pytestmark = pytest.mark.django_db


def _call(day: dt.date, *, outcome: str, tokens: tuple[int, int], cost: str) -> None:
    LLMCall.objects.create(
        created_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12)),
        feature="timeline-summary", provider="openai", model="m", outcome=outcome,
        input_tokens=tokens[0], output_tokens=tokens[1], cost_usd=Decimal(cost),
    )  # fmt: skip


@pytest.fixture
def calls() -> None:
    _call(dt.date(2026, 10, 3), outcome="ok", tokens=(1000, 200), cost="0.270000")
    _call(dt.date(2026, 11, 1), outcome="ok", tokens=(1200, 300), cost="0.360000")
    _call(dt.date(2026, 11, 20), outcome="timeout", tokens=(0, 0), cost="0")


def test_usage_and_cost_per_month(calls: None) -> None:
    # when
    months = llm_usage_by_month()
    # then
    assert months == [
        MonthUsage(dt.date(2026, 11, 1), 2, 1, 1200, 300, Decimal("0.360000")),
        MonthUsage(dt.date(2026, 10, 1), 1, 1, 1000, 200, Decimal("0.270000")),
    ]


def test_the_admin_shows_usage_and_cost_per_month(calls: None, admin_client: Client) -> None:
    # when
    response = admin_client.get("/admin/llm/llmcall/")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Usage and cost per month" in page
    assert "<td>November 2026</td>" in page
    assert "<td>0.3600</td>" in page


def test_the_call_log_cannot_be_edited(calls: None, admin_client: Client) -> None:
    # given
    call = LLMCall.objects.first()
    assert call is not None
    # when
    response = admin_client.post(f"/admin/llm/llmcall/{call.pk}/change/", {"outcome": "ok"})
    # then
    assert response.status_code == 403
    call.refresh_from_db()
    assert call.outcome == "timeout"
