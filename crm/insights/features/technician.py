"""Plan template 7: Technician Matching, with the weighted score of reference B7 offline."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType
from crm.core.dates import add_months, company_today
from crm.core.errors import ValidationFailed
from crm.core.words import counted
from crm.customers.models import Customer
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, bullet_lines
from crm.insights.features.technician_scoring import WEIGHTS, Candidate, score_candidates
from crm.insights.prompting import CustomerText, clean_text
from crm.technicians.selectors import customer_technician_ratings

LAST_N = 5
ISSUE_MAX_CHARS = 1000
CANDIDATES_SHOWN = 12
TYPE_WORDS = {
    ApplianceType.REFRIGERATOR: ("fridge", "refrigerator"),
    ApplianceType.WASHING_MACHINE: ("washer", "washing machine"),
    ApplianceType.DRYER: ("dryer",),
    ApplianceType.DISHWASHER: ("dishwasher",),
    ApplianceType.OVEN_RANGE: ("oven", "stove", "range", "cooktop"),
    ApplianceType.MICROWAVE: ("microwave",),
    ApplianceType.FREEZER: ("freezer",),
    ApplianceType.AIR_CONDITIONER: ("air conditioner", "ac", "a/c", "cooling"),
    ApplianceType.WATER_HEATER: ("water heater", "boiler", "hot water"),
}


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


def infer_type(issue: str) -> str | None:
    """The appliance type an issue text names ('the fridge is warm' -> Refrigerator)."""
    for kind, words in TYPE_WORDS.items():
        if any(re.search(rf"\b{re.escape(w)}\b", issue, re.IGNORECASE) for w in words):
            return str(kind)
    return None


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
) -> MatchContext:
    """Needs an appliance of this customer and/or an issue text (ValidationFailed otherwise)."""
    if appliance_id is None and not (issue or "").strip():
        raise ValidationFailed("Give applianceId and/or issue.", field="applianceId")
    day = today or company_today()
    customer = customer_get(customer_id=subject_id)
    appliance = _appliance(customer, appliance_id)
    kind = appliance.type if appliance else infer_type(issue or "")
    ratings = list(customer_technician_ratings(customer_id=customer.pk))
    by_technician: dict[int, list[int]] = {}
    for rating in reversed(ratings):  # oldest first, so lists read in order
        by_technician.setdefault(rating.technician_id, []).append(rating.rating)
    candidates = score_candidates(
        customer=customer, appliance_type=kind, ratings_by_technician=by_technician, today=day
    )
    preferred = customer.preferred_technician
    return MatchContext(
        customer_id=customer.pk, name=customer.name,
        preferred_technician_id=preferred.pk if preferred else None,
        preferred_technician_name=preferred.name if preferred else "",
        contact_note=_contact_note(customer),
        appliance_id=appliance.pk if appliance else None, appliance_type=kind,
        appliance_type_label=ApplianceType(kind).label if kind else "unknown",
        appliance_brand=appliance.brand if appliance else "",
        issue=_issue(issue),
        past_interactions=_past_interactions(customer.pk),
        low_ratings=[
            f"Rated {r.technician.name} {r.rating}/5 on {r.created_at.date()}"
            for r in ratings if r.rating <= 2
        ][:LAST_N],
        repeat_visits=_repeat_visits(customer.pk, appliance, day),
        candidates=candidates[:CANDIDATES_SHOWN],
    )  # fmt: skip


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
    reasons = "; ".join(part.reason for part in candidate.components)
    return TechnicianPick(
        technician_id=candidate.id,
        name=candidate.name,
        reason=f"{reasons} (score {candidate.score})",
    )


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
    """Top three by weighted score; each reason lists the score's components."""
    picks = [_pick(candidate) for candidate in c.candidates[:3]]
    return TechnicianMatch(
        primary=picks[0] if picks else None, alternatives=picks[1:], special_notes=_notes(c)
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
    """Only active technicians that exist, named right, no repeats, at most two alternatives."""
    known = {candidate.id: candidate.name for candidate in c.candidates}
    picks = ([answer.primary] if answer.primary else []) + answer.alternatives
    problems = [] if answer.primary or not known else ["no primary technician recommended"]
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


def facts(c: MatchContext) -> dict[str, Any]:
    return {
        "applianceType": c.appliance_type,
        "candidates": [
            {
                "technicianId": candidate.id,
                "name": candidate.name,
                "score": str(candidate.score),
                "components": {part.name: str(part.points) for part in candidate.components},
            }
            for candidate in c.candidates
        ],
        "weights": {name: str(weight) for name, weight in WEIGHTS.items()},
    }


def no_candidates(c: MatchContext) -> str | None:
    return None if c.candidates else "No active technicians to recommend."


FEATURE = Feature(
    name="match-technician",
    template="match_technician.v1.j2",
    output_model=TechnicianMatch,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    llm_skip=no_candidates,
    max_output_tokens=700,
)
