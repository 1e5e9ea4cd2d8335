"""One customer's whole history, from plan to unsaved rows added to the chunk."""

from __future__ import annotations

from crm.appliances.models import Appliance
from crm.demo.appliances import appliances_build, service_dates_set
from crm.demo.context import SeedContext
from crm.demo.customers import consents_build
from crm.demo.feedback import follow_up_build, review_build
from crm.demo.jobs import JobDraft, job_build, job_specs_random
from crm.demo.locations import locations_build
from crm.demo.money import customer_expenses_build, job_money_build
from crm.demo.plans import CustomerPlan
from crm.demo.referrals import referral_build
from crm.demo.rows import ChunkRows
from crm.demo.technicians import technician_for
from crm.demo.timeline import (
    Timeline,
    follow_up_logs_build,
    job_timeline_add,
    maintenance_nudge_add,
    notes_add,
    referral_note_add,
)

PREFERRED_TECHNICIAN_SHARE = 0.3


def _preferred_technician_set(
    ctx: SeedContext, plan: CustomerPlan, appliances: list[Appliance]
) -> None:
    """Some customers ask for the same (active) technician for their main appliance."""
    customer = plan.customer
    if customer.preferred_technician is not None or not appliances:
        return
    if ctx.chance(PREFERRED_TECHNICIAN_SHARE):
        technician = technician_for(ctx, appliances[0].type, ctx.now, None)
        customer.preferred_technician = technician if technician and technician.active else None


def _job_rows_add(ctx: SeedContext, plan: CustomerPlan, draft: JobDraft, rows: ChunkRows,
                  timeline: Timeline) -> None:  # fmt: skip
    rows.jobs.append(draft.job)
    payments, expenses = job_money_build(ctx, draft)
    rows.payments += payments
    rows.expenses += expenses
    reviewed = review_build(ctx, plan, draft)
    if reviewed is not None:
        rows.reviews.append(reviewed[0])
        rows.technician_ratings.append(reviewed[1])
    follow_up = follow_up_build(ctx, plan, draft)
    if follow_up is not None:
        rows.follow_ups.append(follow_up)
    rows.follow_up_logs += follow_up_logs_build(ctx, plan, draft)
    job_timeline_add(timeline, draft, payments)


def history_add(ctx: SeedContext, plan: CustomerPlan, rows: ChunkRows) -> None:
    """Add the customer with consents, appliances, jobs and everything around them."""
    rows.customers.append(plan.customer)
    rows.consents += consents_build(ctx, plan)
    appliances = appliances_build(ctx, plan)
    rows.appliances += appliances
    _preferred_technician_set(ctx, plan, appliances)
    specs = plan.jobs if plan.jobs is not None else job_specs_random(ctx, plan)
    drafts = [job_build(ctx, plan, spec, appliances) for spec in specs]
    service_dates_set(ctx, appliances, [draft.job for draft in drafts])
    rows.locations += locations_build(
        plan, appliances, [draft.job for draft in drafts], index=len(rows.customers)
    )
    timeline = Timeline(ctx, plan)
    referral_note_add(timeline)
    for draft in drafts:
        _job_rows_add(ctx, plan, draft, rows, timeline)
    notes_add(timeline, appliances)
    maintenance_nudge_add(timeline, appliances)
    rows.activities += timeline.activities
    rows.expenses += customer_expenses_build(ctx, plan)
    referral = referral_build(ctx, plan)
    if referral is not None:
        rows.referrals.append(referral)
