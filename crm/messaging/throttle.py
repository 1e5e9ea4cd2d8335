"""Provider limits, shared by every consumer: one send at a time per channel and account.

Each (channel, sending account) has a "next free moment". Taking a turn reserves that moment
and moves it on by `(1 + MARGIN) / limit` seconds, so sends are spaced evenly and any second
holds at most `limit` of them, also as the provider counts them: the margin absorbs up to
~MARGIN seconds of difference in how long two requests take to arrive. A turn further away
than `max_wait_s` is refused: the dispatcher gives the message back to the outbox for that
moment instead of holding it. A provider's 429 moves the next free moment to the end of the
pause it asked for, for every consumer at once.

The moment lives in Redis when REDIS_URL is set (a Lua script on the server's clock, atomic),
else in the database (a row locked FOR UPDATE; on SQLite the single writer serialises it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.customers.models import MessageChannel
from crm.messaging.models import ChannelThrottle

MARGIN = 0.05
MAX_WAIT_S = 10.0
KEY_PREFIX = "servicecrm:throttle:"
KEY_TTL_S = 3600

_TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
local wait = free - now
if wait > tonumber(ARGV[2]) then return {0, tostring(wait)} end
redis.call('SET', KEYS[1], string.format('%.6f', free + tonumber(ARGV[1])), 'EX', ARGV[3])
return {1, tostring(wait)}
"""
_PAUSE = """
local clock = redis.call('TIME')
local until_ = tonumber(clock[1]) + tonumber(clock[2]) / 1000000 + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'EX', ARGV[2])
end
return 1
"""


@dataclass(frozen=True)
class Turn:
    """Granted: send after `wait_s` seconds. Refused: the line is `wait_s` seconds long."""

    granted: bool
    wait_s: float


def send_rate_limit(channel: str) -> int:
    """Sends a second the provider of `channel` takes (SMS_MAX_PER_SECOND ...)."""
    limits = {
        MessageChannel.SMS: settings.SMS_MAX_PER_SECOND,
        MessageChannel.WHATSAPP: settings.WHATSAPP_MAX_PER_SECOND,
        MessageChannel.EMAIL: settings.EMAIL_MAX_PER_SECOND,
    }
    return max(1, int(limits.get(MessageChannel(channel), 1)))


def _interval(per_second: int) -> float:
    return (1 + MARGIN) / per_second


@cache
def _redis(url: str) -> Any:
    client = redis.Redis.from_url(url)
    return client, client.register_script(_TAKE), client.register_script(_PAUSE)


def throttle_turn_take(*, key: str, per_second: int, max_wait_s: float = MAX_WAIT_S) -> Turn:
    """Reserve the next free moment of `key` unless it is more than `max_wait_s` away."""
    if settings.REDIS_URL:
        _, take, _ = _redis(settings.REDIS_URL)
        granted, wait = take(
            keys=[KEY_PREFIX + key], args=[_interval(per_second), max_wait_s, KEY_TTL_S]
        )
        return Turn(bool(granted), max(0.0, float(wait)))
    return _database_turn(key, per_second, max_wait_s)


def throttle_pause(*, key: str, seconds: float) -> None:
    """Nobody sends on `key` for `seconds` (the provider asked for it)."""
    if settings.REDIS_URL:
        _, _, pause = _redis(settings.REDIS_URL)
        pause(keys=[KEY_PREFIX + key], args=[seconds, KEY_TTL_S])
        return
    until = timezone.now() + dt.timedelta(seconds=seconds)
    with transaction.atomic():
        _ensure(key)
        ChannelThrottle.objects.filter(key=key, next_free_at__lt=until).update(next_free_at=until)


def _ensure(key: str) -> None:
    ChannelThrottle.objects.bulk_create(
        [ChannelThrottle(key=key, next_free_at=timezone.now())], ignore_conflicts=True
    )


def _database_turn(key: str, per_second: int, max_wait_s: float) -> Turn:
    with transaction.atomic():
        _ensure(key)
        row = ChannelThrottle.objects.select_for_update().get(key=key)
        now = timezone.now()
        free = max(row.next_free_at, now)
        wait = (free - now).total_seconds()
        if wait > max_wait_s:
            return Turn(False, wait)
        row.next_free_at = free + dt.timedelta(seconds=_interval(per_second))
        row.save(update_fields=["next_free_at"])
    return Turn(True, wait)
