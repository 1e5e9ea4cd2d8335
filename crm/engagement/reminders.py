"""Reminders for the office: create one by hand, mark done / dismiss / snooze, list them.

(Reads and writes of one small model share this module: engagement's services.py and
selectors.py hold the logged follow-ups.)
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.dates import company_today
from crm.core.errors import NotFound, ValidationFailed
from crm.customers.models import Customer
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority, ReminderStatus

LIST_LIMIT = 200
TITLE_MAX_LENGTH = 200


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


def reminders_wake(*, today: dt.date | None = None) -> int:
    """Snoozed reminders whose day has come are Open again (set-based)."""
    day = today or company_today()
    return Reminder.objects.filter(status=ReminderStatus.SNOOZED, snoozed_until__lte=day).update(
        status=ReminderStatus.OPEN, snoozed_until=None, updated_at=timezone.now()
    )


def reminder_list(
    *, customer_id: int | None = None, status: str | None = None, limit: int = LIST_LIMIT
) -> list[Reminder]:
    """Reminders by due date (most urgent first), optionally one customer's and one status."""
    rows = Reminder.objects.all()
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if status:
        rows = rows.filter(status=status)
    urgency = Case(
        When(priority=ReminderPriority.HIGH, then=Value(0)),
        When(priority=ReminderPriority.MEDIUM, then=Value(1)),
        default=Value(2),
    )
    return list(rows.order_by("due_date", urgency, "id")[:limit])
