"""What may stop a call before it is made: concurrency, the monthly budget, the rate limit.

Rate limit: a per-minute counter row in the database, admitted by a conditional UPDATE
(`count < limit`), so every web process and worker on every machine shares it exactly, on
SQLite and PostgreSQL alike. (The Django cache was the other candidate; its file backend,
our embedded default, increments non-atomically across processes.) It is a fixed window:
at a minute boundary up to twice the limit can start within a few seconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from crm.llm.models import LLMCall, RateLimitWindow
from crm.llm.prices import model_price

RATE_LIMIT_NAME = "llm"
_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    size = max(1, settings.LLM_MAX_CONCURRENT)
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


@contextmanager
def call_slot() -> Iterator[bool]:
    """A slot among LLM_MAX_CONCURRENT calls in flight in this process, without waiting.

    A call holds a web thread for as long as the model thinks; capping them below the
    server's thread count keeps threads free for pages.
    """
    semaphore = _semaphore()
    admitted = semaphore.acquire(blocking=False)
    try:
        yield admitted
    finally:
        if admitted:
            semaphore.release()


def month_start(now: dt.datetime) -> dt.datetime:
    """Midnight on the first of `now`'s month in the company time zone."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_spend_usd(*, now: dt.datetime | None = None) -> Decimal:
    """Cost of this month's calls so far."""
    start = month_start(now or timezone.now())
    total = LLMCall.objects.filter(created_at__gte=start).aggregate(total=Sum("cost_usd"))
    return total["total"] or Decimal("0")


def budget_left(*, now: dt.datetime | None = None) -> bool:
    """True while this month's spend is under LLM_MONTHLY_BUDGET_USD (0 means no limit)."""
    budget: Decimal = settings.LLM_MONTHLY_BUDGET_USD
    return budget <= 0 or month_spend_usd(now=now) < budget


def rate_limit_admit(*, now: dt.datetime | None = None) -> bool:
    """Count one request in this minute's window if LLM_MAX_REQUESTS_PER_MINUTE allows it."""
    window = (now or timezone.now()).replace(second=0, microsecond=0)
    if _count_one(window):
        return True
    # No row counted: the window is full, or this minute's row does not exist yet (another
    # process may be creating it right now, so count again either way).
    _, created = RateLimitWindow.objects.get_or_create(name=RATE_LIMIT_NAME, window_start=window)
    if created:
        RateLimitWindow.objects.filter(window_start__lt=window - dt.timedelta(hours=1)).delete()
    return _count_one(window)


def _count_one(window: dt.datetime) -> bool:
    """The conditional UPDATE: one row changes only while the count is under the limit."""
    return (
        RateLimitWindow.objects.filter(
            name=RATE_LIMIT_NAME,
            window_start=window,
            count__lt=settings.LLM_MAX_REQUESTS_PER_MINUTE,
        ).update(count=F("count") + 1)
        == 1
    )


def call_cost_usd(*, input_tokens: int, output_tokens: int) -> Decimal:
    """Tokens priced per thousand: LLM_PRICE_*_PER_1K, else the model's shipped list price."""
    price = model_price(
        provider=settings.LLM_PROVIDER.strip().lower(),
        model=settings.LLM_MODEL.strip(),
        base_url=settings.LLM_BASE_URL.strip(),
    )
    if price is None:  # only with LLM_MONTHLY_BUDGET_USD=0: the call is logged without a cost
        return Decimal("0.000000")
    cost = (
        Decimal(input_tokens) * price.input_per_1k + Decimal(output_tokens) * price.output_per_1k
    ) / 1000
    return cost.quantize(Decimal("0.000001"))
