"""Date helpers shared by the sweeps and the AI features."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.core.dates import next_anniversary


@pytest.mark.parametrize(
    ("first", "day", "expected"),
    [
        (dt.date(2023, 11, 30), dt.date(2026, 11, 20), (dt.date(2026, 11, 30), 3)),
        (dt.date(2023, 11, 30), dt.date(2026, 11, 30), (dt.date(2026, 11, 30), 3)),
        (dt.date(2023, 11, 30), dt.date(2026, 12, 1), (dt.date(2027, 11, 30), 4)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 5), (dt.date(2027, 3, 1), 1)),
        (dt.date(2024, 2, 29), dt.date(2025, 1, 10), (dt.date(2025, 2, 28), 1)),
    ],
    ids=["this-year", "today", "passed", "first-year", "leap-day"],
)
def test_next_anniversary_is_the_first_on_or_after_the_day_with_its_years(
    first: dt.date, day: dt.date, expected: tuple[dt.date, int]
) -> None:
    assert next_anniversary(first, day) == expected
