"""Time helpers: the company's today, ages in years, meteorological seasons (reference B5)."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

import holidays
from django.utils import timezone

from crm.core.company import company

logger = logging.getLogger(__name__)

SEASONS_NORTH = {
    month: season
    for months, season in (
        ((12, 1, 2), "Winter"),
        ((3, 4, 5), "Spring"),
        ((6, 7, 8), "Summer"),
        ((9, 10, 11), "Autumn"),
    )
    for month in months
}
NEXT_SEASON = {"Winter": "Spring", "Spring": "Summer", "Summer": "Autumn", "Autumn": "Winter"}
OPPOSITE = {"Winter": "Summer", "Summer": "Winter", "Spring": "Autumn", "Autumn": "Spring"}
# Countries wholly or mostly south of the equator (ISO 3166-1 alpha-2).
SOUTHERN_HEMISPHERE = {
    "AR",
    "AU",
    "BO",
    "BR",
    "BW",
    "CL",
    "LS",
    "MZ",
    "NA",
    "NZ",
    "PY",
    "PE",
    "SZ",
    "UY",
    "ZA",
    "ZM",
    "ZW",
}


def company_today() -> dt.date:
    """Today's date in the company time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


def years_between(start: dt.date, end: dt.date) -> Decimal:
    """Whole-and-fractional years from start to end, one decimal place."""
    return (Decimal((end - start).days) / Decimal("365.25")).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def season_of(day: dt.date, *, country: str | None = None) -> str:
    """Meteorological season of `day` in the company's hemisphere."""
    season = SEASONS_NORTH[day.month]
    country_code = (country or company().country).upper()
    return OPPOSITE[season] if country_code in SOUTHERN_HEMISPHERE else season


def upcoming_season(day: dt.date, *, country: str | None = None) -> str:
    return NEXT_SEASON[season_of(day, country=country)]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_anniversary(first: dt.date, day: dt.date) -> tuple[dt.date, int]:
    """The first anniversary of `first` on or after `day` (at least the first one), and which
    one it is in years; Feb 29 falls on Feb 28 in other years."""
    years = max(day.year - first.year, 1)
    when = add_months(first, 12 * years)
    if when < day:
        years += 1
        when = add_months(first, 12 * years)
    return when, years


def company_holidays(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """The public holidays of the company's country and region in [start, end], by date;
    none (and an error logged) for a country the holidays package does not know."""
    firm = company()
    try:
        calendar = holidays.country_holidays(
            firm.country, subdiv=firm.subdivision or None, years=sorted({start.year, end.year})
        )
    except NotImplementedError:
        logger.error("No holidays for country %s, region %r", firm.country, firm.subdivision)
        return []
    return [(day, name) for day, name in sorted(calendar.items()) if start <= day <= end]
