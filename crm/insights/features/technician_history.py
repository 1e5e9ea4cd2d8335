"""Past service as a dispatcher weighs it: how often a technician served this customer, whether
they repaired this very appliance with no callback since, or whether it failed again soon after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from crm.core.choices import ApplianceType
from crm.core.words import counted, short_day
from crm.insights import history
from crm.jobs.models import JobStatus

if TYPE_CHECKING:
    from crm.insights.features.technician_scoring import MatchRequest

VISITS_READ = 200
# A failure within this many days of a repair is a callback: the repair did not hold.
CALLBACK_DAYS = 30


class Continuity(StrEnum):
    NONE = "none"
    LAST = "last"  # theirs is the appliance's latest repair, and it held
    EARLIER = "earlier"  # they repaired it before, someone has since


@dataclass(frozen=True)
class ServiceRecord:
    """One technician's past service for one customer and, if given, one appliance."""

    visits: int = 0
    continuity: Continuity = Continuity.NONE
    repeat_failure: bool = False
    words: str = ""


def service_records(*, customer_id: int, request: MatchRequest) -> dict[int, ServiceRecord]:
    """Per technician who served this customer: visits, continuity on the appliance (one query)."""
    visits = history.customer_visits(customer_id=customer_id, limit=VISITS_READ)
    counts: dict[int, int] = {}
    for technician, _, status, _ in visits:
        if technician and status == JobStatus.COMPLETED:
            counts[technician] = counts.get(technician, 0) + 1
    on_appliance = sorted(
        (
            (day, technician, status)
            for technician, appliance, status, day in visits
            if request.appliance_id and appliance == request.appliance_id
        ),
        key=lambda visit: visit[0],
    )
    label = ApplianceType(request.appliance_type).label.lower() if request.appliance_type else ""
    records = {}
    for technician, count in counts.items():
        last_repair = max(
            (day for day, who, status in on_appliance
             if who == technician and status == JobStatus.COMPLETED),
            default=None,
        )  # fmt: skip
        records[technician] = _record(
            count, last_repair, on_appliance, label or "appliance", request.day
        )
    return records


def _record(
    count: int,
    repaired: dt.date | None,
    on_appliance: list[tuple[dt.date, int | None, str]],
    label: str,
    today: dt.date,
) -> ServiceRecord:
    if repaired is None:
        return ServiceRecord(visits=count)
    when = short_day(repaired, today)
    following = [day for day, _, _ in on_appliance if day > repaired]
    gap = ((following[0] if following else today) - repaired).days
    if gap <= CALLBACK_DAYS:
        words = (
            f"This {label} failed again {counted(gap, 'day')} after their repair on {when}"
            if following
            else f"Their repair of this {label} on {when} did not hold ({counted(gap, 'day')} ago)"
        )
        return ServiceRecord(count, Continuity.NONE, repeat_failure=True, words=words)
    if following:
        return ServiceRecord(
            count, Continuity.EARLIER, words=f"Repaired this {label} before ({when})"
        )
    return ServiceRecord(
        count, Continuity.LAST, words=f"Repaired this {label} on {when}; no callback since"
    )
