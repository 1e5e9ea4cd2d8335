"""System checks (`manage.py check`, and before `manage.py serve` starts): LLM settings."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from crm.llm.providers import provider_config


@register()
def llm_price_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A paid provider runs only with a price for its model, or with no budget at all."""
    problem = provider_config().price_problem
    return [Error(problem, id="llm.E001")] if problem else []
