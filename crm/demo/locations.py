"""Demo service locations: every customer's own address is their "Home", and one customer in
fifteen with two or more appliances is a landlord with a rental across town."""

from __future__ import annotations

from collections.abc import Sequence

from crm.appliances.models import Appliance
from crm.customers.models import ServiceLocation
from crm.demo.plans import CustomerPlan
from crm.jobs.models import Job

LANDLORD_EVERY = 15
LANDLORD_AT = 7  # which one of the fifteen (by place in the chunk): deterministic, no RNG draw
RENTAL_STREET = "12 Oak St"


def _rental(plan: CustomerPlan, home: ServiceLocation) -> ServiceLocation:
    """The rental, in the same town as home ("12 Oak St, Miami, FL 33145")."""
    _street, _, town = home.address.partition(", ")
    return ServiceLocation(
        customer=plan.customer, label="Rental", address=f"{RENTAL_STREET}, {town or home.address}",
        access_notes="Tenant lets the technician in; call ahead.", timezone=home.timezone,
        created_at=plan.customer.created_at,
    )  # fmt: skip


def locations_build(
    plan: CustomerPlan, appliances: Sequence[Appliance], jobs: Sequence[Job], *, index: int
) -> list[ServiceLocation]:
    """Home for a customer with an address (their appliances stand there); the landlords' rental
    takes their last appliance (the last two from four), and the jobs on those."""
    customer = plan.customer
    if not customer.address:
        return []
    home = ServiceLocation(
        customer=customer, label="Home", address=customer.address, timezone=customer.timezone,
        created_at=customer.created_at,
    )  # fmt: skip
    for appliance in appliances:
        appliance.location = home
    if index % LANDLORD_EVERY != LANDLORD_AT or len(appliances) < 2:
        return [home]
    rental = _rental(plan, home)
    moved = appliances[-2:] if len(appliances) >= 4 else appliances[-1:]
    for appliance in moved:
        appliance.location = rental
    for job in jobs:
        if job.appliance is not None and job.appliance in moved:
            job.location, job.service_address = rental, rental.address
    return [home, rental]
