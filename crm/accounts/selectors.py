"""Reads of the accounts app: users, the Settings page, API tokens, and a Technician's visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from config.env import WorkingHours, working_hours_text
from crm.activities.models import Activity, ActivityKind
from crm.core.company import ENVIRONMENT_DEFAULTS, company_settings_stored, environment_values
from crm.core.dates import company_today
from crm.core.errors import NotFound
from crm.core.models import ApiToken
from crm.core.roles import Role, user_role
from crm.jobs.models import Job, JobStatus
from crm.jobs.selectors import technician_window_jobs
from crm.messaging.channels import channels_connected
from crm.technicians.models import Technician

NOTES_SHOWN = 5
HISTORY_SHOWN = 5


def user_list() -> QuerySet[User]:
    """Every user with their groups and linked technician, by username."""
    return (
        get_user_model()
        .objects.select_related("technician")
        .prefetch_related("groups")
        .order_by("username")
    )


def user_get(*, user_id: int) -> User:
    user = user_list().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    return user


def technicians_to_link() -> QuerySet[Technician]:
    """Technician records a user may be linked to (active ones, by name)."""
    return Technician.objects.filter(active=True).select_related("user").order_by("name")


def api_tokens_visible(*, user: User) -> QuerySet[ApiToken]:
    """Tokens shown on the tokens page: an Owner sees everyone's, anyone else their own."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at")
    return tokens if user_role(user) is Role.OWNER else tokens.filter(user=user)


def _day_bounds(first: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=days)


def _visits(technician_id: int) -> QuerySet[Job]:
    notes = Activity.objects.filter(kind=ActivityKind.NOTE).order_by("-occurred_at", "-id")
    history = Job.objects.filter(status=JobStatus.COMPLETED).order_by("-completed_at")
    return (
        technician_window_jobs(technician_id=technician_id)
        .select_related("customer", "appliance")
        .prefetch_related(
            Prefetch("customer__activities", queryset=notes, to_attr="note_rows"),
            Prefetch("appliance__jobs", queryset=history, to_attr="history_rows"),
        )
    )


@dataclass(frozen=True)
class VisitDay:
    label: str
    day: dt.date
    visits: list[Job]


def my_visits(*, technician_id: int, today: dt.date | None = None) -> list[VisitDay]:
    """Today's and tomorrow's visits of the technician (not cancelled), by time, with each
    customer's latest notes and the appliance's completed jobs (`note_rows`, `history_rows`)."""
    today = today or company_today()
    start, end = _day_bounds(today, 2)
    jobs = list(
        _visits(technician_id)
        .filter(scheduled_for__gte=start, scheduled_for__lt=end)
        .exclude(status=JobStatus.CANCELLED)
        .order_by("scheduled_for", "id")
    )
    for job in jobs:
        job.note_rows = job.customer.note_rows[:NOTES_SHOWN]  # type: ignore[attr-defined]
        if job.appliance is not None:
            rows = [row for row in job.appliance.history_rows if row.pk != job.pk]  # type: ignore[attr-defined]
            job.history_rows = rows[:HISTORY_SHOWN]  # type: ignore[attr-defined]
        job.map_url = map_link(job.customer.address)  # type: ignore[attr-defined]
    tomorrow = today + dt.timedelta(days=1)
    local = timezone.localdate
    return [
        VisitDay("Today", today, [j for j in jobs if local(j.scheduled_for) == today]),
        VisitDay("Tomorrow", tomorrow, [j for j in jobs if local(j.scheduled_for) == tomorrow]),
    ]


def my_visit_get(*, job_id: int, technician_id: int) -> Job:
    """One of the technician's jobs inside their window; any other job is NotFound (404)."""
    job = _visits(technician_id).filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such visit.")
    return job


def map_link(address: str) -> str:
    """A maps link for the address (opens the phone's maps app), or "" without an address."""
    text = " ".join(address.split())
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(text)}" if text else ""


@dataclass(frozen=True)
class SettingsShown:
    """What the Settings page shows: each value as it is now, and which follow the environment."""

    initial: dict[str, Any]
    from_environment: dict[str, str]  # field -> the environment variable it follows
    channels: dict[str, bool]


def company_settings_shown() -> SettingsShown:
    """The stored settings over the environment's (one query: the row, read fresh)."""
    stored = company_settings_stored()
    values = {**environment_values(), **stored}
    if isinstance(values["working_hours"], WorkingHours):
        values["working_hours"] = working_hours_text(values["working_hours"])
    following = {f: name for f, name in ENVIRONMENT_DEFAULTS.items() if f not in stored}
    return SettingsShown(values, following, channels_connected())
