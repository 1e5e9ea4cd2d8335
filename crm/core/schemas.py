"""API shapes shared by every app: camelCase schemas, money/date types, the error body."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, PlainSerializer, StrictInt, WithJsonSchema
from pydantic.alias_generators import to_camel

MAX_MONEY = Decimal("9999999999.99")


class CamelSchema(Schema):
    """Fields are snake_case in Python and camelCase on the wire (the plan's names)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class InSchema(CamelSchema):
    """Request bodies: unknown fields are refused, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be an amount such as 150.00 (a string or a number)")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("must be an amount such as 150.00") from None
    if not amount.is_finite():
        raise ValueError("must be a finite amount")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("must have at most two decimal places")
    if amount < 0:
        raise ValueError("must not be negative")
    if amount > MAX_MONEY:
        raise ValueError("is too large")
    return amount.quantize(Decimal("0.01"))


def _strict_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date in ISO 8601 form, e.g. 2026-11-23")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date in ISO 8601 form, e.g. 2026-11-23") from None


def _aware_datetime(value: Any) -> dt.datetime:
    """ISO datetime with offset; a plain date means midnight in the company time zone."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                "must be an ISO 8601 datetime such as 2026-11-23T09:30:00+00:00"
            ) from None
    else:
        raise ValueError("must be an ISO 8601 datetime such as 2026-11-23T09:30:00+00:00")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _two_places(value: Decimal) -> str:
    return f"{value:.2f}"


_MONEY_IN_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$"},
        {"type": "number", "minimum": 0},
    ]
}

MoneyIn = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_IN_SCHEMA)]
MoneyOut = Annotated[
    Decimal,
    PlainSerializer(_two_places, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["150.00"]}),
]
DateIn = Annotated[
    dt.date, BeforeValidator(_strict_date), WithJsonSchema({"type": "string", "format": "date"})
]
DateTimeIn = Annotated[
    dt.datetime,
    BeforeValidator(_aware_datetime),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
    ),
]
Id = Annotated[StrictInt, Field(ge=1, le=2**53)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


def text(max_length: int) -> Any:
    """A string field with a length limit that the API enforces and documents."""
    return Field(max_length=max_length)
