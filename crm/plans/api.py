"""JSON endpoints of maintenance plans, at the issue's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.schemas import CustomerIdQuery, PathId
from crm.customers.selectors import customer_get
from crm.plans.models import MaintenancePlan
from crm.plans.schemas import PlanIn, PlanOut, PlanUpdateIn
from crm.plans.selectors import plan_get, plan_list
from crm.plans.services import plan_create, plan_renew, plan_update

router = ApiRouter(tags=["plans"])


@router.get("/maintenance-plans", response=list[PlanOut])
def maintenance_plans(
    request: HttpRequest, filters: Query[CustomerIdQuery]
) -> QuerySet[MaintenancePlan]:
    """A customer's maintenance plans, active first, each with this year's visits."""
    customer_get(customer_id=filters.customer_id)
    return plan_list(customer_id=filters.customer_id)


@router.post("/add-maintenance-plan", response={201: PlanOut})
def add_maintenance_plan(request: HttpRequest, payload: PlanIn) -> Status[MaintenancePlan]:
    """Start an Active plan covering some of the customer's appliances (at least one)."""
    fields = payload.model_dump(exclude={"customer_id", "appliance_ids"})
    plan = plan_create(
        customer_id=payload.customer_id, appliance_ids=payload.appliance_ids, fields=fields
    )
    return Status(201, plan_get(plan_id=plan.pk))


@router.put("/update-maintenance-plan/{plan_id}", response=PlanOut)
def update_maintenance_plan(
    request: HttpRequest, plan_id: PathId, payload: PlanUpdateIn
) -> MaintenancePlan:
    """Change a plan; status Cancelled cancels it (an expired plan is renewed instead)."""
    fields = payload.model_dump(exclude_unset=True, exclude={"appliance_ids"})
    appliances = payload.appliance_ids if "appliance_ids" in payload.model_fields_set else None
    plan_update(plan_id=plan_id, fields=fields, appliance_ids=appliances)
    return plan_get(plan_id=plan_id)


@router.post("/renew-maintenance-plan/{plan_id}", response=PlanOut)
def renew_maintenance_plan(request: HttpRequest, plan_id: PathId) -> MaintenancePlan:
    """Another plan year from the old end day (an active or expired plan; not a cancelled one)."""
    plan_renew(plan_id=plan_id)
    return plan_get(plan_id=plan_id)
