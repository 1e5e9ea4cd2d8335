"""Keys for the store of results: canonical JSON hashed, so equal inputs give equal keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from typing import Any

from crm.llm.ports import LLMRequest, Provider


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, Decimal and dates as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_plain)


def digest(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def cache_key(*, provider: Provider, template_id: str, request: LLMRequest) -> str:
    """Provider, endpoint, model, template version, rendered prompt, schema and token cap.

    The token cap is part of the key: a truncated answer must not serve a larger request.
    """
    return digest(
        {
            "provider": provider.name,
            "base_url": provider.base_url,
            "model": provider.model,
            "template": template_id,
            "system": request.system,
            "user": request.user,
            "schema": request.json_schema,
            "max_output_tokens": request.max_output_tokens,
        }
    )
