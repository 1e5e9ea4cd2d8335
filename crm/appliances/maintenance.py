"""Rule-based maintenance prediction (reference B3-B5): age against lifespan, interval, season."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet

from crm.appliances.models import Appliance, ApplianceLifespan
from crm.appliances.selectors import age_start, appliance_get, appliance_list, lifespan_table
from crm.core.dates import add_months, company_today, season_of, upcoming_season, years_between
from crm.core.words import written_day
from crm.jobs.models import Job, JobStatus

RISK_LEVELS = ("Low", "Medium", "High")
MEDIUM_RATIO = Decimal("0.6")
HIGH_RATIO = Decimal("0.9")


@dataclass(frozen=True)
class MaintenancePrediction:
    """Risk Low/Medium/High with its reasons, for one appliance on one day."""

    appliance: Appliance
    risk: str
    reasons: list[str]
    age_years: Decimal | None
    expected_lifespan_years: Decimal
    life_used_ratio: Decimal | None
    service_interval_months: int
    service_task: str
    last_service_date: dt.date | None
    days_since_last_service: int | None
    next_service_due: dt.date
    service_overdue: bool
    current_season: str
    upcoming_season: str
    seasonal_factor: str
    common_failure_points: str
    warranty_active: bool
    source: str
    actions: list[str] = field(default_factory=list)


def _risk_from_ratio(ratio: Decimal | None) -> int:
    if ratio is None:
        return 0
    return 2 if ratio >= HIGH_RATIO else 1 if ratio >= MEDIUM_RATIO else 0


def _seasonal_factor(lifespan: ApplianceLifespan, today: dt.date) -> tuple[str, bool]:
    """The appliance's peak season and whether it is now or next."""
    if not lifespan.peak_season:
        return "No strong seasonal factor for this appliance type.", False
    in_play = lifespan.peak_season in (season_of(today), upcoming_season(today))
    when = "now or next" if in_play else "later in the year"
    return f"{lifespan.seasonal_impact} (peak: {lifespan.peak_season}, {when}).", in_play


def _last_service(appliance: Appliance, last_job_day: dt.date | None) -> dt.date | None:
    candidates = [d for d in (appliance.last_service_date, last_job_day) if d is not None]
    return max(candidates) if candidates else None


def service_due(
    appliance: Appliance, lifespan: ApplianceLifespan, last_job_day: dt.date | None
) -> dt.date | None:
    """One interval after the last service (or the install); None when neither is known."""
    base = _last_service(appliance, last_job_day) or appliance.install_date
    return add_months(base, lifespan.service_interval_months) if base else None


def predict(
    appliance: Appliance,
    lifespan: ApplianceLifespan,
    *,
    today: dt.date,
    last_job_day: dt.date | None = None,
) -> MaintenancePrediction:
    """Risk by age/lifespan (<0.6 Low, <0.9 Medium, else High); up one if overdue or in season."""
    start, from_serial = age_start(appliance)
    age = years_between(start, today) if start else None
    ratio = (
        (age / lifespan.expected_lifespan_years).quantize(Decimal("0.01"))
        if age is not None
        else None
    )
    last = _last_service(appliance, last_job_day)
    interval = lifespan.service_interval_months
    next_due = service_due(appliance, lifespan, last_job_day) or add_months(today, interval)
    long_overdue = add_months(next_due, interval) <= today
    seasonal_text, in_season = _seasonal_factor(lifespan, today)
    level = _risk_from_ratio(ratio)
    reasons = _reasons(age, ratio, lifespan, last, next_due, today)
    if from_serial and start:
        reasons[0] += f" Age from serial: made {start:%B %Y} ({appliance.manufactured_on_rule})."
    if long_overdue or in_season:
        level = min(level + 1, 2)
        why = (
            "service overdue by more than one interval"
            if long_overdue
            else "peak season is now or next"
        )
        reasons.append(f"Raised one level: {why}.")
    return MaintenancePrediction(
        appliance=appliance, risk=RISK_LEVELS[level], reasons=reasons, age_years=age,
        expected_lifespan_years=lifespan.expected_lifespan_years, life_used_ratio=ratio,
        service_interval_months=interval, service_task=lifespan.service_task,
        last_service_date=last,
        days_since_last_service=(today - last).days if last else None,
        next_service_due=next_due, service_overdue=next_due < today,
        current_season=season_of(today), upcoming_season=upcoming_season(today),
        seasonal_factor=seasonal_text, common_failure_points=lifespan.common_failure_points,
        warranty_active=appliance.warranty_expires_on is not None
        and appliance.warranty_expires_on >= today,
        source=lifespan.source, actions=_actions(lifespan, level, overdue=next_due < today),
    )  # fmt: skip


def _reasons(
    age: Decimal | None, ratio: Decimal | None, lifespan: ApplianceLifespan, last: dt.date | None,
    next_due: dt.date, today: dt.date,
) -> list[str]:  # fmt: skip
    reasons = []
    if age is None:
        reasons.append("Install date and date of manufacture unknown: age not assessed.")
    else:
        percent = int((ratio or 0) * 100)
        reasons.append(
            f"{age} years old of an expected {lifespan.expected_lifespan_years} "
            f"({percent}% of its life)."
        )
    if last is None:
        reasons.append("No service on record.")
    elif next_due < today:
        reasons.append(
            f"Service overdue since {written_day(next_due)} "
            f"(every {lifespan.service_interval_months} months)."
        )
    else:
        reasons.append(f"Next service due {written_day(next_due)}.")
    return reasons


def _actions(lifespan: ApplianceLifespan, level: int, *, overdue: bool) -> list[str]:
    actions = [lifespan.service_task]
    if overdue:
        actions.insert(0, "Book a maintenance visit now")
    if level == 2:
        actions.append("Discuss replacement options before it fails")
    return actions


def last_job_days(appliance_ids: list[int]) -> dict[int, dt.date]:
    return _last_days(Job.objects.filter(appliance_id__in=appliance_ids))


def _last_days(jobs: QuerySet[Job]) -> dict[int, dt.date]:
    rows = (
        jobs.filter(status=JobStatus.COMPLETED)
        .values("appliance_id")
        .annotate(last=Max("completed_at"))
    )
    return {row["appliance_id"]: row["last"].date() for row in rows if row["last"]}


def lifespan_for(table: dict[str, ApplianceLifespan], appliance_type: str) -> ApplianceLifespan:
    return table.get(appliance_type) or table["Other"]


def appliance_maintenance_prediction(
    *, appliance_id: int, today: dt.date | None = None
) -> MaintenancePrediction:
    """The rule-based prediction for one appliance."""
    appliance = appliance_get(appliance_id=appliance_id)
    table = lifespan_table()
    last_days = last_job_days([appliance.pk])
    return predict(
        appliance,
        lifespan_for(table, appliance.type),
        today=today or company_today(),
        last_job_day=last_days.get(appliance.pk),
    )


def customer_maintenance_alerts(
    *, customer_id: int, today: dt.date | None = None
) -> list[MaintenancePrediction]:
    """Predictions for every appliance of a customer, highest risk first (three queries)."""
    appliances = list(appliance_list(customer_id=customer_id))
    table = lifespan_table()
    last_days = last_job_days([a.pk for a in appliances])
    day = today or company_today()
    predictions = [
        predict(a, lifespan_for(table, a.type), today=day, last_job_day=last_days.get(a.pk))
        for a in appliances
    ]
    return sorted(predictions, key=lambda p: (-RISK_LEVELS.index(p.risk), p.next_service_due))


def appliance_predictions(
    *,
    appliances: list[Appliance],
    today: dt.date,
    table: dict[str, ApplianceLifespan] | None = None,
) -> list[MaintenancePrediction]:
    """Predictions for many appliances at once (one grouped job query), for nightly sweeps."""
    lifespans = table if table is not None else lifespan_table()
    ids = [a.pk for a in appliances]
    # An id range is one index range scan; an IN list of thousands of ids was 9x slower on
    # PostgreSQL. Sweeps pass keyset pages, whose ids are exactly the range.
    last_days = (
        _last_days(Job.objects.filter(appliance_id__gte=min(ids), appliance_id__lte=max(ids)))
        if ids
        else {}
    )
    return [
        predict(a, lifespan_for(lifespans, a.type), today=today, last_job_day=last_days.get(a.pk))
        for a in appliances
    ]
