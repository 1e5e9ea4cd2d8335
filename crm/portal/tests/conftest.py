"""A customer with a portal link, their appliance, a booked visit and a past one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest

from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory, PaymentFactory
from crm.portal.services.links import portal_link_create


@dataclass(frozen=True)
class Portal:
    customer: Customer
    appliance: Appliance
    booked: Job
    past: Job
    path: str


@pytest.fixture(autouse=True)
def _no_rate_limit(settings: Any) -> None:
    """Tests call the page many times from one address; the rate limit has its own test."""
    settings.PUBLIC_PAGE_REQUESTS_PER_MINUTE = 0


def portal_for(language: str = "en") -> Portal:
    customer = CustomerFactory(name="Ana Ruiz", language_preference=language)
    appliance = ApplianceFactory(customer=customer)
    booked = JobFactory(customer=customer, appliance=appliance, arrival_window="10:00-12:00")
    past = JobFactory(customer=customer, appliance=appliance, completed=True)
    PaymentFactory(customer=customer, job=past, amount=Decimal("185.50"))
    path = urlsplit(portal_link_create(customer_id=customer.pk).url).path
    return Portal(customer, appliance, booked, past, path)


@pytest.fixture
def portal(db: None) -> Portal:
    return portal_for()
