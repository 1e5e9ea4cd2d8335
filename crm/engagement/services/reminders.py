"""Reminders for the office: create one by hand, mark done / dismiss / snooze, wake snoozed ones,
and write the sweeps' reminders in bulk (each row's source_key names its cause).

(Lists of reminders are in crm/engagement/selectors/reminders.py.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.dates import company_today
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.customers.models import Customer
from crm.engagement.models import (
    TITLE_MAX_LENGTH,
    Reminder,
    ReminderKind,
    ReminderPriority,
    ReminderStatus,
)
from crm.engagement.services.bulk import Upsert, upsert_rows, upsert_sql


def _user_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


@transaction.atomic
def reminder_create(
    *, customer_id: int, kind: str, title: str, due_date: dt.date,
    priority: str = ReminderPriority.MEDIUM, details: str = "", appliance_id: int | None = None,
    job_id: int | None = None, source_key: str = "",
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> Reminder:  # fmt: skip
    """A reminder for a customer; the same source_key twice returns the first one."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise ValidationFailed("No customer with that id.", field="customerId")
    if kind not in ReminderKind.values:
        raise ValidationFailed("Unknown reminder kind.", field="kind")
    if priority not in ReminderPriority.values:
        raise ValidationFailed("Priority is Low, Medium or High.", field="priority")
    if not title.strip() or len(title) > TITLE_MAX_LENGTH:
        raise ValidationFailed(f"A title of 1-{TITLE_MAX_LENGTH} characters.", field="title")
    if (
        appliance_id is not None
        and not Appliance.objects.filter(pk=appliance_id, customer_id=customer_id).exists()
    ):
        raise ValidationFailed("No appliance with that id for this customer.", field="applianceId")
    key = source_key or f"manual:{uuid.uuid4().hex}"
    existing = Reminder.objects.filter(source_key=key).first()
    if existing is not None:
        return existing
    return Reminder.objects.create(
        customer_id=customer_id, kind=kind, title=title.strip(), details=details,
        due_date=due_date, priority=priority, appliance_id=appliance_id, job_id=job_id,
        source_key=key, created_by_id=_user_id(user),
    )  # fmt: skip


@transaction.atomic
def reminder_update(
    *, reminder_id: int, status: str, snoozed_until: dt.date | None = None
) -> Reminder:
    """Mark done, dismiss, snooze until a later day, or open again."""
    reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
    if reminder is None:
        raise NotFound("Reminder not found.")
    if status not in ReminderStatus.values:
        raise ValidationFailed("Status is Open, Snoozed, Done or Dismissed.", field="status")
    if status == ReminderStatus.SNOOZED:
        if snoozed_until is None or snoozed_until <= company_today():
            raise ValidationFailed("Snooze until a day after today.", field="snoozedUntil")
    elif snoozed_until is not None:
        raise ValidationFailed("snoozedUntil goes with status Snoozed.", field="snoozedUntil")
    reminder.status = status
    reminder.snoozed_until = snoozed_until
    finished = status in (ReminderStatus.DONE, ReminderStatus.DISMISSED)
    reminder.resolved_at = timezone.now() if finished else None
    reminder.save(update_fields=["status", "snoozed_until", "resolved_at", "updated_at"])
    return reminder


def reminder_state(reminder: Reminder) -> dict[str, str | None]:
    """What reminder_restore needs to put the reminder back as it is now."""
    return {
        "status": reminder.status,
        "snoozed_until": reminder.snoozed_until.isoformat() if reminder.snoozed_until else None,
        "resolved_at": reminder.resolved_at.isoformat() if reminder.resolved_at else None,
    }


@transaction.atomic
def reminder_restore(
    *, reminder_id: int, customer_id: int, before: dict[str, str | None], after_status: str
) -> Reminder:
    """Undo a Done, Dismiss or Snooze: the reminder goes back to `before` (reminder_state).

    Safe to run twice (already back: nothing changes); refused (409) when someone moved the
    reminder since (it is no longer `after_status`), so an undo never overwrites their change.
    """
    reminder = (
        Reminder.objects.select_for_update().filter(pk=reminder_id, customer_id=customer_id).first()
    )
    if reminder is None:
        raise NotFound("Reminder not found.")
    if reminder_state(reminder) == before:
        return reminder
    if reminder.status != after_status:
        raise Conflict("The reminder changed since; nothing was undone.", field="status")
    reminder.status = str(before["status"])
    until, resolved = before["snoozed_until"], before["resolved_at"]
    reminder.snoozed_until = dt.date.fromisoformat(until) if until else None
    reminder.resolved_at = dt.datetime.fromisoformat(resolved) if resolved else None
    reminder.save(update_fields=["status", "snoozed_until", "resolved_at", "updated_at"])
    return reminder


def reminders_wake(*, today: dt.date | None = None) -> int:
    """Snoozed reminders whose day has come are Open again (set-based)."""
    day = today or company_today()
    return Reminder.objects.filter(status=ReminderStatus.SNOOZED, snoozed_until__lte=day).update(
        status=ReminderStatus.OPEN, snoozed_until=None, updated_at=timezone.now()
    )


# A reminder's cause may grow more urgent; _needing_write relies on this order.
REFRESHED_FIELDS = ("kind", "title", "priority")


class ReminderRow(NamedTuple):
    """A reminder to write; its source_key says why it exists."""

    customer_id: int
    kind: str
    title: str
    due_date: dt.date
    priority: str
    source_key: str
    appliance_id: int | None = None
    job_id: int | None = None
    details: str = ""


COLUMNS = (
    "customer_id", "appliance_id", "job_id", "kind", "title", "details", "due_date", "priority",
    "status", "source_key", "created_at", "updated_at",
)  # fmt: skip


def _reminder_sql() -> Upsert:
    table = connection.ops.quote_name(Reminder._meta.db_table)
    changed = " OR ".join(f"{table}.{c} <> excluded.{c}" for c in REFRESHED_FIELDS)
    return upsert_sql(
        Reminder, columns=COLUMNS, conflict="source_key",
        refresh=(*REFRESHED_FIELDS, "updated_at"),
        refresh_when=f"{table}.status IN ('Open', 'Snoozed') AND ({changed})",
    )  # fmt: skip


def _needing_write(rows: list[ReminderRow], scope: QuerySet[Reminder] | None) -> list[ReminderRow]:
    """Rows that are new, or open and now different: a quiet night writes nothing. `scope`
    holds at least the stored rows with these keys (an id range reads faster than the keys)."""
    stored_rows = (
        scope
        if scope is not None
        else Reminder.objects.filter(source_key__in=[r.source_key for r in rows])
    )
    stored = {
        key: (kind, title, priority, status)
        for key, kind, title, priority, status in stored_rows.values_list(
            "source_key", *REFRESHED_FIELDS, "status"
        )
    }
    live = (ReminderStatus.OPEN, ReminderStatus.SNOOZED)
    return [
        r
        for r in rows
        if (old := stored.get(r.source_key)) is None
        or (old[3] in live and old[:3] != (r.kind, r.title[:200], r.priority))
    ]


def reminders_upsert(rows: list[ReminderRow], scope: QuerySet[Reminder] | None = None) -> int:
    """Insert new reminders; an open or snoozed one with the same source_key is made as urgent
    as its cause now is (kind, title, priority); done and dismissed ones stay as they are.
    Returns the rows inserted or changed."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    params = [
        (r.customer_id, r.appliance_id, r.job_id, r.kind, r.title[:200], r.details[:2000],
         ops.adapt_datefield_value(r.due_date), r.priority, ReminderStatus.OPEN.value,
         r.source_key[:150], now, now)
        for r in _needing_write(list({r.source_key: r for r in rows}.values()), scope)
    ]  # fmt: skip
    return upsert_rows(_reminder_sql(), params)


# Reminders about the same appliance and cause are one (issue 13): the maintenance due and
# overdue kinds are one cause, as are near and past lifespan. A newer cause (a later due day)
# supersedes the older one, which is dismissed as merged.
CAUSES = (
    (ReminderKind.MAINTENANCE_DUE, ReminderKind.MAINTENANCE_OVERDUE),
    (ReminderKind.END_OF_LIFE,),
    (ReminderKind.WARRANTY_ENDING,),
)
ACTIVE = (ReminderStatus.OPEN, ReminderStatus.SNOOZED)


def reminders_merge(scope: QuerySet[Reminder]) -> int:
    """Dismiss every open or snoozed reminder in `scope` that has a newer open sibling (same
    appliance, same cause); one UPDATE per cause. Returns how many were merged away."""
    merged = 0
    for kinds in CAUSES:
        active = Reminder.objects.filter(status__in=ACTIVE, kind__in=kinds)
        newer = active.filter(appliance_id=OuterRef("appliance_id")).filter(
            Q(due_date__gt=OuterRef("due_date"))
            | Q(due_date=OuterRef("due_date"), pk__gt=OuterRef("pk"))
        )
        older = scope.filter(status__in=ACTIVE, kind__in=kinds, appliance__isnull=False)
        merged += older.filter(Exists(newer)).update(
            status=ReminderStatus.DISMISSED, snoozed_until=None, resolved_at=timezone.now()
        )
    return merged
