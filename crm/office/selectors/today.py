"""Reads of the Today page: everything across customers that needs a person today.

Each section is one page of rows read in two queries (a count and the rows, with their
customer and whatever else the row shows joined in), so the page costs the same for 2 rows as
for 2,000. The header badge adds the sections that need a person in one query. Counts stop at
COUNT_CAP ("1,000+"), and every section's filter and order is one an index serves (see the
models' Meta.indexes), so that the page stays fast at a million customers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.activities.models import ANSWERS, MESSAGE_KINDS, Activity, Direction
from crm.core.dates import company_today
from crm.core.pagination import COUNT_CAP, CappedPaginator, capped_count_sql, count_shown
from crm.core.working_hours import working_hours_before
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority, ReminderStatus
from crm.jobs.models import Job, JobStatus
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.reviews.models import LOW_SCORE, FollowUpStatus, ServiceFollowUp

PAGE_SIZE = 20
NEEDS_A_PERSON = (MessageStatus.UNKNOWN, MessageStatus.FAILED)
# An inbound message waits this long in working hours before it is late.
ANSWER_WITHIN_WORKING_HOURS = 4
# Older unanswered messages have been seen on the customer's page long since; Today keeps to
# the recent ones so that one quiet "thanks!" does not stay on the list for ever.
INBOUND_LOOKBACK_DAYS = 30
VISIT_STATUSES = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ReminderFilter:
    """Which due reminders to show: one kind and/or one priority (empty: all)."""

    kind: str = ""
    priority: str = ""

    @classmethod
    def from_query(cls, query: Any) -> ReminderFilter:
        """Read from the query string; a value that is not a kind or priority means all."""
        kind, priority = query.get("kind", ""), query.get("priority", "")
        return cls(
            kind if kind in ReminderKind.values else "",
            priority if priority in ReminderPriority.values else "",
        )


def _page(rows: QuerySet[Any], page: int) -> Page[Any]:
    return CappedPaginator[Any](rows, PAGE_SIZE, cap=COUNT_CAP).get_page(page)


def _due_reminders(today: dt.date) -> QuerySet[Reminder]:
    awake = Q(status=ReminderStatus.OPEN) | Q(
        status=ReminderStatus.SNOOZED, snoozed_until__lte=today
    )
    return Reminder.objects.filter(awake, due_date__lte=today)


def today_reminders(*, filters: ReminderFilter, page: int = 1) -> Page[Reminder]:
    """Open reminders due today or overdue (and snoozed ones whose day has come), most
    overdue and most urgent first."""
    rows = _due_reminders(company_today())
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    ordered = rows.select_related("customer").order_by("due_date", "priority_rank", "id")
    return _page(ordered, page)


def _messages_needing_person() -> QuerySet[ScheduledMessage]:
    return ScheduledMessage.objects.filter(status__in=NEEDS_A_PERSON)


def today_messages(*, page: int = 1) -> Page[ScheduledMessage]:
    """Messages whose outcome a person must settle (Unknown) or act on (Failed), latest
    change first."""
    rows = _messages_needing_person().select_related("customer")
    return _page(rows.order_by("-status_changed_at", "-id"), page)


def _drafts() -> QuerySet[ScheduledMessage]:
    return ScheduledMessage.objects.filter(status=MessageStatus.DRAFT)


def today_drafts(*, page: int = 1) -> Page[ScheduledMessage]:
    """Drafts (greetings, suggestions, anything written for approval), soonest send first."""
    return _page(_drafts().select_related("customer").order_by("send_at", "id"), page)


def _low_scores() -> QuerySet[ServiceFollowUp]:
    return ServiceFollowUp.objects.filter(
        status=FollowUpStatus.COMPLETED, satisfaction_rating__lte=LOW_SCORE,
        handled_at__isnull=True,
    )  # fmt: skip


def today_low_scores(*, page: int = 1) -> Page[ServiceFollowUp]:
    """Survey answers scored 2 or less that nobody has handled yet, newest first."""
    rows = _low_scores().select_related("customer", "job", "job__technician")
    return _page(rows.order_by("-follow_up_date", "-id"), page)


def _unanswered(now: dt.datetime) -> QuerySet[Activity]:
    later_reply = Activity.objects.filter(
        ANSWERS, customer_id=OuterRef("customer_id"), occurred_at__gt=OuterRef("occurred_at")
    )
    cutoff = working_hours_before(end=now, hours=ANSWER_WITHIN_WORKING_HOURS)
    return Activity.objects.filter(
        ~Exists(later_reply), direction=Direction.INBOUND, kind__in=MESSAGE_KINDS,
        occurred_at__lte=cutoff, occurred_at__gte=now - dt.timedelta(days=INBOUND_LOOKBACK_DAYS),
    )  # fmt: skip


def today_unanswered(*, page: int = 1, now: dt.datetime | None = None) -> Page[Activity]:
    """Inbound WhatsApp, SMS and e-mail with no reply, call or note to that customer after it,
    waiting 4 working hours or more; the longest waiting first."""
    rows = _unanswered(now or timezone.now()).select_related("customer")
    return _page(rows.order_by("occurred_at", "id"), page)


def today_visits(*, page: int = 1) -> Page[Job]:
    """Scheduled or running visits of today and tomorrow (company time), in time order."""
    start = timezone.make_aware(dt.datetime.combine(company_today(), dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(company_today() + dt.timedelta(days=2), dt.time.min)
    )
    rows = Job.objects.filter(
        status__in=VISIT_STATUSES, scheduled_for__gte=start, scheduled_for__lt=end
    ).select_related("customer", "technician", "appliance")
    return _page(rows.order_by("scheduled_for", "id"), page)


@dataclass(frozen=True)
class TodayCounts:
    """How many things wait for a person, per section, each counted up to COUNT_CAP + 1;
    `total` is the header badge."""

    reminders: int
    messages: int
    drafts: int
    low_scores: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.reminders + self.messages + self.drafts + self.low_scores + self.unanswered

    @property
    def total_shown(self) -> str:
        """The badge's text: `1,000+` past the cap (one section past it is enough)."""
        return count_shown(self.total, COUNT_CAP)


def today_counts(*, now: dt.datetime | None = None) -> TodayCounts:
    """The five counts in one query (a scalar subquery each, counting up to COUNT_CAP + 1):
    cheap enough for every page's header, which loads it after the page."""
    today = company_today()
    parts = [
        capped_count_sql(rows, COUNT_CAP)
        for rows in (
            _due_reminders(today), _messages_needing_person(), _drafts(), _low_scores(),
            _unanswered(now or timezone.now()),
        )
    ]  # fmt: skip
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        row = cursor.fetchone()
    return TodayCounts(*(int(value or 0) for value in row))
