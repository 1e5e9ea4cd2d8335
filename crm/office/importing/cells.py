"""One cell at a time: text to a value for our field, or the reason it cannot be one."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from crm.core.choices import ApplianceType
from crm.core.company import company
from crm.core.dates import company_today
from crm.core.errors import ValidationFailed
from crm.core.money import amount_problem
from crm.core.phones import phone_normalize
from crm.core.schemas import MAX_MONEY
from crm.customers.models import ContactMethod
from crm.customers.preferences import language_clean, timezone_clean
from crm.jobs.models import PaymentMethod
from crm.office.importing.presets import header_key


class CellError(Exception):
    """Why a cell's text is not a value for its field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _words(choices: type[Any], extra: dict[str, str]) -> dict[str, str]:
    """Each choice by its value and its label, plus other systems' words for it."""
    words = {header_key(str(value)): str(value) for value in choices.values}
    words |= {header_key(str(label)): str(value) for value, label in choices.choices}
    return words | {header_key(word): value for word, value in extra.items()}


CONTACT_METHODS = _words(ContactMethod, {"text": "SMS", "call": "Phone", "mobile": "Phone"})
APPLIANCE_TYPES = _words(ApplianceType, {
    "washer": "WashingMachine", "fridge": "Refrigerator", "oven": "OvenRange",
    "range": "OvenRange", "stove": "OvenRange", "cooktop": "OvenRange", "ac": "AirConditioner",
    "a/c": "AirConditioner", "air conditioning": "AirConditioner", "hvac": "AirConditioner",
    "boiler": "WaterHeater", "tumble dryer": "Dryer", "dish washer": "Dishwasher",
})  # fmt: skip
PAYMENT_METHODS = _words(PaymentMethod, {
    "credit card": "Card", "debit card": "Card", "credit": "Card", "debit": "Card",
    "cheque": "Check", "bank": "BankTransfer", "ach": "BankTransfer", "wire": "BankTransfer",
    "transfer": "BankTransfer", "apple pay": "MobileWallet", "google pay": "MobileWallet",
    "wallet": "MobileWallet",
})  # fmt: skip
YES = {"yes", "y", "true", "1", "x", "optedin", "subscribed"}
NO = {"no", "n", "false", "0", "optedout", "unsubscribed"}
# Slashed dates are read month first in countries that write them so (and day first elsewhere).
MONTH_FIRST_COUNTRIES = {"US", "PH", "FM", "MH", "PW"}


def text(limit: int) -> Callable[[str], str]:
    """Plain text up to `limit` characters."""

    def clean(raw: str) -> str:
        if len(raw) > limit:
            raise CellError(f"longer than {limit} characters")
        return raw

    return clean


def choice(words: dict[str, str], what: str) -> Callable[[str], str]:
    """One of a set of values, by its name or a common word for it."""
    accepted = ", ".join(sorted(set(words.values())))

    def clean(raw: str) -> str:
        value = words.get(header_key(raw))
        if value is None:
            raise CellError(f"unknown {what} {raw!r} (accepted: {accepted})")
        return value

    return clean


def phone(raw: str) -> str:
    try:
        return phone_normalize(raw)
    except ValidationFailed as error:
        raise CellError(f"bad phone number: {error.message}") from None


def email(raw: str) -> str:
    value = raw.lower()
    if len(value) > 254:
        raise CellError("email address longer than 254 characters")
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"bad email address {raw!r}") from None
    return value


def _date_formats() -> tuple[str, ...]:
    slashed = "%m/%d/%Y" if company().country.upper() in MONTH_FIRST_COUNTRIES else "%d/%m/%Y"
    return (slashed, slashed.replace("%Y", "%y"), slashed.replace("/", "."), "%d %b %Y", "%b %d %Y")


@functools.lru_cache(maxsize=1)
def _today(minute: int) -> dt.date:
    """The company's today, read once a minute (not once per cell of a 100,000-row file)."""
    return company_today()


def past_date(raw: str) -> dt.date:
    """A date not after today: ISO (2024-03-31, with or without a time) or slashed."""
    value = None
    if re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(raw[:10])
    for fmt in _date_formats() if value is None else ():
        try:
            value = dt.datetime.strptime(raw.replace(",", ""), fmt).date()
            break
        except ValueError:
            continue
    if value is None:
        raise CellError(f"bad date {raw!r} (use YYYY-MM-DD)")
    if value > _today(int(time.time() // 60)):
        raise CellError(f"date {raw!r} is in the future")
    return value


def amount(raw: str) -> Decimal:
    """Money with at most two places: "$1,250.00" and "1250" alike; not negative."""
    plain = re.sub(r"[\s,]", "", raw).replace(company().currency_symbol, "").replace("$", "")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise CellError(f"bad amount {raw!r}") from None
    problem = amount_problem(value, maximum=MAX_MONEY)
    if problem in {"not_finite", "places"}:
        raise CellError(f"bad amount {raw!r} (at most two decimal places)")
    if problem == "negative":
        raise CellError(f"negative amount {raw!r}")
    if problem == "too_large":
        raise CellError(f"amount {raw!r} is too large")
    return value


def yes_no(raw: str) -> bool:
    key = header_key(raw)
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(f"{raw!r} is not yes or no")


def _refusal(check: Callable[[str], str]) -> Callable[[str], str]:
    def clean(raw: str) -> str:
        try:
            return check(raw)
        except ValidationFailed as error:
            raise CellError(error.message) from None

    return clean


CLEANERS: dict[str, Callable[[str], Any]] = {
    "name": text(200), "first_name": text(100), "last_name": text(100), "company": text(200),
    "phone": phone, "email": email, "address": text(1000), "street": text(200),
    "street2": text(200), "city": text(100), "state": text(100), "zip": text(20),
    "preferred_contact_method": choice(CONTACT_METHODS, "contact method"),
    "language": _refusal(language_clean), "timezone": _refusal(timezone_clean),
    "customer_since": past_date, "notes": text(10_000),
    "marketing_email": yes_no, "marketing_sms": yes_no, "marketing_whatsapp": yes_no,
    "appliance_type": choice(APPLIANCE_TYPES, "appliance type"),
    "appliance_brand": text(100), "appliance_model": text(100), "appliance_serial": text(100),
    "appliance_install_date": past_date,
    "job_date": past_date, "job_description": text(5000), "job_amount": amount,
    "payment_method": choice(PAYMENT_METHODS, "payment method"),
}  # fmt: skip
