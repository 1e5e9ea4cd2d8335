"""Demo jobs: mostly completed visits over the customer's years, a few cancelled or upcoming."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from crm.appliances.models import Appliance
from crm.demo.appliances import appliance_for
from crm.demo.catalog import TYPE_WEIGHTS
from crm.demo.context import SeedContext
from crm.demo.plans import CustomerPlan, JobSpec
from crm.demo.problems import MAINTENANCE, REPAIRS, Problem
from crm.demo.technicians import technician_for
from crm.jobs.models import Job, JobStatus

START_HOURS = (8, 9, 10, 11, 13, 14, 15)
SUNDAY = 6
MAX_PAST_JOBS = 14
CANCELLED_SHARE = 0.06
REVIEWED_SHARE = 0.55
MAINTENANCE_SHARE = 0.22
RECENT_JOB_SHARE = 0.25
UPCOMING_SHARE = 0.14
IN_PROGRESS_SHARE = 0.015
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = {True: (65, 27, 5, 2, 1), False: (20, 25, 20, 20, 15)}


@dataclass(frozen=True)
class JobDraft:
    """An unsaved job with what it was about."""

    job: Job
    problem: Problem
    spec: JobSpec
    kind: str

    @property
    def completed(self) -> bool:
        return self.job.status == JobStatus.COMPLETED


def rating_pick(ctx: SeedContext, plan: CustomerPlan) -> int:
    """Mostly 4-5 stars; unhappy customers give the 1-2s."""
    return ctx.rng.choices(RATINGS, weights=RATING_WEIGHTS[plan.happy])[0]


def _past_spec(ctx: SeedContext, plan: CustomerPlan, days_ago: int) -> JobSpec:
    if ctx.chance(CANCELLED_SHARE):
        return JobSpec(days_ago=days_ago, status=JobStatus.CANCELLED)
    rating = rating_pick(ctx, plan) if ctx.chance(REVIEWED_SHARE) else None
    return JobSpec(days_ago=days_ago, status=JobStatus.COMPLETED, rating=rating)


def _past_days(ctx: SeedContext, plan: CustomerPlan) -> list[int]:
    """The first visit brought the customer in; then about one visit every two years."""
    years = plan.tenure_days / 365
    count = min(MAX_PAST_JOBS, max(1, round(years * ctx.rng.uniform(0.2, 0.7))))
    days = [plan.tenure_days - ctx.rng.randint(1, 10)]
    days += [ctx.rng.randint(1, plan.tenure_days - 11) for _ in range(count - 1)]
    if ctx.chance(RECENT_JOB_SHARE):
        days.append(ctx.rng.randint(1, 60))
    return sorted(days, reverse=True)


def job_specs_random(ctx: SeedContext, plan: CustomerPlan) -> list[JobSpec]:
    specs = [_past_spec(ctx, plan, days) for days in _past_days(ctx, plan)]
    if ctx.chance(IN_PROGRESS_SHARE):
        specs.append(JobSpec(days_ago=0, status=JobStatus.IN_PROGRESS))
    if ctx.chance(UPCOMING_SHARE):
        specs.append(JobSpec(days_ago=-ctx.rng.randint(1, 21), status=JobStatus.SCHEDULED))
    return specs


def problem_for(ctx: SeedContext, kind: str) -> Problem:
    return MAINTENANCE[kind] if ctx.chance(MAINTENANCE_SHARE) else ctx.pick(REPAIRS[kind])


def _work_day(ctx: SeedContext, days_ago: int) -> int:
    """No visits on Sundays: past ones move to Saturday, future ones to Monday."""
    if days_ago == 0 or ctx.at(days_ago).weekday() != SUNDAY:
        return days_ago
    return days_ago + 1 if days_ago > 0 else days_ago - 1


def _start(ctx: SeedContext, spec: JobSpec, hours: Decimal) -> dt.datetime:
    """Visits start on the hour or half hour, Monday to Saturday, and end by about 6pm."""
    hour = min(ctx.pick(START_HOURS), 17 - int(hours))
    return ctx.at(_work_day(ctx, spec.days_ago), hour=hour, minute=ctx.pick((0, 30)))


def _booked_at(ctx: SeedContext, plan: CustomerPlan, start: dt.datetime) -> dt.datetime:
    """Booked one to seven days ahead, during office hours."""
    days_ago = (ctx.today - start.date()).days + ctx.rng.randint(1, 7)
    booked = ctx.at(days_ago, hour=ctx.rng.randint(8, 18), minute=ctx.rng.randint(0, 59))
    return min(max(booked, plan.customer.created_at), ctx.now - dt.timedelta(minutes=5))


def _finished_at(ctx: SeedContext, start: dt.datetime, hours: Decimal) -> dt.datetime:
    return start + dt.timedelta(hours=float(hours), minutes=ctx.rng.randint(10, 40))


def job_build(
    ctx: SeedContext, plan: CustomerPlan, spec: JobSpec, appliances: Sequence[Appliance]
) -> JobDraft:
    """The job of `spec`: on an appliance owned then, by a specialist working here then."""
    appliance = appliance_for(
        ctx, appliances, ctx.today - dt.timedelta(spec.days_ago), spec.appliance_type
    )
    kind = appliance.type if appliance else spec.appliance_type or ctx.weighted(TYPE_WEIGHTS)
    problem = problem_for(ctx, kind)
    hours = ctx.hours(*problem.hours)
    start = _start(ctx, spec, hours)
    technician = technician_for(ctx, kind, start, plan.customer.preferred_technician)
    job = Job(
        customer=plan.customer, technician=technician, appliance=appliance,
        description=problem.description, status=spec.status, scheduled_for=start,
        created_at=_booked_at(ctx, plan, start),
    )  # fmt: skip
    _outcome_set(ctx, job, problem, hours)
    return JobDraft(job=job, problem=problem, spec=spec, kind=kind)


def _outcome_set(ctx: SeedContext, job: Job, problem: Problem, hours: Decimal) -> None:
    """What the technician recorded: everything when done, the diagnosis while on site."""
    if job.status == JobStatus.COMPLETED:
        assert job.scheduled_for is not None
        job.completed_at = _finished_at(ctx, job.scheduled_for, hours)
        job.labor_hours, job.outcome = hours, problem.outcome
    if job.status in (JobStatus.COMPLETED, JobStatus.IN_PROGRESS):
        job.issues_found = problem.issues_found
