"""Reads of technicians and their ratings."""

from __future__ import annotations

from django.db.models import QuerySet

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
