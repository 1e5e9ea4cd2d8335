"""Reads of stored AI answers and of what the AI panels show beside them; no LLM calls.
(What the office can do with an answer, and what it already did, is crm.engagement's.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from statistics import fmean
from typing import Any

from crm.core.dates import add_months, company_today
from crm.insights.answers import InsightAnswer, answer_from, subject_build
from crm.insights.features import sentiment
from crm.insights.features.profitability import trend_of
from crm.insights.models import InsightResult, InsightSource
from crm.insights.prompting import CustomerText
from crm.jobs.selectors import customer_net_profit_between

SENTIMENT = "analyze-sentiment"
MAINTENANCE = "predict-maintenance"
BUILT_IN = "built-in analysis"
TREND_STEP = 0.5  # newer messages half a point above (below) older ones: improving (declining)
MOOD_LOOKS = {
    "Very positive": ("very-positive", "▲▲"),
    "Somewhat positive": ("positive", "▲"),
    "Neutral": ("neutral", "●"),
    "Somewhat negative": ("negative", "▼"),
    "Very negative": ("very-negative", "▼▼"),
}
NOT_ANALYSED = ("not-analysed", "?")
EXCERPT_CHARS = 140


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


def insight_stored(
    *, feature: str, subject_id: int, options: dict[str, Any] | None = None
) -> InsightAnswer | None:
    """insight_latest for a page: "data changed" means that the customer's data changed, not
    only the date (most contexts count days, which would flag every answer a day later).

    A flagged answer is compared again with the facts as they stood on the day it was made.
    """
    answer = insight_latest(feature=feature, subject_id=subject_id, options=options)
    if answer is None or not answer.data_changed:
        return answer
    then = insight_latest(
        feature=feature, subject_id=subject_id, options=options, today=answer.generated_at.date()
    )
    return replace(answer, data_changed=then is None or then.data_changed)


def source_label(answer: InsightAnswer) -> str:
    """Where an answer came from, in the words the panels use."""
    if answer.source == "llm":
        return f"AI model {answer.model}"
    if answer.source == "cache":
        return f"Cached answer · AI model {answer.model}"
    return "Built-in analysis"


@dataclass(frozen=True)
class ProfitTrend:
    """Net profit of the last 12 months against the 12 before: improving, declining, steady."""

    last_12_months: Decimal
    prior_12_months: Decimal
    direction: str


def customer_profit_trend(*, customer_id: int, today: dt.date | None = None) -> ProfitTrend:
    """The trend the profitability analysis reports, for today's data (four queries)."""
    tomorrow = (today or company_today()) + dt.timedelta(days=1)
    year_ago, two_years_ago = add_months(tomorrow, -12), add_months(tomorrow, -24)
    last = customer_net_profit_between(customer_id=customer_id, start=year_ago, end=tomorrow)
    prior = customer_net_profit_between(customer_id=customer_id, start=two_years_ago, end=year_ago)
    return ProfitTrend(last, prior, trend_of(last=last, prior=prior))


@dataclass(frozen=True)
class Mood:
    """The sentiment of one message (or the average of several) and why: score -2..2."""

    score: Decimal | None
    label: str
    tone: str
    icon: str
    explanation: str


def mood_of(
    score: float | None,
    *,
    source: str,
    themes: Sequence[str] = (),
    issues: Sequence[str] = (),
    moved_by: str = "",
) -> Mood:
    """A score on the plan's scale (-2 very negative .. 2 very positive) with its look."""
    value = None if score is None else Decimal(str(score)).quantize(Decimal("0.01"))
    label = sentiment.describe(value)
    tone, icon = MOOD_LOOKS.get(label, NOT_ANALYSED)
    if value is None:
        why = f"Not analysed by {source} (not in a language it reads)."
    else:
        why = f"{label}: {value.normalize():+} on the scale -2 (very negative) to +2 (very "
        why += f"positive), by {source}."
    details = [f"Themes: {', '.join(themes)}." if themes else ""]
    details.append(f"Issues: {', '.join(issues)}." if issues else "")
    details.append(moved_by)
    return Mood(value, label, tone, icon, " ".join([why, *filter(None, details)]))


def message_mood(*, content: str, language: str, day: dt.date) -> Mood:
    """The built-in score of one message, exactly as the offline analysis scores it, with the
    words that moved it; runs no query, so the timeline can show it on every customer message."""
    context = sentiment.SentimentContext(
        customer_id=0, name="", language=language, today=day,
        communications=[sentiment.Communication(1, day, "", CustomerText(content))],
    )  # fmt: skip
    item = sentiment.offline(context).communications[0]
    return mood_of(
        item.sentiment_score, source=BUILT_IN, themes=item.themes, issues=item.issues,
        moved_by=sentiment.explain(content, language=language),
    )  # fmt: skip


@dataclass(frozen=True)
class ScoredMessage:
    """A message the analysis scored: when, what kind, the start of it, and its mood."""

    date: dt.date
    kind: str
    excerpt: str
    mood: Mood


@dataclass(frozen=True)
class SentimentDetails:
    """The overall mood, the scored messages (newest first) and the direction they take."""

    overall: Mood
    messages: list[ScoredMessage]
    trend: str  # improving / declining / steady, or "" with fewer than two scores


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def _trend(scored: list[ScoredMessage]) -> str:
    """Newer half of the scores against the older half."""
    scores = [float(m.mood.score) for m in reversed(scored) if m.mood.score is not None]
    if len(scores) < 2:
        return ""
    half = len(scores) // 2
    change = fmean(scores[-half:]) - fmean(scores[:half])
    if abs(change) < TREND_STEP:
        return "steady"
    return "improving" if change > 0 else "declining"


def _scored(
    message: sentiment.Communication, item: dict[str, Any], source: str, language: str
) -> ScoredMessage:
    """The answer's score of a message; the built-in one also says which words moved it."""
    moved_by = sentiment.explain(message.content, language=language) if source == BUILT_IN else ""
    mood = mood_of(
        item.get("sentimentScore"),
        source=source,
        themes=item.get("themes", []),
        issues=item.get("issues", []),
        moved_by=moved_by,
    )
    return ScoredMessage(message.date, message.type, _excerpt(message.content), mood)


def sentiment_details(*, customer_id: int, answer: InsightAnswer) -> SentimentDetails:
    """The answer's scores beside the messages they score (three queries). When the messages
    changed since the answer, its numbers no longer point at the same messages: none shown."""
    source = BUILT_IN if answer.source == "offline" else f"AI model {answer.model}"
    data = answer.data
    overall = mood_of(data.get("averageSentiment"), source=source)
    if answer.data_changed:
        return SentimentDetails(overall, [], "")
    context = sentiment.build_context(subject_id=customer_id)
    by_number = {c.number: c for c in context.communications}
    scored = [
        _scored(message, item, source, context.language)
        for item in data.get("communications", [])
        if (message := by_number.get(item.get("number"))) is not None
    ]
    scored.sort(key=lambda m: m.date, reverse=True)
    return SentimentDetails(overall, scored, _trend(scored))


@dataclass(frozen=True)
class TechnicianChoice:
    """A recommended technician: the answer's reason and the score's parts (name, points)."""

    technician_id: int
    name: str
    reason: str
    score: str
    components: list[tuple[str, str]]


@dataclass(frozen=True)
class TechnicianRecommendation:
    primary: TechnicianChoice | None
    alternatives: list[TechnicianChoice]
    notes: list[str]


def technician_recommendation(answer: InsightAnswer) -> TechnicianRecommendation:
    """The match-technician answer with each pick's score components (from its facts)."""
    candidates = {c["technicianId"]: c for c in answer.data.get("facts", {}).get("candidates", [])}

    def choice(pick: dict[str, Any]) -> TechnicianChoice:
        scored = candidates.get(pick["technicianId"], {})
        parts = [(name, points) for name, points in scored.get("components", {}).items()]
        return TechnicianChoice(
            pick["technicianId"], pick["name"], pick["reason"], scored.get("score", ""), parts
        )

    primary = answer.data.get("primary")
    return TechnicianRecommendation(
        primary=choice(primary) if primary else None,
        alternatives=[choice(pick) for pick in answer.data.get("alternatives", [])],
        notes=list(answer.data.get("specialNotes", [])),
    )
