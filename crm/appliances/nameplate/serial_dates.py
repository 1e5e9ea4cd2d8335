"""Date of manufacture from a serial number, by the published rules of the brands most common in
US homes. Sources for each rule: docs/nameplates.md.

A rule whose year code repeats (a digit every ten years, a letter every twelve or sixteen) gives
every candidate that is not in the future and not before EARLIEST_YEAR, newest first, and lets a
person choose; one candidate is a decided date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

EARLIEST_YEAR = 1980

# GE: the first letter is the month, the second the year, on a twelve-year cycle.
GE_LETTERS = "ADFGHLMRSTVZ"
GE_CYCLE_START = {letter: 2013 + offset for offset, letter in enumerate(GE_LETTERS)}
# Samsung: the eighth character is the year on a sixteen-letter cycle (B = 2011), the ninth the
# month (1-9, then A, B, C).
SAMSUNG_YEARS = "BCDFGHJKMNRTWXYZ"
SAMSUNG_MONTHS = "123456789ABC"

WHIRLPOOL_FAMILY = ("whirlpool", "maytag", "kitchenaid", "amana", "jennair", "roper", "estate")
BRAND_FAMILIES: dict[str, tuple[str, ...]] = {
    "ge": ("ge", "general electric", "hotpoint", "ge profile", "cafe", "monogram"),
    "whirlpool": WHIRLPOOL_FAMILY,
    "frigidaire": ("frigidaire", "electrolux"),
    "samsung": ("samsung",),
    "lg": ("lg",),
    "bosch": ("bosch", "thermador", "gaggenau", "siemens"),
    "rheem": ("rheem", "ruud"),
    "aosmith": ("a. o. smith", "a.o. smith", "ao smith", "state"),
    "carrier": ("carrier", "bryant", "payne"),
}


@dataclass(frozen=True)
class SerialDate:
    """The decided date (None when the rule leaves candidates) and the rule that gave it."""

    manufactured_on: dt.date | None
    candidates: tuple[dt.date, ...]
    rule: str


def _squeezed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def brand_family(brand: str) -> str | None:
    """The rule family of a brand name as written on a nameplate ("KitchenAid" -> whirlpool)."""
    name = _squeezed(brand)
    for family, names in BRAND_FAMILIES.items():
        if name in {_squeezed(known) for known in names}:
            return family
    return None


def _week_start(year: int, week: int) -> dt.date | None:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _month_start(year: int, month: int) -> dt.date | None:
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def _cycle_years(first: int, cycle: int, today: dt.date) -> list[int]:
    """Every year first + k*cycle between EARLIEST_YEAR and this year, newest first."""
    year = first
    while year - cycle >= EARLIEST_YEAR:
        year -= cycle
    years = []
    while year <= today.year:
        years.append(year)
        year += cycle
    return sorted(years, reverse=True)


def _two_digit_year(digits: str, today: dt.date) -> int:
    year = 2000 + int(digits)
    return year if year <= today.year else year - 100


def _decided(days: list[dt.date | None], rule: str, today: dt.date) -> SerialDate | None:
    found = tuple(
        day for day in days if day is not None and day.year >= EARLIEST_YEAR and day <= today
    )
    if not found:
        return None
    return SerialDate(found[0] if len(found) == 1 else None, found, rule)


def ge_rule(serial: str, today: dt.date) -> SerialDate | None:
    """GE: month letter, year letter (AZ... = January 2012, 2000 or 1988)."""
    match = re.match(rf"^([{GE_LETTERS}])([{GE_LETTERS}])\d", serial)
    if not match:
        return None
    month = GE_LETTERS.index(match[1]) + 1
    years = _cycle_years(GE_CYCLE_START[match[2]], 12, today)
    return _decided([_month_start(y, month) for y in years], "GE month+year letters", today)


def whirlpool_rule(serial: str, today: dt.date) -> SerialDate | None:
    """Whirlpool family: plant letter, year digit, two-digit week (C61512345 = week 15 of 2016
    or 2006)."""
    match = re.match(r"^[A-Z](\d)(\d{2})\d", serial)
    if not match:
        return None
    years = _cycle_years(2000 + int(match[1]), 10, today)
    days = [_week_start(y, int(match[2])) for y in years]
    return _decided(days, "Whirlpool 2nd character year, 3rd-4th week", today)


def frigidaire_rule(serial: str, today: dt.date) -> SerialDate | None:
    """Frigidaire/Electrolux: two letters, year digit, two-digit week (BA61234567)."""
    match = re.match(r"^[A-Z]{2}(\d)(\d{2})\d", serial)
    if not match:
        return None
    years = _cycle_years(2000 + int(match[1]), 10, today)
    days = [_week_start(y, int(match[2])) for y in years]
    return _decided(days, "Frigidaire 3rd digit year, 4th-5th week", today)


def samsung_rule(serial: str, today: dt.date) -> SerialDate | None:
    """Samsung: 15 characters, the 8th the year letter (B = 2011), the 9th the month."""
    if len(serial) != 15 or serial[7] not in SAMSUNG_YEARS or serial[8] not in SAMSUNG_MONTHS:
        return None
    years = _cycle_years(2011 + SAMSUNG_YEARS.index(serial[7]), 16, today)
    month = SAMSUNG_MONTHS.index(serial[8]) + 1
    return _decided([_month_start(y, month) for y in years], "Samsung 8th year, 9th month", today)


def lg_rule(serial: str, today: dt.date) -> SerialDate | None:
    """LG: year digit then two-digit month (905KW... = May 2019 or 2009)."""
    match = re.match(r"^(\d)(\d{2})[A-Z]", serial)
    if not match:
        return None
    years = _cycle_years(2000 + int(match[1]), 10, today)
    days = [_month_start(y, int(match[2])) for y in years]
    return _decided(days, "LG 1st digit year, 2nd-3rd month", today)


def bosch_rule(fd_number: str, today: dt.date) -> SerialDate | None:
    """Bosch/BSH FD number: yymm counted from 1920 (FD 9206 = June 2012, FD 0103 = March 2021)."""
    match = re.match(r"^(\d{2})(\d{2})$", fd_number)
    if not match:
        return None
    years_since_1920 = int(match[1]) if int(match[1]) >= 60 else int(match[1]) + 100
    day = _month_start(1920 + years_since_1920, int(match[2]))
    return _decided([day], "Bosch FD number (year since 1920, month)", today)


def rheem_rule(serial: str, today: dt.date) -> SerialDate | None:
    """Rheem/Ruud water heaters: letters, then month and two-digit year (Q0415... = April 2015)."""
    match = re.match(r"^[A-Z]{1,4}(\d{2})(\d{2})\d", serial)
    if not match:
        return None
    day = _month_start(_two_digit_year(match[2], today), int(match[1]))
    return _decided([day], "Rheem month+year after the letters", today)


def aosmith_rule(serial: str, today: dt.date) -> SerialDate | None:
    """A. O. Smith (2008 on): two-digit year, two-digit week (1512A012345 = week 12 of 2015)."""
    match = re.match(r"^(\d{2})(\d{2})[A-Z0-9]", serial)
    if not match:
        return None
    day = _week_start(_two_digit_year(match[1], today), int(match[2]))
    return _decided([day], "A. O. Smith year+week", today)


def carrier_rule(serial: str, today: dt.date) -> SerialDate | None:
    """Carrier/Bryant/Payne: two-digit week, two-digit year (2315A12345 = week 23 of 2015)."""
    match = re.match(r"^(\d{2})(\d{2})[A-Z]", serial)
    if not match:
        return None
    day = _week_start(_two_digit_year(match[2], today), int(match[1]))
    return _decided([day], "Carrier week+year", today)


RULES: dict[str, Callable[[str, dt.date], SerialDate | None]] = {
    "ge": ge_rule,
    "whirlpool": whirlpool_rule,
    "frigidaire": frigidaire_rule,
    "samsung": samsung_rule,
    "lg": lg_rule,
    "rheem": rheem_rule,
    "aosmith": aosmith_rule,
    "carrier": carrier_rule,
}


def manufacture_date(
    *, brand: str, serial: str, fd_number: str = "", today: dt.date
) -> SerialDate | None:
    """The date of manufacture the brand's serial rule gives, or None when no rule decides it."""
    family = brand_family(brand)
    if family == "bosch":
        return bosch_rule(fd_number.replace(" ", ""), today) if fd_number else None
    rule = RULES.get(family or "")
    cleaned = re.sub(r"[^A-Z0-9]", "", serial.upper())
    return rule(cleaned, today) if rule and cleaned else None
