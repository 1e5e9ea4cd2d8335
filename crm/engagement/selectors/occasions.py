"""Occasions for greetings: the company's public holidays and a customer's service anniversary."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings

from crm.core.dates import company_holidays
from crm.insights.registry import FEATURES

ANNIVERSARY = "Service anniversary"


@dataclass(frozen=True)
class Occasion:
    """A holiday or a service anniversary on a day; `years` only for anniversaries."""

    name: str
    day: dt.date
    years: int = 0

    @property
    def slug(self) -> str:
        return _slug(self.name)


@functools.cache
def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


def holidays_for_greetings(start: dt.date, end: dt.date) -> list[Occasion]:
    """GREETING_HOLIDAYS of COMPANY_COUNTRY / COMPANY_SUBDIVISION between start and end."""
    wanted = set(settings.GREETING_HOLIDAYS)
    return [Occasion(name, day) for day, name in company_holidays(start, end) if name in wanted]


def upcoming_occasions(*, customer_id: int) -> list[Occasion]:
    """The customer's next service anniversary and the public holidays of the coming weeks,
    by date (as the greeting feature sees them)."""
    context = FEATURES["generate-greeting"].build_context(subject_id=customer_id)
    anniversary = Occasion(ANNIVERSARY, context.next_anniversary, context.years_of_service)
    coming = [Occasion(h.name, h.date) for h in context.upcoming_holidays]
    return sorted([anniversary, *coming], key=lambda o: o.day)
