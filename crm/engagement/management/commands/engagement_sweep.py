"""`manage.py engagement_sweep [--today YYYY-MM-DD]`: the nightly sweeps, now (idempotent)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from crm.engagement.services.sweeps import engagement_sweep


class Command(BaseCommand):
    help = (
        "Run the nightly engagement sweeps now: reminders, unanswered surveys, greeting drafts. "
        "Safe to run any number of times. Prints what it did as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None,
            help="Day to sweep for (default: today in the company time zone).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        report = engagement_sweep(today=options["today"])
        self.stdout.write(json.dumps(dataclasses.asdict(report)))
