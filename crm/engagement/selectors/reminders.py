"""Reads of reminders: the office's list, most urgent first."""

from __future__ import annotations

from django.db.models import Case, Value, When

from crm.engagement.models import Reminder, ReminderPriority

LIST_LIMIT = 200


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
