"""Offline sentiment benchmark (issue 15): messages per second, VADER alone against the analyst.

    .venv/bin/python bench/sentiment_bench.py [--rounds 20]

Scores every message of the labelled corpus (crm/insights/data/sentiment_corpus.tsv) `rounds`
times with each analyst, in turns so machine noise hits both alike, after one warm-up round
(lexicons loaded, regular expressions compiled). Prints messages per second (best round) and
microseconds per message, then the accuracy of both on the train and held-out splits.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm.insights.sentiment.analyst import score_of, sentiment_of, vader
from crm.insights.sentiment.evaluation import corpus_read, evaluate, ours, vader_alone


def _old(text: str, language: str) -> object:
    return score_of(vader().polarity_scores(text)["compound"], 0.05)


def _new(text: str, language: str) -> object:
    return sentiment_of(text, default_language=language)


def _round(score: Callable[[str, str], object], messages: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    for text, language in messages:
        score(text, language)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    examples = corpus_read()
    messages = [(e.text, e.language) for e in examples]
    analysts = {"VADER alone": _old, "analyst": _new}
    best = {
        name: min(_round(score, messages) for _ in range(1)) for name, score in analysts.items()
    }
    for _ in range(rounds):
        for name, score in analysts.items():
            best[name] = min(best[name], _round(score, messages))
    print(f"{len(messages)} messages, best of {rounds} rounds")
    for name, seconds in best.items():
        per = seconds / len(messages)
        print(f"{name:<12} {1 / per:>9,.0f} messages/s  {per * 1e6:>7.1f} µs/message")
    for split in ("train", "held-out"):
        part = [e for e in examples if e.split == split]
        print(
            f"{split:<9} accuracy: analyst {evaluate(part, ours).accuracy:.3f}, "
            f"VADER alone {evaluate(part, vader_alone).accuracy:.3f} ({len(part)} messages)"
        )


if __name__ == "__main__":
    main()
