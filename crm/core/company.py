"""The company's own settings, read through one function: `company()`.

Every place that needs the company's name, country, hours, arrival windows, currency or review
link asks `company()` and never `django.conf.settings` directly, so an Owner's Settings page can
change them without a restart. Until something is stored, the environment variables in
config/settings.py are the values (and they stay the first defaults).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from config.env import WorkingHours


@dataclass(frozen=True, slots=True)
class ArrivalWindow:
    """A visit's promised arrival window, like 10:00-12:00."""

    start: dt.time
    end: dt.time

    @property
    def key(self) -> str:
        """`10:00-12:00`: how a form field and the database name the window."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def label(self) -> str:
        """`10-12`, `12-2`, `8:30-10:30`: how the office says it (a 12-hour clock)."""
        return f"{_hour(self.start)}-{_hour(self.end)}"


def _hour(moment: dt.time) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}"


def parse_arrival_windows(raw: str) -> tuple[ArrivalWindow, ...]:
    """`08:00-10:00,10:00-12:00` -> windows in order; ValueError names the bad part."""
    windows: list[ArrivalWindow] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        first, sep, last = part.partition("-")
        try:
            start, end = dt.time.fromisoformat(first.strip()), dt.time.fromisoformat(last.strip())
        except ValueError:
            raise ValueError(f"'{part}' is not a window like 10:00-12:00") from None
        if not sep or start >= end:
            raise ValueError(f"'{part}': the window must end after it starts")
        windows.append(ArrivalWindow(start, end))
    if not windows:
        raise ValueError("at least one arrival window is needed")
    return tuple(sorted(windows, key=lambda w: w.start))


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    address: str
    country: str
    subdivision: str
    working_hours: WorkingHours
    quiet_hours_start: str
    quiet_hours_end: str
    arrival_windows: tuple[ArrivalWindow, ...]
    currency_symbol: str
    review_link: str
    greeting_lead_days: int


def company() -> Company:
    """The company's settings as they are now."""
    return Company(
        name=settings.COMPANY_NAME,
        address=settings.COMPANY_ADDRESS,
        country=settings.COMPANY_COUNTRY,
        subdivision=settings.COMPANY_SUBDIVISION,
        working_hours=settings.COMPANY_WORKING_HOURS,
        quiet_hours_start=settings.QUIET_HOURS_START,
        quiet_hours_end=settings.QUIET_HOURS_END,
        arrival_windows=parse_arrival_windows(settings.COMPANY_ARRIVAL_WINDOWS),
        currency_symbol=settings.CURRENCY_SYMBOL,
        review_link=settings.COMPANY_REVIEW_LINK,
        greeting_lead_days=settings.GREETING_LEAD_DAYS,
    )
