"""Template helpers of the AI panels: where an answer came from, message moods, the sparkline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone

from crm.activities.models import Activity, Direction
from crm.customers.models import Customer
from crm.insights.answers import InsightAnswer
from crm.insights.selectors import ScoredMessage, message_mood, source_label

register = template.Library()

SPARK_WIDTH = 120
SPARK_HEIGHT = 32
SPARK_PAD = 4


@register.filter
def ai_source(answer: InsightAnswer) -> str:
    """`AI model gpt-4o-mini`, `Cached answer · AI model gpt-4o-mini` or `Built-in analysis`."""
    return source_label(answer)


@register.inclusion_tag("insights/panels.html#mood")
def timeline_mood(event: Activity, customer: Customer) -> dict[str, Any]:
    """The mood marker of a message the customer sent (nothing for other events)."""
    if event.direction != Direction.INBOUND:
        return {"mood": None}
    mood = message_mood(
        content=event.content,
        language=customer.language_preference,
        day=timezone.localdate(event.occurred_at),
    )
    return {"mood": mood}


@dataclass(frozen=True)
class SparkPoint:
    x: float
    y: float
    tone: str
    title: str


def _spark_x(index: int, count: int) -> float:
    usable = SPARK_WIDTH - 2 * SPARK_PAD
    return SPARK_PAD + (usable * index / (count - 1) if count > 1 else usable / 2)


def _spark_y(score: float) -> float:
    """+2 at the top, -2 at the bottom."""
    usable = SPARK_HEIGHT - 2 * SPARK_PAD
    return SPARK_PAD + usable * (2 - score) / 4


@register.inclusion_tag("insights/panels.html#sparkline")
def sparkline(messages: Sequence[ScoredMessage]) -> dict[str, Any]:
    """The scored messages' moods, oldest to newest, as a small line (evenly spaced)."""
    scored = [m for m in reversed(messages) if m.mood.score is not None]
    points = [
        SparkPoint(
            x=round(_spark_x(index, len(scored)), 1),
            y=round(_spark_y(float(m.mood.score or 0)), 1),
            tone=m.mood.tone,
            title=f"{m.date:%b %-d, %Y}: {m.mood.label}",
        )
        for index, m in enumerate(scored)
    ]
    return {
        "points": points,
        "line": " ".join(f"{p.x},{p.y}" for p in points),
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "zero_y": _spark_y(0),
        "summary": ", ".join(m.mood.label.lower() for m in scored),
    }
