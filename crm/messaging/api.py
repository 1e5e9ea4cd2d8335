"""JSON endpoints of the messaging app, at the plan's paths under /api."""

from __future__ import annotations

from crm.core.api import ApiRouter

router = ApiRouter(tags=["messaging"])
