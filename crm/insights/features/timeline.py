"""Plan template 2: Interaction Timeline Summary."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from crm.appliances.maintenance import (
    HIGH_RATIO,
    MaintenancePrediction,
    customer_maintenance_alerts,
)
from crm.core.company import company
from crm.core.dates import add_months, company_today
from crm.core.words import counted, language_name, written_day
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, plural
from crm.insights.prompting import CustomerText
from crm.jobs.selectors import customer_financials
from crm.plans.selectors import covered_appliance_ids

ACTIVITIES_SHOWN = 12
LAST_N = 5
MESSAGES_SCANNED = 50
# How a channel's count reads ("12 WhatsApp messages", "31 system records", never "System 31").
CHANNEL_NOUNS = {
    "Note": ("note",), "Call": ("call",), "WhatsApp": ("WhatsApp message",),
    "SMS": ("text message",), "Email": ("email",), "System": ("system record",),
}  # fmt: skip
REPEAT_WINDOW_DAYS = 30  # a second visit within 30 days is a repeat (reference B, our default)
# Words that, repeated across messages, point at a recurring problem.
COMPLAINT_WORDS = (
    "again", "still", "late", "broken", "leak", "leaking", "noise", "noisy", "refund",
    "expensive", "overcharged", "rude", "cancel", "delay", "waiting", "problem", "disappointed",
)  # fmt: skip


COMPLAINT = re.compile(rf"\b({'|'.join(COMPLAINT_WORDS)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class ChannelCount:
    kind: str
    count: int
    inbound: int
    last: dt.date


@dataclass(frozen=True)
class ActivityLine:
    date: dt.date
    type: str
    direction: str
    content: CustomerText


@dataclass(frozen=True)
class JobLine:
    date: dt.date | None
    description: CustomerText
    technician: str


@dataclass(frozen=True)
class PaymentLine:
    date: dt.date
    amount: Decimal
    method: str


@dataclass(frozen=True)
class TimelineContext:
    """Counts and recency per channel, the recent timeline, jobs, payments and patterns."""

    customer_id: int
    name: str
    customer_since: dt.date
    currency: str
    preferred_contact_method: str
    language: str
    channels: list[ChannelCount]
    days_since_last_contact: int | None
    activities: list[ActivityLine]
    jobs_completed: int
    jobs: list[JobLine]
    total_paid: Decimal
    payments: list[PaymentLine]
    repeat_window_days: int
    repeat_visits: list[str]
    complaint_words: list[str]
    ageing_appliances: list[str]
    unserviced_appliances: list[str]


class TimelineSummary(OutputModel):
    """CUSTOMER RELATIONSHIP SUMMARY, COMMUNICATION PREFERENCES, RECURRING THEMES, OPPORTUNITIES."""

    customer_relationship_summary: str
    communication_preferences: str
    recurring_themes: str
    opportunities: str


def build_context(*, subject_id: int, today: dt.date | None = None) -> TimelineContext:
    """The timeline's last twelve events and its patterns, all bounded reads."""
    day = today or company_today()
    customer = customer_get(customer_id=subject_id)
    last = history.last_contact(customer_id=customer.pk)
    predictions = customer_maintenance_alerts(customer_id=customer.pk, today=day)
    return TimelineContext(
        customer_id=customer.pk, name=customer.name,
        customer_since=timezone.localdate(customer.created_at),
        currency=company().currency_symbol,
        preferred_contact_method=customer.preferred_contact_method,
        language=customer.language_preference,
        channels=_channels(customer.pk),
        days_since_last_contact=(day - timezone.localdate(last)).days if last else None,
        activities=_activities(customer.pk),
        jobs_completed=history.completed_job_count(customer_id=customer.pk),
        jobs=_jobs(customer.pk),
        total_paid=customer_financials(customer_id=customer.pk).revenue,
        payments=[
            PaymentLine(p.date, p.amount, p.payment_method)
            for p in history.recent_payments(customer_id=customer.pk, limit=LAST_N)
        ],
        repeat_window_days=REPEAT_WINDOW_DAYS,
        repeat_visits=_repeat_visits(customer.pk, day, predictions),
        complaint_words=_complaint_words(customer.pk),
        **_appliance_patterns(predictions, _on_plan(predictions)),
    )  # fmt: skip


def _channels(customer_id: int) -> list[ChannelCount]:
    return [
        ChannelCount(
            str(row["kind"]),
            int(row["n"]),
            int(row["inbound"]),
            timezone.localdate(row["last"]),
        )
        for row in history.channel_stats(customer_id=customer_id)
    ]


def _activities(customer_id: int) -> list[ActivityLine]:
    return [
        ActivityLine(
            timezone.localdate(a.occurred_at), a.kind, a.direction, CustomerText(a.content)
        )
        for a in history.recent_activities(customer_id=customer_id, limit=ACTIVITIES_SHOWN)
    ]


def _jobs(customer_id: int) -> list[JobLine]:
    return [
        JobLine(
            history.job_day(job),
            CustomerText(job.description),
            job.technician.name if job.technician else "unassigned",
        )
        for job in history.recent_completed_jobs(customer_id=customer_id, limit=LAST_N)
    ]


def _repeat_visits(
    customer_id: int, today: dt.date, predictions: list[MaintenancePrediction]
) -> list[str]:
    days_by_appliance = history.job_days_by_appliance(
        customer_id=customer_id, since=add_months(today, -24)
    )
    labels = {p.appliance.pk: str(p.appliance) for p in predictions}
    found = []
    for appliance_id, days in days_by_appliance.items():
        repeats = [
            later for earlier, later in itertools.pairwise(days)
            if (later - earlier).days <= REPEAT_WINDOW_DAYS
        ]  # fmt: skip
        if repeats:
            label = labels.get(appliance_id, f"appliance {appliance_id}")
            found.append(
                f"{label}: back within {REPEAT_WINDOW_DAYS} days on {written_day(repeats[-1])}"
            )
    return found


def _complaint_words(customer_id: int) -> list[str]:
    messages = history.recent_activities(
        customer_id=customer_id, limit=MESSAGES_SCANNED, inbound_only=True
    )
    counts = Counter(
        word for m in messages for word in {w.lower() for w in COMPLAINT.findall(m.content)}
    )
    repeated = sorted(((n, w) for w, n in counts.items() if n >= 2), key=lambda x: (-x[0], x[1]))
    return [f"{word} ({n} messages)" for n, word in repeated]


def _on_plan(predictions: list[MaintenancePrediction]) -> set[int]:
    """Appliances an active maintenance plan covers: they get plan visits, not a plan offer."""
    return covered_appliance_ids(appliance_ids=[p.appliance.pk for p in predictions])


def _appliance_patterns(
    predictions: list[MaintenancePrediction], on_plan: set[int]
) -> dict[str, list[str]]:
    ageing, unserviced = [], []
    for p in predictions:
        if p.life_used_ratio is not None and p.life_used_ratio >= HIGH_RATIO:
            ageing.append(f"{p.appliance} ({int(p.life_used_ratio * 100)}% of expected life)")
        if p.appliance.pk in on_plan:
            continue
        if p.last_service_date is None:
            unserviced.append(f"{p.appliance} (no service on record)")
        elif p.service_overdue:
            unserviced.append(
                f"{p.appliance} (service due since {written_day(p.next_service_due)})"
            )
    return {"ageing_appliances": ageing, "unserviced_appliances": unserviced}


def _summary(c: TimelineContext) -> str:
    interactions = sum(ch.count for ch in c.channels)
    sentences = [
        f"{c.name} has been a customer since {c.customer_since:%B %Y}, with "
        f"{plural(c.jobs_completed, 'completed job')} and "
        f"{plural(interactions, 'recorded interaction')}."
    ]
    if c.days_since_last_contact is None:
        sentences.append("No contact is recorded yet.")
    elif c.days_since_last_contact == 0:
        sentences.append("The last contact was today.")
    else:
        sentences.append(f"The last contact was {plural(c.days_since_last_contact, 'day')} ago.")
    if c.jobs and c.jobs[0].date:
        sentences.append(
            f"The latest job was on {written_day(c.jobs[0].date)} with {c.jobs[0].technician}."
        )
    if c.total_paid:
        sentences.append(f"They have paid {c.currency}{c.total_paid:,.2f} in total.")
    return " ".join(sentences)


def _channel_said(ch: ChannelCount) -> str:
    """`12 WhatsApp messages (last Tue, Dec 1, 2026)`."""
    said = counted(ch.count, *CHANNEL_NOUNS.get(ch.kind, (ch.kind,)))
    return f"{said} (last {written_day(ch.last)})"


def _preferences(c: TimelineContext) -> str:
    stated = f"Prefers {c.preferred_contact_method}"
    language = "" if c.language.lower().startswith("en") else f", in {language_name(c.language)}"
    if not c.channels:
        return f"{stated}{language}. No messages on record yet."
    # System records (surveys sent, anonymising...) are not a channel the customer uses.
    top = next((ch for ch in c.channels if ch.kind != "System"), c.channels[0])
    used = ", ".join(_channel_said(ch) for ch in c.channels)
    return f"{stated}{language}. Most used: {top.kind}. By channel: {used}."


def _themes(c: TimelineContext) -> str:
    lines = [f"Repeat visit: {visit}" for visit in c.repeat_visits]
    if c.complaint_words:
        lines.append(f"Words that keep coming back: {', '.join(c.complaint_words)}")
    if not lines:
        return "No recurring issues in the recent history."
    return "\n".join(f"- {line}" for line in lines)


def _opportunities(c: TimelineContext) -> str:
    lines = [f"Discuss replacing the {a}" for a in c.ageing_appliances]
    lines += [f"Offer a maintenance plan for the {a}" for a in c.unserviced_appliances]
    if not lines:
        return "No open needs: a good moment to ask for a review or a referral."
    return "\n".join(f"- {line}" for line in lines)


def offline(c: TimelineContext) -> TimelineSummary:
    """Counts, recency and preferred channel; repeat visits and repeated complaint words;
    appliances near end of life or off their service schedule."""
    return TimelineSummary(
        customer_relationship_summary=_summary(c),
        communication_preferences=_preferences(c),
        recurring_themes=_themes(c),
        opportunities=_opportunities(c),
    )


def text(answer: TimelineSummary, c: TimelineContext) -> str:
    return (
        f"CUSTOMER RELATIONSHIP SUMMARY:\n{answer.customer_relationship_summary}\n\n"
        f"COMMUNICATION PREFERENCES:\n{answer.communication_preferences}\n\n"
        f"RECURRING THEMES:\n{answer.recurring_themes}\n\n"
        f"OPPORTUNITIES:\n{answer.opportunities}"
    )


def check(answer: TimelineSummary, c: TimelineContext) -> list[str]:
    """Amounts from the data, no links, about 200 words."""
    return text_problems(text(answer, c), c, words=260)


def facts(c: TimelineContext) -> dict[str, Any]:
    return {
        "channels": [
            {"kind": ch.kind, "count": ch.count, "last": ch.last.isoformat()} for ch in c.channels
        ],
        "daysSinceLastContact": c.days_since_last_contact,
        "preferredContactMethod": c.preferred_contact_method,
        "repeatVisits": c.repeat_visits,
        "complaintWords": c.complaint_words,
        "ageingAppliances": c.ageing_appliances,
        "unservicedAppliances": c.unserviced_appliances,
    }


FEATURE = Feature(
    name="timeline-summary",
    template="timeline_summary.v1.j2",
    output_model=TimelineSummary,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    max_output_tokens=700,
)
