"""The offline sentiment analyst: VADER's words for English, our Spanish lexicon for Spanish,
and the phrases of appliance-service customers (rules.py) on top of both.

Every word or phrase that moved the score is kept with its weight, so a person can see why a
message scored as it did ("still not cooling": -2.5, "thanks": 0.4).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from crm.insights.sentiment import lexicon_es, rules_en, rules_es
from crm.insights.sentiment.language import Language, fold, language_of
from crm.insights.sentiment.rules import Rule

# compound at or beyond NEUTRAL_BAND is an opinion, beyond STRONG a strong one; both chosen on
# the corpus' train split (see crm/insights/data/README.md).
NEUTRAL_BAND = 0.25
STRONG = 0.5
COURTESY_EN = frozenset(("thanks", "thank", "please", "ok", "okay", "yes", "sure", "fine",
                         "like", "help", "yeah", "great", "good", "well", "kind"))  # fmt: skip
# Words that soften what came before them (VADER's "but" rule), in both languages.
CONTRAST = re.compile(r"\b(?:but|however|although|though|pero|aunque|sin embargo|lo malo)\b")
REQUEST = re.compile(
    r"\?|^(?:hi|hello|hola|buenas)?[\s,]*(?:can|could|would|will|do|does|is|are|please|what|when"
    r"|how|who|should|may|podemos|pueden|puede|me pueden|por favor|necesito|quisiera)\b"
)
TOKEN_ES = re.compile(r"[a-z0-9']+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Verdict:
    """A message's score on the plan's -2..2 scale, and the words that moved it."""

    score: int
    compound: float
    language: Language
    reasons: tuple[tuple[str, float], ...]


@dataclass
class _Item:
    text: str
    start: int
    weight: float
    phrase: bool = False
    family: str = ""


@functools.cache
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()  # reads its lexicon once per process (~25 ms)


def score_of(compound: float, neutral_band: float = NEUTRAL_BAND) -> int:
    """compound (-1..1) to -2..2: a neutral band around 0, ±STRONG for the strong ends."""
    if abs(compound) < neutral_band:
        return 0
    return int(math.copysign(2 if abs(compound) >= STRONG else 1, compound))


def _english_words(text: str) -> list[_Item]:
    """VADER's own valence of each word (negation, boosters, capitals), without its "but"
    rule: the contrast is applied below to words and phrases alike."""
    analyzer, sentitext = vader(), SentiText(text)
    words = sentitext.words_and_emoticons
    sentiments: list[float] = []
    for i, word in enumerate(words):
        if word.lower() in BOOSTER_DICT or (
            word.lower() == "kind" and words[i + 1 : i + 2] == ["of"]
        ):
            sentiments.append(0)
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, word, i, sentiments)
    items, position, lowered = [], 0, fold(text)
    for word, weight in zip(words, sentiments, strict=True):
        start = lowered.find(fold(word), position)
        position = start + len(word) if start >= 0 else position
        items.append(_Item(word, max(start, 0), float(weight)))
    return items


def _spanish_words(folded: str) -> list[_Item]:
    """Our lexicon's weight of each word; a negator within three words before turns it around
    (VADER's -0.74), a booster just before adds or takes a step."""
    tokens = [(m.group(), m.start()) for m in TOKEN_ES.finditer(folded)]
    items = []
    for i, (token, start) in enumerate(tokens):
        weight = lexicon_es.WORDS.get(token, 0.0)
        if weight:
            before = [t for t, _ in tokens[max(i - 3, 0) : i]]
            if before and before[-1] in lexicon_es.BOOSTERS:
                weight += math.copysign(lexicon_es.BOOSTERS[before[-1]], weight)
            if any(t in lexicon_es.NEGATORS for t in before):
                weight *= -0.74
        items.append(_Item(token, start, weight))
    return items


def _phrases(folded: str, rules: list[Rule]) -> list[_Item]:
    """Each rule's matches in order; a match overlapping an earlier one is skipped."""
    taken: list[tuple[int, int]] = []
    items = []
    for rule in rules:
        for match in rule.pattern.finditer(folded):
            start, end = match.span()
            if end > start and all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                items.append(_Item(match.group(), start, rule.weight, True, rule.family))
    return items


def _weigh(items: list[_Item], folded: str, language: Language) -> list[_Item]:
    phrases = [i for i in items if i.phrase]
    spans = [(p.start, p.start + len(p.text)) for p in phrases]
    words = [i for i in items if not i.phrase and not any(s <= i.start < e for s, e in spans)]
    courtesy = COURTESY_EN if language == "en" else lexicon_es.COURTESY
    praised = any(p.weight > 0 and p.family != "thanks" for p in phrases)
    complaint = any(p.weight <= -2 for p in phrases)
    request = REQUEST.search(folded.strip()) is not None
    thanks = [p for p in phrases if p.family == "thanks"]
    for word in words + thanks:
        if word.weight > 0 and complaint and not praised:
            word.weight *= 0.2  # praise words beside a complaint are polite or sarcastic
        elif word.weight > 0 and fold(word.text) in courtesy and not praised:
            word.weight *= 0.3  # "thanks", "please" in a request or a confirmation
    if request:  # a question about a fault asks for a visit; only a complaint blames us
        for item in words + phrases:
            item.weight *= 0.3 if item.weight > -2 else 1
    turns = [m.start() for m in CONTRAST.finditer(folded)]
    weighed = words + phrases
    if turns:
        for item in weighed:
            item.weight *= 0.5 if item.start < turns[-1] else 1.5
    return [i for i in weighed if abs(i.weight) >= 0.05]


def sentiment_of(text: str, *, default_language: str = "en") -> Verdict | None:
    """A message's sentiment, or None when it is in a language we do not score."""
    language = language_of(text, default=default_language)
    if language is None:
        return None
    folded = fold(text)
    if language == "en":
        items = _english_words(text) + _phrases(folded, rules_en.RULES)
    else:
        items = _spanish_words(folded) + _phrases(folded, rules_es.RULES)
    weighed = _weigh(items, folded, language)
    sentiments = [item.weight for item in sorted(weighed, key=lambda i: i.start)]
    compound = vader().score_valence(sentiments, text)["compound"] if sentiments else 0.0
    reasons = sorted(((i.text, round(i.weight, 2)) for i in weighed), key=lambda r: -abs(r[1]))
    return Verdict(score_of(compound), compound, language, tuple(reasons))
