"""Send-time rules: address, consent and opt-out, contact hours, marketing frequency.

Pure functions over facts the dispatcher loads per batch, so the same answer comes whether a
message is checked when scheduled or when it is about to go out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils import timezone

from crm.core.company import company
from crm.core.words import written_day, written_moment
from crm.customers.models import ContactConsent, Customer, FrequencyPreference, MessageChannel
from crm.customers.preferences import WEEKDAYS
from crm.messaging.models import MessageSource, Purpose

DAY_MINUTES = 24 * 60
LOOKAHEAD_DAYS = 8  # a weekly contact pattern repeats within a week; one spare day
# Least days between two marketing messages, per frequency preference (our defaults, C4).
MARKETING_MIN_GAP_DAYS = {
    FrequencyPreference.FREQUENT: 7,
    FrequencyPreference.MODERATE: 14,
    FrequencyPreference.MINIMAL: 30,
}
WHATSAPP_WINDOW = dt.timedelta(hours=24)
# Sent at once whatever the contact hours (consent still applies): "on my way" is about a visit
# happening now (crm/engagement/services/on_my_way.py).
IMMEDIATE_SOURCES = frozenset({MessageSource.ON_MY_WAY})


@dataclass(frozen=True)
class Decision:
    """What to do with a due message now: send it, defer it until a time, or cancel it."""

    action: Literal["send", "defer", "cancel"]
    reason: str = ""
    until: dt.datetime | None = None


SEND = Decision("send")


def recipient_address(customer: Customer, channel: str) -> str:
    """The email address or phone number the channel needs ('' when the customer has none)."""
    return customer.email if channel == MessageChannel.EMAIL else customer.phone


def consent_problem(consent: ContactConsent | None, *, channel: str, purpose: str) -> str:
    """Why this channel may not carry this purpose ('' when it may).

    An opt-out stops everything on the channel; marketing also needs an explicit opt-in.
    """
    if consent is not None and consent.opted_out_at is not None:
        day = written_day(timezone.localtime(consent.opted_out_at))
        return f"The customer opted out of {channel} on {day}."
    if purpose == Purpose.MARKETING and (consent is None or not consent.marketing_opt_in):
        return f"The customer has not opted in to marketing by {channel}."
    return ""


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _floor_windows() -> list[tuple[int, int]]:
    """The day's allowed minutes outside QUIET_HOURS_START..QUIET_HOURS_END."""
    quiet_start, quiet_end = (
        _minutes(company().quiet_hours_start),
        _minutes(company().quiet_hours_end),
    )
    if quiet_start == quiet_end:
        return [(0, DAY_MINUTES)]
    if quiet_start > quiet_end:  # quiet over midnight, e.g. 21:00-08:00
        return [(quiet_end, quiet_start)]
    return [(0, quiet_start), (quiet_end, DAY_MINUTES)]


def _intersect(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start < end else None


def day_windows(preferred: list[dict[str, str]], weekday: int) -> list[tuple[int, int]]:
    """Allowed (start, end) minutes on a weekday: preferred times within the quiet-hours floor."""
    floor = _floor_windows()
    if not preferred:
        return floor
    day = WEEKDAYS[weekday]
    chosen = [(_minutes(w["start"]), _minutes(w["end"])) for w in preferred if w["day"] == day]
    windows = [cut for w in chosen for f in floor if (cut := _intersect(w, f))]
    return sorted(windows)


def _zone(customer: Customer) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(customer.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _next_slot(preferred: list[dict[str, str]], local: dt.datetime) -> dt.datetime | None:
    """`local` itself when allowed, else the start of the next allowed window (None: none)."""
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        for start, end in day_windows(preferred, day.weekday()):
            begins = dt.datetime.combine(day, dt.time(start // 60, start % 60), local.tzinfo)
            ends = dt.datetime.combine(day, dt.time.min, local.tzinfo) + dt.timedelta(minutes=end)
            if begins <= local < ends:
                return local
            if begins > local:
                return begins
    return None


def contact_slot(customer: Customer, at: dt.datetime) -> dt.datetime:
    """The first moment at or after `at` inside the customer's contact hours (their time zone).

    Preferred contact times that never overlap the quiet-hours floor are ignored rather than
    blocking the customer forever.
    """
    local = at.astimezone(_zone(customer))
    slot = _next_slot(customer.preferred_contact_times, local) or _next_slot([], local)
    return (slot or local).astimezone(dt.UTC)


def marketing_not_before(
    customer: Customer, last_marketing_at: dt.datetime | None
) -> dt.datetime | None:
    """The earliest time the next marketing message may go, given the last one."""
    if last_marketing_at is None:
        return None
    gap = MARKETING_MIN_GAP_DAYS.get(
        FrequencyPreference(customer.communication_frequency_preference), 14
    )
    return last_marketing_at + dt.timedelta(days=gap)


def send_decision(
    *, customer: Customer, channel: str, purpose: str, consent: ContactConsent | None,
    last_marketing_at: dt.datetime | None, now: dt.datetime, source: str = "",
) -> Decision:  # fmt: skip
    """Cancel without an address or consent; defer for frequency or contact hours; else send.
    A message of IMMEDIATE_SOURCES is never deferred for contact hours."""
    if not recipient_address(customer, channel):
        kind = "email address" if channel == MessageChannel.EMAIL else "phone number"
        return Decision("cancel", f"The customer has no {kind} for {channel}.")
    problem = consent_problem(consent, channel=channel, purpose=purpose)
    if problem:
        return Decision("cancel", problem)
    earliest, why = now, ""
    if purpose == Purpose.MARKETING:
        not_before = marketing_not_before(customer, last_marketing_at)
        if not_before is not None and not_before > now:
            earliest = not_before
            why = (
                f"Frequency preference {customer.communication_frequency_preference}: "
                f"last marketing message {written_moment(timezone.localtime(last_marketing_at))}."
            )
    slot = now if source in IMMEDIATE_SOURCES else contact_slot(customer, earliest)
    if slot <= now:
        return SEND
    why = why or (
        f"Outside the customer's contact hours ({now.astimezone(_zone(customer)):%a %H:%M} "
        f"in {customer.timezone})."
    )
    return Decision("defer", why, slot)
