"""factory_boy factories for the plans app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from crm.plans.models import MaintenancePlan, PlanStatus


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    """An Active plan of two visits a year from Jan 1, 2026; pass `appliances=[...]`."""

    class Meta:
        model = MaintenancePlan
        skip_postgeneration_save = True

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    name = "Care plan"
    visits_per_year = 2
    price_per_year = Decimal("199.00")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2027, 1, 1)
    status = PlanStatus.ACTIVE

    @factory.post_generation
    def appliances(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.appliances.set(extracted)  # type: ignore[attr-defined]
