"""Typed readers for environment variables: every setting is read once, in settings.py."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_decimal(name: str, default: str) -> Decimal:
    raw = os.environ.get(name)
    return Decimal(default if raw is None or raw == "" else raw)


def env_decimal_or_none(name: str) -> Decimal | None:
    """A decimal, or None when the variable is unset or empty."""
    raw = os.environ.get(name, "").strip()
    return Decimal(raw) if raw else None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingHours:
    """The company's working week: weekdays (0 = Monday) and the same opening hours each day."""

    weekdays: frozenset[int]
    start: dt.time
    end: dt.time


def _weekdays(spec: str) -> set[int]:
    days: set[int] = set()
    for part in spec.lower().split(","):
        first, _, last = part.strip().partition("-")
        a, b = _WEEKDAYS.index(first[:3]), _WEEKDAYS.index((last or first)[:3])
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return days


def parse_working_hours(raw: str) -> WorkingHours:
    """ "Mon-Fri 08:00-18:00" (or "Mon-Fri,Sat 09:00-13:00"); ValueError says what is wrong."""
    try:
        days, hours = raw.strip().rsplit(" ", 1)
        start, end = (dt.time.fromisoformat(t.strip()) for t in hours.split("-"))
        weekdays = frozenset(_weekdays(days))
    except ValueError:
        raise ValueError(f"hours must look like 'Mon-Fri 08:00-18:00', got {raw!r}") from None
    if start >= end:
        raise ValueError(f"the day must end after it starts, got {raw!r}")
    return WorkingHours(weekdays, start, end)


def working_hours_text(hours: WorkingHours) -> str:
    """The words parse_working_hours reads: runs of days joined, like "Mon-Fri,Sun 08:00-18:00"."""
    runs: list[list[int]] = []
    for day in sorted(hours.weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = [_WEEKDAYS[run[0]].title() + (f"-{_WEEKDAYS[run[-1]].title()}" if len(run) > 1 else "")
             for run in runs]  # fmt: skip
    return f"{','.join(names)} {hours.start:%H:%M}-{hours.end:%H:%M}"


def env_working_hours(name: str, default: str) -> WorkingHours:
    """Working hours like "Mon-Fri 08:00-18:00" (or "Mon-Fri,Sat 09:00-13:00")."""
    raw = env_str(name, default).strip() or default
    try:
        return parse_working_hours(raw)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None
