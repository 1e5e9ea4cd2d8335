"""Today's messages section: the messages a person must settle, and the due messages still
going out per channel with when they should be done at the provider's limit.

Both come from one aggregate over the rows Today already asks about (needing a person, due and
waiting, being sent: each has its partial index), which also counts the page's rows, so the
section still costs a count query and a page query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Min, Q
from django.utils import timezone

from crm.customers.models import MessageChannel
from crm.messaging.channels import channel_for
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.throttle import MARGIN, send_rate_limit
from crm.office.selectors.today import today_messages


@dataclass(frozen=True)
class ChannelQueue:
    """One channel's due messages still waiting to go out: how many, due since when, the
    provider's limit (None: not throttled, nothing leaves the machine), the expected finish."""

    channel: str
    waiting: int
    due_since: dt.datetime
    per_second: int | None
    finishes_at: dt.datetime
    percent_done: int


@dataclass(frozen=True)
class TodayOutbox:
    rows: Page[ScheduledMessage]
    queues: list[ChannelQueue]


def _queue(channel: str, waiting: int, since: dt.datetime, now: dt.datetime) -> ChannelQueue:
    limit = send_rate_limit(channel) if channel_for(channel).throttle_account else None
    left_s = waiting * (1 + MARGIN) / limit if limit else 0.0
    finishes = now + dt.timedelta(seconds=left_s)
    elapsed_s = max((now - since).total_seconds(), 0.0)
    done = 100 if elapsed_s + left_s == 0 else round(100 * elapsed_s / (elapsed_s + left_s))
    return ChannelQueue(channel, waiting, since, limit, finishes, done)


def today_outbox(*, page: int = 1, now: dt.datetime | None = None) -> TodayOutbox:
    """Messages whose outcome a person must settle (Unknown) or act on (Failed), latest change
    first (counted up to the cap, as every Today section), and per channel the due messages
    still going out (Scheduled and due, or Sending)."""
    now = now or timezone.now()
    channels = list(MessageChannel.values)
    going = Q(status=MessageStatus.SCHEDULED, send_at__lte=now) | Q(status=MessageStatus.SENDING)
    totals: dict[str, Any] = {}
    for index, channel in enumerate(channels):
        totals[f"waiting_{index}"] = Count("id", filter=Q(channel=channel))
        totals[f"since_{index}"] = Min("send_at", filter=Q(channel=channel))
    found = ScheduledMessage.objects.filter(going).aggregate(**totals)
    queues = [
        _queue(channel, found[f"waiting_{index}"], found[f"since_{index}"], now)
        for index, channel in enumerate(channels)
        if found[f"waiting_{index}"]
    ]
    return TodayOutbox(today_messages(page=page), queues)
