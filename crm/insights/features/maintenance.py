"""Plan template 6: Predictive Maintenance Alert, on top of the rule-based prediction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from crm.appliances.maintenance import RISK_LEVELS, appliance_maintenance_prediction
from crm.core.company import company
from crm.core.dates import company_today
from crm.core.words import written_day
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, bullet_lines, two_places
from crm.insights.prompting import CustomerText

LAST_N = 5
Level = Literal["Low", "Medium", "High"]


@dataclass(frozen=True)
class ServiceRecord:
    date: dt.date | None
    description: CustomerText
    issues_found: CustomerText


@dataclass(frozen=True)
class MaintenanceContext:
    """The appliance, its rule-based prediction (age, interval, season) and service history."""

    customer_id: int
    appliance_id: int
    type: str
    type_label: str
    brand: str
    model_number: str
    age_years: Decimal | None
    last_service_date: dt.date | None
    days_since_last_service: int | None
    warranty_active: bool
    warranty_expires_on: dt.date | None
    service_history: list[ServiceRecord]
    service_interval_months: int
    service_task: str
    next_service_due: dt.date
    service_overdue: bool
    average_lifespan_years: Decimal
    life_used_percent: int | None
    common_failure_points: str
    current_season: str
    upcoming_season: str
    seasonal_impact: str
    rule_risk: str
    rule_reasons: list[str]
    rule_actions: list[str]
    currency: str
    average_job_revenue: Decimal | None


class PredictedNeed(OutputModel):
    component: str
    likelihood: Level


class MaintenanceAlert(OutputModel):
    """MAINTENANCE RISK ASSESSMENT, needs, actions, OPTIMAL TIMING, savings, ALERT PRIORITY."""

    maintenance_risk_assessment: Level
    predicted_maintenance_needs: list[PredictedNeed]
    recommended_preventative_actions: list[str]
    optimal_timing: str
    potential_cost_savings: str
    alert_priority: Level


def build_context(*, subject_id: int, today: dt.date | None = None) -> MaintenanceContext:
    """crm.appliances.maintenance's prediction plus the last five jobs on the appliance."""
    p = appliance_maintenance_prediction(appliance_id=subject_id, today=today or company_today())
    appliance = p.appliance
    return MaintenanceContext(
        customer_id=appliance.customer_id, appliance_id=appliance.pk, type=appliance.type,
        type_label=appliance.get_type_display(), brand=appliance.brand,
        model_number=appliance.model_number, age_years=p.age_years,
        last_service_date=p.last_service_date, days_since_last_service=p.days_since_last_service,
        warranty_active=p.warranty_active, warranty_expires_on=appliance.warranty_expires_on,
        service_history=_service_history(appliance.pk),
        service_interval_months=p.service_interval_months, service_task=p.service_task,
        next_service_due=p.next_service_due, service_overdue=p.service_overdue,
        average_lifespan_years=p.expected_lifespan_years,
        life_used_percent=int(p.life_used_ratio * 100) if p.life_used_ratio is not None else None,
        common_failure_points=p.common_failure_points, current_season=p.current_season,
        upcoming_season=p.upcoming_season, seasonal_impact=p.seasonal_factor,
        rule_risk=p.risk, rule_reasons=p.reasons, rule_actions=p.actions,
        currency=company().currency_symbol,
        average_job_revenue=history.average_job_revenue(appliance_type=appliance.type),
    )  # fmt: skip


def _service_history(appliance_id: int) -> list[ServiceRecord]:
    return [
        ServiceRecord(
            history.job_day(job),
            CustomerText(job.description),
            CustomerText(job.issues_found or "none noted"),
        )
        for job in history.appliance_jobs(appliance_id=appliance_id, limit=LAST_N)
    ]


def _needs(c: MaintenanceContext) -> list[PredictedNeed]:
    """The first two failure points: the first at the rule's risk, the next one level lower."""
    level = RISK_LEVELS.index(c.rule_risk)
    points = [point.strip() for point in c.common_failure_points.split(",") if point.strip()]
    return [
        PredictedNeed(component=point.capitalize(), likelihood=RISK_LEVELS[max(level - rank, 0)])  # type: ignore[arg-type]
        for rank, point in enumerate(points[:2])
    ]


def _timing(c: MaintenanceContext) -> str:
    if c.service_overdue:
        return f"Within 2 weeks: service was due on {written_day(c.next_service_due)}."
    if c.rule_risk == "High":
        return f"Within 1 month, ahead of the regular date ({written_day(c.next_service_due)})."
    return f"By {written_day(c.next_service_due)} (every {c.service_interval_months} months)."


def _savings(c: MaintenanceContext) -> str:
    planned = "A planned visit avoids emergency call-out costs and extends the appliance's life"
    if c.average_job_revenue is None:
        return f"{planned}; there is no price history for this appliance type yet."
    return (
        f"{planned}; a {c.type_label.lower()} job here costs {c.currency}"
        f"{c.average_job_revenue:,.2f} on average, less than a breakdown with damage."
    )


def offline(c: MaintenanceContext) -> MaintenanceAlert:
    """Age against expected lifespan, days since service against the interval, season."""
    return MaintenanceAlert(
        maintenance_risk_assessment=c.rule_risk,  # type: ignore[arg-type]
        predicted_maintenance_needs=_needs(c),
        recommended_preventative_actions=c.rule_actions,
        optimal_timing=_timing(c),
        potential_cost_savings=_savings(c),
        alert_priority=c.rule_risk,  # type: ignore[arg-type]
    )


def text(answer: MaintenanceAlert, c: MaintenanceContext) -> str:
    needs = bullet_lines(
        [f"{need.component} - {need.likelihood}" for need in answer.predicted_maintenance_needs]
    )
    actions = "\n".join(
        f"{number}. {action}"
        for number, action in enumerate(answer.recommended_preventative_actions, start=1)
    )
    return (
        f"MAINTENANCE RISK ASSESSMENT: {answer.maintenance_risk_assessment}\n\n"
        f"PREDICTED MAINTENANCE NEEDS:\n{needs}\n\n"
        f"RECOMMENDED PREVENTATIVE ACTIONS:\n{actions or '1. None'}\n\n"
        f"OPTIMAL TIMING: {answer.optimal_timing}\n\n"
        f"POTENTIAL COST SAVINGS: {answer.potential_cost_savings}\n\n"
        f"ALERT PRIORITY: {answer.alert_priority}"
    )


def check(answer: MaintenanceAlert, c: MaintenanceContext) -> list[str]:
    """Levels are Low/Medium/High (the schema); one to five needs and actions; amounts."""
    problems = []
    if not 1 <= len(answer.predicted_maintenance_needs) <= 5:
        problems.append("predicted needs must be 1 to 5 items")
    if not 1 <= len(answer.recommended_preventative_actions) <= 5:
        problems.append("preventative actions must be 1 to 5 items")
    return problems + text_problems(text(answer, c), c, words=300)


def facts(c: MaintenanceContext) -> dict[str, Any]:
    return {
        "ruleRisk": c.rule_risk,
        "ruleReasons": c.rule_reasons,
        "ageYears": str(c.age_years) if c.age_years is not None else None,
        "expectedLifespanYears": str(c.average_lifespan_years),
        "lifeUsedPercent": c.life_used_percent,
        "nextServiceDue": c.next_service_due.isoformat(),
        "serviceOverdue": c.service_overdue,
        "averageJobRevenue": two_places(c.average_job_revenue),
    }


FEATURE = Feature(
    name="predict-maintenance",
    template="predict_maintenance.v1.j2",
    output_model=MaintenanceAlert,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    max_output_tokens=700,
)
