"""API shapes of maintenance plans (money as two-place strings, like every amount)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.core.schemas import DateIn, Id, InSchema, MoneyIn, MoneyOut, OutSchema, optional
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.selectors import plan_next_visit_due

NAME_MAX_LENGTH = 120
VisitsPerYear = Field(ge=1, le=52)


class PlanOut(OutSchema):
    """A plan with its current year's visits: booked or done, and the next one due."""

    id: int
    customer_id: int
    name: str
    appliance_ids: list[int]
    visits_per_year: int
    price_per_year: MoneyOut
    starts_on: dt.date
    ends_on: dt.date
    auto_renew: bool
    status: PlanStatus
    cancelled_at: dt.datetime | None
    visits_done: int = Field(description="Completed visits (jobs of the plan) this plan year.")
    next_visit_due: dt.date | None = Field(
        description="The first visit of the year no job covers yet; null when all are booked."
    )

    @staticmethod
    def resolve_appliance_ids(obj: MaintenancePlan) -> list[int]:
        return [appliance.pk for appliance in obj.appliances.all()]

    @staticmethod
    def resolve_visits_done(obj: MaintenancePlan) -> int:
        return int(getattr(obj, "visits_done", 0))

    @staticmethod
    def resolve_next_visit_due(obj: MaintenancePlan) -> dt.date | None:
        return plan_next_visit_due(obj)


class PlanIn(InSchema):
    customer_id: Id
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    appliance_ids: list[Id] = Field(max_length=200)
    visits_per_year: int = VisitsPerYear
    price_per_year: MoneyIn
    starts_on: DateIn
    ends_on: DateIn
    auto_renew: bool = False


class PlanUpdateIn(InSchema):
    """Only the fields sent change. status: Cancelled cancels an active plan (Expired plans
    come back by renewing them, POST /api/renew-maintenance-plan/{id})."""

    name: str = optional(min_length=1, max_length=NAME_MAX_LENGTH)
    appliance_ids: list[Id] = optional(max_length=200)
    visits_per_year: int = optional(ge=1, le=52)
    price_per_year: MoneyIn = optional()
    starts_on: DateIn = optional()
    ends_on: DateIn = optional()
    auto_renew: bool = optional()
    status: PlanStatus = optional()
