"""JSON endpoints of the technicians app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query

from crm.core.api import ApiRouter
from crm.technicians.models import Technician
from crm.technicians.schemas import (
    TechnicianListQuery,
    TechnicianOut,
)
from crm.technicians.selectors import technician_list

router = ApiRouter(tags=["technicians"])


@router.get("/technicians", response=list[TechnicianOut])
def technicians(request: HttpRequest, filters: Query[TechnicianListQuery]) -> QuerySet[Technician]:
    """Every technician by name; `activeOnly=true` leaves out those no longer working."""
    return technician_list(active_only=filters.active_only)
