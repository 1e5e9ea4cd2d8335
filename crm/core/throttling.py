"""Who is calling (the client's address) and how often: limits for the public doors.

The login pages are guarded by django-axes (failures per username and per address, kept in the
database); the public endpoints that need no login (survey and unsubscribe links, webhooks) get a
plain per-address request budget here, counted in Django's cache (Redis when REDIS_URL is set,
so every web process shares the count).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
WINDOW_S = 60
# Where a request carries no usable address: all such requests share one budget.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 (no bind: the unspecified address stands for unknown)


def client_address(request: HttpRequest) -> str:
    """The caller's IP address: REMOTE_ADDR, or what our own proxy appended when BEHIND_PROXY.

    Only the last X-Forwarded-For entry is trusted: the proxy appends the address it saw, while
    anything before it was written by the client and can be forged. Whatever is not an IP
    address (a missing REMOTE_ADDR, a proxy passing junk on) counts as UNKNOWN_ADDRESS: the
    login lock-out stores it in an IP column, where any other text fails on PostgreSQL.
    """
    candidates = [str(request.META.get("REMOTE_ADDR", "") or "")]
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        candidates.insert(0, forwarded.rsplit(",", 1)[-1].strip())
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return UNKNOWN_ADDRESS


def _over_budget(scope: str, address: str, per_minute: int) -> int:
    """Count one request of `address` in `scope`; the seconds to wait when over the budget."""
    now = int(time.time())
    window = now // WINDOW_S
    key = f"throttle:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=WINDOW_S + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=WINDOW_S + 5)
        count = 1
    if count <= per_minute:
        return 0
    return (window + 1) * WINDOW_S - now


def per_address_limit(
    scope: str, setting: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a caller with 429 (and Retry-After) past `settings.<setting>` requests a minute.

    0 turns the limit off. The setting is read on each request, so tests can narrow it.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            per_minute: int = getattr(settings, setting)
            if per_minute > 0:
                address = client_address(request)
                wait_s = _over_budget(scope, address, per_minute)
                if wait_s:
                    logger.warning("Throttled %s from %s (%s a minute)", scope, address, per_minute)
                    response = HttpResponse(
                        "Too many requests; try again in a minute.",
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(wait_s)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
