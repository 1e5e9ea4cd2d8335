"""`manage.py customer_summaries_rebuild`: recompute the customer list's summary columns."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from crm.engagement.services.summaries import customer_summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every customer's revenue, expenses, net profit, last contact and next service "
        "day (the customer list's filters and sorts). Run after a bulk load, an upgrade or a "
        "change to the appliance lifespan table. Safe to run any number of times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = customer_summaries_rebuild()
        self.stdout.write(f"Rebuilt the summaries of {count} customers.")
