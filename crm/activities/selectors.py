"""Reads of the timeline, newest first, paginated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from crm.activities.models import Activity

ACTIVITY_PAGE_SIZE = 20


@dataclass(frozen=True)
class ActivityPage:
    items: list[Activity]
    page: int
    has_next: bool


def activity_filter(*, customer_id: int, kind: str | None = None) -> QuerySet[Activity]:
    activities = Activity.objects.filter(customer_id=customer_id).select_related("author")
    if kind:
        activities = activities.filter(kind=kind)
    return activities.order_by("-occurred_at", "-id")


def activity_page(
    *, customer_id: int, kind: str | None = None, page: int = 1, per_page: int = ACTIVITY_PAGE_SIZE
) -> ActivityPage:
    """One page of the timeline; fetches one extra row to know whether more exist (no COUNT)."""
    page = max(page, 1)
    start = (page - 1) * per_page
    rows = list(activity_filter(customer_id=customer_id, kind=kind)[start : start + per_page + 1])
    return ActivityPage(items=rows[:per_page], page=page, has_next=len(rows) > per_page)
