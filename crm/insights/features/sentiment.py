"""Plan template 5: Sentiment Analysis of the customer's recent communications."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.utils import timezone

from crm.core.dates import company_today
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, bullet_lines
from crm.insights.prompting import CustomerText
from crm.insights.sentiment.analyst import sentiment_of
from crm.insights.sentiment.language import fold
from crm.reviews.selectors import review_list

SHOWN = 10
REASONS = 4  # words that moved a score, shown beside it
HALF_LIFE_DAYS = 90  # a message 90 days old weighs half as much as today's (our default)
Score = Literal[-2, -1, 0, 1, 2]
# Keywords in English and Spanish, folded (lower case, no accents) as the text is matched.
THEMES = {
    "Scheduling": (
        "appointment", "reschedule", "schedule", "late", "wait", "waiting", "delay", "arrive",
        "cita", "reagendar", "tarde", "espera", "esperando",
    ),
    "Pricing": (
        "price", "cost", "expensive", "invoice", "bill", "charge", "charged", "overcharged",
        "refund", "quote", "precio", "costo", "caro", "factura", "cobraron", "cobro",
        "reembolso", "cotizacion",
    ),
    "Repair quality": (
        "broken", "again", "still", "fixed", "repair", "working", "leak", "leaking", "noise",
        "noisy", "otra vez", "sigue", "gotea", "fuga", "ruido", "arreglo", "funciona",
    ),
    "Staff": (
        "technician", "friendly", "rude", "professional", "polite", "helpful", "tecnico",
        "amable", "grosero", "puntual",
    ),
    "Gratitude": (
        "thank", "thanks", "grateful", "appreciate", "great", "excellent", "gracias",
        "excelente",
    ),
}  # fmt: skip
ISSUES = {
    "late": "Late arrival", "wait": "Waiting time", "waiting": "Waiting time", "delay": "Delays",
    "broken": "Appliance still broken", "again": "Repeat problem", "still": "Problem not solved",
    "leak": "Leak", "leaking": "Leak", "noise": "Noise", "noisy": "Noise",
    "expensive": "Price concerns", "overcharged": "Billing dispute", "refund": "Refund request",
    "rude": "Staff behaviour", "cancel": "Cancellation",
    "tarde": "Late arrival", "esperando": "Waiting time", "otra vez": "Repeat problem",
    "sigue": "Problem not solved", "gotea": "Leak", "fuga": "Leak", "ruido": "Noise",
    "caro": "Price concerns", "de mas": "Billing dispute", "dos veces": "Billing dispute",
    "reembolso": "Refund request", "grosero": "Staff behaviour", "cancelar": "Cancellation",
}  # fmt: skip
APPLIANCE_WORDS = {
    "dishwasher": "dishwasher", "dryer": "dryer", "oven": "oven", "stove": "stove",
    "freezer": "freezer", "microwave": "microwave", "washer": "washer", "fridge": "fridge",
    "air conditioner": "air conditioner", "water heater": "water heater",
    "lavavajillas": "dishwasher", "secadora": "dryer", "horno": "oven", "estufa": "stove",
    "congelador": "freezer", "microondas": "microwave", "lavadora": "washer",
    "refri": "fridge", "refrigerador": "fridge", "aire acondicionado": "air conditioner",
    "calentador": "water heater",
}  # fmt: skip
DESCRIPTIONS = (
    (Decimal("-1.5"), "Very negative"),
    (Decimal("-0.5"), "Somewhat negative"),
    (Decimal("0.5"), "Neutral"),
    (Decimal("1.5"), "Somewhat positive"),
)


@dataclass(frozen=True)
class Communication:
    number: int
    date: dt.date
    type: str
    content: CustomerText


@dataclass(frozen=True)
class SentimentContext:
    """The customer's last ten messages, notes and review comments, numbered."""

    customer_id: int
    name: str
    language: str
    today: dt.date
    communications: list[Communication]


class CommunicationSentiment(OutputModel):
    number: int
    sentiment_score: Score | None
    themes: list[str]
    issues: list[str]
    opportunities: list[str]


class SentimentAnalysis(OutputModel):
    """COMMUNICATION ANALYSIS per message, OVERALL SENTIMENT, themes, issues, opportunities."""

    communications: list[CommunicationSentiment]
    average_sentiment: float | None
    sentiment_description: str
    dominant_themes: list[str]
    key_issues: list[str]
    opportunities: list[str]


def build_context(*, subject_id: int, today: dt.date | None = None) -> SentimentContext:
    """Inbound messages, notes and review comments merged, newest ten."""
    customer = customer_get(customer_id=subject_id)
    items = [
        (a.occurred_at, a.kind, a.content)
        for a in history.recent_communications(customer_id=customer.pk, limit=SHOWN)
    ] + [
        (r.created_at, "Review", f"{r.rating}/5: {r.comment}")
        for r in review_list(customer_id=customer.pk).exclude(comment="")[:SHOWN]
    ]
    items.sort(key=lambda item: item[0], reverse=True)
    return SentimentContext(
        customer_id=customer.pk,
        name=customer.name,
        language=customer.language_preference,
        today=today or company_today(),
        communications=[
            Communication(number, timezone.localdate(moment), kind, CustomerText(content))
            for number, (moment, kind, content) in enumerate(items[:SHOWN], start=1)
        ],
    )


def _mentions(text: str, words: Iterable[str]) -> list[str]:
    folded = fold(text)
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", folded)]


def _analyse(message: Communication, *, language: str) -> CommunicationSentiment:
    verdict = sentiment_of(message.content, default_language=language)
    if verdict is None:
        return CommunicationSentiment(
            number=message.number, sentiment_score=None, themes=[], issues=[], opportunities=[]
        )
    score = verdict.score
    themes = [theme for theme, words in THEMES.items() if _mentions(message.content, words)]
    issues = list(dict.fromkeys(ISSUES[w] for w in _mentions(message.content, ISSUES)))
    if score <= -1 and not issues:
        issues = ["Unhappy message: call back"]
    if score >= 1:
        opportunities = ["Ask for a review or a referral"]
    else:  # a problem with an appliance: offer to come and look
        mentioned = dict.fromkeys(
            APPLIANCE_WORDS[w] for w in _mentions(message.content, APPLIANCE_WORDS)
        )
        opportunities = [f"Mentions the {name}: offer a visit" for name in mentioned]
    return CommunicationSentiment(
        number=message.number,
        sentiment_score=score,  # type: ignore[arg-type]
        themes=themes,
        issues=issues if score <= 0 else [],
        opportunities=opportunities,
    )


def explain(content: str, *, language: str) -> str:
    """The words and phrases that moved the offline score, strongest first, in plain words."""
    verdict = sentiment_of(content, default_language=language)
    if verdict is None or not verdict.reasons:
        return ""
    moved = ", ".join(f'"{words}" ({weight:+g})' for words, weight in verdict.reasons[:REASONS])
    return f"Moved by {moved}."


def weighted_average(scored: Sequence[tuple[dt.date, int]], today: dt.date) -> Decimal | None:
    """Scores averaged with weight 0.5 ** (age in days / 90), two places."""
    if not scored:
        return None
    weights = [Decimal(0.5 ** (max((today - day).days, 0) / HALF_LIFE_DAYS)) for day, _ in scored]
    total = sum((w * score for w, (_, score) in zip(weights, scored, strict=True)), Decimal(0))
    return (total / sum(weights, Decimal(0))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def describe(average: Decimal | None) -> str:
    if average is None:
        return "Not analysed"
    return next((label for limit, label in DESCRIPTIONS if average <= limit), "Very positive")


def _top(items: list[str], n: int) -> list[str]:
    return [item for item, _ in Counter(items).most_common(n)]


def offline(c: SentimentContext) -> SentimentAnalysis:
    """Each English or Spanish message scored -2..2 by the offline analyst (other languages are
    not analysed), keyword themes and issues, and an average weighted towards recent messages."""
    analysed = [_analyse(m, language=c.language) for m in c.communications]
    dates = {m.number: m.date for m in c.communications}
    scored = [
        (dates[a.number], a.sentiment_score) for a in analysed if a.sentiment_score is not None
    ]
    average = weighted_average(scored, c.today)
    return SentimentAnalysis(
        communications=analysed,
        average_sentiment=float(average) if average is not None else None,
        sentiment_description=describe(average),
        dominant_themes=_top([t for a in analysed for t in a.themes], 3),
        key_issues=_top([i for a in analysed for i in a.issues], 2),
        opportunities=_top([o for a in analysed for o in a.opportunities], 2),
    )


def _listed(items: list[str]) -> str:
    return ", ".join(items) if items else "None"


def text(answer: SentimentAnalysis, c: SentimentContext) -> str:
    messages = {m.number: m for m in c.communications}
    lines = ["COMMUNICATION ANALYSIS:"]
    for item in answer.communications:
        message = messages.get(item.number)
        when = f"{message.date} | " if message else ""
        score = "not analysed" if item.sentiment_score is None else str(item.sentiment_score)
        lines += [
            f"- {when}SENTIMENT: {score} | THEMES: {_listed(item.themes)}",
            f"  ISSUES: {_listed(item.issues)}",
            f"  OPPORTUNITIES: {_listed(item.opportunities)}",
        ]
    if not answer.communications:
        lines.append("- No communications to analyse.")
    average = (
        "not analysed" if answer.average_sentiment is None else f"{answer.average_sentiment:.2f}"
    )
    return "\n".join(lines) + (
        f"\n\nOVERALL SENTIMENT: {average} ({answer.sentiment_description})\n\n"
        f"DOMINANT THEMES:\n{bullet_lines(answer.dominant_themes)}\n\n"
        f"KEY ISSUES TO ADDRESS:\n{bullet_lines(answer.key_issues)}\n\n"
        f"OPPORTUNITIES:\n{bullet_lines(answer.opportunities)}"
    )


def check(answer: SentimentAnalysis, c: SentimentContext) -> list[str]:
    """One entry per message; scores -2..2 (the schema); the average fits the scores."""
    problems = []
    numbers = sorted(item.number for item in answer.communications)
    if numbers != list(range(1, len(c.communications) + 1)):
        problems.append(f"communications {numbers} do not match 1..{len(c.communications)}")
    scores = [i.sentiment_score for i in answer.communications if i.sentiment_score is not None]
    average = answer.average_sentiment
    # Any average, weighted or not, lies between the lowest and the highest score.
    if scores and (average is None or not min(scores) <= average <= max(scores)):
        problems.append(f"average sentiment {average} does not fit the scores {scores}")
    if not scores and average is not None:
        problems.append("an average sentiment without any scored message")
    return problems + text_problems(text(answer, c), c, words=600)


def facts(c: SentimentContext) -> dict[str, Any]:
    return {"communications": len(c.communications), "language": c.language}


def nothing_to_analyse(c: SentimentContext) -> str | None:
    return None if c.communications else "No customer messages to analyse yet."


FEATURE = Feature(
    name="analyze-sentiment",
    template="analyze_sentiment.v1.j2",
    output_model=SentimentAnalysis,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    llm_skip=nothing_to_analyse,
    max_output_tokens=1400,
)
