"""Writes of maintenance plans: create, change, cancel, renew, and the nightly expiry.

Status moves one way through these services: Active -> Cancelled (cancelled_at set) or
Active -> Expired (the nightly sweep, past the end day). An Expired plan comes back only by
renewing it (a new plan year from its old end day); a Cancelled plan is final (the office
starts a new plan). PUT cannot set Expired, and cannot make a plan Active again.
Every change of price, dates or status is in the audit trail (crm/audit/registry.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.dates import add_months
from crm.core.errors import NotFound, ValidationFailed
from crm.core.validation import model_validate
from crm.customers.models import Customer
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.selectors import PLAN_YEAR_MONTHS

PLAN_FIELDS = {"name", "visits_per_year", "price_per_year", "starts_on", "ends_on", "auto_renew"}
MIN_VISITS, MAX_VISITS = 1, 52
# Dates a plan may have: renewing adds years, so the end stays far from the calendar's end.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _appliances_checked(customer_id: int, appliance_ids: Iterable[int]) -> list[int]:
    """A plan covers at least one appliance, every one of them this customer's."""
    wanted = sorted(set(appliance_ids))
    if not wanted:
        raise ValidationFailed("Choose at least one appliance for the plan.", field="applianceIds")
    owned = set(
        Appliance.objects.filter(pk__in=wanted, customer_id=customer_id).values_list(
            "pk", flat=True
        )
    )
    if missing := [pk for pk in wanted if pk not in owned]:
        raise ValidationFailed(
            f"No appliance with id {missing[0]} for this customer.", field="applianceIds"
        )
    return wanted


def _check(plan: MaintenancePlan) -> None:
    if not plan.name.strip():
        raise ValidationFailed("Name the plan.", field="name")
    if not MIN_VISITS <= plan.visits_per_year <= MAX_VISITS:
        raise ValidationFailed(
            f"Visits per year are {MIN_VISITS} to {MAX_VISITS}.", field="visitsPerYear"
        )
    if plan.price_per_year < 0:
        raise ValidationFailed("The price cannot be below zero.", field="pricePerYear")
    if plan.ends_on <= plan.starts_on:
        raise ValidationFailed("The plan ends after it starts.", field="endsOn")
    if plan.starts_on.year < FIRST_YEAR or plan.ends_on.year > LAST_YEAR:
        raise ValidationFailed(
            f"A plan runs between the years {FIRST_YEAR} and {LAST_YEAR}.", field="endsOn"
        )
    model_validate(plan, exclude=["customer", "appliances"])


@transaction.atomic
def plan_create(
    *, customer_id: int, appliance_ids: Iterable[int], fields: dict[str, Any]
) -> MaintenancePlan:
    """An Active plan for a customer covering some of their appliances."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise ValidationFailed("No customer with that id.", field="customerId")
    covered = _appliances_checked(customer_id, appliance_ids)
    plan = MaintenancePlan(
        customer_id=customer_id, status=PlanStatus.ACTIVE,
        **{k: v for k, v in fields.items() if k in PLAN_FIELDS},
    )  # fmt: skip
    _check(plan)
    plan.save()
    plan.appliances.set(covered)
    return plan


def _status_change(plan: MaintenancePlan, status: str, now: dt.datetime) -> None:
    if status == plan.status:
        return
    if status == PlanStatus.CANCELLED and plan.status == PlanStatus.ACTIVE:
        plan.status, plan.cancelled_at = PlanStatus.CANCELLED, now
        return
    if status == PlanStatus.EXPIRED:
        raise ValidationFailed("Plans expire by themselves after their end day.", field="status")
    if plan.status == PlanStatus.EXPIRED:
        raise ValidationFailed("An expired plan comes back by renewing it.", field="status")
    raise ValidationFailed(
        "A cancelled plan stays cancelled: start a new plan instead.", field="status"
    )


@transaction.atomic
def plan_update(
    *, plan_id: int, fields: dict[str, Any], appliance_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> MaintenancePlan:  # fmt: skip
    """Change a plan; only the given fields change. Status may go from Active to Cancelled."""
    plan = MaintenancePlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("Maintenance plan not found.")
    for name, value in fields.items():
        if name in PLAN_FIELDS:
            setattr(plan, name, value)
    if "status" in fields:
        _status_change(plan, fields["status"], now or timezone.now())
    _check(plan)
    plan.save()
    if appliance_ids is not None:
        plan.appliances.set(_appliances_checked(plan.customer_id, appliance_ids))
    return plan


@transaction.atomic
def plan_cancel(*, plan_id: int, customer_id: int | None = None) -> MaintenancePlan:
    """Cancel an active plan from today on (its visits already done stay its visits)."""
    plan = MaintenancePlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or (customer_id is not None and plan.customer_id != customer_id):
        raise NotFound("Maintenance plan not found.")
    _status_change(plan, PlanStatus.CANCELLED, timezone.now())
    plan.save(update_fields=["status", "cancelled_at", "updated_at"])
    return plan


def _next_year(plan: MaintenancePlan) -> None:
    plan.starts_on, plan.ends_on = plan.ends_on, add_months(plan.ends_on, PLAN_YEAR_MONTHS)
    plan.status = PlanStatus.ACTIVE


@transaction.atomic
def plan_renew(*, plan_id: int, customer_id: int | None = None) -> MaintenancePlan:
    """Another plan year from the old end day, at the same price and visits (audited)."""
    plan = MaintenancePlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or (customer_id is not None and plan.customer_id != customer_id):
        raise NotFound("Maintenance plan not found.")
    if plan.status == PlanStatus.CANCELLED:
        raise ValidationFailed(
            "A cancelled plan stays cancelled: start a new plan instead.", field="status"
        )
    _next_year(plan)
    plan.save(update_fields=["starts_on", "ends_on", "status", "updated_at"])
    return plan


@transaction.atomic
def plans_expire(*, today: dt.date) -> tuple[int, int]:
    """Active plans past their end day: auto-renewing ones start their next year (until it
    reaches today), the others become Expired. Saved one by one so each change is audited;
    plans end a few a day. Returns (renewed, expired)."""
    renewed = expired = 0
    ended = MaintenancePlan.objects.select_for_update().filter(
        status=PlanStatus.ACTIVE, ends_on__lte=today
    )
    for plan in ended:
        if plan.auto_renew:
            while plan.ends_on <= today:
                _next_year(plan)
            renewed += 1
        else:
            plan.status = PlanStatus.EXPIRED
            expired += 1
        plan.save(update_fields=["starts_on", "ends_on", "status", "updated_at"])
    return renewed, expired
