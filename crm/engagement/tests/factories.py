"""factory_boy factories for the engagement app."""

from __future__ import annotations

import factory

from crm.core.dates import company_today
from crm.engagement.models import (
    FollowUpLog,
    Reminder,
    ReminderKind,
    ReminderPriority,
    ReminderStatus,
)


class FollowUpLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpLog

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    channel = "Phone"
    notes = "Checked the fridge is cooling again."


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    kind = ReminderKind.MAINTENANCE_DUE
    title = "Dryer vent cleaning due"
    due_date = factory.LazyFunction(company_today)
    priority = ReminderPriority.MEDIUM
    status = ReminderStatus.OPEN
    source_key = factory.Sequence(lambda n: f"test:{n}")
