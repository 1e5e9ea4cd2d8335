"""The labelled corpus and the numbers that judge an analyst on it: accuracy, per-class
precision and recall, a confusion matrix; English and Spanish apart; VADER alone beside."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from crm.insights.sentiment.analyst import score_of, sentiment_of, vader
from crm.insights.sentiment.language import language_of

CORPUS = Path(__file__).resolve().parent.parent / "data" / "sentiment_corpus.tsv"
CLASSES = ("neg", "neu", "pos")
NAMES = {"negative": "neg", "neutral": "neu", "positive": "pos"}


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # neg / neu / pos
    language: str  # "en", "es" or "" when the file does not say
    split: str  # "train", "held-out" or "" when the file does not say


@dataclass(frozen=True)
class Report:
    """How often predictions agree with labels, overall and per class."""

    total: int
    correct: int
    confusion: dict[tuple[str, str], int]  # (label, predicted) -> count

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def precision(self, cls: str) -> float:
        predicted = sum(n for (_, p), n in self.confusion.items() if p == cls)
        return self.confusion.get((cls, cls), 0) / predicted if predicted else 0.0

    def recall(self, cls: str) -> float:
        actual = sum(n for (label, _), n in self.confusion.items() if label == cls)
        return self.confusion.get((cls, cls), 0) / actual if actual else 0.0


def class_of(label: str) -> str:
    """pos/neu/neg (or positive...) as they are; -2..2 as <=-1 neg, 0 neu, >=1 pos."""
    label = label.strip().lower()
    if label in CLASSES:
        return label
    if label in NAMES:
        return NAMES[label]
    number = int(label)
    return "neg" if number <= -1 else "neu" if number == 0 else "pos"


def corpus_read(path: Path = CORPUS, *, split: str | None = None) -> list[Example]:
    """Rows of text<TAB>label[<TAB>language<TAB>split]; a first row naming "text" is a header."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]
    if rows and rows[0][0].strip().lower() == "text":
        rows = rows[1:]
    examples = [Example(row[0], class_of(row[1]), *[*row[2:4], "", ""][:2]) for row in rows]
    return [e for e in examples if split is None or e.split == split]


def ours(example: Example) -> str:
    verdict = sentiment_of(example.text, default_language=example.language or "en")
    return class_of(str(verdict.score)) if verdict else "neu"


def vader_alone(example: Example) -> str:
    """The analyst before issue 15: VADER's compound, ±0.05 neutral band, every language."""
    return class_of(str(score_of(vader().polarity_scores(example.text)["compound"], 0.05)))


def evaluate(examples: Iterable[Example], predict: Callable[[Example], str] = ours) -> Report:
    confusion: dict[tuple[str, str], int] = {}
    total = correct = 0
    for example in examples:
        predicted = predict(example)
        confusion[(example.label, predicted)] = confusion.get((example.label, predicted), 0) + 1
        total += 1
        correct += predicted == example.label
    return Report(total, correct, confusion)


def language_split(examples: list[Example]) -> dict[str, list[Example]]:
    """English and Spanish apart (a file without a language column: as the analyst reads it)."""
    parts: dict[str, list[Example]] = {"en": [], "es": []}
    for example in examples:
        language = example.language or language_of(example.text, default="en") or ""
        parts.setdefault(language, []).append(example)
    return parts


def report_lines(examples: list[Example], report: Report) -> list[str]:
    """The report of ours on the examples beside VADER alone's, English and Spanish apart,
    per-class precision and recall, and the confusion matrix (rows: label, columns: predicted)."""
    baseline = evaluate(examples, vader_alone)
    lines = [f"Accuracy {report.accuracy:.3f} ({report.correct} of {report.total}); "
             f"VADER alone {baseline.accuracy:.3f}"]  # fmt: skip
    for language, part in language_split(examples).items():
        if part:
            name = {"en": "English", "es": "Spanish"}.get(language, language or "Other")
            mine, theirs = evaluate(part), evaluate(part, vader_alone)
            lines.append(
                f"{name}: {mine.accuracy:.3f} of {mine.total} (VADER alone {theirs.accuracy:.3f})"
            )
    lines += ["", "class  precision  recall  messages"]
    for cls in CLASSES:
        count = sum(n for (label, _), n in report.confusion.items() if label == cls)
        lines.append(
            f"{cls:<5}  {report.precision(cls):>9.3f}  {report.recall(cls):>6.3f}  {count:>8}"
        )
    lines += ["", "confusion (rows: label, columns: predicted)", "       " + "".join(
        f"{cls:>6}" for cls in CLASSES
    )]  # fmt: skip
    for label in CLASSES:
        counts = "".join(f"{report.confusion.get((label, p), 0):>6}" for p in CLASSES)
        lines.append(f"{label:<7}{counts}")
    return lines
