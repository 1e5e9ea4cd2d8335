"""Plan template 3: Proactive Engagement Suggestions, with drafts that a person approves."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from crm.appliances.maintenance import customer_maintenance_alerts
from crm.appliances.selectors import lifespan_table
from crm.core.company import company
from crm.core.dates import company_today, season_of, upcoming_season
from crm.core.words import counted, spoken_date, written_day
from crm.customers.preferences import LONGEST_SILENCE_DAYS
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, first_name
from crm.insights.prompting import CustomerText
from crm.jobs.models import Job
from crm.plans.selectors import covered_appliance_ids

LAST_N = 5
APPLIANCES_SHOWN = 8
DUE_SOON_DAYS = 30
POST_JOB_DAYS = 14  # a completed job without a review this recent gets a check-in (our default)
DRAFT_MAX_CHARS = 480
DRAFT_MAX_SENTENCES = 4
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


@dataclass(frozen=True)
class ApplianceLine:
    label: str
    type: str
    last_service_date: dt.date | None
    service_interval_months: int
    next_service_due: dt.date
    service_overdue: bool
    peak_season: str
    # On an active maintenance plan: its visits are reminded to the office (plan_sweep), so no
    # "maintenance due" message is suggested for it.
    on_plan: bool = False


@dataclass(frozen=True)
class ServiceLine:
    date: dt.date | None
    description: CustomerText
    outcome: CustomerText
    reviewed: bool


@dataclass(frozen=True)
class FollowupContext:
    """Who, how to reach them, their appliances' schedules, recent service and the season."""

    customer_id: int
    name: str
    first_name: str
    language: str
    company: str
    preferred_contact_method: str
    frequency_preference: str
    last_interaction: dt.date | None
    days_since_last_contact: int | None
    silence_limit_days: int
    appliances: list[ApplianceLine]
    jobs: list[ServiceLine]
    today: dt.date
    current_season: str
    upcoming_season: str
    draft_max_chars: int


class FollowUpSuggestion(OutputModel):
    title: str
    reason: str
    timing: str
    draft_message: str


class FollowUpSuggestions(OutputModel):
    """FOLLOW-UP SUGGESTIONS: two or three, each with REASON, TIMING and DRAFT MESSAGE."""

    suggestions: list[FollowUpSuggestion]


def build_context(*, subject_id: int, today: dt.date | None = None) -> FollowupContext:
    """Appliance schedules from the maintenance rules, last five jobs, days since contact."""
    day = today or company_today()
    customer = customer_get(customer_id=subject_id)
    last = history.last_contact(customer_id=customer.pk)
    last_day = timezone.localdate(last) if last else None
    return FollowupContext(
        customer_id=customer.pk, name=customer.name, first_name=first_name(customer.name),
        language=customer.language_preference, company=company().name,
        preferred_contact_method=customer.preferred_contact_method,
        frequency_preference=customer.communication_frequency_preference,
        last_interaction=last_day,
        days_since_last_contact=(day - last_day).days if last_day else None,
        silence_limit_days=LONGEST_SILENCE_DAYS[customer.communication_frequency_preference],  # type: ignore[index]
        appliances=_appliances(customer.pk, day), jobs=_jobs(customer.pk),
        today=day, current_season=season_of(day), upcoming_season=upcoming_season(day),
        draft_max_chars=DRAFT_MAX_CHARS,
    )  # fmt: skip


def _appliances(customer_id: int, today: dt.date) -> list[ApplianceLine]:
    table = lifespan_table()
    predictions = customer_maintenance_alerts(customer_id=customer_id, today=today)
    on_plan = covered_appliance_ids(appliance_ids=[p.appliance.pk for p in predictions])
    return [
        ApplianceLine(
            label=str(p.appliance), type=p.appliance.type, last_service_date=p.last_service_date,
            service_interval_months=p.service_interval_months,
            next_service_due=p.next_service_due, service_overdue=p.service_overdue,
            peak_season=table[p.appliance.type].peak_season if p.appliance.type in table else "",
            on_plan=p.appliance.pk in on_plan,
        )
        for p in predictions[:APPLIANCES_SHOWN]
    ]  # fmt: skip


def _reviewed(job: Job) -> bool:
    try:
        return job.review is not None
    except ObjectDoesNotExist:
        return False


def _jobs(customer_id: int) -> list[ServiceLine]:
    jobs = history.recent_completed_jobs(customer_id=customer_id, limit=LAST_N)
    return [
        ServiceLine(
            history.job_day(j), CustomerText(j.description), CustomerText(j.outcome), _reviewed(j)
        )
        for j in jobs
    ]


# Drafts per language: English and Spanish; other languages get English.
DRAFTS: dict[str, dict[str, str]] = {
    "en": {
        "service": "Hi {first}, our records show your {appliance} is due for its regular "
        "maintenance. Regular service keeps it running longer and avoids surprise breakdowns. "
        "Shall we book a visit at a time that suits you?",
        "post_job": "Hi {first}, thank you for having us over on {date}. Is everything working "
        "as it should? Just reply to this message if anything needs another look.",
        "seasonal": "Hi {first}, {season} is coming, the busiest time for your {appliance}. "
        "A quick check now can prevent a breakdown when you need it most. "
        "Would you like us to schedule one?",
        "silence": "Hi {first}, it has been a while since we last spoke. How are your "
        "appliances doing? We are here if anything needs attention.",
        "check_in": "Hi {first}, greetings from {company}. Let us know if any of your "
        "appliances needs attention; we are happy to help.",
    },
    "es": {
        "service": "Hola {first}, nuestros registros indican que su {appliance} necesita su "
        "mantenimiento regular. El servicio periódico alarga su vida útil y evita averías "
        "inesperadas. ¿Le agendamos una visita cuando le convenga?",
        "post_job": "Hola {first}, gracias por recibirnos el {date}. ¿Funciona todo "
        "correctamente? Responda a este mensaje si algo necesita otra revisión.",
        "seasonal": "Hola {first}, se acerca el {season}, la época de más trabajo para su "
        "{appliance}. Una revisión ahora puede evitar una avería cuando más la necesite. "
        "¿Le agendamos una?",
        "silence": "Hola {first}, hace tiempo que no hablamos. ¿Cómo funcionan sus "
        "electrodomésticos? Estamos aquí si algo necesita atención.",
        "check_in": "Hola {first}, le saludamos de {company}. Avísenos si alguno de sus "
        "electrodomésticos necesita atención; con gusto le ayudamos.",
    },
}
APPLIANCE_NAMES_ES = {
    "Refrigerator": "refrigerador", "WashingMachine": "lavadora", "Dryer": "secadora",
    "Dishwasher": "lavavajillas", "OvenRange": "estufa", "Microwave": "microondas",
    "Freezer": "congelador", "AirConditioner": "aire acondicionado",
    "WaterHeater": "calentador de agua", "Other": "electrodoméstico",
}  # fmt: skip
SEASONS_ES = {"Winter": "invierno", "Spring": "primavera", "Summer": "verano", "Autumn": "otoño"}


def draft_language(language: str) -> str:
    """The customer's language if a template exists for it, else English."""
    code = language.split("-")[0].lower()
    return code if code in DRAFTS else "en"


def _draft(c: FollowupContext, kind: str, **values: Any) -> str:
    language = draft_language(c.language)
    appliance = values.pop("appliance", None)
    if appliance is not None:
        label, kind_of = appliance
        values["appliance"] = APPLIANCE_NAMES_ES.get(kind_of, label) if language == "es" else label
    if "season" in values:
        season = values["season"]
        values["season"] = SEASONS_ES[season] if language == "es" else season.lower()
    return DRAFTS[language][kind].format(first=c.first_name, company=c.company, **values)


def _service_due(c: FollowupContext) -> FollowUpSuggestion | None:
    soon = c.today + dt.timedelta(days=DUE_SOON_DAYS)
    due = sorted(
        (a for a in c.appliances if a.next_service_due <= soon and not a.on_plan),
        key=lambda a: a.next_service_due,
    )
    if not due:
        return None
    first = due[0]
    more = len(due) - 1
    others = f" {counted(more, 'more appliance')} {'is' if more == 1 else 'are'} due too."
    others = others if more else ""
    last = (
        f"last serviced {written_day(first.last_service_date)}"
        if first.last_service_date
        else "no service on record"
    )
    return FollowUpSuggestion(
        title=f"{first.label} maintenance {'overdue' if first.service_overdue else 'due'}",
        reason=f"Service every {first.service_interval_months} months; {last}; "
        f"due {written_day(first.next_service_due)}.{others}",
        timing="Within 1 week"
        if first.service_overdue
        else f"Before {written_day(first.next_service_due)}",
        draft_message=_draft(c, "service", appliance=(first.label, first.type)),
    )


def _post_job(c: FollowupContext) -> FollowUpSuggestion | None:
    recent = [
        j for j in c.jobs
        if j.date and not j.reviewed and (c.today - j.date).days <= POST_JOB_DAYS
    ]  # fmt: skip
    if not recent:
        return None
    job = recent[0]
    return FollowUpSuggestion(
        title="Post-service check",
        reason=f"Job completed on {written_day(job.date or c.today)} has no review yet; "
        "make sure the repair holds.",
        timing="Within 3 days",
        draft_message=_draft(c, "post_job", date=spoken_date(job.date or c.today, c.language)),
    )


def _seasonal(c: FollowupContext) -> FollowUpSuggestion | None:
    ahead = [a for a in c.appliances if a.peak_season == c.upcoming_season]
    if not ahead:
        return None
    appliance = ahead[0]
    return FollowUpSuggestion(
        title=f"Pre-{c.upcoming_season.lower()} {appliance.label} check",
        reason=f"{c.upcoming_season} is the peak season for the {appliance.label}.",
        timing=f"Before {c.upcoming_season.lower()} starts",
        draft_message=_draft(
            c, "seasonal", appliance=(appliance.label, appliance.type), season=c.upcoming_season
        ),
    )


def _silence(c: FollowupContext) -> FollowUpSuggestion | None:
    days = c.days_since_last_contact
    if days is not None and days <= c.silence_limit_days:
        return None
    since = f"No contact for {days} days" if days is not None else "No contact on record"
    return FollowUpSuggestion(
        title="Check in",
        reason=f"{since}; their preference ({c.frequency_preference}) allows "
        f"{c.silence_limit_days} days.",
        timing="Within 2 weeks",
        draft_message=_draft(c, "silence"),
    )


RULES: tuple[Callable[[FollowupContext], FollowUpSuggestion | None], ...] = (
    _service_due,
    _post_job,
    _seasonal,
    _silence,
)


def offline(c: FollowupContext) -> FollowUpSuggestions:
    """Service due or overdue, post-job check, seasonal pre-check, long silence: the first
    three that apply; a plain check-in when none does. Drafts in English or Spanish."""
    found = [s for s in (rule(c) for rule in RULES) if s is not None][:3]
    if not found:
        found = [
            FollowUpSuggestion(
                title="Stay in touch",
                reason="Nothing is due; a light check-in keeps the relationship warm.",
                timing="In 3 months",
                draft_message=_draft(c, "check_in"),
            )
        ]
    return FollowUpSuggestions(suggestions=found)


def text(answer: FollowUpSuggestions, c: FollowupContext) -> str:
    blocks = [
        f"{number}. {s.title}\n"
        f"   REASON: {s.reason}\n"
        f"   TIMING: {s.timing}\n"
        f"   DRAFT MESSAGE:\n"
        f'   "{s.draft_message}"'
        for number, s in enumerate(answer.suggestions, start=1)
    ]
    return "FOLLOW-UP SUGGESTIONS:\n\n" + "\n\n".join(blocks)


def _draft_problems(number: int, draft: str, c: FollowupContext) -> list[str]:
    problems = []
    opening = draft[:60].lower()
    if c.first_name.lower() not in opening and c.name.lower() not in opening:
        problems.append(f"draft {number} does not address {c.first_name} by name")
    if len(draft) > DRAFT_MAX_CHARS:
        problems.append(f"draft {number} is {len(draft)} characters (limit {DRAFT_MAX_CHARS})")
    sentences = len(SENTENCE_END.findall(draft.strip()))
    if sentences > DRAFT_MAX_SENTENCES:
        problems.append(f"draft {number} has {sentences} sentences (limit {DRAFT_MAX_SENTENCES})")
    return problems


def check(answer: FollowUpSuggestions, c: FollowupContext) -> list[str]:
    """One to three suggestions; drafts open with the customer's name and stay short."""
    count = len(answer.suggestions)
    problems = [] if 1 <= count <= 3 else [f"{count} suggestions (the plan asks for 2-3)"]
    for number, suggestion in enumerate(answer.suggestions, start=1):
        problems += _draft_problems(number, suggestion.draft_message, c)
    return problems + text_problems(text(answer, c), c, words=400)


def facts(c: FollowupContext) -> dict[str, Any]:
    return {
        "daysSinceLastContact": c.days_since_last_contact,
        "silenceLimitDays": c.silence_limit_days,
        "draftLanguage": draft_language(c.language),
        "preferredContactMethod": c.preferred_contact_method,
        "upcomingSeason": c.upcoming_season,
    }


FEATURE = Feature(
    name="followup-suggestions",
    template="followup_suggestions.v1.j2",
    output_model=FollowUpSuggestions,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    max_output_tokens=900,
)
