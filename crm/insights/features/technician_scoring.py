"""Technician matching as a dispatcher does it: a weighted score (reference B7: smoothed ratings,
specialty, history, free slots, preference; plus continuity, brand authorisation and, for a
complex repair on an old appliance, years of experience), technicians who cannot go left out
unless nobody else can, and ties broken by evidence. Every part keeps its reason in words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm.core.choices import ApplianceType
from crm.core.words import counted
from crm.customers.models import Customer
from crm.insights import history
from crm.insights.features.technician_history import Continuity, ServiceRecord, service_records
from crm.technicians.models import BRAND_PREFIX, Technician, qualification_label
from crm.technicians.selectors import technician_list

PLACES = Decimal("0.001")
# Reference B7 weights plus ours (defaults; tune with the scenario suite).
WEIGHTS = {
    "rating": Decimal("0.20"),
    "specialty": Decimal("0.25"),
    "history": Decimal("0.10"),
    "continuity": Decimal("0.10"),
    "availability": Decimal("0.10"),
    "preference": Decimal("0.10"),
    "brand": Decimal("0.05"),
    # Only for a complex repair on an old appliance (zero otherwise: years then break ties).
    "experience": Decimal("0.15"),
}
# Ratings are smoothed towards a neutral 3/5: a 5 from one customer is not a 5 from fifty.
PRIOR_MEAN, PRIOR_WEIGHT, HISTORY_PRIOR_WEIGHT = Decimal(3), Decimal(3), Decimal(1)
FULL_EXPERIENCE_YEARS = 15
LOW_RATING = 2


@dataclass(frozen=True)
class MatchRequest:
    """What the visit needs: the appliance (type, id, brand), the qualifications the issue
    implies, why experience counts (empty when it does not), the visit day and later days."""

    appliance_type: str | None
    appliance_id: int | None = None
    brand: str = ""
    needs: tuple[str, ...] = ()
    experience_matters: str = ""
    day: dt.date = dt.date.min
    later_days: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Component:
    """One part of the score: its value in [0, 1], the points it adds, and why."""

    name: str
    value: Decimal
    points: Decimal
    reason: str


@dataclass(frozen=True)
class Candidate:
    """A technician scored for one visit; `barred` says why a dispatcher would not send them,
    `notes` what else to say (the tie-break, nobody else can go, a later free day)."""

    id: int
    name: str
    specialties: list[str]
    qualifications: list[str]
    years_experience: int
    rating_summary: str
    open_jobs_today: int
    daily_capacity: int
    score: Decimal
    components: list[Component]
    barred: list[str]
    preferred: bool
    evidence: tuple[int, int, int]
    free_later: dt.date | None = None
    notes: tuple[str, ...] = ()

    @property
    def reasons(self) -> list[str]:
        """The score's reasons in words, those worth saying."""
        return [part.reason for part in self.components if part.reason]


def smoothed(total: int, count: int, weight: Decimal) -> Decimal:
    """Bayesian mean of 1-5 ratings towards PRIOR_MEAN."""
    return (Decimal(total) + PRIOR_MEAN * weight) / (Decimal(count) + weight)


def day_words(day: dt.date) -> str:
    """`Tue, Dec 8`."""
    return f"{day:%a}, {day:%b} {day.day}"


def _unit(rating: Decimal) -> Decimal:
    return (rating - 1) / 4


def _component(name: str, value: Decimal, reason: str, weight: Decimal | None = None) -> Component:
    points = ((WEIGHTS[name] if weight is None else weight) * value).quantize(PLACES, ROUND_HALF_UP)
    return Component(name, value.quantize(PLACES, rounding=ROUND_HALF_UP), points, reason)


def _rating(totals: tuple[int, int] | None) -> Component:
    count, total = totals or (0, 0)
    value = _unit(smoothed(total, count, PRIOR_WEIGHT))
    if not count:
        return _component("rating", value, "No ratings yet")
    average = (Decimal(total) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _component("rating", value, f"Rated {average}/5 over {counted(count, 'rating')}")


def _specialty(technician: Technician, kind: str | None) -> Component:
    if kind is None:
        return _component("specialty", Decimal("0.5"), "")
    label = ApplianceType(kind).label.lower()
    if kind in (technician.specialties or []):
        return _component("specialty", Decimal(1), f"Repairs {label.replace(' / ', 's / ')}s")
    return _component("specialty", Decimal(0), f"Not a {label} specialist")


def _history(ratings: list[int], record: ServiceRecord) -> Component:
    if ratings and min(ratings) <= LOW_RATING:
        return _component("history", Decimal(0), f"This customer rated them {min(ratings)}/5")
    if ratings:
        value = _unit(smoothed(sum(ratings), len(ratings), HISTORY_PRIOR_WEIGHT))
        listed = ", ".join(f"{r}/5" for r in ratings)
        return _component("history", value, f"This customer rated them {listed}")
    if record.visits:
        return _component(
            "history", Decimal("0.6"), f"Served this customer {counted(record.visits, 'time')}"
        )
    return _component("history", Decimal("0.5"), "Has not served this customer yet")


def _continuity(record: ServiceRecord) -> Component:
    values = {Continuity.LAST: Decimal(1), Continuity.EARLIER: Decimal("0.8")}
    value = values.get(record.continuity, Decimal(0) if record.repeat_failure else Decimal("0.5"))
    return _component("continuity", value, record.words)


def _experience(technician: Technician, request: MatchRequest) -> Component:
    years = technician.years_experience
    value = Decimal(min(years, FULL_EXPERIENCE_YEARS)) / FULL_EXPERIENCE_YEARS
    if not request.experience_matters:
        return _component("experience", value, "", weight=Decimal(0))
    return _component(
        "experience",
        value,
        f"{counted(years, 'year')} of experience, for {request.experience_matters}",
    )


def _brand(technician: Technician, brand: str) -> Component:
    held = {code.casefold() for code in technician.qualifications or []}
    if brand and f"{BRAND_PREFIX}{brand}".casefold() in held:
        return _component("brand", Decimal(1), f"Authorised for {brand}")
    return _component("brand", Decimal(0), "")


def _availability(technician: Technician, open_jobs: int, day: dt.date) -> Component:
    free = max(technician.daily_capacity - open_jobs, 0)
    value = Decimal(free) / Decimal(technician.daily_capacity)
    if not free:
        return _component("availability", value, f"Fully booked {day_words(day)}")
    return _component(
        "availability", value, f"{free} of {technician.daily_capacity} visits free {day_words(day)}"
    )


def _preference(is_preferred: bool) -> Component:
    if is_preferred:
        return _component("preference", Decimal(1), "The customer's preferred technician")
    return _component("preference", Decimal(0), "")


def _rating_summary(totals: tuple[int, int] | None) -> str:
    if not totals or not totals[0]:
        return "no ratings"
    count, total = totals
    return f"{(Decimal(total) / count).quantize(Decimal('0.01'))}/5 ({count})"


def _barred(
    technician: Technician, ratings: list[int], full: bool, request: MatchRequest
) -> list[str]:
    """Why a dispatcher would not send them: fully booked, rated low, lacking a qualification."""
    reasons = [f"fully booked {day_words(request.day)}"] if full else []
    if ratings and min(ratings) <= LOW_RATING:
        reasons.append(f"this customer rated them {min(ratings)}/5")
    held = set(technician.qualifications or [])
    reasons += [
        f"not {qualification_label(need).lower()}" for need in request.needs if need not in held
    ]
    return reasons


def score_candidates(
    *, customer: Customer, request: MatchRequest, ratings_by_technician: dict[int, list[int]]
) -> list[Candidate]:
    """Every active technician scored, those who can go first, best first, ties by evidence
    (more ratings, more years, more visits to this customer), with the reason said (4 queries)."""
    totals = history.technician_rating_totals()
    last = max((request.day, *request.later_days))
    workload = history.technician_open_jobs_between(first=request.day, last=last)
    records = service_records(customer_id=customer.pk, request=request)
    candidates = []
    for technician in technician_list(active_only=True):
        ratings = ratings_by_technician.get(technician.pk, [])
        record = records.get(technician.pk, ServiceRecord())
        open_jobs = workload.get((technician.pk, request.day), 0)
        full = open_jobs >= technician.daily_capacity
        parts = [
            _specialty(technician, request.appliance_type),
            _rating(totals.get(technician.pk)),
            _history(ratings, record),
            _continuity(record),
            _experience(technician, request),
            _brand(technician, request.brand),
            _availability(technician, open_jobs, request.day),
            _preference(technician.pk == customer.preferred_technician_id),
        ]
        free_later = next(
            (d for d in request.later_days if full
             and workload.get((technician.pk, d), 0) < technician.daily_capacity),
            None,
        )  # fmt: skip
        candidates.append(
            Candidate(
                id=technician.pk, name=technician.name,
                specialties=list(technician.specialties or []),
                qualifications=list(technician.qualifications or []),
                years_experience=technician.years_experience,
                rating_summary=_rating_summary(totals.get(technician.pk)),
                open_jobs_today=open_jobs, daily_capacity=technician.daily_capacity,
                score=sum((part.points for part in parts), Decimal(0)), components=parts,
                barred=_barred(technician, ratings, full, request),
                preferred=technician.pk == customer.preferred_technician_id,
                evidence=((totals.get(technician.pk) or (0, 0))[0], technician.years_experience,
                          record.visits),
                free_later=free_later,
            )
        )  # fmt: skip
    return _with_notes(sorted(candidates, key=_order))


def _order(c: Candidate) -> tuple[object, ...]:
    return (_severity(c), -c.score, *(-e for e in c.evidence), c.name, c.id)


def _severity(c: Candidate) -> int:
    """0 can go; 1 booked up or rated low by this customer; 2 lacks a qualification the work
    needs (a gas leak is not sent to someone uncertified while a certified one exists)."""
    if not c.barred:
        return 0
    return 2 if any(reason.startswith("not ") for reason in c.barred) else 1


EVIDENCE = ("more ratings", "more years of experience", "more visits to this customer")


def _tie_words(winner: Candidate, other: Candidate) -> str:
    for words, mine, theirs in zip(EVIDENCE, winner.evidence, other.evidence, strict=True):
        if mine != theirs:
            return f"Picked over {other.name} (an even match): {words} ({mine} vs {theirs})"
    return f"Picked over {other.name} (an even match, same evidence): by name"


def _with_notes(ranked: list[Candidate]) -> list[Candidate]:
    """The tie-break said on each winner of an even match; "nobody else" on a barred first."""
    noted = []
    for position, candidate in enumerate(ranked):
        notes = []
        if candidate.barred:
            left_out = "; ".join(candidate.barred)
            notes.append(
                f"Sent only because nobody else can go ({left_out})"
                if position == 0
                else f"Left out: {left_out}"
            )
        after = ranked[position + 1] if position + 1 < len(ranked) else None
        if (
            after
            and bool(after.barred) == bool(candidate.barred)
            and after.score == candidate.score
        ):
            notes.append(_tie_words(candidate, after))
        noted.append(dataclasses.replace(candidate, notes=tuple(notes)))
    return noted
