"""Booking a visit: a Scheduled job for a day and arrival window, with the technician's day
checked first (no visit in the window already, not full that day), all in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.core.errors import ValidationFailed
from crm.customers.models import Customer, ServiceLocation
from crm.engagement.selectors.booking import (
    Availability,
    technician_slots,
    visit_day,
    window_bounds,
    window_named,
)
from crm.engagement.services.jobs import job_create_and_follow_up
from crm.jobs.models import Job, JobStatus
from crm.plans.selectors import plan_active_of_customer
from crm.technicians.models import Technician


@dataclass(frozen=True)
class VisitRequest:
    """What the office asks for: the visit's where, when, who and what."""

    customer_id: int
    appliance_id: int | None
    problem: str
    day: dt.date
    window_key: str
    technician_id: int | None
    service_address: str
    estimated_price: Decimal | None
    location_id: int | None = None  # one of the customer's locations; None: their own address
    plan_id: int | None = None  # a maintenance plan's visit (the plan visit reminder's booking)


def _technician_checked(request: VisitRequest, start: dt.datetime) -> None:
    """Refuse an inactive technician, or one busy in the window or full that day. The row
    lock makes two bookings of the same technician wait for each other."""
    if request.technician_id is None:
        return
    technician = Technician.objects.select_for_update().filter(pk=request.technician_id).first()
    if technician is None or not technician.active:
        raise ValidationFailed(
            "That technician no longer takes visits: pick another.", field="technicianId"
        )
    window = window_named(request.window_key)
    slot = next(
        s for s in technician_slots(day=request.day, window=window) if s.technician == technician
    )
    when = f"{visit_day(request.day)}, {window.label}"
    if slot.availability == Availability.BUSY:
        raise ValidationFailed(
            f"{technician.name} already has a visit {when}: pick another technician or window.",
            field="technicianId",
        )
    if slot.availability == Availability.FULL:
        raise ValidationFailed(
            f"{technician.name} is full on {visit_day(request.day)} "
            f"({slot.visits_that_day} visits): pick another technician or day.",
            field="technicianId",
        )


def _home_address(customer_id: int) -> str:
    """Where a visit goes when no other address is given: the customer's own."""
    address = Customer.objects.filter(pk=customer_id).values_list("address", flat=True).first()
    return address or ""


def _visit_address(request: VisitRequest) -> str:
    """A visit with no address given goes to its location's, else the customer's own."""
    if request.location_id is not None:
        location = ServiceLocation.objects.filter(
            pk=request.location_id, customer_id=request.customer_id
        ).first()
        if location is not None:
            return location.address
    return _home_address(request.customer_id)


@transaction.atomic
def visit_book(*, request: VisitRequest, now: dt.datetime | None = None) -> Job:
    """A Scheduled job at the window's start; refused (nothing saved) for a window that has
    started or passed, a technician who is inactive, busy then or full that day, or an
    appliance that is not the customer's."""
    window = window_named(request.window_key)
    start, _ = window_bounds(request.day, window)
    if start <= (now or timezone.now()):
        raise ValidationFailed(
            f"The {window.label} window on {visit_day(request.day)} has already started: "
            "pick a later one.",
            field="arrivalWindow",
        )
    if request.estimated_price is not None and request.estimated_price < 0:
        raise ValidationFailed("The estimated price cannot be below zero.", field="estimatedPrice")
    _technician_checked(request, start)
    _plan_checked(request)
    address = request.service_address.strip() or _visit_address(request)
    fields = {
        "status": JobStatus.SCHEDULED, "scheduled_for": start, "arrival_window": window.key,
        "technician_id": request.technician_id, "appliance_id": request.appliance_id,
        "description": request.problem, "service_address": address,
        "estimated_price": request.estimated_price, "location_id": request.location_id,
    }  # fmt: skip
    return _plan_attached(
        job_create_and_follow_up(customer_id=request.customer_id, fields=fields), request.plan_id
    )


def _plan_checked(request: VisitRequest) -> None:
    """A plan visit is booked on this customer's active plan only."""
    if request.plan_id is not None and (
        plan_active_of_customer(customer_id=request.customer_id, plan_id=request.plan_id) is None
    ):
        raise ValidationFailed(
            "That maintenance plan is not active for this customer.", field="planId"
        )


def _plan_attached(job: Job, plan_id: int | None) -> Job:
    """The job is one of the plan's visits (counted against its visits and its costs)."""
    if plan_id is not None:
        job.plan_id = plan_id
        job.save(update_fields=["plan", "updated_at"])
    return job
