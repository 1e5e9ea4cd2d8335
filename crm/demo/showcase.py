"""Maria Gonzalez: the first demo customer, with twelve years of history to show the page off.

Her appliances include ones past their expected lifespan and ones under warranty; her jobs
include a resolved complaint, a cancellation, a visit three days ago awaiting its follow-up
and one booked for next week. She referred the first few customers who joined after her.
"""

from __future__ import annotations

from crm.core.choices import ApplianceType as T
from crm.customers.models import ContactMethod, Customer, FrequencyPreference
from crm.demo.context import SeedContext
from crm.demo.plans import ApplianceSpec, CustomerPlan, JobSpec
from crm.jobs.models import JobStatus

C, X, S = JobStatus.COMPLETED, JobStatus.CANCELLED, JobStatus.SCHEDULED
SHOWCASE_REFERS = 3
TENURE_DAYS = 12 * 365 + 40
PREFERRED_TECHNICIAN = "Carlos Ramirez"

APPLIANCES = [
    ApplianceSpec(T.REFRIGERATOR, age_days=15 * 365 + 60, warranty_years=1, brand="Whirlpool"),
    ApplianceSpec(T.WASHING_MACHINE, age_days=2 * 365 + 100, warranty_years=5, brand="LG"),
    ApplianceSpec(T.DRYER, age_days=14 * 365, warranty_years=1, brand="Maytag"),
    ApplianceSpec(T.DISHWASHER, age_days=200, warranty_years=2, brand="Bosch"),
    ApplianceSpec(T.OVEN_RANGE, age_days=8 * 365, warranty_years=1, brand="GE"),
    ApplianceSpec(T.AIR_CONDITIONER, age_days=9 * 365, warranty_years=10, brand="Carrier"),
    ApplianceSpec(T.WATER_HEATER, age_days=12 * 365 + 20, warranty_years=6, brand="Rheem"),
]

JOBS = [
    JobSpec(4370, C, 5, T.WATER_HEATER), JobSpec(3950, C, 5, T.REFRIGERATOR),
    JobSpec(3400, C, None, T.DRYER), JobSpec(2900, C, 4, T.OVEN_RANGE),
    JobSpec(2500, X, None, T.DRYER), JobSpec(2450, C, 5, T.DRYER),
    JobSpec(1900, C, 5, T.AIR_CONDITIONER), JobSpec(1500, C, None, T.REFRIGERATOR),
    JobSpec(1100, C, 4, T.WATER_HEATER), JobSpec(700, C, 5, T.WASHING_MACHINE),
    JobSpec(400, C, 2, T.DRYER), JobSpec(385, C, 5, T.DRYER),
    JobSpec(150, C, 5, T.DISHWASHER), JobSpec(40, C, 4, T.AIR_CONDITIONER),
    JobSpec(3, C, None, T.REFRIGERATOR), JobSpec(-6, S, None, T.WATER_HEATER),
]  # fmt: skip

NOTES = [
    "Loyal customer since the first water heater job; referred several neighbors.",
    "Fridge is past its expected life: discuss replacement vs. repair at the next visit.",
    "Prefers WhatsApp after 6pm on weekdays; Saturday mornings are fine.",
]


def showcase_plan(ctx: SeedContext) -> CustomerPlan:
    """Maria's plan; her preferred technician is Carlos when he is on the crew."""
    by_name = {tech.name: tech for tech in ctx.technicians}
    customer = Customer(
        name="Maria Gonzalez",
        email="maria.gonzalez@example.com",
        phone="+13055550142",
        address="1842 Coral Way, Miami, FL 33145",
        referral_code=ctx.referral_code(),
        preferred_technician=by_name.get(PREFERRED_TECHNICIAN),
        preferred_contact_method=ContactMethod.WHATSAPP,
        preferred_contact_times=[
            *(
                {"day": day, "start": "18:00", "end": "20:00"}
                for day in ("mon", "tue", "wed", "thu", "fri")
            ),
            {"day": "sat", "start": "10:00", "end": "13:00"},
        ],
        communication_frequency_preference=FrequencyPreference.MODERATE,
        language_preference="en",
        created_at=ctx.at(TENURE_DAYS, hour=10, minute=15),
    )
    return CustomerPlan(
        customer=customer, first_name="Maria", mood=0.9, tenure_days=TENURE_DAYS,
        appliances=APPLIANCES, jobs=JOBS, notes=list(NOTES),
    )  # fmt: skip
