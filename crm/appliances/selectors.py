"""Reads of appliances and the lifespan table."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.appliances.models import Appliance, ApplianceLifespan
from crm.core.errors import NotFound


def appliance_list(*, customer_id: int) -> QuerySet[Appliance]:
    return Appliance.objects.filter(customer_id=customer_id).order_by("type", "brand", "id")


def appliance_get(*, appliance_id: int) -> Appliance:
    appliance = Appliance.objects.select_related("customer").filter(pk=appliance_id).first()
    if appliance is None:
        raise NotFound("Appliance not found.")
    return appliance


def lifespan_table() -> dict[str, ApplianceLifespan]:
    """The lifespan/interval table keyed by appliance type (one query; ten rows)."""
    return {row.appliance_type: row for row in ApplianceLifespan.objects.all()}
