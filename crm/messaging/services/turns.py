"""What the dispatcher checks right before a send, across consumers: the provider's limit (a
turn on the channel's sending account, crm/messaging/throttle.py) and, for marketing, the
frequency cap read again under a per-customer lock.

The cap must hold however many consumers run: two consumers may each claim a marketing
message for the same customer in the same instant, and each batch's copy of "last marketing
send" is blind to the other. So a marketing send takes a transaction-scoped lock on the
customer (a PostgreSQL advisory lock: it blocks nothing but this check), reads the last
marketing send from the database, sends, and records the send before the lock is released:
the second consumer then sees the first send and defers.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.customers.models import Customer
from crm.messaging.channels.base import Channel
from crm.messaging.models import (
    HANDED_OVER_STATUSES,
    EventKind,
    MessageStatus,
    Purpose,
    ScheduledMessage,
)
from crm.messaging.services.transitions import status_move
from crm.messaging.throttle import send_rate_limit, throttle_pause, throttle_turn_take

MARKETING_LOCK_SPACE = 7301  # first key of the advisory lock pair: "marketing cap, customer"


def throttle_key(message: ScheduledMessage, channel: Channel) -> str:
    """'' when the channel is not throttled (nothing leaves the machine)."""
    account = channel.throttle_account
    return f"{message.channel}:{account}" if account else ""


def turn_wait(message: ScheduledMessage, channel: Channel) -> dt.datetime | None:
    """Wait for this send's turn on the provider's limit (a pause after a 429 included) and
    return None; or, when the line is longer than the throttle's wait, the moment to come back.
    The shared state is asked every time: it is one round trip, and a batch that remembered a
    long line would give back rows whose turn has meanwhile come."""
    key = throttle_key(message, channel)
    if not key:
        return None
    turn = throttle_turn_take(key=key, per_second=send_rate_limit(message.channel))
    if not turn.granted:
        return timezone.now() + dt.timedelta(seconds=turn.wait_s)
    time.sleep(turn.wait_s)
    return None


def channel_pause(message: ScheduledMessage, channel: Channel, seconds: float) -> dt.datetime:
    """The provider answered 429: nobody sends on this account for `seconds`."""
    key = throttle_key(message, channel) or f"{message.channel}:"
    throttle_pause(key=key, seconds=seconds)
    return timezone.now() + dt.timedelta(seconds=seconds)


def message_hand_back(*, message: ScheduledMessage, until: dt.datetime, reason: str) -> bool:
    """Back to Scheduled for `until`, attempts unchanged: nothing was sent."""
    return status_move(
        message=message, from_statuses=[MessageStatus.SENDING], to_status=MessageStatus.SCHEDULED,
        kind=EventKind.DEFERRED, detail=f"{reason} Back in the outbox for {until:%H:%M:%S %Z}.",
        send_at=until, claim_token="", sending_started_at=None,
    )  # fmt: skip


def marketing_lock(*, customer_id: int) -> None:
    """Serialise marketing sends to one customer until the caller's transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [MARKETING_LOCK_SPACE, customer_id]
            )
    else:  # SQLite has one writer at a time; elsewhere the customer's row is the lock
        list(Customer.objects.select_for_update().filter(pk=customer_id).values_list("pk"))


def marketing_last_sent_at(*, message: ScheduledMessage) -> dt.datetime | None:
    """The customer's latest marketing send other than this one, read from the database;
    an Unknown one counts from when its send began (it may have gone out)."""
    others = ScheduledMessage.objects.filter(
        Q(status__in=HANDED_OVER_STATUSES, sent_at__isnull=False) | Q(status=MessageStatus.UNKNOWN),
        customer_id=message.customer_id, purpose=Purpose.MARKETING,
    ).exclude(pk=message.pk)  # fmt: skip
    last: dt.datetime | None = others.aggregate(
        last=Max(Coalesce("sent_at", "sending_started_at"))
    )["last"]
    return last
