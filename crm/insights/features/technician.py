"""Plan template 7: Technician Matching, with the weighted score of reference B7 offline."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType
from crm.core.dates import add_months, company_today, years_between
from crm.core.errors import ValidationFailed
from crm.core.words import counted
from crm.customers.models import Customer
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, bullet_lines
from crm.insights.features.issue_reading import IssueReading, issue_read
from crm.insights.features.technician_scoring import (
    WEIGHTS,
    Candidate,
    MatchRequest,
    day_words,
    score_candidates,
)
from crm.insights.prompting import CustomerText, clean_text
from crm.technicians.models import CustomerTechnicianRating
from crm.technicians.selectors import customer_technician_ratings

LAST_N = 5
ISSUE_MAX_CHARS = 1000
CANDIDATES_SHOWN = 12
OLD_APPLIANCE_YEARS = 10
ACCEPTABLE_DAYS = 7  # a visit that is not urgent: the day asked for and the six after
FURTHEST_DAYS = 365


@dataclass(frozen=True)
class PastInteraction:
    technician_name: str
    date: dt.date | None
    service: CustomerText
    rating: int | None


@dataclass(frozen=True)
class MatchContext:
    """The appliance and issue, the customer's history with technicians, scored candidates."""

    customer_id: int
    name: str
    preferred_technician_id: int | None
    preferred_technician_name: str
    contact_note: str
    appliance_id: int | None
    appliance_type: str | None
    appliance_type_label: str
    appliance_brand: str
    issue: CustomerText | None
    visit_day: dt.date
    urgent: bool
    needs: list[str]
    experience_matters: str
    past_interactions: list[PastInteraction]
    low_ratings: list[str]
    repeat_visits: int
    candidates: list[Candidate]


class TechnicianPick(OutputModel):
    technician_id: int
    name: str
    reason: str


class TechnicianMatch(OutputModel):
    """PRIMARY TECHNICIAN RECOMMENDATION, ALTERNATIVE RECOMMENDATIONS, SPECIAL NOTES."""

    primary: TechnicianPick | None
    alternatives: list[TechnicianPick]
    special_notes: list[str]


def _appliance(customer: Customer, appliance_id: int | None) -> Appliance | None:
    if appliance_id is None:
        return None
    appliance = Appliance.objects.filter(pk=appliance_id, customer=customer).first()
    if appliance is None:
        raise ValidationFailed("No appliance with that id for this customer.", field="applianceId")
    return appliance


def _contact_note(customer: Customer) -> str:
    times = ", ".join(
        f"{w['day']} {w['start']}-{w['end']}" for w in customer.preferred_contact_times or []
    )
    note = f"prefers {customer.preferred_contact_method}"
    if times:
        note += f" ({times})"
    if not customer.language_preference.startswith("en"):
        note += f"; speaks {customer.language_preference}"
    return note


def build_context(
    *,
    subject_id: int,
    today: dt.date | None = None,
    appliance_id: int | None = None,
    issue: str | None = None,
    date: dt.date | None = None,
    urgent: bool = False,
) -> MatchContext:
    """Needs an appliance of this customer and/or an issue text, and a visit day that has not
    passed (today when not given; today or tomorrow when urgent); ValidationFailed otherwise."""
    if appliance_id is None and not (issue or "").strip():
        raise ValidationFailed("Give applianceId and/or issue.", field="applianceId")
    customer = customer_get(customer_id=subject_id)
    appliance = _appliance(customer, appliance_id)
    day, later = visit_days(today=today or local_today(appliance), date=date, urgent=urgent)
    request = match_request(appliance=appliance, issue=issue or "", day=day, later_days=later)
    ratings = list(customer_technician_ratings(customer_id=customer.pk))
    candidates = score_candidates(
        customer=customer, request=request, ratings_by_technician=ratings_by_technician(ratings)
    )
    preferred = customer.preferred_technician
    kind = request.appliance_type
    return MatchContext(
        customer_id=customer.pk, name=customer.name,
        preferred_technician_id=preferred.pk if preferred else None,
        preferred_technician_name=preferred.name if preferred else "",
        contact_note=_contact_note(customer),
        appliance_id=appliance.pk if appliance else None, appliance_type=kind,
        appliance_type_label=ApplianceType(kind).label if kind else "unknown",
        appliance_brand=appliance.brand if appliance else "",
        issue=_issue(issue), visit_day=day, urgent=urgent, needs=list(request.needs),
        experience_matters=request.experience_matters,
        past_interactions=_past_interactions(customer.pk),
        low_ratings=[
            f"Rated {r.technician.name} {r.rating}/5 on {r.created_at.date()}"
            for r in ratings if r.rating <= 2
        ][:LAST_N],
        repeat_visits=_repeat_visits(customer.pk, appliance, day),
        candidates=candidates[:CANDIDATES_SHOWN],
    )  # fmt: skip


def ratings_by_technician(ratings: Iterable[CustomerTechnicianRating]) -> dict[int, list[int]]:
    """A customer's ratings (newest first) per technician, oldest first, so lists read in order."""
    by_technician: dict[int, list[int]] = {}
    for rating in reversed(list(ratings)):
        by_technician.setdefault(rating.technician_id, []).append(rating.rating)
    return by_technician


def local_today(appliance: Appliance | None) -> dt.date:
    """Today where the visit is: at the appliance's service location, else the company's."""
    location = appliance.location if appliance else None
    try:
        zone = zoneinfo.ZoneInfo(location.timezone) if location else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone no longer known: the company's
        zone = None
    return timezone.localdate(timezone=zone) if zone else company_today()


def visit_days(
    *, today: dt.date, date: dt.date | None, urgent: bool
) -> tuple[dt.date, tuple[dt.date, ...]]:
    """The visit day and the later days that would still do (urgent: up to tomorrow; else the
    week from the day asked for); refused for a day that has passed or is too far."""
    day = date or today
    if day < today:
        raise ValidationFailed("That day has passed: pick today or a later day.", field="date")
    if (day - today).days > FURTHEST_DAYS:
        raise ValidationFailed("Pick a day within the next year.", field="date")
    last = today + dt.timedelta(days=1) if urgent else day + dt.timedelta(days=ACCEPTABLE_DAYS - 1)
    if urgent and day > last:
        raise ValidationFailed("An urgent visit is today or tomorrow.", field="date")
    return day, tuple(day + dt.timedelta(days=n) for n in range(1, (last - day).days + 1))


def match_request(
    *, appliance: Appliance | None, issue: str, day: dt.date, later_days: tuple[dt.date, ...] = ()
) -> MatchRequest:
    """What the visit needs, read from the appliance record and the issue text."""
    reading = issue_read(issue)
    return MatchRequest(
        appliance_type=appliance.type if appliance else reading.appliance_type,
        appliance_id=appliance.pk if appliance else None,
        brand=appliance.brand if appliance else "",
        needs=reading.needs,
        experience_matters=_experience_matters(appliance, reading, day),
        day=day,
        later_days=later_days,
    )


def _experience_matters(appliance: Appliance | None, reading: IssueReading, day: dt.date) -> str:
    """`a complex repair on a 14-year-old appliance` when years of experience should count."""
    installed = appliance.install_date if appliance else None
    age = int(years_between(installed, day)) if installed else reading.age_years
    if not reading.complex_repair or age is None or age < OLD_APPLIANCE_YEARS:
        return ""
    return f"a complex repair on a {age}-year-old appliance"


def technician_ranking(
    *, customer: Customer, appliance: Appliance | None, issue: str, day: dt.date
) -> list[Candidate]:
    """Every active technician for a visit on `day`, those who can go first, best first."""
    ratings = customer_technician_ratings(customer_id=customer.pk)
    return score_candidates(
        customer=customer,
        request=match_request(appliance=appliance, issue=issue, day=day),
        ratings_by_technician=ratings_by_technician(ratings),
    )


def _issue(issue: str | None) -> CustomerText | None:
    """The issue as one clean line (it is also quoted in the offline notes, which are stored)."""
    cleaned = clean_text(issue or "", limit=ISSUE_MAX_CHARS)
    return CustomerText(cleaned) if cleaned else None


def _past_interactions(customer_id: int) -> list[PastInteraction]:
    jobs = history.recent_jobs_with_technician(customer_id=customer_id, limit=LAST_N)
    lines = []
    for job in jobs:
        review = getattr(job, "review", None) if hasattr(job, "review") else None
        lines.append(
            PastInteraction(
                job.technician.name if job.technician else "",
                history.job_day(job),
                CustomerText(job.description),
                review.rating if review else None,
            )
        )
    return lines


def _repeat_visits(customer_id: int, appliance: Appliance | None, today: dt.date) -> int:
    if appliance is None:
        return 0
    days = history.job_days_by_appliance(customer_id=customer_id, since=add_months(today, -12))
    return len(days.get(appliance.pk, []))


def _pick(candidate: Candidate) -> TechnicianPick:
    """The reasons in words (no scores): the score's, then the tie-break or why they go anyway."""
    words = [*candidate.reasons, *candidate.notes]
    return TechnicianPick(technician_id=candidate.id, name=candidate.name, reason="; ".join(words))


def _later_pick(candidate: Candidate) -> TechnicianPick:
    """The preferred technician, booked on the visit day but free on a later day that will do."""
    first_name = candidate.name.split()[0]
    day = day_words(candidate.free_later) if candidate.free_later else ""
    return TechnicianPick(
        technician_id=candidate.id,
        name=candidate.name,
        reason=f"{first_name} is preferred; free {day}",
    )


def _preferred_later(c: MatchContext) -> Candidate | None:
    """The preferred technician when only their booked visit day keeps them out."""
    for candidate in c.candidates[1:]:
        if candidate.preferred and candidate.free_later and len(candidate.barred) == 1:
            return candidate if candidate.open_jobs_today >= candidate.daily_capacity else None
    return None


def _notes(c: MatchContext) -> list[str]:
    notes = [f"Customer {c.contact_note}."]
    notes += [f"{line}: do not repeat what went wrong." for line in c.low_ratings[:1]]
    if c.repeat_visits:
        notes.append(
            f"This appliance had {counted(c.repeat_visits, 'completed job')} in the last 12 "
            "months: check the previous repair first."
        )
    if c.issue:
        notes.append(f"Reported issue: {c.issue[:160]}")
    return notes[:4]


def offline(c: MatchContext) -> TechnicianMatch:
    """The first who can go, then the preferred technician's later free day if that is what
    keeps them out, then the next best; reasons in words."""
    if not c.candidates:
        return TechnicianMatch(primary=None, alternatives=[], special_notes=_notes(c))
    later = _preferred_later(c)
    rest = [_pick(candidate) for candidate in c.candidates[1:] if candidate is not later]
    alternatives = ([_later_pick(later)] if later else []) + rest
    return TechnicianMatch(
        primary=_pick(c.candidates[0]), alternatives=alternatives[:2], special_notes=_notes(c)
    )


def text(answer: TechnicianMatch, c: MatchContext) -> str:
    primary = answer.primary
    chosen = (
        f"Technician: {primary.name}\nReason: {primary.reason}"
        if primary
        else "Technician: none available\nReason: No active technicians."
    )
    alternatives = "\n".join(
        f"{number}. {pick.name} - {pick.reason}"
        for number, pick in enumerate(answer.alternatives, start=1)
    )
    return (
        f"PRIMARY TECHNICIAN RECOMMENDATION:\n{chosen}\n\n"
        f"ALTERNATIVE RECOMMENDATIONS:\n{alternatives or '1. None available'}\n\n"
        f"SPECIAL NOTES FOR ASSIGNED TECHNICIAN:\n{bullet_lines(answer.special_notes)}"
    )


def check(answer: TechnicianMatch, c: MatchContext) -> list[str]:
    """Only active technicians that exist, named right, no repeats, at most two alternatives;
    the primary is not one left out (booked up, rated low, unqualified) while someone can go."""
    known = {candidate.id: candidate.name for candidate in c.candidates}
    picks = ([answer.primary] if answer.primary else []) + answer.alternatives
    problems = [] if answer.primary or not known else ["no primary technician recommended"]
    problems += _left_out_primary(answer.primary, c)
    for pick in picks:
        if pick.technician_id not in known:
            problems.append(f"technician {pick.technician_id} is not an active technician")
        elif pick.name.casefold() != known[pick.technician_id].casefold():
            problems.append(
                f"technician {pick.technician_id} is {known[pick.technician_id]}, not {pick.name}"
            )
    if len({pick.technician_id for pick in picks}) != len(picks):
        problems.append("a technician is recommended twice")
    if len(answer.alternatives) > 2:
        problems.append(f"{len(answer.alternatives)} alternatives (at most 2)")
    return problems + text_problems(text(answer, c), c, words=350)


def _left_out_primary(primary: TechnicianPick | None, c: MatchContext) -> list[str]:
    chosen = next((x for x in c.candidates if primary and x.id == primary.technician_id), None)
    if chosen is None or not chosen.barred or c.candidates[0].barred:
        return []
    return [f"{chosen.name} is left out ({'; '.join(chosen.barred)}) while others can go"]


def facts(c: MatchContext) -> dict[str, Any]:
    return {
        "applianceType": c.appliance_type,
        "visitDay": c.visit_day.isoformat(),
        "urgent": c.urgent,
        "needs": c.needs,
        "candidates": [
            {
                "technicianId": candidate.id,
                "name": candidate.name,
                "score": str(candidate.score),
                "components": {part.name: str(part.points) for part in candidate.components},
                "leftOut": candidate.barred,
                "freeLater": candidate.free_later.isoformat() if candidate.free_later else None,
            }
            for candidate in c.candidates
        ],
        "weights": {name: str(weight) for name, weight in WEIGHTS.items()},
    }


def no_candidates(c: MatchContext) -> str | None:
    return None if c.candidates else "No active technicians to recommend."


FEATURE = Feature(
    name="match-technician",
    template="match_technician.v2.j2",
    output_model=TechnicianMatch,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    llm_skip=no_candidates,
    max_output_tokens=700,
)
