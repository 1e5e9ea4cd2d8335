"""Reads of maintenance plans: a customer's plans with their visits counted, when each visit
of a plan year falls due, and which appliances an active plan covers.

The plans app sits below jobs in the import layers (a job names its plan), so the plan's visits
(Job rows with plan = this plan) are read through the reverse relation and the job model looked
up by its label; job statuses are named by their stored words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from crm.appliances.maintenance import customer_maintenance_alerts
from crm.core.dates import add_months, company_today
from crm.core.errors import NotFound
from crm.plans.models import MaintenancePlan, PlanStatus

# A job counts as one of the plan's visits unless cancelled; it is done once completed.
VISIT_STATUSES = ("Scheduled", "InProgress", "Completed")
DONE_STATUS = "Completed"


def _visit_count(statuses: Iterable[str]) -> Coalesce:
    """The plan's jobs in `statuses` that fall in the current plan year (by their visit day,
    else their completion, else their creation: imported history has no visit day)."""
    job_model = apps.get_model("jobs", "Job")
    jobs = (
        job_model.objects.filter(plan=OuterRef("pk"), status__in=list(statuses))
        .annotate(visit_on=Coalesce("scheduled_for", "completed_at", "created_at"))
        .filter(visit_on__date__gte=OuterRef("starts_on"), visit_on__date__lt=OuterRef("ends_on"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(jobs, output_field=IntegerField()), Value(0))


def plans_counted(plans: QuerySet[MaintenancePlan]) -> QuerySet[MaintenancePlan]:
    """`plans` with `visits_booked` and `visits_done` of their current year and their
    appliances prefetched (two queries however many plans)."""
    return plans.annotate(
        visits_booked=_visit_count(VISIT_STATUSES), visits_done=_visit_count([DONE_STATUS])
    ).prefetch_related("appliances")


def plan_list(*, customer_id: int) -> QuerySet[MaintenancePlan]:
    """A customer's plans, active first, then the newest."""
    return plans_counted(MaintenancePlan.objects.filter(customer_id=customer_id)).order_by(
        "status", "-starts_on", "-id"
    )


def plan_get(*, plan_id: int) -> MaintenancePlan:
    plan = plans_counted(MaintenancePlan.objects.filter(pk=plan_id)).first()
    if plan is None:
        raise NotFound("Maintenance plan not found.")
    return plan


def plan_visit_days(plan: MaintenancePlan) -> list[dt.date]:
    """The plan year's visits spread evenly: visit k falls on start + k x (year / visits)."""
    length = (plan.ends_on - plan.starts_on).days
    count = plan.visits_per_year
    return [plan.starts_on + dt.timedelta(days=k * length // count) for k in range(count)]


def plan_next_visit_due(plan: MaintenancePlan) -> dt.date | None:
    """The first visit of the year no job covers yet (jobs cover visits in order); None when
    every visit is booked or the plan is not active. Needs plans_counted's visits_booked."""
    if plan.status != PlanStatus.ACTIVE:
        return None
    days = plan_visit_days(plan)
    booked: int = getattr(plan, "visits_booked", 0)
    return days[booked] if booked < len(days) else None


def plans_active_counted() -> QuerySet[MaintenancePlan]:
    """Every active plan with its visits counted, for the nightly sweep."""
    return plans_counted(MaintenancePlan.objects.filter(status=PlanStatus.ACTIVE)).order_by("pk")


def covered_appliance_ids(*, appliance_ids: Iterable[int]) -> set[int]:
    """Which of `appliance_ids` an active plan covers: they get plan visits, not "service
    overdue" nudges (one query)."""
    through = MaintenancePlan.appliances.through
    return set(
        through.objects.filter(
            appliance_id__in=list(appliance_ids), maintenanceplan__status=PlanStatus.ACTIVE
        ).values_list("appliance_id", flat=True)
    )


def plan_active_of_customer(*, customer_id: int, plan_id: int) -> MaintenancePlan | None:
    """The customer's plan if it is active (a visit may be booked on it), else None."""
    return MaintenancePlan.objects.filter(
        pk=plan_id, customer_id=customer_id, status=PlanStatus.ACTIVE
    ).first()


def plans_active_costed(*, customer_id: int) -> list[MaintenancePlan]:
    """The customer's active plans, each with `visits_cost`: the expenses of its jobs dated in
    the current plan year (the plan's price set against its visits' costs; one query)."""
    expense_model = apps.get_model("jobs", "Expense")
    costs = (
        expense_model.objects.filter(
            job__plan=OuterRef("pk"), date__gte=OuterRef("starts_on"), date__lt=OuterRef("ends_on")
        )
        .order_by()
        .values("job__plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    plans = MaintenancePlan.objects.filter(customer_id=customer_id, status=PlanStatus.ACTIVE)
    return list(
        plans.annotate(
            visits_cost=Coalesce(Subquery(costs, output_field=zero.output_field), zero)
        ).order_by("starts_on", "pk")
    )


# "Offer a maintenance plan" (the AI and offline opportunity): what the new-plan form starts
# with. A starting price the office edits: per appliance and visit.
SUGGESTED_VISITS = 2
SUGGESTED_PRICE_PER_VISIT = Decimal("60.00")
PLAN_YEAR_MONTHS = 12


@dataclass(frozen=True)
class PlanOffer:
    """A new plan's first values: the appliances off their service schedule and not on a plan
    (every appliance not on a plan when none is), two visits a year, a suggested price."""

    name: str
    appliance_ids: list[int]
    visits_per_year: int
    price_per_year: Decimal
    starts_on: dt.date
    ends_on: dt.date


def plan_offer(*, customer_id: int, today: dt.date | None = None) -> PlanOffer:
    day = today or company_today()
    predictions = customer_maintenance_alerts(customer_id=customer_id, today=day)
    covered = covered_appliance_ids(appliance_ids=[p.appliance.pk for p in predictions])
    free = [p for p in predictions if p.appliance.pk not in covered]
    due = [p for p in free if p.last_service_date is None or p.service_overdue] or free
    kinds = ", ".join(dict.fromkeys(p.appliance.get_type_display().lower() for p in due))
    return PlanOffer(
        name=f"Care plan: {kinds}"[:120] if kinds else "Care plan",
        appliance_ids=[p.appliance.pk for p in due], visits_per_year=SUGGESTED_VISITS,
        price_per_year=SUGGESTED_PRICE_PER_VISIT * SUGGESTED_VISITS * max(len(due), 1),
        starts_on=day, ends_on=add_months(day, PLAN_YEAR_MONTHS),
    )  # fmt: skip
