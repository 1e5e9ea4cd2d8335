"""factory_boy factories for the jobs app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from crm.jobs.models import Expense, ExpenseCategory, Job, JobStatus, Payment, PaymentMethod


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    technician = factory.SubFactory("crm.technicians.tests.factories.TechnicianFactory")
    description = "Refrigerator not cooling"
    status = JobStatus.SCHEDULED
    scheduled_for = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    labor_hours = Decimal("1.50")

    class Params:
        completed = factory.Trait(
            status=JobStatus.COMPLETED,
            scheduled_for=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10)),
            completed_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10)),
            outcome="Replaced the defrost thermostat",
        )


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    job = None
    amount = Decimal("150.00")
    date = dt.date(2026, 1, 10)
    payment_method = PaymentMethod.CARD


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    customer = factory.SubFactory("crm.customers.tests.factories.CustomerFactory")
    job = None
    amount = Decimal("40.00")
    date = dt.date(2026, 1, 10)
    category = ExpenseCategory.PARTS
