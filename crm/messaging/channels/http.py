"""A small HTTP POST for the channel adapters that tells 'nothing went out' from 'maybe sent'."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crm.messaging.channels.base import TransientSendError, UncertainSendError

DEFAULT_RETRY_AFTER_S = 1.0
RETRY_AFTER_MAX_S = 3600.0


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]
    retry_after_s: float = DEFAULT_RETRY_AFTER_S  # the Retry-After header, when it says


def _retry_after(value: str | None) -> float:
    """Retry-After in seconds (the HTTP-date form, which providers do not use here, and
    anything unreadable fall back to the default)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER_S
    return min(max(seconds, 0.0), RETRY_AFTER_MAX_S)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {"raw": raw[:500].decode("utf-8", "replace")}
    return parsed if isinstance(parsed, dict) else {"raw": parsed}


def http_post(
    url: str, *, data: bytes, headers: dict[str, str], timeout_s: float,
    before: Callable[[], None] = lambda: None,
) -> HttpAnswer:  # fmt: skip
    """POST and parse the JSON answer (any status).

    urllib wraps failures while *sending* the request in URLError (nothing was processed:
    retry is safe) but lets failures while *waiting for the answer* through as OSError: the
    provider may have accepted the message, so that one is uncertain.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Refusing to POST to {url!r}: only http(s) URLs are used.")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    before()  # the send's turn on the provider's limit, as late as possible
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            return HttpAnswer(response.status, _json(response.read()))
    except urllib.error.HTTPError as error:
        wait = _retry_after(error.headers.get("Retry-After"))
        return HttpAnswer(error.code, _json(error.read()), wait)
    except urllib.error.URLError as error:
        raise TransientSendError(f"Could not reach {url.split('?')[0]}: {error.reason}") from error
    except OSError as error:
        raise UncertainSendError(
            f"No answer from {url.split('?')[0]} after sending ({error!r}); it may have gone out."
        ) from error
