"""API shapes of technicians and the customers' ratings of them."""

from __future__ import annotations

import datetime as dt

from crm.core.schemas import CamelSchema, Id, InSchema, MoneyOut, OutSchema, Rating
from crm.technicians.models import CustomerTechnicianRating


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
    """A technician with capacity and the hourly cost used for labour cost."""

    daily_capacity: int
    hourly_cost: MoneyOut


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
