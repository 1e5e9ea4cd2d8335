"""JSON endpoints of the technicians app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.schemas import PathId
from crm.technicians.models import Technician
from crm.technicians.schemas import (
    TechnicianCreateIn,
    TechnicianListQuery,
    TechnicianOut,
    TechnicianUpdateIn,
)
from crm.technicians.selectors import technician_list
from crm.technicians.services import technician_create, technician_update

router = ApiRouter(tags=["technicians"])


@router.get("/technicians", response=list[TechnicianOut])
def technicians(request: HttpRequest, filters: Query[TechnicianListQuery]) -> QuerySet[Technician]:
    """Every technician by name; `activeOnly=true` leaves out those no longer working."""
    return technician_list(active_only=filters.active_only)


@router.post("/technicians", response={201: TechnicianOut})
def add_technician(request: HttpRequest, payload: TechnicianCreateIn) -> Status[Technician]:
    """Add a technician (the office's Add technician form does the same)."""
    return Status(201, technician_create(fields=payload.model_dump()))


@router.put("/technicians/{technician_id}", response=TechnicianOut)
def update_technician(
    request: HttpRequest, technician_id: PathId, payload: TechnicianUpdateIn
) -> Technician:
    """Change a technician; only what is sent. `"active": false` stops offering them."""
    return technician_update(
        technician_id=technician_id, fields=payload.model_dump(exclude_unset=True)
    )
