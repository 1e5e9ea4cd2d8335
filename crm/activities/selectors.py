"""Reads of the timeline, newest first, paginated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from crm.activities.models import MESSAGE_KINDS, Activity, ActivityKind, Direction
from crm.core.errors import NotFound
from crm.core.pagination import COUNT_CAP, count_shown

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


@dataclass(frozen=True)
class TimelineTab:
    """A tab of the Customer View's timeline: its key in URLs, its label, the kind it shows."""

    key: str
    label: str
    kind: str | None


TIMELINE_TABS = (
    TimelineTab("all", "All", None),
    TimelineTab("notes", "Notes", ActivityKind.NOTE),
    TimelineTab("calls", "Calls", ActivityKind.CALL),
    TimelineTab("whatsapp", "WhatsApp", ActivityKind.WHATSAPP),
    TimelineTab("sms", "SMS", ActivityKind.SMS),
    TimelineTab("email", "Email", ActivityKind.EMAIL),
)


def timeline_tab(key: str | None) -> TimelineTab:
    """The tab named `key`; the All tab for anything unknown."""
    return next((tab for tab in TIMELINE_TABS if tab.key == key), TIMELINE_TABS[0])


def activity_count_shown(*, customer_id: int, kind: str | None = None) -> str:
    """How many events the timeline (tab) holds, as a heading shows it: `48`, `1,000+` past
    the cap (a collapsed Activity card on a phone says how much is inside)."""
    events = Activity.objects.filter(customer_id=customer_id)
    if kind:
        events = events.filter(kind=kind)
    return count_shown(events.order_by()[: COUNT_CAP + 1].count())


def inbound_message_of(*, customer_id: int, activity_id: int) -> Activity:
    """A message this customer sent us (WhatsApp, SMS or email), to reply to; else NotFound
    (another customer's message included)."""
    found = Activity.objects.filter(
        pk=activity_id, customer_id=customer_id, direction=Direction.INBOUND,
        kind__in=MESSAGE_KINDS,
    ).first()  # fmt: skip
    if found is None:
        raise NotFound("No such message from this customer.")
    return found
