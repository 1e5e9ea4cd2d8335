"""factory_boy factories for the activities app."""

from __future__ import annotations

import factory

from crm.activities.models import Activity, ActivityKind, Direction


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    kind = ActivityKind.NOTE
    direction = Direction.INTERNAL
    content = "Called about the noisy dryer."
