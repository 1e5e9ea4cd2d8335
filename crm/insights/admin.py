"""Stored AI answers, read-only: what was shown, from which source, at what cost."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from crm.insights.models import InsightResult


@admin.register(InsightResult)
class InsightResultAdmin(admin.ModelAdmin[InsightResult]):
    list_display = [
        "created_at", "feature", "customer", "appliance", "source", "model",
        "input_tokens", "output_tokens", "cost_usd", "latency_ms",
    ]  # fmt: skip
    list_filter = ["feature", "source", "provider", "created_at"]
    search_fields = ["customer__name", "feature", "model", "text"]
    list_select_related = ["customer", "appliance"]
    raw_id_fields = ["customer", "appliance"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: InsightResult | None = None) -> bool:
        return False
