"""Reads for booking a visit: the arrival windows as moments, who is free in one, the matching's
best free technician with its reasons in words, and the sentence that confirms a booking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.company import ArrivalWindow, company, parse_arrival_windows
from crm.core.errors import ValidationFailed
from crm.customers.models import Customer
from crm.insights.features.technician import technician_ranking
from crm.insights.features.technician_scoring import Candidate
from crm.jobs.models import Job, JobStatus
from crm.technicians.models import Technician
from crm.technicians.selectors import technician_list


def window_named(key: str) -> ArrivalWindow:
    """The company's arrival window called `key` ("10:00-12:00"); refused when there is none."""
    for window in company().arrival_windows:
        if window.key == key:
            return window
    raise ValidationFailed("Pick one of the arrival windows.", field="arrivalWindow")


def window_bounds(day: dt.date, window: ArrivalWindow) -> tuple[dt.datetime, dt.datetime]:
    """The window on `day` as two aware moments in the company time zone."""
    return (
        timezone.make_aware(dt.datetime.combine(day, window.start)),
        timezone.make_aware(dt.datetime.combine(day, window.end)),
    )


def visit_day(day: dt.date) -> str:
    """`Tue, Dec 8`: a visit's day as the office says it."""
    return f"{day:%a}, {day:%b} {day.day}"


class Availability(StrEnum):
    FREE = "free"
    BUSY = "busy"
    FULL = "full"


@dataclass(frozen=True)
class TechnicianSlot:
    """One technician for one day and window: free, busy in the window, or full that day."""

    technician: Technician
    availability: Availability
    label: str
    visits_that_day: int

    @property
    def free(self) -> bool:
        return self.availability == Availability.FREE


def _overlaps(
    job_start: dt.datetime, job_window: str, start: dt.datetime, end: dt.datetime
) -> bool:
    """A job booked with a window holds all of it; a job without one holds its moment."""
    first, _, last = job_window.partition("-")
    if not last:
        return start <= job_start < end
    local = timezone.localtime(job_start)
    length = dt.datetime.combine(local.date(), dt.time.fromisoformat(last)) - dt.datetime.combine(
        local.date(), dt.time.fromisoformat(first)
    )
    return job_start < end and job_start + length > start


def technician_slots(*, day: dt.date, window: ArrivalWindow) -> list[TechnicianSlot]:
    """Every active technician, by name, with what `day` and `window` hold for them (two
    queries however many technicians: the technicians, and that day's visits)."""
    start, end = window_bounds(day, window)
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    visits = (
        Job.objects.exclude(status=JobStatus.CANCELLED)
        .filter(
            technician__isnull=False,
            scheduled_for__gte=midnight,
            scheduled_for__lt=midnight + dt.timedelta(days=1),
        )
        .values_list("technician_id", "scheduled_for", "arrival_window")
    )
    count: dict[int, int] = {}
    busy: set[int] = set()
    for technician_id, scheduled_for, arrival_window in visits:
        count[technician_id] = count.get(technician_id, 0) + 1
        if scheduled_for and _overlaps(scheduled_for, arrival_window, start, end):
            busy.add(technician_id)
    return [
        _slot(technician, window, count.get(technician.pk, 0), technician.pk in busy)
        for technician in technician_list(active_only=True)
    ]


def _slot(technician: Technician, window: ArrivalWindow, visits: int, busy: bool) -> TechnicianSlot:
    if busy:
        return TechnicianSlot(technician, Availability.BUSY, f"busy {window.label}", visits)
    if visits >= technician.daily_capacity:
        return TechnicianSlot(technician, Availability.FULL, "full that day", visits)
    return TechnicianSlot(technician, Availability.FREE, "free", visits)


@dataclass(frozen=True)
class Suggestion:
    """The matching's best free technician for the visit and why, in words (no scores)."""

    technician: Technician | None
    reasons: str


def technician_suggest(
    *, customer: Customer, appliance: Appliance | None, problem: str, day: dt.date,
    window: ArrivalWindow,
) -> Suggestion:  # fmt: skip
    """The best-matched technician (crm.insights' matching) who is free in the window, with the
    matching's reasons in words: its tie-break, or that nobody else can go, included."""
    ranked = technician_ranking(customer=customer, appliance=appliance, issue=problem, day=day)
    slots = {slot.technician.pk: slot for slot in technician_slots(day=day, window=window)}
    for candidate in ranked:
        slot = slots.get(candidate.id)
        if slot is not None and slot.free:
            words = [*_reasons(candidate), _free_words(day, window)]
            return Suggestion(slot.technician, " · ".join(words))
    when = f"{visit_day(day)}, {window.label}"
    return Suggestion(None, f"No technician is free {when}: pick another day or window.")


def _reasons(candidate: Candidate) -> list[str]:
    """The matching's reasons, less the day's free visits (the window says it)."""
    parts = [p.reason for p in candidate.components if p.reason and p.name != "availability"]
    return parts + list(candidate.notes)


def _free_words(day: dt.date, window: ArrivalWindow) -> str:
    return f"free {visit_day(day)}, {window.label}"


def visit_booked_text(job: Job) -> str:
    """`Visit booked: Tue, Dec 8, 10-12, Ana Ruiz, Bosch Washing machine`."""
    parts = ["Visit booked:"]
    if job.scheduled_for is not None:
        local = timezone.localtime(job.scheduled_for)
        hours = parse_arrival_windows(job.arrival_window)[0].label if job.arrival_window else ""
        parts.append(f"{visit_day(local.date())}, {hours or f'{local:%H:%M}'}")
    parts.append(job.technician.name if job.technician else "no technician yet")
    if job.appliance:
        parts.append(str(job.appliance))
    return parts[0] + " " + ", ".join(parts[1:])


def customer_addresses(*, customer: Customer) -> list[str]:
    """The addresses this customer is served at: theirs, then those of their past visits."""
    booked = (
        Job.objects.filter(customer=customer)
        .exclude(service_address="")
        .values_list("service_address", flat=True)
        .distinct()[:10]
    )
    addresses = [customer.address] if customer.address else []
    return addresses + [address for address in booked if address not in addresses]


def next_open_window(*, now: dt.datetime | None = None) -> tuple[dt.date, ArrivalWindow]:
    """The first window that has not started: later today, else tomorrow's first."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    windows = company().arrival_windows
    for window in windows:
        if window_bounds(today, window)[0] > moment:
            return today, window
    return today + dt.timedelta(days=1), windows[0]


def booking_initial(*, customer: Customer) -> dict[str, object]:
    """A new booking's first values: the next open window, the customer's own address."""
    day, window = next_open_window()
    return {"day": day, "arrival_window": window.key, "service_address": customer.address}


def booking_when(*, day: str, window_key: str) -> tuple[dt.date, ArrivalWindow]:
    """The day and window a half-filled form names; the next open window for what it lacks."""
    default_day, default_window = next_open_window()
    try:
        chosen_day = dt.date.fromisoformat(day)
    except ValueError:
        chosen_day = default_day
    windows = company().arrival_windows
    return chosen_day, next((w for w in windows if w.key == window_key), default_window)
