"""API shapes of the AI endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, StrictBool

from crm.core.schemas import Id, InSchema, OutSchema

OCCASION_MAX_LENGTH = 80
ISSUE_MAX_LENGTH = 1000


class InsightOut(OutSchema):
    """An AI answer: source (llm, cache, offline), the plan's text, the same fields as data."""

    feature: str
    source: Literal["llm", "cache", "offline"]
    generated_at: dt.datetime
    model: str
    text: str
    data: dict[str, Any]
    warnings: list[str]
    data_changed: bool


class GreetingIn(InSchema):
    """Optional: the occasion to write for (a holiday's name, or "Service anniversary")."""

    occasion: str | None = Field(default=None, max_length=OCCASION_MAX_LENGTH)


class MatchTechnicianIn(InSchema):
    """The appliance to service and/or the issue in words (at least one of them); the visit day
    (today when not given, in the appliance's location) and whether it is urgent (today or
    tomorrow)."""

    appliance_id: Id | None = None
    issue: str | None = Field(default=None, max_length=ISSUE_MAX_LENGTH)
    date: dt.date | None = None
    urgent: StrictBool = False
