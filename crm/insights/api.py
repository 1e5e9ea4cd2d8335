"""JSON endpoints of the insights app, at the plan's paths under /api.

POST, because each may call an LLM; `?refresh=true` skips the stored answer.
"""

from __future__ import annotations

from django.http import HttpRequest

from crm.core.api import ApiRouter
from crm.core.schemas import PathId
from crm.insights.answers import InsightAnswer
from crm.insights.schemas import GreetingIn, InsightOut, MatchTechnicianIn
from crm.insights.services import insight_get

router = ApiRouter(tags=["insights"])


@router.post("/customer/{customer_id}/timeline-summary", response=InsightOut)
def timeline_summary(
    request: HttpRequest, customer_id: PathId, refresh: bool = False
) -> InsightAnswer:
    """The plan's Interaction Timeline Summary."""
    return insight_get(feature="timeline-summary", subject_id=customer_id, refresh=refresh)


@router.post("/customer/{customer_id}/followup-suggestions", response=InsightOut)
def followup_suggestions(
    request: HttpRequest, customer_id: PathId, refresh: bool = False
) -> InsightAnswer:
    """The plan's Proactive Engagement Suggestions, with draft messages (never sent by the AI)."""
    return insight_get(feature="followup-suggestions", subject_id=customer_id, refresh=refresh)


@router.post("/customer/{customer_id}/generate-greeting", response=InsightOut)
def generate_greeting(
    request: HttpRequest,
    customer_id: PathId,
    payload: GreetingIn | None = None,
    refresh: bool = False,
) -> InsightAnswer:
    """The plan's Holiday & Occasion Message; the body may name the occasion."""
    occasion = payload.occasion if payload else None
    return insight_get(
        feature="generate-greeting",
        subject_id=customer_id,
        refresh=refresh,
        options={"occasion": occasion},
    )


@router.post("/customer/{customer_id}/analyze-sentiment", response=InsightOut)
def analyze_sentiment(
    request: HttpRequest, customer_id: PathId, refresh: bool = False
) -> InsightAnswer:
    """The plan's Sentiment Analysis of the customer's recent communications."""
    return insight_get(feature="analyze-sentiment", subject_id=customer_id, refresh=refresh)


@router.post("/customer/{customer_id}/profitability-analysis", response=InsightOut)
def profitability_analysis(
    request: HttpRequest, customer_id: PathId, refresh: bool = False
) -> InsightAnswer:
    """The plan's Customer Value & Profitability Analysis."""
    return insight_get(feature="profitability-analysis", subject_id=customer_id, refresh=refresh)


@router.post("/appliance/{appliance_id}/predict-maintenance", response=InsightOut)
def predict_maintenance(
    request: HttpRequest, appliance_id: PathId, refresh: bool = False
) -> InsightAnswer:
    """The plan's Predictive Maintenance Alert for one appliance."""
    return insight_get(feature="predict-maintenance", subject_id=appliance_id, refresh=refresh)


@router.post("/customer/{customer_id}/match-technician", response=InsightOut)
def match_technician(
    request: HttpRequest, customer_id: PathId, payload: MatchTechnicianIn, refresh: bool = False
) -> InsightAnswer:
    """The plan's Technician Matching for an appliance and/or an issue, on a day (`date`,
    default today; `urgent`: today or tomorrow)."""
    return insight_get(
        feature="match-technician",
        subject_id=customer_id,
        refresh=refresh,
        options={
            "appliance_id": payload.appliance_id,
            "issue": payload.issue,
            "date": payload.date,
            "urgent": payload.urgent or None,
        },
    )
