"""`manage.py seed_demo [--customers N] [--seed S] [--today YYYY-MM-DD] [--append]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.core.errors import ApplicationError
from crm.demo.seed import DEFAULT_CUSTOMERS, DEFAULT_SEED, demo_seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with a realistic demo (Maria Gonzalez first). Deterministic: the "
        "same --seed, --customers and day give the same rows. Refuses when customers exist "
        "unless --append."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date all demo dates are relative to (default: today in the company time zone).",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add demo customers even though the database already has customers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_seed(
                customers=options["customers"],
                seed=options["seed"],
                today=options["today"],
                append=options["append"],
                stdout=self.stdout,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
