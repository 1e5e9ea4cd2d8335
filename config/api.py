"""The one NinjaAPI: every app's router under /api, at the plan's paths."""

from crm.core.api import build_api

api = build_api(routers=[])
