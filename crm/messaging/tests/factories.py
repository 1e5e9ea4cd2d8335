"""factory_boy factories for the messaging app."""

from __future__ import annotations

import factory
from django.utils import timezone

from crm.messaging.models import (
    MARKETING_SOURCES,
    MessageSource,
    MessageStatus,
    Purpose,
    ScheduledMessage,
)


class ScheduledMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledMessage

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    channel = "WhatsApp"
    # Greetings, suggestions and maintenance offers are Marketing (a database constraint).
    purpose = factory.LazyAttribute(
        lambda message: (
            Purpose.MARKETING if message.source in MARKETING_SOURCES else Purpose.SERVICE
        )
    )
    body = "Your technician Ana arrives tomorrow between 9 and 11."
    send_at = factory.LazyFunction(timezone.now)
    status = MessageStatus.SCHEDULED
    source = MessageSource.MANUAL
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
