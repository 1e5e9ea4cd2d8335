"""Plain words for codes: language names, time zones by city, counted nouns."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.core.templatetags.crm_tags import day, moment, phone
from crm.core.words import (
    clock_time,
    counted,
    language_name,
    short_day,
    spoken_date,
    spoken_month,
    written_day,
    written_moment,
    zone_city,
)


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


def test_one_date_style_for_every_page() -> None:
    assert written_day(dt.date(2026, 12, 8)) == "Tue, Dec 8, 2026"
    assert written_moment(dt.datetime(2026, 12, 8, 10, 30)) == "Tue, Dec 8, 2026, 10:30 AM"
    assert written_moment(dt.datetime(2026, 12, 8, 0, 5)) == "Tue, Dec 8, 2026, 12:05 AM"
    assert clock_time(dt.time(12, 0)) == "12:00 PM"
    assert clock_time(dt.time(23, 59)) == "11:59 PM"
    assert short_day(dt.date(2026, 12, 8), dt.date(2026, 1, 1)) == "Dec 8"
    assert short_day(dt.date(2025, 12, 8), dt.date(2026, 1, 1)) == "Dec 8, 2025"


def test_the_page_filters_say_a_moment_in_the_company_zone_which_the_tooltip_names() -> None:
    # 15:30 UTC is 10:30 in New York (the default TIME_ZONE) in December
    at = dt.datetime(2026, 12, 8, 15, 30, tzinfo=dt.UTC)
    assert moment(at) == (
        '<time datetime="2026-12-08T10:30:00-05:00" title="New York time">'
        "Tue, Dec 8, 2026, 10:30 AM</time>"
    )
    assert day(at) == "Tue, Dec 8, 2026"
    assert (day(None), moment(None)) == ("", "")
    assert phone("+13055550142") == "(305) 555-0142"
    assert phone("+442079460958") == "+44 20 7946 0958"
    assert phone(None) == ""
