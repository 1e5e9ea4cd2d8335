"""API shapes of technicians and the customers' ratings of them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from crm.core.choices import ApplianceType
from crm.core.schemas import (
    CamelSchema,
    Id,
    InSchema,
    MoneyIn,
    MoneyOut,
    OutSchema,
    Rating,
    optional,
)
from crm.technicians.models import CustomerTechnicianRating
from crm.technicians.services import (
    MAX_BRAND_LENGTH,
    MAX_DAILY_CAPACITY,
    MAX_QUALIFICATIONS,
    MAX_YEARS_EXPERIENCE,
)

Specialties = Annotated[list[ApplianceType], Field(max_length=len(ApplianceType))]
DailyCapacity = Annotated[StrictInt, Field(ge=1, le=MAX_DAILY_CAPACITY)]
# "gas", "refrigerant" or "brand:<Brand>" (checked by the service, which names the known codes)
Qualifications = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=MAX_BRAND_LENGTH + 6)]],
    Field(max_length=MAX_QUALIFICATIONS),
]
YearsExperience = Annotated[StrictInt, Field(ge=0, le=MAX_YEARS_EXPERIENCE)]


class TechnicianSummaryOut(OutSchema):
    """A technician as the customer page names them."""

    id: int
    name: str
    phone: str
    email: str
    specialties: list[str]
    years_experience: int
    active: bool


class TechnicianOut(TechnicianSummaryOut):
    """A technician with qualifications, capacity and the hourly cost used for labour cost."""

    qualifications: list[str]
    daily_capacity: int
    hourly_cost: MoneyOut


class TechnicianCreateIn(InSchema):
    """A new technician: name and hourly cost required; phone read into E.164."""

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)
    specialties: Specialties = []
    qualifications: Qualifications = []
    years_experience: YearsExperience = 0
    daily_capacity: DailyCapacity = 6
    hourly_cost: MoneyIn
    active: StrictBool = True


class TechnicianUpdateIn(InSchema):
    """Only the fields sent change; `"active": false` deactivates (their jobs keep them)."""

    name: str = optional(min_length=1, max_length=200)
    phone: str = optional(max_length=32)
    email: str = optional(max_length=254)
    specialties: Specialties = optional()
    qualifications: Qualifications = optional()
    years_experience: YearsExperience = optional()
    daily_capacity: DailyCapacity = optional()
    hourly_cost: MoneyIn = optional()
    active: StrictBool = optional()


class TechnicianRatingOut(OutSchema):
    """A customer's 1-5 rating of a technician, optionally for one job."""

    id: int
    customer_id: int
    technician_id: int
    technician_name: str
    job_id: int | None
    rating: int
    created_at: dt.datetime

    @staticmethod
    def resolve_technician_name(obj: CustomerTechnicianRating) -> str:
        return obj.technician.name


class TechnicianRatingIn(InSchema):
    """The plan's rating: technicianId, rating 1-5, and the job it is for (optional)."""

    technician_id: Id
    rating: Rating
    job_id: Id | None = None


class TechnicianListQuery(CamelSchema):
    active_only: bool = False
