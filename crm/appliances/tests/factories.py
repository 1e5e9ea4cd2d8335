"""factory_boy factories for the appliances app."""

from __future__ import annotations

import datetime as dt

import factory

from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType


class ApplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appliance

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    type = ApplianceType.REFRIGERATOR
    brand = "Whirlpool"
    model_number = "WRF555SDFZ"
    serial_number = factory.Sequence(lambda n: f"SN{n:06d}")
    install_date = dt.date(2020, 1, 15)
