"""Plain words for codes: language names, time zones by city, counted nouns."""

from __future__ import annotations

import pytest

from crm.core.words import counted, language_name, zone_city


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
