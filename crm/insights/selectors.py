"""Reads of stored AI answers: what the page can show at once, and whether data moved since."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.insights.answers import InsightAnswer, answer_from, subject_build
from crm.insights.models import InsightResult, InsightSource


def insight_latest(
    *,
    feature: str,
    subject_id: int,
    options: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> InsightAnswer | None:
    """The newest stored answer for this subject and options (None if never generated), with
    `data_changed` telling whether the facts behind it have changed since. Calls no LLM."""
    subject = subject_build(feature=feature, subject_id=subject_id, options=options, today=today)
    rows = InsightResult.objects.filter(
        customer_id=subject.customer_id, feature=feature, variant=subject.variant
    )
    if subject.appliance_id is not None:
        rows = rows.filter(appliance_id=subject.appliance_id)
    row = rows.order_by("-created_at", "-id").first()
    if row is None:
        return None
    source = "offline" if row.source == InsightSource.OFFLINE else "cache"
    return answer_from(row, source=source, fingerprint=subject.fingerprint)
