"""factory_boy factories for the technicians app."""

from __future__ import annotations

from decimal import Decimal

import factory

from crm.core.choices import ApplianceType
from crm.technicians.models import CustomerTechnicianRating, Technician


class TechnicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technician

    name = factory.Sequence(lambda n: f"Technician {n}")
    phone = factory.Sequence(lambda n: f"+1555010{n:04d}")
    email = factory.Sequence(lambda n: f"tech{n}@example.com")
    specialties = factory.LazyFunction(
        lambda: [ApplianceType.REFRIGERATOR, ApplianceType.WASHING_MACHINE]
    )
    years_experience = 5
    hourly_cost = Decimal("40.00")


class CustomerTechnicianRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerTechnicianRating

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    technician = factory.SubFactory(TechnicianFactory)
    job = None
    rating = 4
