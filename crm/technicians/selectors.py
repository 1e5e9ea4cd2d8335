"""Reads of technicians and their ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, QuerySet

from crm.technicians.models import CustomerTechnicianRating, Technician


def technician_list(*, active_only: bool = False) -> QuerySet[Technician]:
    technicians = Technician.objects.all()
    return technicians.filter(active=True) if active_only else technicians


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
