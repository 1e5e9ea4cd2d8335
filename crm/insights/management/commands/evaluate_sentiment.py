"""`manage.py evaluate_sentiment [FILE]`: how often the offline sentiment agrees with labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.insights.sentiment.evaluation import CORPUS, corpus_read, evaluate, report_lines


class Command(BaseCommand):
    help = (
        "Score a TSV of text<TAB>label (label pos/neu/neg or -2..2; -2..2 counts <=-1 as neg, "
        "0 as neu, >=1 as pos) with the offline sentiment analyst and print accuracy, "
        "per-class precision and recall and the confusion matrix, beside VADER alone. Without "
        "FILE: the held-out split of the project's corpus. Exits 1 under --min-accuracy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=None, help="TSV to score.")
        parser.add_argument(
            "--split", choices=("held-out", "train", "all"), default=None,
            help="Rows of this split only (default: held-out for the corpus, all for a FILE).",
        )  # fmt: skip
        parser.add_argument(
            "--min-accuracy", type=float, default=0.85,
            help="Fail (exit code 1) when accuracy is below this (default 0.85).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"] or CORPUS
        split = options["split"] or ("all" if options["file"] else "held-out")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            examples = corpus_read(path, split=None if split == "all" else split)
        except (ValueError, IndexError) as error:
            raise CommandError(f"{path}: not text<TAB>label rows ({error})") from error
        if not examples:
            raise CommandError(f"{path}: no rows (split {split})")
        self.stdout.write(f"Sentiment of {len(examples)} messages in {path.name} ({split})")
        report = evaluate(examples)
        self.stdout.write("\n".join(report_lines(examples, report)))
        accuracy = report.accuracy
        if accuracy < options["min_accuracy"]:
            raise CommandError(f"accuracy {accuracy:.3f} is under {options['min_accuracy']:.2f}")
