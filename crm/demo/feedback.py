"""Demo feedback: reviews with the matching technician rating, and post-service follow-ups."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from crm.core.company import company
from crm.demo.context import SeedContext
from crm.demo.jobs import JobDraft, rating_pick
from crm.demo.messages import FOLLOW_UP_FEEDBACK, REVIEWS
from crm.demo.plans import CustomerPlan
from crm.demo.wording import job_values
from crm.reviews.models import FollowUpStatus, Review, ServiceFollowUp
from crm.technicians.models import CustomerTechnicianRating

FOLLOW_UP_WINDOW_DAYS = 45
ANSWERED_SHARE = 0.65


def comment_for(ctx: SeedContext, plan: CustomerPlan, draft: JobDraft, rating: int) -> str:
    by_language = REVIEWS[rating]
    template = ctx.pick(by_language.get(plan.language[:2], by_language["en"]))
    return template.format(**job_values(draft, plan))


def review_build(
    ctx: SeedContext, plan: CustomerPlan, draft: JobDraft
) -> tuple[Review, CustomerTechnicianRating] | None:
    """The customer's review of a completed job and the same stars for its technician."""
    job, rating = draft.job, draft.spec.rating
    if rating is None or job.completed_at is None or job.technician is None:
        return None
    written = ctx.past(job.completed_at + dt.timedelta(hours=ctx.rng.randint(2, 96)))
    review = Review(
        job=job, customer=plan.customer, technician=job.technician, rating=rating,
        comment=comment_for(ctx, plan, draft, rating), created_at=written,
    )  # fmt: skip
    stars = CustomerTechnicianRating(
        customer=plan.customer,
        technician=job.technician,
        job=job,
        rating=rating,
        created_at=written,
    )
    return review, stars


def follow_up_build(
    ctx: SeedContext, plan: CustomerPlan, draft: JobDraft
) -> ServiceFollowUp | None:
    """A satisfaction check two days after a recent completed job: done, pending or unanswered."""
    job = draft.job
    if job.completed_at is None or draft.spec.days_ago > FOLLOW_UP_WINDOW_DAYS:
        return None
    due = job.completed_at + dt.timedelta(days=company().followup_delay_days)
    follow_up = ServiceFollowUp(
        job=job, customer=plan.customer, follow_up_date=due, created_at=job.completed_at
    )
    if due < ctx.now and ctx.chance(ANSWERED_SHARE):
        rating = draft.spec.rating or rating_pick(ctx, plan)
        follow_up.status, follow_up.satisfaction_rating = FollowUpStatus.COMPLETED, rating
        follow_up.feedback = ctx.pick(FOLLOW_UP_FEEDBACK[rating >= 4])
    elif due + dt.timedelta(days=settings.FOLLOWUP_NO_RESPONSE_DAYS) < ctx.now:
        follow_up.status = FollowUpStatus.NO_RESPONSE
    return follow_up
