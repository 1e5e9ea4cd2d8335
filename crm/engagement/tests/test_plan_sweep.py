"""Maintenance plans in the nightly sweep: visits spread over the plan year become reminders,
a job of the plan covers a visit, renewal is reminded 30 days ahead, ended plans renew or
expire, and appliances on a plan get no "maintenance overdue" nudges."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.appliances.tests.factories import ApplianceFactory
from crm.audit.models import AuditEntry
from crm.engagement.models import Reminder, ReminderKind, ReminderStatus
from crm.engagement.services.plan_sweep import plan_sweep
from crm.engagement.services.sweeps import engagement_sweep
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.models import JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.plans.tests.factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _plan_reminders() -> dict[str, tuple[dt.date, str]]:
    return {
        r.source_key: (r.due_date, r.status)
        for r in Reminder.objects.filter(
            kind__in=[ReminderKind.PLAN_VISIT_DUE, ReminderKind.PLAN_RENEWAL]
        )
    }


def _four_visit_plan() -> MaintenancePlan:
    fridge = ApplianceFactory(brand="Bosch")
    return MaintenancePlanFactory(
        customer=fridge.customer, appliances=[fridge], visits_per_year=4, name="Fridge care"
    )


def test_due_visits_spread_over_the_year_not_covered_by_a_job_become_reminders() -> None:
    # given a plan year Jan 1, 2026 - Jan 1, 2027 of four visits, the first done by a job
    plan = _four_visit_plan()
    done = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    JobFactory(customer=plan.customer, plan=plan, status=JobStatus.COMPLETED, scheduled_for=done,
               completed_at=done)  # fmt: skip
    # when
    plan_sweep(TODAY)
    # then visits 2-4 (Apr 2, Jul 2, Oct 1) are reminded, overdue first
    key = f"plan:{plan.pk}:visit:2026-01-01:"
    assert _plan_reminders() == {
        f"{key}2": (dt.date(2026, 4, 2), "Open"),
        f"{key}3": (dt.date(2026, 7, 2), "Open"),
        f"{key}4": (dt.date(2026, 10, 1), "Open"),
    }
    reminder = Reminder.objects.get(source_key=f"{key}2")
    assert reminder.title == "Plan visit 2 of 4 due: Fridge care (Bosch refrigerator)"
    assert reminder.appliance_id == plan.appliances.get().pk


def test_only_visits_due_within_two_weeks_are_reminded() -> None:
    # given a plan that started on Nov 1: visits Nov 1, May 2
    fridge = ApplianceFactory()
    plan = MaintenancePlanFactory(
        customer=fridge.customer, appliances=[fridge], starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 11, 1),
    )  # fmt: skip
    # when
    plan_sweep(TODAY)
    # then
    assert list(_plan_reminders()) == [f"plan:{plan.pk}:visit:2026-11-01:1"]


def test_a_rerun_writes_nothing_and_a_booked_job_closes_its_visit() -> None:
    # given the sweep ran once
    plan = _four_visit_plan()
    engagement_sweep(today=TODAY)
    first = _plan_reminders()
    # when it runs again, then nothing new
    assert engagement_sweep(today=TODAY).reminders_created == 0
    assert _plan_reminders() == first
    # when the office books one visit of the plan and the sweep runs
    JobFactory(customer=plan.customer, plan=plan,
               scheduled_for=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC))  # fmt: skip
    plan_sweep(TODAY)
    # then the first visit is covered (done), the others stay open
    statuses = {key.rsplit(":", 1)[1]: status for key, (_, status) in _plan_reminders().items()}
    assert statuses == {"1": "Done", "2": "Open", "3": "Open", "4": "Open"}


def test_renewal_is_reminded_thirty_days_before_the_end() -> None:
    # given one plan ending in 27 days and one in 39
    fridge = ApplianceFactory()
    ending = MaintenancePlanFactory(
        customer=fridge.customer, appliances=[fridge], starts_on=dt.date(2025, 12, 20),
        ends_on=dt.date(2026, 12, 20), visits_per_year=1, auto_renew=True,
    )  # fmt: skip
    later = MaintenancePlanFactory(
        customer=fridge.customer, appliances=[fridge], starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 1, 1), visits_per_year=1,
    )  # fmt: skip
    JobFactory(customer=fridge.customer, plan=later, completed=True)
    JobFactory(customer=fridge.customer, plan=ending, completed=True)
    # when
    plan_sweep(TODAY)
    # then
    assert _plan_reminders() == {
        f"plan:{ending.pk}:renew:2026-12-20": (dt.date(2026, 12, 19), "Open")
    }
    title = Reminder.objects.get().title
    assert title == "Plan renewal: Care plan ends Sun, Dec 20, 2026 (it renews by itself)"


def test_ended_plans_expire_or_renew_for_another_year_audited() -> None:
    # given two plans that ended on Nov 1
    fridge = ApplianceFactory()
    ended = {"customer": fridge.customer, "appliances": [fridge],
             "starts_on": dt.date(2025, 11, 1), "ends_on": dt.date(2026, 11, 1)}  # fmt: skip
    expiring = MaintenancePlanFactory(**ended, name="Old plan")
    renewing = MaintenancePlanFactory(**ended, name="Renewing plan", auto_renew=True)
    # when
    assert plan_sweep(TODAY)[:2] == (1, 1)
    # then
    expiring.refresh_from_db()
    renewing.refresh_from_db()
    assert expiring.status == PlanStatus.EXPIRED
    assert (renewing.status, renewing.starts_on, renewing.ends_on) == (
        PlanStatus.ACTIVE,
        dt.date(2026, 11, 1),
        dt.date(2027, 11, 1),
    )
    change = AuditEntry.objects.filter(
        content_type__model="maintenanceplan", object_pk=str(renewing.pk)
    ).latest("id")
    assert change.changes["ends_on"] == ["2026-11-01", "2027-11-01"]
    # and only the renewed plan's new year is reminded (its first visit, Nov 1)
    assert list(_plan_reminders()) == [f"plan:{renewing.pk}:visit:2026-11-01:1"]


def test_appliances_on_an_active_plan_get_no_maintenance_overdue_nudges() -> None:
    # given two overdue refrigerators of one customer, one on a plan; a third on an expired plan
    covered = ApplianceFactory(install_date=dt.date(2020, 1, 15),
                               last_service_date=dt.date(2025, 6, 1))  # fmt: skip
    customer = covered.customer
    uncovered = ApplianceFactory(customer=customer, install_date=dt.date(2020, 1, 15),
                                 last_service_date=dt.date(2025, 6, 1))  # fmt: skip
    lapsed = ApplianceFactory(customer=customer, install_date=dt.date(2020, 1, 15),
                              last_service_date=dt.date(2025, 6, 1))  # fmt: skip
    old_nudge = ReminderFactory(
        customer=customer, appliance=covered, kind=ReminderKind.MAINTENANCE_OVERDUE,
        source_key=f"maintenance:{covered.pk}:2026-06-01",
    )  # fmt: skip
    MaintenancePlanFactory(customer=customer, appliances=[covered])
    MaintenancePlanFactory(customer=customer, appliances=[lapsed], status=PlanStatus.EXPIRED)
    # when
    engagement_sweep(today=TODAY)
    # then the covered one has plan visits, no maintenance reminder; the others are nudged
    nudged = set(
        Reminder.objects.filter(
            kind__in=[ReminderKind.MAINTENANCE_DUE, ReminderKind.MAINTENANCE_OVERDUE],
            status=ReminderStatus.OPEN,
        ).values_list("appliance_id", flat=True)
    )
    assert nudged == {uncovered.pk, lapsed.pk}
    old_nudge.refresh_from_db()
    assert old_nudge.status == ReminderStatus.DISMISSED
    assert Reminder.objects.filter(kind=ReminderKind.PLAN_VISIT_DUE, appliance=covered).exists()
