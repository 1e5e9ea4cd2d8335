"""Reads of reminders: the office's list, most urgent first."""

from __future__ import annotations

from crm.engagement.models import Reminder

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
    return list(rows.order_by("due_date", "priority_rank", "id")[:limit])
