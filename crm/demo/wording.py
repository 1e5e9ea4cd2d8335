"""Filling the hand-written templates: names, appliance words, days and time windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from crm.activities.models import ActivityKind
from crm.core.company import company
from crm.core.words import spoken_date
from crm.demo.catalog import appliance_name
from crm.demo.context import SeedContext
from crm.demo.jobs import JobDraft
from crm.demo.plans import CustomerPlan
from crm.jobs.models import PaymentMethod

EARLIEST, LATEST = 8, 22


def day_text(day: dt.date, language: str) -> str:
    """'Tuesday, March 4' or 'martes 4 de marzo'."""
    return spoken_date(day, language, weekday=True)


def _clock(hour: int, language: str) -> str:
    if language.startswith("es"):
        return f"{hour}:00"
    return f"{(hour - 1) % 12 + 1}{'am' if hour < 12 else 'pm'}"


def window_text(start: dt.datetime, language: str) -> str:
    """The two-hour arrival window of a visit: '9am-11am' or '9:00-11:00'."""
    return "-".join(_clock(hour, language) for hour in (start.hour, start.hour + 2))


METHODS_ES = {
    "Cash": "efectivo", "Card": "tarjeta", "BankTransfer": "transferencia", "Check": "cheque",
    "MobileWallet": "billetera móvil", "Other": "otro medio",
}  # fmt: skip


def method_text(method: str, language: str) -> str:
    """'card', 'bank transfer' or 'tarjeta': a payment method as a sentence says it."""
    if language.startswith("es"):
        return METHODS_ES.get(method, method)
    return str(PaymentMethod(method).label).lower()


def daytime(ctx: SeedContext, moment: dt.datetime) -> dt.datetime:
    """`moment`, or the next morning when it falls at night: people text between 8am and 10pm."""
    if EARLIEST <= moment.hour < LATEST:
        return moment
    day = moment.date() + dt.timedelta(days=1 if moment.hour >= LATEST else 0)
    return ctx.at(
        (ctx.today - day).days, hour=ctx.rng.randint(8, 11), minute=ctx.rng.randint(0, 59)
    )


def job_values(draft: JobDraft, plan: CustomerPlan) -> dict[str, str]:
    """The placeholders every text about this job may use."""
    job, technician, appliance = draft.job, draft.job.technician, draft.job.appliance
    start = job.scheduled_for or job.created_at
    return {
        "first": plan.first_name,
        "tech": technician.name.split()[0] if technician else "our technician",
        "appliance": appliance_name(draft.kind, plan.language),
        "brand": appliance.brand if appliance else "",
        "outcome": job.outcome,
        "company": company().name,
        "day": day_text(start.date(), plan.language),
        "window": window_text(start, plan.language),
        "price": "$89 for the visit plus parts",
    }


def render(
    ctx: SeedContext,
    table: Mapping[str, Mapping[str, tuple[str, ...]]],
    event: str,
    *,
    plan: CustomerPlan,
    kind: str,
    values: Mapping[str, str],
) -> str:
    """One template for `event`: a call summary for calls, else in the customer's language."""
    variants = table[event]
    key = "call" if kind == ActivityKind.CALL else plan.language[:2]
    return ctx.pick(variants.get(key, variants["en"])).format(**values)
