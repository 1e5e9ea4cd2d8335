"""API shapes shared by every app: camelCase schemas, money/date types, the error body."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils import timezone
from ninja import Path, Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictInt,
    WithJsonSchema,
    field_validator,
)
from pydantic.alias_generators import to_camel

from crm.core.money import amount_problem

MAX_MONEY = Decimal("9999999999.99")
MAX_HOURS = Decimal("9999.99")  # Job.labor_hours: six digits, two places
MAX_ID = 2**53  # the largest integer a JavaScript client holds exactly
MAX_PAGE = 100_000
# Aware datetimes far from today overflow when converted to UTC (year 1, year 9999).
DATETIME_YEARS = (1900, 2999)


def storable_text(value: Any) -> Any:
    """Refuse NUL and lone surrogates anywhere in `value`: no database column can store them."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("must be valid Unicode text") from None
    elif isinstance(value, list | tuple):
        for item in value:
            storable_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            storable_text(key)
            storable_text(item)
    return value


class CamelSchema(Schema):
    """Fields are snake_case in Python and camelCase on the wire (the plan's names)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class OutSchema(CamelSchema):
    """Responses: read from objects by Python attribute name only; camelCase on the wire.

    Reading by alias first would make every camelCase field miss on the model and fall back to
    ninja's template-variable lookup: about 3 ms of a customer page's 20.
    """

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=False
    )


class InSchema(CamelSchema):
    """Request bodies: unknown fields are refused, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable_text(value)


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


AMOUNT_PROBLEMS = {
    "not_finite": "must be a finite amount",
    "places": "must have at most two decimal places",
    "negative": "must not be negative",
    "too_large": "is too large",
}


def _two_place_decimal(value: Any, *, maximum: Decimal, example: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"must be an amount such as {example} (a string or a number)")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"must be an amount such as {example}") from None
    problem = amount_problem(amount, maximum=maximum)
    if problem is not None:
        raise ValueError(AMOUNT_PROBLEMS[problem])
    return amount.quantize(Decimal("0.01"))


def _money(value: Any) -> Decimal:
    return _two_place_decimal(value, maximum=MAX_MONEY, example="150.00")


def _hours(value: Any) -> Decimal:
    return _two_place_decimal(value, maximum=MAX_HOURS, example="1.50")


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
    if not DATETIME_YEARS[0] <= parsed.year <= DATETIME_YEARS[1]:
        raise ValueError(f"must be between the years {DATETIME_YEARS[0]} and {DATETIME_YEARS[1]}")
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

_HOURS_IN_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{1,4}(\.\d{1,2})?$"},
        {"type": "number", "minimum": 0, "maximum": float(MAX_HOURS)},
    ]
}

MoneyIn = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_IN_SCHEMA)]
HoursIn = Annotated[Decimal, BeforeValidator(_hours), WithJsonSchema(_HOURS_IN_SCHEMA)]
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
# Decimals that are not money (years, ratios): JSON numbers, as a reader expects of them.
NumberOut = Annotated[
    Decimal, PlainSerializer(float, return_type=float), WithJsonSchema({"type": "number"})
]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
# Query strings and paths are text, so "12" is an id there; bodies keep strict ids.
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


def text(max_length: int) -> Any:
    """A string field with a length limit that the API enforces and documents."""
    return Field(max_length=max_length)


def optional(**constraints: Any) -> Any:
    """A field that may be left out of a partial update, but not sent as null."""
    return Field(default=None, **constraints)


class CustomerIdQuery(CamelSchema):
    """`?customerId=` on list endpoints: required."""

    customer_id: QueryId
