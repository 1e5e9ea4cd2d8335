"""factory_boy factories for the referrals app."""

from __future__ import annotations

import factory

from crm.referrals.models import Referral


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    referrer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    referred_customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
