"""JSON endpoints of the appliances app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Status
from ninja.files import UploadedFile

from crm.appliances.maintenance import (
    MaintenancePrediction,
    appliance_maintenance_prediction,
    customer_maintenance_alerts,
)
from crm.appliances.models import Appliance
from crm.appliances.nameplate.images import upload_read
from crm.appliances.nameplate.ocr import NameplateReading
from crm.appliances.nameplate.services import (
    appliance_nameplate_read,
    appliance_nameplate_save,
    photo_response,
)
from crm.appliances.schemas import (
    ApplianceIn,
    ApplianceOut,
    ApplianceUpdateIn,
    MaintenancePredictionOut,
    NameplateConfirmIn,
    NameplateOut,
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


# Nameplate photos (issue 15): read (nothing saved), confirm (saved with the photo), the photo.
@router.post("/appliance/{appliance_id}/nameplate", response=NameplateOut)
def read_nameplate(
    request: HttpRequest, appliance_id: PathId, image: File[UploadedFile]
) -> NameplateReading:
    """Read brand, model, serial and date of manufacture from a nameplate photo (JPEG, PNG,
    WebP or HEIC, at most 10 MB); nothing is saved until confirmed."""
    return appliance_nameplate_read(appliance_id=appliance_id, data=upload_read(image))


@router.post("/appliance/{appliance_id}/nameplate/confirm", response=ApplianceOut)
def confirm_nameplate(
    request: HttpRequest,
    appliance_id: PathId,
    payload: Form[NameplateConfirmIn],
    image: File[UploadedFile],
) -> Appliance:
    """Save the confirmed values with the photo (kept without EXIF, so without its location);
    updating the values alone is PUT /api/update-appliance/{id}."""
    return appliance_nameplate_save(
        appliance_id=appliance_id, fields=payload.model_dump(), photo=upload_read(image)
    )


@router.get("/appliance/{appliance_id}/nameplate/photo", response={200: None})
def nameplate_photo(request: HttpRequest, appliance_id: PathId) -> HttpResponse:
    """The kept nameplate photo (JPEG), for signed-in users only."""
    return photo_response(appliance_get(appliance_id=appliance_id))
