"""Prompt rendering: the plan's templates as versioned Jinja2 files in a sandbox.

Customer-written text (messages, reviews, job notes, issue descriptions) is wrapped in
`CustomerText` by the context selectors; the sandbox refuses to print it unless it goes
through the `data` filter, which strips control, zero-width and bidi characters, removes
anything that looks like a data-block marker, flattens newlines and truncates. Templates put
every `|data` inside a `<<<DATA>>> ... <<<END DATA>>>` block (tests check each feature).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

PROMPTS_DIR = Path(__file__).parent / "prompts"
DATA_OPEN = "<<<DATA>>>"
DATA_CLOSE = "<<<END DATA>>>"
MESSAGE_MAX_CHARS = 400
FIELD_MAX_CHARS = 120
# Control (Cc), format (Cf: zero-width, bidi overrides, BOM), surrogates, private use, unassigned.
STRIPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
MARKER_LIKE = re.compile(r"<{3,}|>{3,}")
LINE_BREAKS = frozenset("\n\r\t\v\f\u2028\u2029\x1c\x1d\x1e\x85")


class CustomerText(str):
    """Text someone outside the company may have written: printed only through `|data`."""


class CleanData(str):
    """CustomerText after the `data` filter: safe to print inside a data block."""


def clean_text(value: str, *, limit: int) -> str:
    """Printable single-line text: no control/bidi/zero-width characters, at most `limit`."""
    if value.isprintable():  # the common case: no Cc/Cf/Cs/Co/Cn, no separator but space
        flat = value
    else:
        flat = "".join(
            " " if ch in LINE_BREAKS else ch
            for ch in value
            if ch in LINE_BREAKS or unicodedata.category(ch) not in STRIPPED_CATEGORIES
        )
    flat = " ".join(MARKER_LIKE.sub(" ", flat).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _data(value: Any) -> CleanData:
    return CleanData(clean_text(str(value), limit=MESSAGE_MAX_CHARS))


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "unknown"
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _money(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def _finalize(value: Any) -> Any:
    if isinstance(value, CleanData):
        return value
    if isinstance(value, CustomerText):
        raise SecurityError("customer-written text must go through |data inside a data block")
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return clean_text(value, limit=FIELD_MAX_CHARS)
    return value


@functools.cache
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(data=_data, date=_date, money=_money)
    env.globals.update(DATA_OPEN=CleanData(DATA_OPEN), DATA_CLOSE=CleanData(DATA_CLOSE))
    return env


@functools.cache
def template_id(name: str) -> str:
    """The file name (which carries the version) plus a hash of its text."""
    source, _, _ = environment().loader.get_source(environment(), name)  # type: ignore[union-attr]
    return f"{name}#{hashlib.sha256(source.encode()).hexdigest()[:12]}"


def render(name: str, **variables: Any) -> str:
    """Render a prompt template; raises on a missing variable or unsafe use of customer text."""
    return environment().get_template(name).render(**variables).strip() + "\n"
