"""The demo's maintenance plans: about one customer in eight has an active plan covering one or
two of their appliances, and their completed visits to those appliances since the plan started
are the plan's visits. Added after the customers are saved, from their rows, so the other
builders' random draws (and so every other demo row) stay as they were.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from crm.appliances.models import Appliance
from crm.core.dates import add_months
from crm.customers.models import Customer
from crm.jobs.models import Job, JobStatus
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.selectors import PLAN_YEAR_MONTHS, SUGGESTED_PRICE_PER_VISIT, SUGGESTED_VISITS

PLAN_EVERY = 8  # one customer in eight; the first (Maria Gonzalez, the showcase) is not one
PLAN_AT = 4
BATCH = 1000


def _plan_for(
    index: int, customer_id: int, covered: list[Appliance], today: dt.date
) -> MaintenancePlan:
    """Started 30 to 330 days ago (so every plan is active today), two visits a year."""
    starts_on = today - dt.timedelta(days=30 + (index * 37) % 300)
    kinds = ", ".join(dict.fromkeys(a.get_type_display().lower() for a in covered))
    return MaintenancePlan(
        customer_id=customer_id, name=f"Care plan: {kinds}"[:120],
        visits_per_year=SUGGESTED_VISITS,
        price_per_year=SUGGESTED_PRICE_PER_VISIT * SUGGESTED_VISITS * len(covered),
        starts_on=starts_on, ends_on=add_months(starts_on, PLAN_YEAR_MONTHS),
        auto_renew=index % 2 == 0, status=PlanStatus.ACTIVE,
    )  # fmt: skip


def _visits_link(plans: list[MaintenancePlan], covered: dict[int, list[int]]) -> None:
    """Completed jobs on a plan's appliances since it started become the plan's visits."""
    by_appliance = {pk: plan for plan in plans for pk in covered[plan.pk]}
    jobs = list(
        Job.objects.filter(appliance_id__in=list(by_appliance), status=JobStatus.COMPLETED)
        .only("pk", "appliance_id", "completed_at")
        .order_by("pk")
    )
    visits = []
    for job in jobs:
        plan = by_appliance[job.appliance_id]  # type: ignore[index]
        if job.completed_at and job.completed_at.date() >= plan.starts_on:
            job.plan_id = plan.pk
            visits.append(job)
    Job.objects.bulk_update(visits, ["plan"], batch_size=BATCH)


def _chosen(after_customer_id: int) -> dict[int, list[Appliance]]:
    """Every PLAN_EVERY-th new customer with an appliance -> the one or two it covers."""
    customer_ids = Customer.objects.filter(pk__gt=after_customer_id).order_by("pk")
    chosen = {
        pk: i
        for i, pk in enumerate(customer_ids.values_list("pk", flat=True))
        if i % PLAN_EVERY == PLAN_AT
    }
    owned: dict[int, list[Appliance]] = {}
    for appliance in Appliance.objects.filter(customer_id__in=list(chosen)).order_by("pk"):
        owned.setdefault(appliance.customer_id, []).append(appliance)
    return {pk: owned[pk][: 1 + (i // PLAN_EVERY) % 2] for pk, i in chosen.items() if pk in owned}


@transaction.atomic
def demo_plans_add(*, after_customer_id: int, today: dt.date) -> int:
    """Plans for every PLAN_EVERY-th customer created after `after_customer_id` who has an
    appliance (one appliance, every other plan two). Returns the plans created."""
    chosen = _chosen(after_customer_id)
    plans = MaintenancePlan.objects.bulk_create(
        [_plan_for(i, pk, covered, today) for i, (pk, covered) in enumerate(chosen.items())],
        batch_size=BATCH,
    )
    covered_ids = {plan.pk: [a.pk for a in chosen[plan.customer_id]] for plan in plans}
    through = MaintenancePlan.appliances.through
    through.objects.bulk_create(
        [through(maintenanceplan_id=plan_pk, appliance_id=appliance_pk)
         for plan_pk, appliance_pks in covered_ids.items() for appliance_pk in appliance_pks],
        batch_size=BATCH,
    )  # fmt: skip
    _visits_link(plans, covered_ids)
    return len(plans)
