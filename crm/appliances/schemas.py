"""API shapes of appliances and their rule-based maintenance predictions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from crm.appliances.maintenance import MaintenancePrediction
from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType
from crm.core.schemas import DateIn, Id, InSchema, NumberOut, OutSchema, optional

NAME_MAX_LENGTH = 100
RULE_MAX_LENGTH = 100


class ApplianceOut(OutSchema):
    """An appliance at a customer's home (the plan's fields plus install and warranty dates)."""

    id: int
    customer_id: int
    type: ApplianceType
    brand: str
    model_number: str
    serial_number: str
    install_date: dt.date | None
    warranty_expires_on: dt.date | None
    last_service_date: dt.date | None
    job_id: int | None
    location_id: int | None = Field(
        description="Where it stands (one of the customer's locations); null: their own address."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    manufactured_on: dt.date | None
    manufactured_on_rule: str
    has_nameplate_photo: bool

    @staticmethod
    def resolve_has_nameplate_photo(obj: Appliance) -> bool:
        return bool(obj.photo)


class ApplianceIn(InSchema):
    customer_id: Id
    type: ApplianceType
    brand: str = Field(max_length=NAME_MAX_LENGTH)
    model_number: str = Field(default="", max_length=NAME_MAX_LENGTH)
    serial_number: str = Field(default="", max_length=NAME_MAX_LENGTH)
    install_date: DateIn | None = None
    warranty_expires_on: DateIn | None = None
    last_service_date: DateIn | None = None
    job_id: Id | None = None
    location_id: Id | None = Field(
        default=None, description="One of the customer's locations in use; null: their own."
    )
    manufactured_on: DateIn | None = None
    manufactured_on_rule: str = Field(default="", max_length=RULE_MAX_LENGTH)


class ApplianceUpdateIn(InSchema):
    """Only the fields sent change; null clears a date or the job."""

    type: ApplianceType = optional()
    brand: str = optional(max_length=NAME_MAX_LENGTH)
    model_number: str = optional(max_length=NAME_MAX_LENGTH)
    serial_number: str = optional(max_length=NAME_MAX_LENGTH)
    install_date: DateIn | None = None
    warranty_expires_on: DateIn | None = None
    last_service_date: DateIn | None = None
    job_id: Id | None = None
    location_id: Id | None = None
    manufactured_on: DateIn | None = None
    manufactured_on_rule: str = optional(max_length=RULE_MAX_LENGTH)


class MaintenancePredictionOut(OutSchema):
    """Risk with its reasons: age against expected lifespan, service interval, season."""

    appliance_id: int
    appliance: ApplianceOut
    risk: Literal["Low", "Medium", "High"]
    reasons: list[str]
    age_years: NumberOut | None
    expected_lifespan_years: NumberOut
    life_used_ratio: NumberOut | None = Field(description="Age / expected lifespan.")
    service_interval_months: int
    service_task: str
    last_service_date: dt.date | None
    days_since_last_service: int | None
    next_service_due: dt.date
    service_overdue: bool
    current_season: str
    upcoming_season: str
    seasonal_factor: str
    common_failure_points: str
    warranty_active: bool
    actions: list[str]
    source: str = Field(description="Where the lifespan and interval figures come from.")
    method: Literal["rules"] = "rules"

    @staticmethod
    def resolve_appliance_id(obj: MaintenancePrediction) -> int:
        return obj.appliance.pk


class NameplateOut(OutSchema):
    """What a nameplate photo says, for a person to confirm; nothing is saved by reading."""

    brand: str
    model_number: str
    serial_number: str
    manufactured_on: dt.date | None = Field(
        description="Null when the serial's year code repeats: see manufacturedOnCandidates."
    )
    manufactured_on_candidates: list[dt.date]
    manufactured_on_rule: str = Field(description="The serial-number rule that gave the date.")
    confidence: float = Field(description="Tesseract's mean word confidence, 0 to 1.")
    source: Literal["ocr", "llm"]
    raw_text: str
    fd_number: str = Field(description="Bosch/BSH production code (FD), when read.")
    notes: list[str]


class NameplateConfirmIn(InSchema):
    """The values a person confirmed or corrected, sent with the photo."""

    brand: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    model_number: str = Field(default="", max_length=NAME_MAX_LENGTH)
    serial_number: str = Field(default="", max_length=NAME_MAX_LENGTH)
    manufactured_on: DateIn | None = None
    manufactured_on_rule: str = Field(default="", max_length=RULE_MAX_LENGTH)
