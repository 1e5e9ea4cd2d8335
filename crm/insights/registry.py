"""The seven features by their endpoint names."""

from __future__ import annotations

from typing import Any

from crm.insights.features import (
    followups,
    greeting,
    maintenance,
    profitability,
    sentiment,
    technician,
    timeline,
)
from crm.insights.features.base import Feature

FEATURES: dict[str, Feature[Any, Any]] = {
    feature.name: feature
    for feature in (
        timeline.FEATURE,
        followups.FEATURE,
        greeting.FEATURE,
        sentiment.FEATURE,
        profitability.FEATURE,
        maintenance.FEATURE,
        technician.FEATURE,
    )
}
