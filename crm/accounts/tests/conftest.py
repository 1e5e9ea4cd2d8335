"""A technician with a signed-in user, and visits inside and outside their window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.roles import Role
from crm.core.tests.factories import UserFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory, PaymentFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory


@dataclass
class Crew:
    technician: Technician
    user: User
    client: Client
    ana: Customer  # a visit today in two hours: inside the window
    visit: Job
    old: Customer  # a visit 40 days ago: outside
    soon: Customer  # a visit in 6 days: inside (a week before)
    later: Customer  # a visit in 8 days: outside
    others: Customer  # another technician's visit today


def _visit(technician: Technician, customer: Customer, when: dt.timedelta, **fields: object) -> Job:
    return JobFactory(
        customer=customer, technician=technician, scheduled_for=timezone.now() + when, **fields
    )


@pytest.fixture
def crew(db: None) -> Crew:
    technician = TechnicianFactory(name="Tess Field")
    user = UserFactory(username="tess", role=Role.TECHNICIAN, is_staff=False)
    technician.user = user
    technician.save()
    ana = CustomerFactory(name="Ana Ruiz", phone="+13055550101", address="12 Ocean Drive, Miami")
    appliance = ApplianceFactory(customer=ana, brand="Bosch")
    visit = _visit(technician, ana, dt.timedelta(hours=2), appliance=appliance,
                   description="Dryer does not heat")  # fmt: skip
    PaymentFactory(customer=ana, job=visit)
    names = {"old": -40, "soon": 6, "later": 8}
    people = {name: CustomerFactory(name=name.title()) for name in [*names, "others"]}
    for name, days in names.items():
        _visit(technician, people[name], dt.timedelta(days=days))
    _visit(TechnicianFactory(), people["others"], dt.timedelta(hours=1))
    client = Client()
    client.force_login(user)
    return Crew(technician, user, client, ana, visit, people["old"], people["soon"],
                people["later"], people["others"])  # fmt: skip
