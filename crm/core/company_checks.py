"""Checks of the company's settings as an Owner types them (the model's field validators): a
country the holidays package knows, business hours and arrival windows that parse."""

from __future__ import annotations

import functools
import re

import holidays
from django.core.exceptions import ValidationError
from holidays.registry import COUNTRIES

from config.env import parse_working_hours
from crm.core.company import parse_arrival_windows


@functools.cache
def countries() -> dict[str, str]:
    """Two-letter code -> name ("US" -> "United States") of every country with holidays."""
    named = {
        codes[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", codes[0]) for codes in COUNTRIES.values()
    }
    return dict(sorted(named.items(), key=lambda item: item[1]))


def country_name(code: str) -> str:
    return countries().get(code.upper(), code)


@functools.cache
def subdivisions_of(country: str) -> tuple[str, ...]:
    """The region codes the holidays package knows for `country` (none for an unknown one)."""
    supported = holidays.list_supported_countries()
    return tuple(supported.get(country.upper(), ()))


def country_check(value: str) -> None:
    if value and value.upper() not in countries():
        raise ValidationError(f"{value} is not a country with known public holidays.")


def working_hours_check(value: str) -> None:
    try:
        parse_working_hours(value)
    except ValueError:
        raise ValidationError(
            "Write the days and hours like Mon-Fri 08:00-18:00, the day ending after it starts."
        ) from None


def arrival_windows_check(value: str) -> None:
    try:
        parse_arrival_windows(value)
    except ValueError as error:
        raise ValidationError(f"Write windows like 08:00-10:00, 10:00-12:00: {error}.") from None
