"""factory_boy factories for the engagement app."""

from __future__ import annotations

import factory

from crm.engagement.models import FollowUpLog


class FollowUpLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpLog

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    channel = "Phone"
    notes = "Checked the fridge is cooling again."
