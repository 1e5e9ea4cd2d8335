"""Plain words for codes: language names, time zones by city, counted nouns."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.core.words import counted, language_name, spoken_date, spoken_month, zone_city


@pytest.mark.parametrize(
    ("code", "name"),
    [("en", "English"), ("es", "Spanish"), ("es-MX", "Mexican Spanish"),
     ("pt-br", "Brazilian Portuguese"), ("xx", "xx"), ("", "")],
)  # fmt: skip
def test_language_codes_read_as_names(code: str, name: str) -> None:
    assert language_name(code) == name


@pytest.mark.parametrize(
    ("zone", "city"),
    [("America/New_York", "New York"), ("America/Argentina/Buenos_Aires", "Buenos Aires"),
     ("UTC", "UTC")],
)  # fmt: skip
def test_time_zones_read_as_cities(zone: str, city: str) -> None:
    assert zone_city(zone) == city


def test_counted_nouns_agree_with_their_number() -> None:
    assert counted(1, "job") == "1 job"
    assert counted(0, "job") == "0 jobs"
    assert counted(3, "año") == "3 años"
    assert counted(2, "country", "countries") == "2 countries"


def test_days_are_spoken_in_the_customers_language() -> None:
    day = dt.date(2026, 12, 1)
    assert spoken_date(day, "en") == "December 1"
    assert spoken_date(day, "es-MX") == "1 de diciembre"
    assert spoken_date(day, "en", weekday=True) == "Tuesday, December 1"
    assert spoken_date(day, "es", weekday=True) == "martes 1 de diciembre"
    assert spoken_month(day, "es") == "diciembre de 2026"
