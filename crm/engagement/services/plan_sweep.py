"""Maintenance plans in the nightly sweep: ended plans renew or expire, each active plan's due
visits become "plan visit due" reminders, and its renewal is reminded 30 days before the end.

A plan year's visits are spread evenly (crm.plans.selectors.plan_visit_days); the plan's jobs
of that year cover its visits in order, so a reminder is raised for each visit due within
PLAN_VISIT_LEAD_DAYS that no job covers, and an open one is marked done once a job covers it.
Source keys name the plan year (plan:<id>:visit:<start>:<k>), so a renewed year starts afresh
and a second run in the same night writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.words import written_day
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority, ReminderStatus
from crm.engagement.services.reminders import ACTIVE, ReminderRow, reminders_upsert
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.selectors import plan_visit_days, plans_active_counted
from crm.plans.services import plans_expire

PLAN_VISIT_LEAD_DAYS = 14
RENEWAL_LEAD_DAYS = 30
PLAN_VISIT_PREFIX = "plan:{plan_id}:visit:"
MAINTENANCE_KINDS = (ReminderKind.MAINTENANCE_DUE, ReminderKind.MAINTENANCE_OVERDUE)


def plan_visit_key(plan: MaintenancePlan, visit: int) -> str:
    """The source key of the plan year's visit number `visit` (1 is the first)."""
    prefix = PLAN_VISIT_PREFIX.format(plan_id=plan.pk)
    return f"{prefix}{plan.starts_on.isoformat()}:{visit}"


def plan_of_reminder_key(source_key: str) -> int | None:
    """The plan a plan-visit reminder is about, read back from its source key."""
    parts = source_key.split(":")
    if len(parts) < 3 or parts[0] != "plan" or parts[2] != "visit" or not parts[1].isdigit():
        return None
    return int(parts[1])


def _covered(plan: MaintenancePlan) -> str:
    appliances: list[Appliance] = list(plan.appliances.all())
    return ", ".join(f"{a.brand} {a.get_type_display().lower()}" for a in appliances)


def _visit_row(
    plan: MaintenancePlan, visit: int, of: int, due: dt.date, day: dt.date
) -> ReminderRow:
    first = next(iter(plan.appliances.all()), None)
    return ReminderRow(
        customer_id=plan.customer_id, appliance_id=first.pk if first else None,
        kind=ReminderKind.PLAN_VISIT_DUE,
        title=f"Plan visit {visit} of {of} due: {plan.name} ({_covered(plan)})",
        details=f"Covered by the plan: {_covered(plan)}. Book the visit from here.",
        due_date=due, priority=ReminderPriority.HIGH if due < day else ReminderPriority.MEDIUM,
        source_key=plan_visit_key(plan, visit),
    )  # fmt: skip


def _visit_rows(plan: MaintenancePlan, day: dt.date) -> list[ReminderRow]:
    """The visits due within the lead days that no job of the plan covers yet."""
    days, booked = plan_visit_days(plan), int(getattr(plan, "visits_booked", 0))
    horizon = day + dt.timedelta(days=PLAN_VISIT_LEAD_DAYS)
    return [
        _visit_row(plan, k + 1, len(days), due, day)
        for k, due in enumerate(days)
        if k >= booked and due <= horizon
    ]


def _renewal_row(plan: MaintenancePlan, day: dt.date) -> ReminderRow | None:
    if (plan.ends_on - day).days > RENEWAL_LEAD_DAYS:
        return None
    how = "it renews by itself" if plan.auto_renew else "ask the customer to renew"
    return ReminderRow(
        customer_id=plan.customer_id, kind=ReminderKind.PLAN_RENEWAL,
        title=f"Plan renewal: {plan.name} ends {written_day(plan.ends_on)} ({how})",
        details=f"Covers: {_covered(plan)}.", due_date=plan.ends_on - dt.timedelta(days=1),
        priority=ReminderPriority.MEDIUM,
        source_key=f"plan:{plan.pk}:renew:{plan.ends_on.isoformat()}",
    )  # fmt: skip


def _open(keys: list[str]) -> QuerySet[Reminder]:
    return Reminder.objects.filter(source_key__in=keys, status__in=ACTIVE)


def plan_sweep(day: dt.date) -> tuple[int, int, int]:
    """Renew or expire ended plans, raise plan visits and renewals, close covered visits and
    the maintenance nudges of covered appliances. Returns (renewed, expired, reminders
    written)."""
    renewed, expired = plans_expire(today=day)
    rows: list[ReminderRow] = []
    covered_keys: list[str] = []
    for plan in plans_active_counted():
        rows += _visit_rows(plan, day)
        renewal = _renewal_row(plan, day)
        rows += [renewal] if renewal else []
        booked = int(getattr(plan, "visits_booked", 0))
        covered_keys += [plan_visit_key(plan, k + 1) for k in range(booked)]
    written = reminders_upsert(rows)
    now = timezone.now()
    _open(covered_keys).update(status=ReminderStatus.DONE, snoozed_until=None, resolved_at=now)
    maintenance_nudges_of_plans_close(now=now)
    return renewed, expired, written


def maintenance_nudges_of_plans_close(*, now: dt.datetime) -> int:
    """Open "maintenance due/overdue" reminders of appliances an active plan covers are
    dismissed: those appliances get plan visits instead."""
    covered = MaintenancePlan.appliances.through.objects.filter(
        maintenanceplan__status=PlanStatus.ACTIVE
    ).values("appliance_id")
    return Reminder.objects.filter(
        kind__in=MAINTENANCE_KINDS, status__in=ACTIVE, appliance_id__in=covered
    ).update(status=ReminderStatus.DISMISSED, snoozed_until=None, resolved_at=now)
