"""Checks shared by the features: money quoted in text must come from the data, no links."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from crm.core.company import company

CENT = Decimal("0.01")
UNIT = Decimal("1")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?"


def _amount_pattern() -> re.Pattern[str]:
    symbol = re.escape(company().currency_symbol)
    return re.compile(
        rf"{symbol}\s?-?{NUMBER}|\b{NUMBER}\s?(?:USD|dollars?)\b|\bUSD\s?{NUMBER}", re.IGNORECASE
    )


def quoted_amounts(text: str) -> list[Decimal]:
    """Every amount of money written in `text` ($1,234.50, 120 dollars, USD 80)."""
    amounts = []
    for match in _amount_pattern().finditer(text):
        groups = [g for g in match.groups() if g is not None]
        whole, fraction = groups[0], groups[1] if len(groups) > 1 else ""
        try:
            amounts.append(Decimal(whole.replace(",", "") + fraction).quantize(CENT))
        except InvalidOperation:
            continue
    return amounts


def _decimals(value: Any) -> list[Decimal]:
    if is_dataclass(value) and not isinstance(value, type):
        return [d for f in fields(value) for d in _decimals(getattr(value, f.name))]
    if isinstance(value, dict):
        return [d for item in value.values() for d in _decimals(item)]
    if isinstance(value, list | tuple):
        return [d for item in value for d in _decimals(item)]
    return [value] if isinstance(value, Decimal) else []


def allowed_amounts(context: Any) -> set[Decimal]:
    """Amounts in the context, to the cent and to the whole unit (rounded or cut)."""
    allowed = set()
    for value in _decimals(context):
        exact = abs(value).quantize(CENT)
        allowed |= {
            exact,
            exact.quantize(UNIT, rounding=ROUND_HALF_UP).quantize(CENT),
            exact.quantize(UNIT, rounding=ROUND_DOWN).quantize(CENT),
        }
    return allowed


def invented_amounts(text: str, context: Any) -> list[str]:
    """One problem per amount of money in `text` that the context does not contain."""
    allowed = allowed_amounts(context)
    return [
        f"the amount {company().currency_symbol}{amount:,.2f} is not in the customer's data"
        for amount in quoted_amounts(text)
        if amount not in allowed
    ]


def links(text: str) -> list[str]:
    return ["the answer contains a link"] if URL.search(text) else []


def too_long(text: str, *, words: int) -> list[str]:
    count = len(text.split())
    return [f"the answer has {count} words (limit {words})"] if count > words else []


def text_problems(text: str, context: Any, *, words: int) -> list[str]:
    """The checks every written answer gets: amounts from the data, no links, length."""
    return invented_amounts(text, context) + links(text) + too_long(text, words=words)
