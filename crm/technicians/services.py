"""Writes for technicians: the office's crew list (ratings are the reviews app's)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from crm.core.choices import ApplianceType
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.core.money import amount_problem
from crm.core.phones import phone_normalize
from crm.core.schemas import MAX_MONEY
from crm.core.validation import model_validate
from crm.technicians.models import BRAND_PREFIX, Qualification, Technician
from crm.technicians.selectors import technician_delete_refusal

MAX_DAILY_CAPACITY = 50
MAX_YEARS_EXPERIENCE = 80
MAX_QUALIFICATIONS = 20
MAX_BRAND_LENGTH = 60


def _name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise ValidationFailed("Name is required.", field="name")
    return name


def _phone(value: Any) -> str:
    return phone_normalize(str(value or ""))


def _email(value: Any) -> str:
    return str(value or "").strip().lower()


def _hourly_cost(value: Any) -> Decimal:
    """A non-negative amount of money with at most two places."""
    field = "hourlyCost"
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationFailed("Hourly cost must be an amount such as 40.00.", field=field)
    amount = Decimal(value)
    problem = amount_problem(amount, maximum=MAX_MONEY)
    if problem in {"not_finite", "places"}:
        raise ValidationFailed("Hourly cost must have at most two decimal places.", field=field)
    if problem is not None:
        raise ValidationFailed(f"Hourly cost must be between 0.00 and {MAX_MONEY}.", field=field)
    return amount.quantize(Decimal("0.01"))


def _specialties(values: Any) -> list[str]:
    """Known appliance types, each once, in the order the app lists them."""
    field = "specialties"
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationFailed("Specialties must be a list of appliance types.", field=field)
    unknown = [value for value in values if value not in ApplianceType.values]
    if unknown:
        known = ", ".join(ApplianceType.values)
        raise ValidationFailed(
            f"Unknown appliance type {unknown[0]!r}; choose from {known}.", field=field
        )
    return [value for value in ApplianceType.values if value in values]


def _qualification(value: str) -> str:
    """A known code, or "brand:<Brand>" with the brand tidied; refused otherwise."""
    code = value.strip()
    if code.casefold() in Qualification.values:
        return code.casefold()
    if code.casefold().startswith(BRAND_PREFIX):
        brand = " ".join(code[len(BRAND_PREFIX) :].split())
        if brand and len(brand) <= MAX_BRAND_LENGTH:
            return f"{BRAND_PREFIX}{brand}"
    known = ", ".join(Qualification.values)
    raise ValidationFailed(
        f"Unknown qualification {value!r}; choose from {known} or brand:<Brand>.",
        field="qualifications",
    )


def _qualifications(values: Any) -> list[str]:
    """Certifications first (in the app's order), then brand authorisations; each once."""
    field = "qualifications"
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationFailed("Qualifications must be a list of codes.", field=field)
    if len(values) > MAX_QUALIFICATIONS:
        raise ValidationFailed(f"At most {MAX_QUALIFICATIONS} qualifications.", field=field)
    codes = [_qualification(value) for value in values]
    brands: dict[str, str] = {}
    for code in codes:
        if code.startswith(BRAND_PREFIX):
            brands.setdefault(code.casefold(), code)  # the first spelling is kept
    known = [value for value in Qualification.values if value in codes]
    return known + sorted(brands.values(), key=str.casefold)


def _whole_number(field: str, words: str, low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationFailed(
                f"{words} must be a whole number from {low} to {high}.", field=field
            )
        return value

    return check


def _active(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed("Active must be true or false.", field="active")
    return value


# Each field a technician form or API may set, with the check that tidies it or refuses it.
TECHNICIAN_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "phone": _phone,
    "email": _email,
    "specialties": _specialties,
    "qualifications": _qualifications,
    "hourly_cost": _hourly_cost,
    "daily_capacity": _whole_number("dailyCapacity", "Visits per day", 1, MAX_DAILY_CAPACITY),
    "years_experience": _whole_number(
        "yearsExperience", "Years of experience", 0, MAX_YEARS_EXPERIENCE
    ),
    "active": _active,
}


def _technician_save(technician: Technician, fields: dict[str, Any]) -> Technician:
    """Check and tidy the given fields (only those), set them and save; refuse the first bad one.

    Fields not given are not re-checked, so deactivating a technician whose old phone number
    predates the E.164 rule still works.
    """
    given = {name: value for name, value in fields.items() if name in TECHNICIAN_FIELDS}
    for name, value in given.items():
        setattr(technician, name, TECHNICIAN_FIELDS[name](value))
    unchecked = [field.name for field in Technician._meta.fields if field.name not in given]
    model_validate(technician, exclude=unchecked)
    technician.save()
    return technician


@transaction.atomic
def technician_create(*, fields: dict[str, Any]) -> Technician:
    """Add a technician (a name is required; active unless `active` is False)."""
    return _technician_save(Technician(), {"name": "", **fields})


@transaction.atomic
def technician_update(*, technician_id: int, fields: dict[str, Any]) -> Technician:
    """Change a technician; only the given fields change.

    `active` False stops offering them for new jobs, matching and preferences; the jobs already
    assigned to them keep them.
    """
    technician = Technician.objects.select_for_update().filter(pk=technician_id).first()
    if technician is None:
        raise NotFound("Technician not found.")
    return _technician_save(technician, fields)


@transaction.atomic
def technician_delete(*, technician_id: int) -> None:
    """Delete a technician entered by mistake; one with jobs or ratings is refused (deactivate)."""
    technician = Technician.objects.select_for_update().filter(pk=technician_id).first()
    if technician is None:
        raise NotFound("Technician not found.")
    refusal = technician_delete_refusal(technician=technician)
    if refusal:
        raise Conflict(refusal)
    technician.delete()
