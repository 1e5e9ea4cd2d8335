"""The company's own settings, read through one function: `company()`.

Every place that needs the company's name, country, hours, arrival windows, currency or review
link asks `company()` and never `django.conf.settings` directly, so an Owner's Settings page can
change them without a restart. A value the Owner never stored (a NULL in the one
CompanySettings row, or no row at all) is the environment variable's
(config/settings_business.py).

Cost: each process keeps the merged settings in memory. A save writes a new version token into
the shared cache (the file cache, or Redis across machines); every process compares its token
with the cache's once per request (request_started) and at most every RECHECK_SECONDS outside
requests (huey), and reads the row again (one query) only when the token changed. So company()
costs no query per call, and a save is seen by every worker from its next request on. A change
to django settings (pytest's `settings` fixture, override_settings) remerges at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.dispatch import receiver
from django.test.signals import setting_changed

from config.env import WorkingHours, parse_working_hours

if TYPE_CHECKING:
    from crm.core.models import CompanySettings


@dataclass(frozen=True, slots=True)
class ArrivalWindow:
    """A visit's promised arrival window, like 10:00-12:00."""

    start: dt.time
    end: dt.time

    @property
    def key(self) -> str:
        """`10:00-12:00`: how a form field and the database name the window."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def label(self) -> str:
        """`10-12`, `12-2`, `8:30-10:30`: how the office says it (a 12-hour clock)."""
        return f"{_hour(self.start)}-{_hour(self.end)}"


def _hour(moment: dt.time) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}"


def parse_arrival_windows(raw: str) -> tuple[ArrivalWindow, ...]:
    """`08:00-10:00,10:00-12:00` -> windows in order; ValueError names the bad part."""
    windows: list[ArrivalWindow] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        first, sep, last = part.partition("-")
        try:
            start, end = dt.time.fromisoformat(first.strip()), dt.time.fromisoformat(last.strip())
        except ValueError:
            raise ValueError(f"'{part}' is not a window like 10:00-12:00") from None
        if not sep or start >= end:
            raise ValueError(f"'{part}': the window must end after it starts")
        windows.append(ArrivalWindow(start, end))
    if not windows:
        raise ValueError("at least one arrival window is needed")
    return tuple(sorted(windows, key=lambda w: w.start))


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    address: str
    country: str
    subdivision: str
    working_hours: WorkingHours
    quiet_hours_start: str  # "21:00"
    quiet_hours_end: str
    arrival_windows: tuple[ArrivalWindow, ...]
    currency_symbol: str
    review_link: str
    greeting_lead_days: int  # a holiday or anniversary greeting is drafted this many days ahead
    followup_delay_days: int  # the satisfaction survey goes out this many days after a visit
    checklist_hidden: bool = False  # an Owner hid Today's first-run checklist


# Company field -> the setting it defaults to (an environment variable, settings_business.py).
ENVIRONMENT_DEFAULTS: dict[str, str] = {
    "name": "COMPANY_NAME",
    "address": "COMPANY_ADDRESS",
    "country": "COMPANY_COUNTRY",
    "subdivision": "COMPANY_SUBDIVISION",
    "working_hours": "COMPANY_WORKING_HOURS",
    "quiet_hours_start": "QUIET_HOURS_START",
    "quiet_hours_end": "QUIET_HOURS_END",
    "arrival_windows": "COMPANY_ARRIVAL_WINDOWS",
    "currency_symbol": "CURRENCY_SYMBOL",
    "review_link": "COMPANY_REVIEW_LINK",
    "greeting_lead_days": "GREETING_LEAD_DAYS",
    "followup_delay_days": "FOLLOWUP_DELAY_DAYS",
}


# How a person calls each setting (the Settings page's confirmation names what changed).
LABELS: dict[str, str] = {
    "name": "company name",
    "address": "address",
    "country": "country",
    "subdivision": "region",
    "working_hours": "business hours",
    "quiet_hours_start": "quiet hours",
    "quiet_hours_end": "quiet hours",
    "arrival_windows": "arrival windows",
    "currency_symbol": "currency",
    "review_link": "review link",
    "greeting_lead_days": "greeting lead time",
    "followup_delay_days": "survey delay",
}


def environment_values() -> dict[str, Any]:
    """Each setting as django settings hold it (the environment's, or a test's override)."""
    return {field: getattr(settings, name) for field, name in ENVIRONMENT_DEFAULTS.items()}


def company_value(field: str, value: Any) -> Any:
    """A stored or environment value as Company holds it (a time as "21:00", windows parsed)."""
    if field == "working_hours" and isinstance(value, str):
        return parse_working_hours(value)
    if field == "arrival_windows":
        return parse_arrival_windows(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def stored_values(row: CompanySettings | None) -> dict[str, Any]:
    """What the Owner stored (fields left NULL follow the environment and are absent)."""
    if row is None:
        return {}
    values = {field: getattr(row, field) for field in ENVIRONMENT_DEFAULTS}
    stored = {field: value for field, value in values.items() if value is not None}
    return {**stored, "checklist_hidden": row.checklist_hidden}


def company_settings_stored() -> dict[str, Any]:
    """What is stored now, read from the table (the Settings page shows which values follow
    the environment; everyone else asks company())."""
    from crm.core.models import CompanySettings

    return stored_values(CompanySettings.objects.filter(pk=CompanySettings.SINGLE_PK).first())


def _merged(stored: dict[str, Any]) -> Company:
    values = {**environment_values(), **stored}
    return Company(**{field: company_value(field, value) for field, value in values.items()})


@dataclass(frozen=True, slots=True)
class _Snapshot:
    version: str
    stored: dict[str, Any]
    company: Company


VERSION_KEY = "crm:company-settings-version"
RECHECK_SECONDS = 5.0
_snapshot: _Snapshot | None = None
_thread = threading.local()  # recheck_at: when this thread next compares its version


def company() -> Company:
    """The company's settings as they are now (no query, but after a save: see the module)."""
    snapshot = _snapshot
    if snapshot is None or getattr(_thread, "recheck_at", 0.0) <= time.monotonic():
        snapshot = _refreshed(snapshot)
        _thread.recheck_at = time.monotonic() + RECHECK_SECONDS
    return snapshot.company


def _refreshed(snapshot: _Snapshot | None) -> _Snapshot:
    """The same snapshot while the cache's version is its own; else the row read again. The
    version is read before the row and a save writes it after its commit, so a snapshot is never
    newer in name than in content."""
    global _snapshot
    version = cache.get(VERSION_KEY)
    if snapshot is not None and version == snapshot.version:
        return snapshot
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    stored = company_settings_stored()
    _snapshot = _Snapshot(version, stored, _merged(stored))
    return _snapshot


def _version_bump() -> None:
    global _snapshot
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _snapshot = None


def company_changed() -> None:
    """Call after storing the settings: this process reads them again at once, the others at
    their next request. Bumped now (this transaction sees its own row) and again after the
    commit, so that no other process keeps the new version with the old row."""
    _version_bump()
    transaction.on_commit(_version_bump)


def company_forget(*, table_empty: bool = False) -> None:
    """Forget what this process knows. With `table_empty` (each test starts with an empty
    table) the settings are the environment's without reading the table."""
    global _snapshot
    _snapshot = None
    if table_empty:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, timeout=None)
        _snapshot = _Snapshot(version, {}, _merged({}))


def company_recheck() -> None:
    """This thread compares its version with the cache's at its next company() call."""
    _thread.recheck_at = 0.0


@receiver(request_started, dispatch_uid="company-recheck")
def _recheck_at_request(**_kwargs: Any) -> None:
    company_recheck()


@receiver(setting_changed, dispatch_uid="company-remerge")
def _remerge(*, setting: str, **_kwargs: Any) -> None:
    global _snapshot
    snapshot = _snapshot
    if snapshot is not None and setting in ENVIRONMENT_DEFAULTS.values():
        _snapshot = replace(snapshot, company=_merged(snapshot.stored))
