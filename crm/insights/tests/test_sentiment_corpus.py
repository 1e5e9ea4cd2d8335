"""The labelled corpus and the evaluation CI runs on its held-out split (issue 15: >= 0.85)."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from crm.insights.sentiment.evaluation import CORPUS, class_of, corpus_read, evaluate

MIN_ACCURACY = 0.85


def test_the_held_out_split_scores_at_least_the_goal() -> None:
    # given
    held_out = corpus_read(split="held-out")
    # when
    report = evaluate(held_out)
    spanish = evaluate(e for e in held_out if e.language == "es")
    # then: the goal counts English and Spanish together; Spanish is not left behind
    assert report.accuracy >= MIN_ACCURACY, report.confusion
    assert spanish.accuracy >= MIN_ACCURACY, spanish.confusion


def test_the_corpus_has_its_size_its_spanish_share_and_a_stratified_held_out_split() -> None:
    # given
    rows = [line.split("\t") for line in CORPUS.read_text(encoding="utf-8").splitlines()[1:]]
    examples = corpus_read()
    # when
    groups = Counter((e.language, e.label) for e in examples)
    held = Counter((e.language, e.label) for e in examples if e.split == "held-out")
    # then
    assert len(examples) >= 400
    assert {row[1] for row in rows} <= {"-2", "-1", "0", "1", "2"}
    assert {e.language for e in examples} == {"en", "es"}
    assert {e.split for e in examples} == {"train", "held-out"}
    assert sum(e.language == "es" for e in examples) / len(examples) >= 0.25
    assert len({e.text for e in examples}) == len(examples)
    assert all(held[group] / count >= 0.30 for group, count in groups.items())


def test_the_command_prints_accuracy_classes_and_the_confusion_matrix() -> None:
    # given
    out = StringIO()
    # when
    call_command("evaluate_sentiment", stdout=out)
    # then
    text = out.getvalue()
    assert text.startswith("Sentiment of 168 messages in sentiment_corpus.tsv (held-out)\n")
    assert "VADER alone" in text
    assert "English: " in text
    assert "Spanish: " in text
    assert "class  precision  recall  messages" in text
    assert "confusion (rows: label, columns: predicted)" in text


@pytest.mark.parametrize("label", ["pos", "positive", "2", "1"])
def test_a_file_of_text_and_label_is_scored_and_fails_under_the_minimum(
    tmp_path: Path, label: str
) -> None:
    # given: one message the analyst gets right, one it cannot (labelled against its sense)
    path = tmp_path / "mine.tsv"
    path.write_text(f"Works like new now, thank you!\t{label}\nNobody showed up.\tpos\n")
    out = StringIO()
    # when
    with pytest.raises(CommandError, match=r"accuracy 0\.500 is under 0\.85") as failed:
        call_command("evaluate_sentiment", str(path), stdout=out)
    # then
    assert failed.value.returncode == 1
    assert "Accuracy 0.500 (1 of 2)" in out.getvalue()
    call_command("evaluate_sentiment", str(path), "--min-accuracy", "0.5", stdout=StringIO())


def test_labels_are_read_as_classes() -> None:
    assert [class_of(x) for x in ("-2", "-1", "0", "1", "2", "neu", "Negative")] == [
        "neg", "neg", "neu", "pos", "pos", "neu", "neg",
    ]  # fmt: skip
