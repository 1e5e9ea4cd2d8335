"""Phone numbers in one form: E.164 at write, so consent, STOP and search follow the number."""

from __future__ import annotations

import phonenumbers

from crm.core.company import company
from crm.core.errors import ValidationFailed


def phone_normalize(raw: str, *, region: str | None = None, field: str = "phone") -> str:
    """The number in E.164 ('+15551234567'); '' stays ''; anything unparseable is refused.

    A national number is read in `region` (default COMPANY_COUNTRY); a leading '+' or '00'
    makes it international whatever the region.
    """
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or company().country)
    except phonenumbers.NumberParseException as error:
        raise ValidationFailed(
            f"Phone number {raw!r} cannot be read: {error}.", field=field
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationFailed(
            f"Phone number {raw!r} has the wrong number of digits for its country.", field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_normalize_or_none(raw: str, *, region: str | None = None) -> str | None:
    """E.164 when `raw` reads as a phone number, else None (for search terms)."""
    try:
        return phone_normalize(raw, region=region) or None
    except ValidationFailed:
        return None


def phone_display(e164: str) -> str:
    """National format for the company's country, international otherwise ('' stays '')."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, company().country)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == phonenumbers.country_code_for_region(company().country):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
