"""Working hours: the setting's format and counting back across nights and weekends."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from config.env import WorkingHours, env_working_hours
from crm.core.working_hours import working_hours_before

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the week of Monday 2026-11-23, New York time."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("end", "hours", "expected"),
    [
        (at(23, 14), 4, at(23, 10)),  # within one day
        (at(23, 11), 4, at(20, 17)),  # Monday morning reaches back into Friday
        (at(22, 15), 4, at(20, 14)),  # on a Sunday the clock stopped at Friday 18:00
        (at(24, 7), 4, at(23, 14)),  # before opening: the evening does not count
        (at(24, 9, 30), 10.5, at(23, 9)),  # a whole day and a half hour
    ],
)
def test_counting_back_working_hours(settings, end, hours, expected):
    # given
    settings.COMPANY_WORKING_HOURS = WorkingHours(frozenset(range(5)), dt.time(8), dt.time(18))
    # when / then
    assert working_hours_before(end=end, hours=hours) == expected


def test_working_hours_read_from_the_environment(monkeypatch):
    # given
    monkeypatch.setenv("HOURS", "Mon-Wed,Sat 09:00-13:30")
    # when
    hours = env_working_hours("HOURS", "Mon-Fri 08:00-18:00")
    # then
    assert hours == WorkingHours(frozenset({0, 1, 2, 5}), dt.time(9), dt.time(13, 30))
    assert env_working_hours("UNSET_HOURS", "Fri-Mon 08:00-18:00").weekdays == {4, 5, 6, 0}


@pytest.mark.parametrize("raw", ["weekdays 8-18", "Mon-Fri 18:00-08:00", "Mon-Fri"])
def test_unreadable_working_hours_stop_the_start(monkeypatch, raw):
    monkeypatch.setenv("HOURS", raw)
    with pytest.raises(ValueError, match="HOURS"):
        env_working_hours("HOURS", "Mon-Fri 08:00-18:00")
