"""Demo appliances of mixed ages: some past their expected lifespan, some under warranty."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from decimal import Decimal

from crm.appliances.lifespans import LIFESPANS
from crm.appliances.models import Appliance
from crm.core.dates import add_months
from crm.demo.catalog import BRANDS, MODEL_PREFIX, TYPE_WEIGHTS
from crm.demo.context import SeedContext
from crm.demo.plans import ApplianceSpec, CustomerPlan
from crm.jobs.models import Job, JobStatus

LIFESPAN_YEARS = {
    str(row["appliance_type"]): float(Decimal(str(row["expected_lifespan_years"])))
    for row in LIFESPANS
}
COUNT_WEIGHTS: list[tuple[int, float]] = [(1, 28), (2, 30), (3, 20), (4, 13), (5, 9)]
# Age as a share of the expected lifespan: up to 1.45, so about a quarter are past it.
AGE_SHARE = (0.03, 1.45)
SERVICED_ELSEWHERE_SHARE = 0.4


def appliance_specs_random(ctx: SeedContext) -> list[ApplianceSpec]:
    """One to five appliances of different types, mixed ages and warranties."""
    count = ctx.weighted(COUNT_WEIGHTS)
    types: list[str] = []
    while len(types) < count:
        kind = ctx.weighted(TYPE_WEIGHTS)
        if kind not in types:
            types.append(kind)
    return [_spec_random(ctx, kind) for kind in types]


def _spec_random(ctx: SeedContext, kind: str) -> ApplianceSpec:
    age_years = LIFESPAN_YEARS[kind] * ctx.rng.uniform(*AGE_SHARE)
    warranty_years = ctx.pick((3, 5)) if ctx.chance(0.2) else 1
    return ApplianceSpec(
        type=kind, age_days=max(30, int(age_years * 365)), warranty_years=warranty_years
    )


def model_number_for(ctx: SeedContext, brand: str) -> str:
    digits = "".join(ctx.rng.choices(string.digits, k=ctx.rng.randint(3, 5)))
    letters = "".join(ctx.rng.choices(string.ascii_uppercase, k=2))
    return f"{MODEL_PREFIX.get(brand, 'MX')}{digits}{letters}"


def serial_number_for(ctx: SeedContext) -> str:
    letters = "".join(ctx.rng.choices(string.ascii_uppercase, k=2))
    return f"{letters}{ctx.rng.randint(10_000_000, 99_999_999)}"


def appliance_build(ctx: SeedContext, plan: CustomerPlan, spec: ApplianceSpec) -> Appliance:
    """The appliance of `spec`, recorded when the customer joined or when it was installed."""
    brand = spec.brand or ctx.pick(BRANDS[spec.type])
    install_date = ctx.today - dt.timedelta(days=spec.age_days)
    recorded_at = max(plan.customer.created_at, ctx.at(spec.age_days, hour=12))
    return Appliance(
        customer=plan.customer,
        type=spec.type,
        brand=brand,
        model_number=model_number_for(ctx, brand),
        serial_number=serial_number_for(ctx),
        install_date=install_date,
        warranty_expires_on=add_months(install_date, 12 * spec.warranty_years),
        created_at=recorded_at,
    )


def appliances_build(ctx: SeedContext, plan: CustomerPlan) -> list[Appliance]:
    specs = plan.appliances if plan.appliances is not None else appliance_specs_random(ctx)
    return [appliance_build(ctx, plan, spec) for spec in specs]


def appliance_for(
    ctx: SeedContext, appliances: Sequence[Appliance], day: dt.date, kind: str | None
) -> Appliance | None:
    """An appliance installed by `day` (of `kind` when given); None for one since replaced."""
    installed = [a for a in appliances if a.install_date is not None and a.install_date <= day]
    if kind is not None:
        installed = [a for a in installed if a.type == kind]
    return ctx.pick(installed) if installed else None


def service_dates_set(
    ctx: SeedContext, appliances: Sequence[Appliance], jobs: Sequence[Job]
) -> None:
    """last_service_date: the latest completed job on it, else sometimes a visit elsewhere."""
    for appliance in appliances:
        days = [
            job.completed_at.date()
            for job in jobs
            if job.appliance is appliance and job.completed_at and job.status == JobStatus.COMPLETED
        ]
        appliance.last_service_date = max(days) if days else _serviced_elsewhere(ctx, appliance)


def _serviced_elsewhere(ctx: SeedContext, appliance: Appliance) -> dt.date | None:
    assert appliance.install_date is not None
    span = (ctx.today - appliance.install_date).days
    if span < 60 or not ctx.chance(SERVICED_ELSEWHERE_SHARE):
        return None
    return appliance.install_date + dt.timedelta(days=ctx.rng.randint(30, span - 1))
