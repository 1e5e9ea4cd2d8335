"""JSON endpoints of the technicians app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.schemas import PathId
from crm.customers.selectors import customer_get
from crm.technicians.models import CustomerTechnicianRating, Technician
from crm.technicians.schemas import (
    TechnicianCreateIn,
    TechnicianListQuery,
    TechnicianOut,
    TechnicianRatingIn,
    TechnicianRatingOut,
    TechnicianUpdateIn,
)
from crm.technicians.selectors import customer_technician_ratings, technician_list
from crm.technicians.services import (
    technician_create,
    technician_rating_create,
    technician_update,
)

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


@router.get("/customer/{customer_id}/technician-ratings", response=list[TechnicianRatingOut])
def technician_ratings(
    request: HttpRequest, customer_id: PathId
) -> QuerySet[CustomerTechnicianRating]:
    """The customer's ratings of technicians, newest first."""
    customer_get(customer_id=customer_id)
    return customer_technician_ratings(customer_id=customer_id)


@router.post("/customer/{customer_id}/technician-rating", response={201: TechnicianRatingOut})
def add_technician_rating(
    request: HttpRequest, customer_id: PathId, payload: TechnicianRatingIn
) -> Status[CustomerTechnicianRating]:
    """Record the customer's rating of a technician (one per job when a job is given)."""
    rating = technician_rating_create(
        customer=customer_get(customer_id=customer_id),
        technician_id=payload.technician_id,
        rating=payload.rating,
        job_id=payload.job_id,
    )
    return Status(201, rating)
