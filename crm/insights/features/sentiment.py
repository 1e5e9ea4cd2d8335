"""Plan template 5: Sentiment Analysis of the customer's recent communications."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.utils import timezone
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from crm.core.dates import company_today
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, bullet_lines
from crm.insights.prompting import CustomerText
from crm.reviews.selectors import review_list

SHOWN = 10
HALF_LIFE_DAYS = 90  # a message 90 days old weighs half as much as today's (our default)
Score = Literal[-2, -1, 0, 1, 2]
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Common words: enough to tell English from Spanish, French, Portuguese or German.
EN_WORDS = frozenset((
    "the", "and", "is", "are", "was", "were", "you", "your", "it", "this", "that", "to", "of",
    "for", "with", "not", "have", "has", "my", "we", "our", "thanks", "thank", "please", "when",
    "can", "will", "would", "could",
))  # fmt: skip
OTHER_WORDS = frozenset((
    "el", "la", "los", "las", "es", "son", "que", "de", "del", "por", "para", "con", "una",
    "uno", "gracias", "hola", "muy", "pero", "le", "les", "du", "des", "est", "une", "avec",
    "pour", "merci", "bonjour", "très", "mais", "os", "uma", "não", "obrigado", "obrigada",
    "você", "der", "die", "das", "ist", "und", "nicht", "danke", "mit",
))  # fmt: skip
THEMES = {
    "Scheduling": (
        "appointment", "reschedule", "schedule", "late", "wait", "waiting", "delay", "arrive",
    ),
    "Pricing": (
        "price", "cost", "expensive", "invoice", "bill", "charge", "charged", "overcharged",
        "refund", "quote",
    ),
    "Repair quality": (
        "broken", "again", "still", "fixed", "repair", "working", "leak", "leaking", "noise",
        "noisy",
    ),
    "Staff": ("technician", "friendly", "rude", "professional", "polite", "helpful"),
    "Gratitude": ("thank", "thanks", "grateful", "appreciate", "great", "excellent"),
}  # fmt: skip
ISSUES = {
    "late": "Late arrival", "wait": "Waiting time", "waiting": "Waiting time", "delay": "Delays",
    "broken": "Appliance still broken", "again": "Repeat problem", "still": "Problem not solved",
    "leak": "Leak", "leaking": "Leak", "noise": "Noise", "noisy": "Noise",
    "expensive": "Price concerns", "overcharged": "Billing dispute", "refund": "Refund request",
    "rude": "Staff behaviour", "cancel": "Cancellation",
}  # fmt: skip
APPLIANCE_WORDS = (
    "dishwasher", "dryer", "oven", "stove", "freezer", "microwave", "washer", "fridge",
    "air conditioner", "water heater",
)  # fmt: skip
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


@functools.cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()  # reads its lexicon once per process (~25 ms)


def looks_english(text: str, *, default: bool) -> bool:
    """A cheap guess from common words; mostly non-Latin letters means not English."""
    words = [w.lower() for w in WORD.findall(text)]
    letters = "".join(words)
    if letters and sum(ch.isascii() for ch in letters) / len(letters) < 0.7:
        return False
    english = sum(w in EN_WORDS for w in words)
    other = sum(w in OTHER_WORDS for w in words)
    return default if english == other else english > other


def score_of(compound: float) -> int:
    """VADER compound to -2..2: ±0.05 neutral band, ±0.5 strong (reference B1)."""
    if compound <= -0.5:
        return -2
    if compound <= -0.05:
        return -1
    if compound < 0.05:
        return 0
    return 1 if compound < 0.5 else 2


def _mentions(text: str, words: tuple[str, ...] | list[str]) -> list[str]:
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]


def _analyse(message: Communication, *, english: bool) -> CommunicationSentiment:
    if not looks_english(message.content, default=english):
        return CommunicationSentiment(
            number=message.number, sentiment_score=None, themes=[], issues=[], opportunities=[]
        )
    score = score_of(_analyzer().polarity_scores(message.content)["compound"])
    themes = [theme for theme, words in THEMES.items() if _mentions(message.content, words)]
    issues = list(dict.fromkeys(ISSUES[w] for w in _mentions(message.content, list(ISSUES))))
    if score <= -1 and not issues:
        issues = ["Unhappy message: call back"]
    if score >= 1:
        opportunities = ["Ask for a review or a referral"]
    else:  # a problem with an appliance: offer to come and look
        mentioned = _mentions(message.content, APPLIANCE_WORDS)
        opportunities = [f"Mentions the {word}: offer a visit" for word in mentioned]
    return CommunicationSentiment(
        number=message.number,
        sentiment_score=score,  # type: ignore[arg-type]
        themes=themes,
        issues=issues if score <= 0 else [],
        opportunities=opportunities,
    )


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
    """VADER per message mapped to -2..2 (not-English messages are not analysed), keyword
    themes and issues, and an average weighted towards recent messages."""
    english = c.language.lower().startswith("en")
    analysed = [_analyse(m, english=english) for m in c.communications]
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
