"""Technician matching score (reference B7): smoothed ratings, specialty, history, free slots,
preference; each component kept with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm.core.choices import ApplianceType
from crm.customers.models import Customer
from crm.insights import history
from crm.insights.features.base import plural
from crm.technicians.models import Technician
from crm.technicians.selectors import technician_list

PLACES = Decimal("0.001")
# Reference B7 weights (our defaults; tune with data).
WEIGHTS = {
    "rating": Decimal("0.35"),
    "specialty": Decimal("0.25"),
    "history": Decimal("0.15"),
    "availability": Decimal("0.15"),
    "preference": Decimal("0.10"),
}
# Ratings are smoothed towards a neutral 3/5: a 5 from one customer is not a 5 from fifty.
PRIOR_MEAN, PRIOR_WEIGHT, HISTORY_PRIOR_WEIGHT = Decimal(3), Decimal(3), Decimal(1)


@dataclass(frozen=True)
class Component:
    """One part of the score: its value in [0, 1], the points it adds, and why."""

    name: str
    value: Decimal
    points: Decimal
    reason: str


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    specialties: list[str]
    years_experience: int
    rating_summary: str
    open_jobs_today: int
    daily_capacity: int
    score: Decimal
    components: list[Component]


def smoothed(total: int, count: int, weight: Decimal) -> Decimal:
    """Bayesian mean of 1-5 ratings towards PRIOR_MEAN."""
    return (Decimal(total) + PRIOR_MEAN * weight) / (Decimal(count) + weight)


def _unit(rating: Decimal) -> Decimal:
    """A 1-5 rating as a value in [0, 1]."""
    return (rating - 1) / 4


def _component(name: str, value: Decimal, reason: str) -> Component:
    points = (WEIGHTS[name] * value).quantize(PLACES, rounding=ROUND_HALF_UP)
    return Component(name, value.quantize(PLACES, rounding=ROUND_HALF_UP), points, reason)


def _rating(totals: tuple[int, int] | None) -> Component:
    count, total = totals or (0, 0)
    value = smoothed(total, count, PRIOR_WEIGHT)
    if not count:
        return _component("rating", _unit(value), "No ratings yet (counted as 3/5)")
    average = (Decimal(total) / count).quantize(Decimal("0.01"))
    return _component(
        "rating", _unit(value), f"Rated {average}/5 by customers over {plural(count, 'rating')}"
    )


def _specialty(technician: Technician, appliance_type: str | None) -> Component:
    if appliance_type is None:
        return _component("specialty", Decimal("0.5"), "Appliance type unknown")
    label = ApplianceType(appliance_type).label.lower()
    if appliance_type in (technician.specialties or []):
        return _component("specialty", Decimal(1), f"Specialist in {label}")
    return _component("specialty", Decimal(0), f"Not a {label} specialist")


def _history(name: str, ratings: list[int]) -> Component:
    if not ratings:
        return _component("history", Decimal("0.5"), "Has not served this customer yet")
    if min(ratings) <= 2:
        return _component("history", Decimal(0), f"This customer once rated them {min(ratings)}/5")
    value = _unit(smoothed(sum(ratings), len(ratings), HISTORY_PRIOR_WEIGHT))
    listed = ", ".join(f"{r}/5" for r in ratings)
    return _component("history", value, f"This customer rated them {listed}")


def _availability(technician: Technician, open_jobs: int) -> Component:
    free = max(technician.daily_capacity - open_jobs, 0)
    value = Decimal(free) / Decimal(technician.daily_capacity)
    return _component(
        "availability", value, f"{free} of {technician.daily_capacity} slots free today"
    )


def _preference(is_preferred: bool) -> Component:
    if is_preferred:
        return _component("preference", Decimal(1), "The customer's preferred technician")
    return _component("preference", Decimal(0), "Not the preferred technician")


def _rating_summary(totals: tuple[int, int] | None) -> str:
    if not totals or not totals[0]:
        return "no ratings"
    count, total = totals
    return f"{(Decimal(total) / count).quantize(Decimal('0.01'))}/5 ({count})"


def score_candidates(
    *,
    customer: Customer,
    appliance_type: str | None,
    ratings_by_technician: dict[int, list[int]],
    today: dt.date,
) -> list[Candidate]:
    """Every active technician scored (reference B7), best first; ties by name."""
    totals = history.technician_rating_totals()
    workload = history.technician_open_jobs_on(day=today)
    candidates = []
    for technician in technician_list(active_only=True):
        parts = [
            _rating(totals.get(technician.pk)),
            _specialty(technician, appliance_type),
            _history(technician.name, ratings_by_technician.get(technician.pk, [])),
            _availability(technician, workload.get(technician.pk, 0)),
            _preference(technician.pk == customer.preferred_technician_id),
        ]
        candidates.append(
            Candidate(
                id=technician.pk, name=technician.name,
                specialties=list(technician.specialties or []),
                years_experience=technician.years_experience,
                rating_summary=_rating_summary(totals.get(technician.pk)),
                open_jobs_today=workload.get(technician.pk, 0),
                daily_capacity=technician.daily_capacity,
                score=sum((part.points for part in parts), Decimal(0)), components=parts,
            )
        )  # fmt: skip
    return sorted(candidates, key=lambda c: (-c.score, c.name, c.id))
