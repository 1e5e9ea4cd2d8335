"""Rows for every section of Today, made with the apps' factories."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.tests.factories import ActivityFactory
from crm.core.dates import company_today
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.reviews.models import FollowUpStatus
from crm.reviews.tests.factories import ServiceFollowUpFactory


def tomorrow_at(hour: int) -> dt.datetime:
    """Tomorrow at `hour` o'clock, company time."""
    day = company_today() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def today_rows(count: int) -> None:
    """`count` rows in each of Today's six sections."""
    for number in range(count):
        ReminderFactory(due_date=company_today() - dt.timedelta(days=number % 3))
        status = MessageStatus.FAILED if number % 2 else MessageStatus.UNKNOWN
        ScheduledMessageFactory(status=status, last_error="Provider timed out.")
        ScheduledMessageFactory(status=MessageStatus.DRAFT, source=MessageSource.GREETING)
        ServiceFollowUpFactory(
            status=FollowUpStatus.COMPLETED, satisfaction_rating=1 + number % 2,
            feedback="Still noisy.",
        )  # fmt: skip
        ActivityFactory(
            kind=ActivityKind.WHATSAPP, direction=Direction.INBOUND, content="Any news?",
            occurred_at=timezone.now() - dt.timedelta(days=3, minutes=number),
        )  # fmt: skip
        JobFactory(scheduled_for=tomorrow_at(9 + number % 8))
