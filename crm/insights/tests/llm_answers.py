"""Hand-written LLM answers for Ana (conftest.py): one valid, one that contradicts the data."""

from __future__ import annotations

import json
from typing import Any

from crm.insights.registry import FEATURES
from crm.insights.tests.conftest import World

MARK = "LLM says:"


def _greeting_occasion(world: World) -> str:
    context = FEATURES["generate-greeting"].build_context(subject_id=world.ana.pk)
    return str(context.occasion_name)


def _technicians(world: World) -> dict[str, Any]:
    return {
        "primary": {"technicianId": world.tom.pk, "name": "Tom Baker", "reason": f"{MARK} loyal."},
        "alternatives": [{"technicianId": world.lee.pk, "name": "Lee Chan", "reason": "Expert."}],
        "specialNotes": ["Prefers WhatsApp."],
    }


def _sentiment() -> dict[str, Any]:
    scored = [
        {"number": n, "sentimentScore": s, "themes": ["Repairs"], "issues": [], "opportunities": []}
        for n, s in ((1, -1), (2, -1), (3, 2), (4, 2))
    ]
    return {
        "communications": scored,
        "averageSentiment": 0.5,
        "sentimentDescription": f"{MARK} Neutral",
        "dominantThemes": ["Repairs"],
        "keyIssues": ["Noisy dryer"],
        "opportunities": ["Ask for a review"],
    }


def _suggestions() -> dict[str, Any]:
    return {
        "suggestions": [
            {
                "title": f"{MARK} dryer check",
                "reason": "Noisy dryer last week.",
                "timing": "Within 1 week",
                "draftMessage": "Hi Ana, is the dryer quiet now? We can come back if not.",
            },
            {
                "title": "Winter dryer care",
                "reason": "Winter is peak season for dryers.",
                "timing": "In 1 month",
                "draftMessage": "Hi Ana, winter is coming. Shall we clean the dryer duct?",
            },
        ]
    }


FIXED: dict[str, dict[str, Any]] = {
    "profitability-analysis": {
        "profitabilityAnalysis": f"{MARK} a loyal, high-margin customer.",
        "keyObservation": "She pays by card.",
        "recommendation": "Offer a maintenance plan.",
        "classification": "Highly Profitable",
    },
    "timeline-summary": {
        "customerRelationshipSummary": f"{MARK} a long relationship with a few hiccups.",
        "communicationPreferences": "WhatsApp.",
        "recurringThemes": "The fridge came back once.",
        "opportunities": "Talk about replacing the old fridge.",
    },
    "predict-maintenance": {
        "maintenanceRiskAssessment": "High",
        "predictedMaintenanceNeeds": [{"component": "Compressor", "likelihood": "High"}],
        "recommendedPreventativeActions": [f"{MARK} clean the coils"],
        "optimalTiming": "Within 1 month",
        "potentialCostSavings": "Avoids an emergency visit.",
        "alertPriority": "High",
    },
}


def valid(feature: str, world: World | None) -> dict[str, Any]:
    """An answer that fits the schema and agrees with Ana's data (`world` for ids and dates)."""
    if feature in FIXED:
        return dict(FIXED[feature])
    if feature == "followup-suggestions":
        return _suggestions()
    if feature == "analyze-sentiment":
        return _sentiment()
    assert world is not None
    if feature == "match-technician":
        return _technicians(world)
    return {
        "occasion": _greeting_occasion(world),
        "message": f"{MARK} happy days! Thank you for trusting us. We are here for you.",
    }


def contradicting(feature: str, world: World) -> tuple[dict[str, Any], str]:
    """A schema-valid answer that the data refutes, and the problem the check must name."""
    answer = valid(feature, world)
    if feature == "profitability-analysis":
        return {**answer, "classification": "Loss-Making"}, "contradicts the computed margin"
    if feature == "match-technician":
        ghost = {"technicianId": 999_999, "name": "Ghost", "reason": "Invented."}
        return {**answer, "primary": ghost}, "technician 999999 is not an active technician"
    if feature == "followup-suggestions":
        first = {**answer["suggestions"][0], "draftMessage": "Hello there, book now."}
        return {"suggestions": [first]}, "draft 1 does not address Ana by name"
    if feature == "analyze-sentiment":
        return {**answer, "averageSentiment": -2.0}, "does not fit the scores"
    field = {
        "timeline-summary": "opportunities",
        "generate-greeting": "message",
        "predict-maintenance": "potentialCostSavings",
    }[feature]
    invented = {**answer, field: "Save $480.00 with our premium plan. Thank you. Really."}
    return invented, "the amount $480.00 is not in the customer's data"


def as_json(answer: dict[str, Any]) -> str:
    return json.dumps(answer)
