"""Customers for the Customer View's query-count test and page benchmark: light and heavy.

`customer_with_history` writes a customer with N of everything the page shows, with bulk
inserts (2,000 activities take a fraction of a second). Every kind of row exists at least once
even for the light customer, so both pages take the same code paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType
from crm.customers.models import Customer
from crm.jobs.models import Expense, ExpenseCategory, Job, JobStatus, Payment, PaymentMethod
from crm.referrals.models import Referral
from crm.reviews.models import Review
from crm.technicians.models import CustomerTechnicianRating, Technician

KINDS = [ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.WHATSAPP, ActivityKind.SMS,
         ActivityKind.EMAIL]  # fmt: skip
METHODS = PaymentMethod.values
TYPES = ApplianceType.values


@dataclass(frozen=True)
class History:
    activities: int = 1
    jobs: int = 1
    payments: int = 1
    expenses: int = 1
    appliances: int = 1


LIGHT = History()
HEAVY = History(activities=2000, jobs=300, payments=1000, expenses=300, appliances=40)


def _technicians() -> list[Technician]:
    existing = list(Technician.objects.filter(name__startswith="Bench tech")[:3])
    if existing:
        return existing
    return Technician.objects.bulk_create(
        Technician(name=f"Bench tech {n}", hourly_cost=Decimal("42.50")) for n in range(3)
    )


def _jobs(customer: Customer, history: History, appliances: list[Appliance]) -> list[Job]:
    now, techs = timezone.now(), _technicians()
    jobs = []
    for n in range(history.jobs):
        when = now - dt.timedelta(days=3 * n + 1)
        done = n % 10 != 0
        jobs.append(Job(
            customer=customer, technician=techs[n % len(techs)],
            appliance=appliances[n % len(appliances)],
            description=f"Visit {n}: appliance not working as it should", scheduled_for=when,
            status=JobStatus.COMPLETED if done else JobStatus.CANCELLED,
            completed_at=when if done else None, outcome="Fixed" if done else "",
            labor_hours=Decimal("1.50"),
        ))  # fmt: skip
    return Job.objects.bulk_create(jobs)


def _money(customer: Customer, history: History, jobs: list[Job]) -> None:
    today = timezone.localdate()
    Payment.objects.bulk_create(
        Payment(customer=customer, job=jobs[n % len(jobs)], amount=Decimal("120.00") + n % 50,
                date=today - dt.timedelta(days=n), payment_method=METHODS[n % len(METHODS)])
        for n in range(history.payments)
    )  # fmt: skip
    Expense.objects.bulk_create(
        Expense(customer=customer, job=jobs[n % len(jobs)], amount=Decimal("35.00"),
                date=today - dt.timedelta(days=n), category=ExpenseCategory.PARTS)
        for n in range(history.expenses)
    )  # fmt: skip


def _reviews(customer: Customer, jobs: list[Job]) -> None:
    reviewed = [job for n, job in enumerate(jobs) if job.status == JobStatus.COMPLETED and n % 2]
    reviewed = reviewed or [job for job in jobs if job.status == JobStatus.COMPLETED]
    Review.objects.bulk_create(
        Review(job=job, customer=customer, technician=job.technician, rating=1 + n % 5,
               comment="Friendly and quick.")
        for n, job in enumerate(reviewed)
    )  # fmt: skip
    CustomerTechnicianRating.objects.bulk_create(
        CustomerTechnicianRating(customer=customer, technician=job.technician, job=job,
                                 rating=1 + n % 5)
        for n, job in enumerate(reviewed)
    )  # fmt: skip


@transaction.atomic
def customer_with_history(name: str, history: History) -> Customer:
    """A customer with `history` rows of each kind, one referral each way and a preference."""
    customer = Customer.objects.create(
        name=name, email=f"{name.lower().replace(' ', '.')}@example.com"
    )
    appliances = Appliance.objects.bulk_create(
        Appliance(customer=customer, type=TYPES[n % len(TYPES)], brand=f"Brand {n}",
                  install_date=dt.date(2012 + n % 12, 1 + n % 12, 1))
        for n in range(history.appliances)
    )  # fmt: skip
    jobs = _jobs(customer, history, appliances)
    _money(customer, history, jobs)
    _reviews(customer, jobs)
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(customer=customer, kind=KINDS[n % len(KINDS)],
                 direction=Direction.INTERNAL if n % len(KINDS) == 0 else Direction.OUTBOUND,
                 content=f"Message {n} about the next visit.",
                 occurred_at=now - dt.timedelta(hours=n))
        for n in range(history.activities)
    )  # fmt: skip
    referrer = Customer.objects.create(name=f"{name} referrer")
    referred = Customer.objects.create(name=f"{name} referred")
    Referral.objects.create(referrer=referrer, referred_customer=customer)
    Referral.objects.create(referrer=customer, referred_customer=referred)
    Customer.objects.filter(pk=customer.pk).update(
        referred_by=referrer, preferred_technician=jobs[0].technician
    )
    Customer.objects.filter(pk=referred.pk).update(referred_by=customer)
    return customer
