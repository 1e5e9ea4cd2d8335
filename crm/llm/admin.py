from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from crm.llm.models import LLMCall
from crm.llm.selectors import llm_budget_status, llm_usage_by_month


@admin.register(LLMCall)
class LLMCallAdmin(admin.ModelAdmin[LLMCall]):
    """The call log, read-only, with usage and cost per month above the list."""

    list_display = [
        "created_at",
        "feature",
        "provider",
        "model",
        "outcome",
        "input_tokens",
        "output_tokens",
        "cost_usd",
        "latency_ms",
    ]
    list_filter = ["outcome", "feature", "provider", "created_at"]
    search_fields = ["feature", "model", "request_id", "error"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a log: viewable, never edited

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        context = {
            **(extra_context or {}),
            "usage_by_month": llm_usage_by_month(),
            "budget": llm_budget_status(),
        }
        return super().changelist_view(request, extra_context=context)  # type: ignore[return-value]
