"""Nightly sweeps: reminders and greeting drafts for every customer, set-based and idempotent.

Each sweep reads in keyset-paged chunks and writes with bulk statements; every reminder has a
`source_key` naming its cause (maintenance:<appliance>:<due day>, no-contact:<customer>:<last
contact day> ...), so a second run in the same night creates nothing and a dismissed reminder
stays dismissed. The cost grows with the number of rows, not with rows squared.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import TypeVar

from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from crm.activities.models import Activity, Direction
from crm.appliances.maintenance import MaintenancePrediction, appliance_predictions
from crm.appliances.models import Appliance
from crm.appliances.selectors import lifespan_table
from crm.core.choices import ApplianceType
from crm.core.dates import company_today, next_anniversary
from crm.core.words import written_day
from crm.customers.models import Customer, FrequencyPreference
from crm.customers.preferences import LONGEST_SILENCE_DAYS
from crm.engagement.models import (
    FollowUpLog,
    Reminder,
    ReminderKind,
    ReminderPriority,
)
from crm.engagement.selectors.occasions import ANNIVERSARY, Occasion
from crm.engagement.services.greetings import greeting_drafts_create
from crm.engagement.services.plan_sweep import plan_sweep
from crm.engagement.services.reminders import (
    ReminderRow,
    reminders_merge,
    reminders_upsert,
    reminders_wake,
)
from crm.engagement.services.surveys import close_unanswered, low_score_reminders
from crm.jobs.models import Job, JobStatus
from crm.plans.selectors import covered_appliance_ids
from crm.reviews.models import ServiceFollowUp

CHUNK = 2000
T = TypeVar("T")
MAINTENANCE_LEAD_DAYS = 30
WARRANTY_WINDOW_DAYS = 60
LIFESPAN_NEAR_RATIO = Decimal("0.9")
ANNIVERSARY_LEAD_DAYS = 14
LOW_SCORE_LOOKBACK_DAYS = 30


@dataclass
class SweepReport:
    """What one nightly run did, with seconds per step."""

    reminders_written: int = 0  # inserted or made more urgent by the sweeps
    reminders_created: int = 0
    reminders_updated: int = 0
    reminders_woken: int = 0
    reminders_merged: int = 0  # older reminders of the same appliance and cause
    follow_ups_closed: int = 0
    greetings_drafted: int = 0
    plans_renewed: int = 0  # maintenance plans past their end: auto-renewed or expired
    plans_expired: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    """Consecutive lists of CHUNK items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, CHUNK)):
        yield batch


def _chunks(rows: QuerySet[Appliance]) -> Iterator[list[Appliance]]:
    """Keyset pages by primary key: constant memory, no OFFSET scans."""
    last = 0
    while chunk := list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        yield chunk
        last = chunk[-1].pk


TYPE_LABELS = {value: str(label) for value, label in ApplianceType.choices}


def _name(appliance: Appliance) -> str:
    """str(appliance) without Django's per-call choices lookup (a third of the sweep's time)."""
    return f"{appliance.brand} {TYPE_LABELS.get(appliance.type, appliance.type)}"


# Priority means something (issue 13): High is a service missed in the last FRESH_MISS_DAYS,
# the one the customer is most likely to book now; older misses are Medium, and those more
# than LONG_OVERDUE_DAYS old Low (a "long overdue" line, not an emergency). A low survey
# score (crm/engagement/services/surveys.py) stays High: a customer at risk.
FRESH_MISS_DAYS, LONG_OVERDUE_DAYS = 30, 365


def maintenance_priority(due: dt.date, day: dt.date) -> str:
    """How urgent a maintenance reminder due on `due` is on `day` (see FRESH_MISS_DAYS)."""
    late = (day - due).days
    if late <= 0 or late > LONG_OVERDUE_DAYS:
        return ReminderPriority.MEDIUM if late <= 0 else ReminderPriority.LOW
    return ReminderPriority.HIGH if late <= FRESH_MISS_DAYS else ReminderPriority.MEDIUM


def _maintenance_title(p: MaintenancePrediction, day: dt.date) -> str:
    """One line per appliance; a service missed more than a year ago reads as long overdue."""
    name, due = _name(p.appliance), p.next_service_due
    if (day - due).days > LONG_OVERDUE_DAYS:
        return f"Long overdue: {name} ({p.service_task}, due since {written_day(due)})"
    return f"Maintenance {'overdue' if due < day else 'due'}: {name} ({p.service_task})"


def _maintenance_reminder(p: MaintenancePrediction, day: dt.date) -> ReminderRow | None:
    if p.next_service_due > day + dt.timedelta(days=MAINTENANCE_LEAD_DAYS):
        return None
    a, overdue = p.appliance, p.next_service_due < day
    return ReminderRow(
        customer_id=a.customer_id, appliance_id=a.pk,
        kind=ReminderKind.MAINTENANCE_OVERDUE if overdue else ReminderKind.MAINTENANCE_DUE,
        title=_maintenance_title(p, day),
        details=" ".join(p.reasons), due_date=p.next_service_due,
        priority=maintenance_priority(p.next_service_due, day),
        source_key=f"maintenance:{a.pk}:{p.next_service_due.isoformat()}",
    )  # fmt: skip


def _lifespan_reminder(p: MaintenancePrediction, day: dt.date) -> ReminderRow | None:
    ratio = p.life_used_ratio
    if ratio is None or ratio < LIFESPAN_NEAR_RATIO:
        return None
    a, past = p.appliance, ratio >= 1
    return ReminderRow(
        customer_id=a.customer_id, appliance_id=a.pk, kind=ReminderKind.END_OF_LIFE,
        title=f"{_name(a)} is {'past' if past else 'near'} its expected lifespan "
        f"({p.expected_lifespan_years} years): discuss replacement"[:200],
        details=" ".join(p.reasons), due_date=day,
        priority=ReminderPriority.MEDIUM if past else ReminderPriority.LOW,
        source_key=f"lifespan:{a.pk}:{'past' if past else 'near'}",
    )  # fmt: skip


def _warranty_reminder(a: Appliance, day: dt.date) -> ReminderRow | None:
    ends = a.warranty_expires_on
    if ends is None or not day <= ends <= day + dt.timedelta(days=WARRANTY_WINDOW_DAYS):
        return None
    return ReminderRow(
        customer_id=a.customer_id, appliance_id=a.pk, kind=ReminderKind.WARRANTY_ENDING,
        title=f"Warranty of the {_name(a)} ends {written_day(ends)}: "
        "offer a check before it lapses",
        due_date=ends, priority=ReminderPriority.MEDIUM,
        source_key=f"warranty:{a.pk}:{ends.isoformat()}",
    )  # fmt: skip


def appliance_sweep(day: dt.date, report: SweepReport) -> None:
    """Maintenance due or overdue, near or past lifespan, warranty ending: every appliance."""
    table = lifespan_table()
    columns = (
        "id", "customer_id", "type", "brand", "install_date", "warranty_expires_on",
        "last_service_date",
    )  # fmt: skip
    for chunk in _chunks(Appliance.objects.only(*columns)):
        predictions = appliance_predictions(appliances=chunk, today=day, table=table)
        # Appliances on an active maintenance plan get plan visits instead (plan_sweep.py).
        on_plan = covered_appliance_ids(appliance_ids=[a.pk for a in chunk])
        found = [
            reminder
            for p in predictions
            for reminder in (
                None if p.appliance.pk in on_plan else _maintenance_reminder(p, day),
                _lifespan_reminder(p, day),
                _warranty_reminder(p.appliance, day),
            )
            if reminder is not None
        ]
        scope = Reminder.objects.filter(
            appliance_id__gte=chunk[0].pk, appliance_id__lte=chunk[-1].pk
        )
        report.reminders_written += reminders_upsert(found, scope)
        report.reminders_merged += reminders_merge(scope)


def _last_contacts() -> tuple[dict[int, dt.datetime], dict[int, dt.datetime]]:
    """Per customer: the last message in or out, and the last logged follow-up (two grouped
    scans; at 100,000 customers faster than a correlated subquery per customer)."""
    messages = Activity.objects.filter(direction__in=[Direction.INBOUND, Direction.OUTBOUND])
    last_message = messages.values("customer_id").annotate(last=Max("occurred_at"))
    last_log = FollowUpLog.objects.values("customer_id").annotate(last=Max("occurred_at"))
    return (
        dict(last_message.values_list("customer_id", "last").order_by()),
        dict(last_log.values_list("customer_id", "last").order_by()),
    )


def _silence_reminder(
    customer_id: int, preference: str, last: dt.datetime, day: dt.date
) -> ReminderRow | None:
    limit = LONGEST_SILENCE_DAYS.get(FrequencyPreference(preference), 90)
    last_day = timezone.localdate(last)
    if (day - last_day).days <= limit:
        return None
    return ReminderRow(
        customer_id=customer_id, kind=ReminderKind.NO_RECENT_CONTACT,
        title=f"No contact since {written_day(last_day)} ({preference} customer: at least every "
        f"{limit} days)",
        due_date=day, priority=ReminderPriority.LOW,
        source_key=f"no-contact:{customer_id}:{last_day.isoformat()}",
    )  # fmt: skip


def no_contact_sweep(day: dt.date, report: SweepReport) -> None:
    """Customers silent for longer than their frequency preference allows (creation counts
    as the first contact)."""
    last_message, last_log = _last_contacts()
    customers = Customer.objects.order_by("pk").values_list(
        "id", "communication_frequency_preference", "created_at"
    )
    for page in _batches(customers.iterator(chunk_size=CHUNK)):
        found = [
            _silence_reminder(cid, preference, max(d for d in (created, last_message.get(cid),
                              last_log.get(cid)) if d), day)
            for cid, preference, created in page
        ]  # fmt: skip
        scope = Reminder.objects.filter(
            customer_id__gte=page[0][0], customer_id__lte=page[-1][0],
            kind=ReminderKind.NO_RECENT_CONTACT,
        )  # fmt: skip
        report.reminders_written += reminders_upsert([r for r in found if r], scope)


def anniversary_sweep(day: dt.date, report: SweepReport) -> dict[int, Occasion]:
    """Service anniversaries (from the first completed job) in the next two weeks."""
    firsts = (
        Job.objects.filter(status=JobStatus.COMPLETED)
        .values("customer_id")
        .annotate(first=Min("completed_at"))
        .values_list("customer_id", "first")
    )
    coming: dict[int, Occasion] = {}
    for customer_id, first in firsts.iterator(chunk_size=CHUNK):
        when, years = next_anniversary(timezone.localdate(first), day)
        if (when - day).days <= ANNIVERSARY_LEAD_DAYS:
            coming[customer_id] = Occasion(ANNIVERSARY, when, years)
    written = reminders_upsert(
        [
            ReminderRow(
                customer_id=customer_id,
                kind=ReminderKind.SERVICE_ANNIVERSARY,
                title=f"{o.years}-year service anniversary on {written_day(o.day)}",
                due_date=o.day,
                priority=ReminderPriority.LOW,
                source_key=f"anniversary:{customer_id}:{o.day.isoformat()}",
            )
            for customer_id, o in coming.items()
        ]
    )
    report.reminders_written += written
    return coming


@contextmanager
def _timed(report: SweepReport, step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report.seconds[step] = round(time.perf_counter() - started, 2)


def engagement_sweep(*, today: dt.date | None = None) -> SweepReport:
    """The nightly run: wake snoozed reminders, raise new ones, close unanswered follow-ups,
    draft occasion greetings. Safe to run twice."""
    started = time.perf_counter()
    day = today or company_today()
    report = SweepReport(reminders_woken=reminders_wake(today=day))
    before = Reminder.objects.count()
    with _timed(report, "plans"):
        report.plans_renewed, report.plans_expired, written = plan_sweep(day)
        report.reminders_written += written
    with _timed(report, "appliances"):
        appliance_sweep(day, report)
    with _timed(report, "no_contact"):
        no_contact_sweep(day, report)
    with _timed(report, "anniversaries"):
        anniversaries = anniversary_sweep(day, report)
    with _timed(report, "follow_ups"):
        report.follow_ups_closed, written = close_unanswered(timezone.now())
        lookback = timezone.now() - dt.timedelta(days=LOW_SCORE_LOOKBACK_DAYS)
        written += low_score_reminders(ServiceFollowUp.objects.filter(updated_at__gte=lookback))
        report.reminders_written += written
    with _timed(report, "greetings"):
        report.greetings_drafted = greeting_drafts_create(day=day, anniversaries=anniversaries)
    report.reminders_created = Reminder.objects.count() - before
    report.reminders_updated = report.reminders_written - report.reminders_created
    report.total_seconds = round(time.perf_counter() - started, 2)
    return report
