"""appliances_bulk_create: validated appliances in batches; a missing brand is refused."""

from __future__ import annotations

import pytest

from crm.appliances.models import Appliance
from crm.appliances.services import appliances_bulk_create
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_appliances_are_written_and_one_without_brand_refuses_them_all() -> None:
    customer = CustomerFactory()

    appliances_bulk_create(appliances=[Appliance(customer=customer, type="Dryer", brand="LG")])
    with pytest.raises(ValidationFailed) as refused:
        appliances_bulk_create(
            appliances=[
                Appliance(customer=customer, type="Dryer", brand="GE"),
                Appliance(customer=customer, type="Dryer", brand=" "),
            ]
        )

    assert refused.value.field == "brand"
    assert list(Appliance.objects.values_list("brand", flat=True)) == ["LG"]
