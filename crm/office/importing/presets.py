"""What can be imported (our fields) and how other systems' exports name those columns.

Presets are data: a preset lists, for each of our fields, the column names that system's export
uses, first choice first. Names are compared by `header_key` (case, spaces, underscores and
punctuation ignored), so "Mobile phone #" finds "mobile_phone". The office changes any choice
on the page before the dry run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from crm.core.errors import ValidationFailed


@dataclass(frozen=True)
class ImportField:
    """One of our fields a CSV column can fill."""

    key: str
    label: str
    group: str


CUSTOMER, APPLIANCE, JOB = "Customer", "Appliance (one per row)", "Past job and payment"
FIELDS: tuple[ImportField, ...] = tuple(
    ImportField(key, label, group)
    for group, fields in (
        (CUSTOMER, (
            ("name", "Full name"), ("first_name", "First name"), ("last_name", "Last name"),
            ("company", "Company name"), ("phone", "Phone"), ("email", "Email"),
            ("address", "Full address"), ("street", "Street"), ("street2", "Street line 2"),
            ("city", "City"), ("state", "State / province"), ("zip", "ZIP / postal code"),
            ("preferred_contact_method", "Preferred contact method"),
            ("language", "Language"), ("timezone", "Time zone"),
            ("customer_since", "Customer since"), ("notes", "Notes"),
            ("marketing_email", "Marketing by email (yes/no)"),
            ("marketing_sms", "Marketing by SMS (yes/no)"),
            ("marketing_whatsapp", "Marketing by WhatsApp (yes/no)"),
        )),
        (APPLIANCE, (
            ("appliance_type", "Appliance type"), ("appliance_brand", "Appliance brand"),
            ("appliance_model", "Model number"), ("appliance_serial", "Serial number"),
            ("appliance_install_date", "Install / purchase date"),
        )),
        (JOB, (
            ("job_date", "Job date"), ("job_description", "Job description"),
            ("job_amount", "Amount paid"), ("payment_method", "Payment method"),
        )),
    )
    for key, label in fields
)  # fmt: skip
FIELD_KEYS = frozenset(field.key for field in FIELDS)
LABELS = {field.key: field.label for field in FIELDS}
NAME_FIELDS = frozenset({"name", "first_name", "last_name", "company"})


@dataclass(frozen=True)
class Preset:
    """The column names one system's customer export uses for our fields."""

    label: str
    columns: dict[str, tuple[str, ...]]


# Any file: our field names and the words people put in headers by hand.
GENERIC: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "customer name", "client name", "display name", "customer"),
    "first_name": ("first name", "firstname", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "company": ("company", "company name", "business name"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "cell", "telephone", "tel"),
    "email": ("email", "e-mail", "email address"),
    "address": ("address", "full address", "service address"),
    "street": ("street", "street 1", "address line 1", "address 1"),
    "street2": ("street 2", "street line 2", "address line 2", "address 2"),
    "city": ("city", "town"),
    "state": ("state", "province", "region"),
    "zip": ("zip", "zip code", "postal code", "postcode"),
    "preferred_contact_method": ("preferred contact method", "contact method"),
    "language": ("language", "language preference", "preferred language"),
    "timezone": ("timezone", "time zone"),
    "customer_since": ("customer since", "created", "created at", "created date"),
    "notes": ("notes", "note", "comments"),
    "marketing_email": ("marketing email", "email marketing", "email opt in"),
    "marketing_sms": ("marketing sms", "sms marketing", "sms opt in"),
    "marketing_whatsapp": ("marketing whatsapp", "whatsapp marketing", "whatsapp opt in"),
    "appliance_type": ("appliance type", "appliance", "equipment type"),
    "appliance_brand": ("appliance brand", "brand", "make", "manufacturer"),
    "appliance_model": ("model number", "model", "appliance model"),
    "appliance_serial": ("serial number", "serial", "appliance serial"),
    "appliance_install_date": ("install date", "purchase date", "installed"),
    "job_date": ("job date", "service date", "last service date"),
    "job_description": ("job description", "job", "service", "work done"),
    "job_amount": ("amount", "amount paid", "job amount", "total", "paid"),
    "payment_method": ("payment method", "paid by", "payment type"),
}

PRESETS: dict[str, Preset] = {
    # Our own export (crm/office export page): snake_case field names.
    "servicecrm": Preset("ServiceCRM export", {
        "name": ("name",), "phone": ("phone",), "email": ("email",), "address": ("address",),
        "preferred_contact_method": ("preferred_contact_method",),
        "language": ("language_preference",), "timezone": ("timezone",),
        "customer_since": ("customer_since",),
        "marketing_email": ("marketing_email",), "marketing_sms": ("marketing_sms",),
        "marketing_whatsapp": ("marketing_whatsapp",),
    }),
    # Jobber: Clients > More actions > Export (help.getjobber.com); phone columns vary by type.
    "jobber": Preset("Jobber client export", {
        "first_name": ("First name",), "last_name": ("Last name",),
        "company": ("Company name",),
        "phone": ("Mobile phone", "Mobile phone #s", "Main phone", "Main phone #s",
                  "Home phone", "Home phone #s", "Work phone", "Work phone #s"),
        "email": ("Email", "E-mails", "Emails"),
        "street": ("Service street 1", "Service street", "Billing street 1", "Billing street"),
        "street2": ("Service street 2", "Billing street 2"),
        "city": ("Service city", "Billing city"),
        "state": ("Service state", "Service province", "Billing state", "Billing province"),
        "zip": ("Service zip code", "Service postal code", "Service zip", "Billing zip code",
                "Billing postal code"),
        "customer_since": ("Created date", "Created"),
        "notes": ("Notes", "Client notes"),
    }),
    # Housecall Pro: Customers > Export (help.housecallpro.com "Exported report breakdown").
    "housecallpro": Preset("Housecall Pro customer export", {
        "first_name": ("First Name",), "last_name": ("Last Name",),
        "company": ("Company",), "name": ("Display Name",),
        "phone": ("Mobile Number", "Mobile Phone", "Home Number", "Home Phone", "Work Number"),
        "email": ("Email",), "address": ("Address",),
        "street": ("Street",), "street2": ("Street Line 2",), "city": ("City",),
        "state": ("State",), "zip": ("Zip",),
        "notes": ("Notes", "Customer Notes"),
    }),
}  # fmt: skip
PRESET_CHOICES = [(key, preset.label) for key, preset in PRESETS.items()]


def header_key(text: str) -> str:
    """A column name compared without case, spaces, underscores or punctuation."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _find(columns: dict[str, str], candidates: Sequence[str]) -> str | None:
    for candidate in candidates:
        column = columns.get(header_key(candidate))
        if column is not None:
            return column
    return None


def _preset_score(columns: dict[str, str], preset: Preset) -> int:
    return sum(1 for names in preset.columns.values() if _find(columns, names))


def preset_guess(headers: Sequence[str]) -> str:
    """The preset whose column names the header row matches best (ours on a tie)."""
    columns = _keyed(headers)
    return max(PRESETS, key=lambda key: _preset_score(columns, PRESETS[key]))


def _keyed(headers: Sequence[str]) -> dict[str, str]:
    keyed: dict[str, str] = {}
    for header in headers:
        keyed.setdefault(header_key(header), header)  # the first of two alike wins
    return keyed


def mapping_propose(headers: Sequence[str], preset: str | None = None) -> dict[str, str]:
    """{our field: their column} from the header row: the preset's names, then common words."""
    if preset and preset not in PRESETS:
        raise ValidationFailed(f"Unknown preset; use one of {', '.join(PRESETS)}.", field="preset")
    columns = _keyed(headers)
    chosen = PRESETS[preset or preset_guess(headers)]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in FIELDS:
        names = (*chosen.columns.get(field.key, ()), *GENERIC.get(field.key, ()))
        column = _find({k: v for k, v in columns.items() if v not in used}, names)
        if column is not None:
            mapping[field.key] = column
            used.add(column)
    return mapping


def mapping_check(headers: Sequence[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping without empty choices; unknown fields or columns are refused."""
    unknown_fields = sorted(set(mapping) - FIELD_KEYS)
    if unknown_fields:
        raise ValidationFailed(
            f"Unknown fields in the mapping: {', '.join(unknown_fields)}.", field="mapping"
        )
    cleaned = {key: column for key, column in mapping.items() if column}
    if not cleaned.keys() & NAME_FIELDS:
        raise ValidationFailed(
            "Choose the column with the customer's name (or first and last name).",
            field="mapping",
        )
    missing = sorted(set(cleaned.values()) - set(headers))
    if missing:
        raise ValidationFailed(
            f"The file has no column named {', '.join(map(repr, missing))}.", field="mapping"
        )
    return cleaned


def mapping_parse(text: str) -> dict[str, str] | None:
    """A mapping sent as JSON {"ourField": "their column"}; empty text is None (propose one)."""
    if not text.strip():
        return None
    try:
        mapping = json.loads(text)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in mapping.items()
    ):
        raise ValidationFailed(
            'The mapping is JSON like {"phone": "Mobile phone"}: our field to your column.',
            field="mapping",
        )
    return mapping
