"""A hand-built customer, Ana Diaz, whose every figure is worked out in the tests by hand.

TODAY is 2026-11-23 (autumn in the US; winter is next). Ana has been a customer since
2023-03-15 and prefers WhatsApp, in English, at a Moderate frequency.

| job | day | appliance | technician | paid | costs | net |
|---|---|---|---|---|---|---|
| fridge not cooling | 2025-06-10 | fridge | Tom | 300.00 Card | 120.00 Parts | 180.00 |
| fridge leaking again | 2025-07-01 | fridge | Tom | 150.00 Cash | 30.00 Travel | 120.00 |
| dryer noisy | 2026-11-13 | dryer | Sara | 200.00 Card | 50.00 Parts | 150.00 |

Revenue 650.00, expenses 200.00, net 450.00, margin 69.23% (Highly Profitable).
Last 12 months (2025-11-24 .. 2026-11-23) net 150.00; the 12 before net 300.00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from crm.activities.models import Activity
from crm.activities.tests.factories import ActivityFactory
from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.reviews.tests.factories import ReviewFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

TODAY = dt.date(2026, 11, 23)


def aware(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@dataclass
class World:
    ana: Customer
    bob: Customer
    fridge: Appliance
    dryer: Appliance
    tom: Technician
    sara: Technician
    lee: Technician
    ivan: Technician
    jobs: list[Job]
    messages: list[Activity]


def _job(customer, appliance, technician, day, description, paid, method, cost, category):  # type: ignore[no-untyped-def]
    job = JobFactory(
        customer=customer, appliance=appliance, technician=technician, status="Completed",
        description=description, scheduled_for=aware(*day, 9), completed_at=aware(*day),
        outcome="Fixed", issues_found="",
    )  # fmt: skip
    PaymentFactory(customer=customer, job=job, amount=Decimal(paid), date=dt.date(*day),
                   payment_method=method)  # fmt: skip
    ExpenseFactory(customer=customer, job=job, amount=Decimal(cost), date=dt.date(*day),
                   category=category)  # fmt: skip
    return job


def _message(customer, kind, direction, content, day):  # type: ignore[no-untyped-def]
    return ActivityFactory(
        customer=customer, kind=kind, direction=direction, content=content, occurred_at=aware(*day)
    )


def build_world(*, today: dt.date = TODAY) -> World:
    """Ana's history (see the module docstring) plus technicians and one other customer."""
    tom = TechnicianFactory(name="Tom Baker", specialties=["Refrigerator", "WashingMachine"])
    sara = TechnicianFactory(name="Sara Lopez", specialties=["Dryer", "AirConditioner"])
    lee = TechnicianFactory(name="Lee Chan", specialties=["Refrigerator"])
    ivan = TechnicianFactory(name="Ivan Petrov", specialties=["Refrigerator"], active=False)
    ana = CustomerFactory(
        name="Ana Diaz", created_at=aware(2023, 3, 15), preferred_technician=tom,
        preferred_contact_method="WhatsApp", language_preference="en",
        communication_frequency_preference="Moderate",
    )  # fmt: skip
    bob = CustomerFactory(name="Bob Stone")
    fridge = ApplianceFactory(
        customer=ana, type="Refrigerator", brand="Whirlpool",
        install_date=dt.date(2014, 5, 23), last_service_date=dt.date(2026, 8, 23),
    )  # fmt: skip
    dryer = ApplianceFactory(
        customer=ana, type="Dryer", brand="LG",
        install_date=dt.date(2024, 11, 23), last_service_date=dt.date(2026, 5, 23),
    )  # fmt: skip
    jobs = [
        _job(ana, fridge, tom, (2025, 6, 10), "Fridge not cooling",
             "300.00", "Card", "120.00", "Parts"),
        _job(ana, fridge, tom, (2025, 7, 1), "Fridge leaking again",
             "150.00", "Cash", "30.00", "Travel"),
        _job(ana, dryer, sara, (2026, 11, 13), "Dryer noisy", "200.00", "Card", "50.00", "Parts"),
    ]  # fmt: skip
    ReviewFactory(
        job=jobs[0], rating=5, comment="Great work, thank you!", created_at=aware(2025, 6, 12)
    )
    CustomerTechnicianRatingFactory(
        customer=ana, technician=tom, job=jobs[0], rating=5, created_at=aware(2025, 6, 12)
    )
    CustomerTechnicianRatingFactory(
        customer=ana, technician=tom, job=jobs[1], rating=4, created_at=aware(2025, 7, 2)
    )
    CustomerTechnicianRatingFactory(
        customer=bob, technician=tom, rating=3, created_at=aware(2025, 1, 5)
    )
    CustomerTechnicianRatingFactory(
        customer=bob, technician=sara, rating=5, created_at=aware(2025, 2, 5)
    )
    CustomerTechnicianRatingFactory(
        customer=bob, technician=ivan, rating=5, created_at=aware(2025, 3, 5)
    )
    for hour in (9, 11, 14):  # Tom is half booked today: 3 of 6 slots
        JobFactory(
            customer=bob,
            technician=tom,
            scheduled_for=aware(today.year, today.month, today.day, hour),
        )
    messages = [
        _message(ana, "WhatsApp", "Inbound", "Thanks, the fridge works great now!", (2025, 6, 11)),
        _message(ana, "WhatsApp", "Inbound", "The fridge is leaking again, I am disappointed.",
                 (2025, 6, 28)),
        _message(ana, "Email", "Outbound", "Your visit is booked for November 13.", (2026, 11, 10)),
        _message(ana, "SMS", "Inbound", "The dryer is still noisy again at night.", (2026, 11, 20)),
    ]  # fmt: skip
    return World(ana, bob, fridge, dryer, tom, sara, lee, ivan, jobs, messages)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def offline_by_default() -> object:
    """Tests run offline unless they point the app at the local LLM server themselves."""
    with override_settings(LLM_PROVIDER="offline", COMPANY_COUNTRY="US", COMPANY_SUBDIVISION=""):
        yield


from tests.fakes.llm_fixtures import llm_server  # noqa: E402, F401  (the local LLM server)
