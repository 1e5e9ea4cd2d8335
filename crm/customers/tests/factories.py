"""factory_boy factories for the customers app."""

from __future__ import annotations

import factory

from crm.customers.models import ContactConsent, Customer, MessageChannel


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    phone = factory.Sequence(lambda n: f"+1555020{n:04d}")
    address = "1 Main Street"


class ContactConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactConsent

    customer = factory.SubFactory(CustomerFactory)
    channel = MessageChannel.WHATSAPP
    marketing_opt_in = True
