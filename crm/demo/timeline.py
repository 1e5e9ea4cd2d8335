"""Demo timeline: messages in and out around each job, notes, and follow-ups made by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crm.activities.models import Activity, ActivityKind, Direction
from crm.appliances.models import Appliance
from crm.customers.models import ContactMethod
from crm.demo.catalog import appliance_name
from crm.demo.context import SeedContext
from crm.demo.jobs import JobDraft
from crm.demo.messages import FOLLOW_UP_LOG, INBOUND, NOTES, NOTES_ES, OUTBOUND, SYSTEM
from crm.demo.plans import CustomerPlan
from crm.demo.wording import daytime, job_values, method_text, render
from crm.engagement.models import FollowUpLog
from crm.jobs.models import JobStatus, Payment

KIND_OF_CHANNEL = {
    ContactMethod.WHATSAPP: ActivityKind.WHATSAPP, ContactMethod.SMS: ActivityKind.SMS,
    ContactMethod.EMAIL: ActivityKind.EMAIL, ContactMethod.PHONE: ActivityKind.CALL,
}  # fmt: skip
INBOUND_BEFORE_VISIT = ("reschedule", "arrival_question", "price_question")


class Timeline:
    """Collects one customer's activities, each in their preferred channel unless told."""

    def __init__(self, ctx: SeedContext, plan: CustomerPlan) -> None:
        self.ctx, self.plan = ctx, plan
        self.kind = KIND_OF_CHANNEL[ContactMethod(plan.channel)]
        self.activities: list[Activity] = []

    def add(self, direction: str, content: str, when: dt.datetime, *, kind: str | None = None,
            draft: JobDraft | None = None) -> None:  # fmt: skip
        """Record an event; one that would fall after the anchor has not happened yet."""
        if when >= self.ctx.now:
            return
        self.activities.append(
            Activity(
                customer=self.plan.customer, kind=kind or self.kind, direction=direction,
                content=content, occurred_at=when,
                job=draft.job if draft else None,
            )
        )  # fmt: skip

    def message(self, event: str, when: dt.datetime, draft: JobDraft | None,
                values: dict[str, str], *, inbound: bool = False) -> None:  # fmt: skip
        table = INBOUND if inbound else OUTBOUND
        text = render(self.ctx, table, event, plan=self.plan, kind=self.kind, values=values)
        self.add(Direction.INBOUND if inbound else Direction.OUTBOUND, text, when, draft=draft)

    def system(self, event: str, when: dt.datetime, values: dict[str, str],
               draft: JobDraft | None = None) -> None:  # fmt: skip
        text = SYSTEM[event].format(**values)
        self.add(Direction.INTERNAL, text, when, kind=ActivityKind.SYSTEM, draft=draft)


def _minutes(ctx: SeedContext, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(minutes=ctx.rng.randint(low, high))


def job_timeline_add(timeline: Timeline, draft: JobDraft, payments: list[Payment]) -> None:
    """Booking, reminder, then what happened: completion, payment, feedback, or a cancel."""
    ctx, job = timeline.ctx, draft.job
    values = job_values(draft, timeline.plan)
    start = job.scheduled_for or job.created_at
    timeline.message("booking", job.created_at + _minutes(ctx, 1, 30), draft, values)
    if ctx.chance(0.3) and job.status != JobStatus.CANCELLED:
        _question_add(timeline, draft, values, start)
    if job.status != JobStatus.CANCELLED and ctx.chance(0.6):
        timeline.message("reminder", start - dt.timedelta(hours=20), draft, values)
    if job.status == JobStatus.CANCELLED:
        _cancelled_add(timeline, draft, values, start)
    elif draft.completed:
        _completed_add(timeline, draft, values, payments)


def _question_add(timeline: Timeline, draft: JobDraft, values: dict[str, str],
                  start: dt.datetime) -> None:  # fmt: skip
    """A question before the visit: on the day for the arrival time, else after booking."""
    ctx, event = timeline.ctx, timeline.ctx.pick(INBOUND_BEFORE_VISIT)
    if event == "arrival_question":
        when = start - _minutes(ctx, 30, 120)
    else:
        when = daytime(ctx, draft.job.created_at + _minutes(ctx, 60, 600))
    timeline.message(event, when, draft, values, inbound=True)


def _cancelled_add(timeline: Timeline, draft: JobDraft, values: dict[str, str],
                   start: dt.datetime) -> None:  # fmt: skip
    when = max(draft.job.created_at, start - dt.timedelta(days=1)) + _minutes(timeline.ctx, 5, 60)
    timeline.message("cancel", when, draft, values, inbound=True)
    timeline.system("cancelled", when + _minutes(timeline.ctx, 5, 30), values, draft)


def _completed_add(timeline: Timeline, draft: JobDraft, values: dict[str, str],
                   payments: list[Payment]) -> None:  # fmt: skip
    ctx, done = timeline.ctx, draft.job.completed_at
    assert done is not None
    timeline.system("completed", done, values, draft)
    for payment in payments:
        amount, language = _dollars(payment.amount), timeline.plan.language
        recorded = {"amount": amount, "method": method_text(payment.payment_method, "en")}
        timeline.system("payment", payment.created_at, recorded, draft)
        if payment is payments[-1] and ctx.chance(0.3):
            paid = {**values, **recorded, "method": method_text(payment.payment_method, language)}
            timeline.message("receipt", payment.created_at + _minutes(ctx, 5, 20), draft, paid)
    if draft.spec.rating is not None:
        timeline.message("survey", done + _minutes(ctx, 60, 180), draft, values)
    _reaction_add(timeline, draft, values, done)


def _reaction_add(timeline: Timeline, draft: JobDraft, values: dict[str, str],
                  done: dt.datetime) -> None:  # fmt: skip
    """Unhappy customers complain and get an apology; happy ones sometimes say thanks."""
    ctx, rating = timeline.ctx, draft.spec.rating
    when = daytime(ctx, done + _minutes(ctx, 120, 2880))
    if rating is not None and rating <= 2:
        timeline.message("complaint", when, draft, values, inbound=True)
        timeline.message("apology", daytime(ctx, when + _minutes(ctx, 20, 240)), draft, values)
    elif (rating or 4) >= 4 and ctx.chance(0.35):
        timeline.message("thanks", when, draft, values, inbound=True)


def _dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _appliance_values(plan: CustomerPlan, appliances: list[Appliance]) -> dict[str, str]:
    appliance = appliances[0] if appliances else None
    kind = appliance.type if appliance else "Other"
    return {
        "first": plan.first_name,
        "brand": appliance.brand if appliance else "",
        "appliance": appliance_name(kind, plan.language),
    }


def notes_add(timeline: Timeline, appliances: list[Appliance]) -> None:
    """A few internal notes the office keeps about the household."""
    ctx, plan = timeline.ctx, timeline.plan
    count = ctx.weighted([(0, 45), (1, 40), (2, 15)])
    pool = NOTES_ES + NOTES if plan.language.startswith("es") else NOTES
    texts = plan.notes + [ctx.pick(pool) for _ in range(count)]
    values = {**_appliance_values(plan, appliances), "code": str(ctx.rng.randint(1000, 9999))}
    for text in texts:
        when = ctx.at(ctx.rng.randint(1, plan.tenure_days - 1), hour=ctx.rng.randint(9, 17))
        timeline.add(Direction.INTERNAL, text.format(**values), when, kind=ActivityKind.NOTE)


def maintenance_nudge_add(timeline: Timeline, appliances: list[Appliance]) -> None:
    """The yearly check-up offer for an appliance not serviced for over a year."""
    ctx = timeline.ctx
    year_ago = ctx.today - dt.timedelta(days=365)
    due = [a for a in appliances if a.last_service_date and a.last_service_date < year_ago]
    if not due or not ctx.chance(0.3):
        return
    values = _appliance_values(timeline.plan, [ctx.pick(due)])
    when = ctx.at(ctx.rng.randint(3, 40), hour=ctx.rng.randint(9, 16))
    timeline.message("maintenance", when, None, values)


def referral_note_add(timeline: Timeline) -> None:
    referrer = timeline.plan.referrer
    if referrer is None:
        return
    values = {"referrer": referrer.customer.name, "code": referrer.customer.referral_code}
    timeline.system("referred", timeline.plan.customer.created_at, values)


def follow_up_logs_build(
    ctx: SeedContext, plan: CustomerPlan, draft: JobDraft
) -> list[FollowUpLog]:
    """Calls made by hand after a job: always after a complaint, sometimes just to check in."""
    job, rating = draft.job, draft.spec.rating
    complaint = rating is not None and rating <= 2
    if job.completed_at is None or not (complaint or ctx.chance(0.15)):
        return []
    template = ctx.pick(FOLLOW_UP_LOG["complaint" if complaint else "check_in"])
    when = ctx.past(job.completed_at + dt.timedelta(days=ctx.rng.randint(1, 5)))
    technician = job.technician if ctx.chance(0.4) else None
    return [
        FollowUpLog(
            customer=plan.customer, technician=technician, channel=plan.channel,
            notes=template.format(**job_values(draft, plan)), occurred_at=when, created_at=when,
        )
    ]  # fmt: skip
