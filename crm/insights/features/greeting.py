"""Plan template 4: Holiday & Occasion Messages (drafts; a person sends them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from crm.appliances.selectors import appliance_list
from crm.core.company import company
from crm.core.dates import add_months, company_holidays, company_today, next_anniversary
from crm.core.words import spoken_date, spoken_month
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, first_name
from crm.insights.features.followups import draft_language
from crm.insights.prompting import FIELD_MAX_CHARS, CustomerText, clean_text

HOLIDAY_WINDOW_DAYS = 60
HOLIDAYS_SHOWN = 5
ANNIVERSARY_FIRST_DAYS = 30  # an anniversary this close wins over a holiday (our default)
LAST_N = 5
APPLIANCES_NAMED = 3
HOLIDAY = "Holiday"
ANNIVERSARY = "Service anniversary"
OCCASION = "Occasion"
SENTENCE_END = re.compile(r"[.!?¡]+(?:\s|$)")


@dataclass(frozen=True)
class HolidayLine:
    name: str
    date: dt.date
    days_away: int


@dataclass(frozen=True)
class ActivityLine:
    date: dt.date
    type: str
    content: CustomerText


@dataclass(frozen=True)
class GreetingContext:
    """The occasion (asked for, or the nearest), the anniversary, holidays, recent contact."""

    customer_id: int
    name: str
    first_name: str
    language: str
    company: str
    customer_since: dt.date
    first_service: dt.date
    next_anniversary: dt.date
    days_until_anniversary: int
    years_of_service: int
    appliances: list[str]
    last_job_day: dt.date | None
    recent_activities: list[ActivityLine]
    holiday_window_days: int
    upcoming_holidays: list[HolidayLine]
    occasion_type: str
    occasion_name: str
    occasion_date: dt.date | None


class OccasionGreeting(OutputModel):
    """OCCASION and the MESSAGE's personal sentences (greeting and sign-off are fixed)."""

    occasion: str
    message: str


def holidays_between(start: dt.date, end: dt.date) -> list[HolidayLine]:
    """Public holidays of COMPANY_COUNTRY / COMPANY_SUBDIVISION in [start, end]."""
    return [
        HolidayLine(name, day, (day - start).days) for day, name in company_holidays(start, end)
    ]


def _occasion(
    asked: str | None, today: dt.date, anniversary: dt.date, coming: list[HolidayLine]
) -> tuple[str, str, dt.date | None]:
    """(type, name, date) of the occasion asked for, else the nearest one."""
    if asked:
        wanted = clean_text(asked, limit=FIELD_MAX_CHARS).casefold()
        if "anniversary" in wanted or "aniversario" in wanted:
            return ANNIVERSARY, ANNIVERSARY, anniversary
        year = holidays_between(today, add_months(today, 12))
        match = next(
            (h for h in year if wanted in h.name.casefold() or h.name.casefold() in wanted), None
        )
        if match:
            return HOLIDAY, match.name, match.date
        return OCCASION, clean_text(asked, limit=FIELD_MAX_CHARS), None
    if (anniversary - today).days <= ANNIVERSARY_FIRST_DAYS or not coming:
        return ANNIVERSARY, ANNIVERSARY, anniversary
    return HOLIDAY, coming[0].name, coming[0].date


def build_context(
    *, subject_id: int, today: dt.date | None = None, occasion: str | None = None
) -> GreetingContext:
    """Anniversary from the first completed job (else the customer's creation); holidays from
    the `holidays` package for the company's country."""
    day = today or company_today()
    customer = customer_get(customer_id=subject_id)
    since = timezone.localdate(customer.created_at)
    first = history.first_completed_job_day(customer_id=customer.pk) or since
    anniversary, years = next_anniversary(first, day)
    coming = holidays_between(day, day + dt.timedelta(days=HOLIDAY_WINDOW_DAYS))
    kind, name, when = _occasion(occasion, day, anniversary, coming)
    last_jobs = history.recent_completed_jobs(customer_id=customer.pk, limit=1)
    return GreetingContext(
        customer_id=customer.pk, name=customer.name, first_name=first_name(customer.name),
        language=customer.language_preference, company=company().name,
        customer_since=since, first_service=first, next_anniversary=anniversary,
        days_until_anniversary=(anniversary - day).days, years_of_service=years,
        appliances=[str(a) for a in appliance_list(customer_id=customer.pk)[:APPLIANCES_NAMED]],
        last_job_day=history.job_day(last_jobs[0]) if last_jobs else None,
        recent_activities=[
            ActivityLine(timezone.localdate(a.occurred_at), a.kind, CustomerText(a.content))
            for a in history.recent_activities(customer_id=customer.pk, limit=LAST_N)
        ],
        holiday_window_days=HOLIDAY_WINDOW_DAYS, upcoming_holidays=coming[:HOLIDAYS_SHOWN],
        occasion_type=kind, occasion_name=name, occasion_date=when,
    )  # fmt: skip


def _appliances_en(c: GreetingContext) -> str:
    if not c.appliances:
        return "home appliances"
    names = c.appliances
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _years(years: int, one: str, many: str) -> str:
    return f"{years} {one if years == 1 else many}"


def _message_en(c: GreetingContext) -> str:
    thanks = f"Thank you for trusting us with your {_appliances_en(c)}"
    if c.occasion_type == ANNIVERSARY:
        when = "Today" if c.days_until_anniversary == 0 else spoken_date(c.next_anniversary, "en")
        return (
            f"{when} marks {_years(c.years_of_service, 'year', 'years')} since our first service "
            f"visit to your home. {thanks} over the years. We are grateful for your business and "
            "look forward to keeping everything running smoothly."
        )
    opening = (
        f"Wishing you a wonderful {c.occasion_name}!"
        if c.occasion_type == HOLIDAY
        else f"Warm wishes for {c.occasion_name}!"
    )
    visit = (
        f" We hope everything has run smoothly since our visit on "
        f"{spoken_date(c.last_job_day, 'en')}."
        if c.last_job_day
        else ""
    )
    return (
        f"{opening} {thanks} since {spoken_month(c.customer_since, 'en')}.{visit} "
        "We are grateful for your business and here whenever you need us."
    )


def _message_es(c: GreetingContext) -> str:
    since = spoken_month(c.customer_since, "es")
    if c.occasion_type == ANNIVERSARY:
        day = c.next_anniversary
        when = "Hoy" if c.days_until_anniversary == 0 else f"El {spoken_date(day, 'es')}"
        return (
            f"{when} se cumplen {_years(c.years_of_service, 'año', 'años')} desde nuestra "
            "primera visita de servicio a su hogar. Gracias por confiarnos sus electrodomésticos "
            "todo este tiempo. Agradecemos su preferencia y seguiremos cuidando que todo "
            "funcione perfectamente."
        )
    opening = (
        f"¡Le deseamos un feliz {c.occasion_name}!"
        if c.occasion_type == HOLIDAY
        else f"¡Le enviamos nuestros mejores deseos por {c.occasion_name}!"
    )
    visit = (
        f" Esperamos que todo funcione bien desde nuestra visita del "
        f"{spoken_date(c.last_job_day, 'es')}."
        if c.last_job_day
        else ""
    )
    return (
        f"{opening} Gracias por confiarnos sus electrodomésticos desde {since}.{visit} "
        "Agradecemos su preferencia y estamos aquí cuando nos necesite."
    )


def offline(c: GreetingContext) -> OccasionGreeting:
    """Fixed English or Spanish sentences for a holiday, an anniversary or a named occasion."""
    message = _message_es(c) if draft_language(c.language) == "es" else _message_en(c)
    return OccasionGreeting(occasion=c.occasion_name, message=message)


def text(answer: OccasionGreeting, c: GreetingContext) -> str:
    if draft_language(c.language) == "es":
        opening, closing = f"Hola {c.first_name},", f"Saludos cordiales,\nEl equipo de {c.company}"
    else:
        opening, closing = f"Hi {c.first_name},", f"Warm regards,\nThe {c.company} Team"
    return f'OCCASION: {answer.occasion}\n\nMESSAGE:\n"{opening}\n\n{answer.message}\n\n{closing}"'


def check(answer: OccasionGreeting, c: GreetingContext) -> list[str]:
    """The occasion asked for; three to five sentences (one spare); amounts, links, length."""
    problems = []
    if answer.occasion.casefold() != c.occasion_name.casefold():
        problems.append(f"occasion {answer.occasion!r} is not {c.occasion_name!r}")
    sentences = len(SENTENCE_END.findall(answer.message.strip()))
    if not 2 <= sentences <= 6:
        problems.append(f"the message has {sentences} sentences (the plan asks for 3-5)")
    return problems + text_problems(text(answer, c), c, words=150)


def facts(c: GreetingContext) -> dict[str, Any]:
    return {
        "occasionType": c.occasion_type,
        "occasionName": c.occasion_name,
        "occasionDate": c.occasion_date.isoformat() if c.occasion_date else None,
        "serviceAnniversary": c.next_anniversary.isoformat(),
        "daysUntilServiceAnniversary": c.days_until_anniversary,
        "yearsOfService": c.years_of_service,
        "upcomingHolidays": [
            {"name": h.name, "date": h.date.isoformat(), "daysAway": h.days_away}
            for h in c.upcoming_holidays
        ],
        "language": draft_language(c.language),
    }


FEATURE = Feature(
    name="generate-greeting",
    template="generate_greeting.v1.j2",
    output_model=OccasionGreeting,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    max_output_tokens=500,
)
