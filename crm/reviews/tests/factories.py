"""factory_boy factories for the reviews app."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from crm.reviews.models import Review, ServiceFollowUp


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    job = factory.SubFactory("crm.jobs.tests.factories.JobFactory", completed=True)
    customer = factory.SelfAttribute("job.customer")
    technician = factory.SelfAttribute("job.technician")
    rating = 5
    comment = "Quick and friendly."


class ServiceFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceFollowUp

    job = factory.SubFactory("crm.jobs.tests.factories.JobFactory", completed=True)
    customer = factory.SelfAttribute("job.customer")
    follow_up_date = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
