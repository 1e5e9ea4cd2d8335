"""Validation of communication preferences: contact times, language tag, time zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from crm.core.errors import ValidationFailed
from crm.customers.models import FrequencyPreference

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_CONTACT_WINDOWS = 21
# Longest silence each frequency preference tolerates before the office should get in touch
# (our defaults): the nightly "no recent contact" reminder and the AI follow-up suggestions both
# read this one table. Each step halves the one before, about six times the least gap between
# two marketing messages of that preference (crm.messaging.policy: 30, 14, 7 days).
LONGEST_SILENCE_DAYS = {
    FrequencyPreference.MINIMAL: 180,
    FrequencyPreference.MODERATE: 90,
    FrequencyPreference.FREQUENT: 45,
}
# BCP 47 in the shapes people use: "en", "es-MX", "zh-Hant-TW", "pt-BR".
BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$")


def _clock(value: Any, *, field: str) -> dt.time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValidationFailed("Times are HH:MM, e.g. 09:00.", field=field)
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Times are HH:MM, e.g. 09:00.", field=field) from None


def contact_times_clean(windows: Any) -> list[dict[str, str]]:
    """A list of {day, start, end} windows with start before end, days as mon..sun."""
    field = "preferredContactTimes"
    if not isinstance(windows, list) or len(windows) > MAX_CONTACT_WINDOWS:
        raise ValidationFailed(
            f"Give a list of at most {MAX_CONTACT_WINDOWS} time windows.", field=field
        )
    cleaned = []
    for index, window in enumerate(windows):
        where = f"{field}.{index}"
        if not isinstance(window, dict) or set(window) != {"day", "start", "end"}:
            raise ValidationFailed("Each window has exactly day, start and end.", field=where)
        day = str(window["day"]).lower()[:3]
        if day not in WEEKDAYS:
            raise ValidationFailed("day is one of mon, tue, wed, thu, fri, sat, sun.", field=where)
        start, end = _clock(window["start"], field=where), _clock(window["end"], field=where)
        if start >= end:
            raise ValidationFailed("start must be before end.", field=where)
        cleaned.append({"day": day, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    return cleaned


def language_clean(tag: str) -> str:
    if not BCP47.fullmatch(tag):
        raise ValidationFailed(
            "Use a BCP 47 language tag such as en or es-MX.", field="languagePreference"
        )
    return tag


def timezone_clean(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            "Unknown time zone; use an IANA name such as America/New_York.", field="timezone"
        ) from None
    return name
