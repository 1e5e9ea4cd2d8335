"""The answer shape shared by the pipeline and the stored-answer reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from crm.insights.features.base import Feature
from crm.insights.models import InsightResult
from crm.insights.registry import FEATURES
from crm.llm.cache import digest


@dataclass(frozen=True)
class InsightAnswer:
    """What an endpoint answers: where it came from, the plan's text, the same fields as data."""

    feature: str
    source: str  # "llm" | "cache" | "offline"
    generated_at: dt.datetime
    model: str
    text: str
    data: dict[str, Any]
    warnings: list[str]
    data_changed: bool


@dataclass(frozen=True)
class Subject:
    """A feature's context for one request, with the digests that identify it."""

    feature: Feature[Any, Any]
    context: Any
    fingerprint: str
    variant: str

    @property
    def customer_id(self) -> int:
        customer_id: int = self.context.customer_id
        return customer_id

    @property
    def appliance_id(self) -> int | None:
        return getattr(self.context, "appliance_id", None)


def subject_build(
    *, feature: str, subject_id: int, options: dict[str, Any] | None, today: dt.date | None
) -> Subject:
    """Build the feature's context; raises NotFound / ValidationFailed for a bad subject."""
    spec = FEATURES[feature]
    chosen = {key: value for key, value in (options or {}).items() if value is not None}
    context = spec.build_context(subject_id=subject_id, today=today, **chosen)
    return Subject(spec, context, digest(context), digest(chosen)[:16] if chosen else "")


def answer_from(row: InsightResult, *, source: str, fingerprint: str) -> InsightAnswer:
    return InsightAnswer(
        feature=row.feature,
        source=source,
        generated_at=timezone.localtime(row.created_at),
        model=row.model,
        text=row.text,
        data=row.data,
        warnings=list(row.warnings),
        data_changed=row.data_fingerprint != fingerprint,
    )
