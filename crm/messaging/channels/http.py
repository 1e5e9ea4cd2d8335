"""A small HTTP POST for the channel adapters that tells 'nothing went out' from 'maybe sent'."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from crm.messaging.channels.base import TransientSendError, UncertainSendError


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]


def _json(raw: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {"raw": raw[:500].decode("utf-8", "replace")}
    return parsed if isinstance(parsed, dict) else {"raw": parsed}


def http_post(url: str, *, data: bytes, headers: dict[str, str], timeout_s: float) -> HttpAnswer:
    """POST and parse the JSON answer (any status).

    urllib wraps failures while *sending* the request in URLError (nothing was processed:
    retry is safe) but lets failures while *waiting for the answer* through as OSError: the
    provider may have accepted the message, so that one is uncertain.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Refusing to POST to {url!r}: only http(s) URLs are used.")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            return HttpAnswer(response.status, _json(response.read()))
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, _json(error.read()))
    except urllib.error.URLError as error:
        raise TransientSendError(f"Could not reach {url.split('?')[0]}: {error.reason}") from error
    except OSError as error:
        raise UncertainSendError(
            f"No answer from {url.split('?')[0]} after sending ({error!r}); it may have gone out."
        ) from error
