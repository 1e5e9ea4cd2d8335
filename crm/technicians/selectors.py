"""Reads of technicians and their ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Avg, Count, Max, QuerySet

from crm.technicians.models import CustomerTechnicianRating, Technician


class TechnicianStatusFilter(models.TextChoices):
    """Which technicians the office list shows; `active` unless the URL says otherwise."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    ALL = "all", "All"

    @classmethod
    def parse(cls, raw: str | None) -> TechnicianStatusFilter:
        """The filter named in the query string; anything unknown means active."""
        return cls(raw) if raw in cls.values else cls.ACTIVE


def technician_list(*, active_only: bool = False) -> QuerySet[Technician]:
    """Every technician by name, or only those still working (offered for new jobs)."""
    technicians = Technician.objects.all()
    return technicians.filter(active=True) if active_only else technicians


def technician_delete_refusal(*, technician: Technician) -> str | None:
    """Why this technician may not be deleted (their jobs or ratings), or None when they may."""
    jobs = technician.jobs.count()
    if jobs:
        history = f"{jobs} job{'s' if jobs != 1 else ''}"
    elif technician.customer_ratings.exists():
        history = "customer ratings"
    else:
        return None
    return (
        f"{technician.name} has {history} on record and cannot be deleted: "
        "deactivate them instead, so they are no longer offered for new jobs."
    )


def customer_technician_ratings(*, customer_id: int) -> QuerySet[CustomerTechnicianRating]:
    """This customer's ratings of technicians, newest first."""
    return (
        CustomerTechnicianRating.objects.filter(customer_id=customer_id)
        .select_related("technician")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class TechnicianRatingSummary:
    """A customer's ratings of one technician: how many, the average and the latest."""

    technician_id: int
    technician_name: str
    count: int
    average: Decimal
    last_rated_at: dt.datetime


def customer_technician_rating_summary(*, customer_id: int) -> list[TechnicianRatingSummary]:
    """Per technician this customer rated: count, average (one place), latest; best first."""
    rows = (
        CustomerTechnicianRating.objects.filter(customer_id=customer_id)
        .values("technician_id", "technician__name")
        .annotate(count=Count("id"), average=Avg("rating"), last=Max("created_at"))
        .order_by("-average", "-count", "technician__name")
    )
    return [
        TechnicianRatingSummary(
            technician_id=row["technician_id"],
            technician_name=row["technician__name"],
            count=row["count"],
            average=Decimal(str(row["average"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            last_rated_at=row["last"],
        )
        for row in rows
    ]
