"""JSON endpoints of the appliances app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.appliances.maintenance import (
    MaintenancePrediction,
    appliance_maintenance_prediction,
    customer_maintenance_alerts,
)
from crm.appliances.models import Appliance
from crm.appliances.schemas import (
    ApplianceIn,
    ApplianceOut,
    ApplianceUpdateIn,
    MaintenancePredictionOut,
)
from crm.appliances.selectors import appliance_get, appliance_list
from crm.appliances.services import appliance_create, appliance_delete, appliance_update
from crm.core.api import ApiRouter
from crm.core.schemas import CustomerIdQuery, PathId
from crm.customers.selectors import customer_get

router = ApiRouter(tags=["appliances"])


@router.get("/appliances", response=list[ApplianceOut])
def appliances(request: HttpRequest, filters: Query[CustomerIdQuery]) -> QuerySet[Appliance]:
    """A customer's appliances."""
    return appliance_list(customer_id=filters.customer_id)


@router.get("/appliance/{appliance_id}", response=ApplianceOut)
def appliance(request: HttpRequest, appliance_id: PathId) -> Appliance:
    return appliance_get(appliance_id=appliance_id)


@router.post("/add-appliance", response={201: ApplianceOut})
def add_appliance(request: HttpRequest, payload: ApplianceIn) -> Status[Appliance]:
    """Record an appliance a customer owns."""
    fields = payload.model_dump(exclude={"customer_id"})
    return Status(201, appliance_create(customer_id=payload.customer_id, fields=fields))


@router.put("/update-appliance/{appliance_id}", response=ApplianceOut)
def update_appliance(
    request: HttpRequest, appliance_id: PathId, payload: ApplianceUpdateIn
) -> Appliance:
    """Change an appliance; only the fields sent change."""
    return appliance_update(
        appliance_id=appliance_id, fields=payload.model_dump(exclude_unset=True)
    )


@router.delete("/delete-appliance/{appliance_id}", response={204: None})
def delete_appliance(request: HttpRequest, appliance_id: PathId) -> Status[None]:
    """Remove an appliance record; its jobs stay, no longer linked to it."""
    appliance_delete(appliance_id=appliance_id)
    return Status(204, None)


@router.get("/appliance/{appliance_id}/maintenance-prediction", response=MaintenancePredictionOut)
def maintenance_prediction(request: HttpRequest, appliance_id: PathId) -> MaintenancePrediction:
    """Rule-based prediction from published lifespans and service intervals."""
    return appliance_maintenance_prediction(appliance_id=appliance_id)


@router.get("/customer/{customer_id}/maintenance-alerts", response=list[MaintenancePredictionOut])
def maintenance_alerts(request: HttpRequest, customer_id: PathId) -> list[MaintenancePrediction]:
    """A prediction for each of the customer's appliances, highest risk first."""
    customer_get(customer_id=customer_id)
    return customer_maintenance_alerts(customer_id=customer_id)
