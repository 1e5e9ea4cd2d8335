"""The configured provider, built once per process (building an SDK client costs ~16 ms)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from django.conf import settings

from crm.llm.adapters.anthropic_messages import AnthropicProvider
from crm.llm.adapters.offline import OfflineProvider
from crm.llm.adapters.openai_chat import OpenAIChatProvider
from crm.llm.ports import Provider
from crm.llm.prices import price_problem

logger = logging.getLogger(__name__)
PROVIDERS = ("offline", "openai", "anthropic")


@dataclass(frozen=True)
class ProviderConfig:
    """The LLM_* settings that decide which client to build."""

    name: str
    base_url: str
    api_key: str
    model: str
    timeout_s: float
    max_retries: int
    price_problem: str  # why a paid model may not run under the budget, or ""


def provider_config() -> ProviderConfig:
    name = settings.LLM_PROVIDER.strip().lower()
    base_url = settings.LLM_BASE_URL.strip()
    model = settings.LLM_MODEL.strip()
    return ProviderConfig(
        name=name,
        base_url=base_url,
        api_key=settings.LLM_API_KEY,
        model=model,
        timeout_s=float(settings.LLM_TIMEOUT_S),
        max_retries=settings.LLM_MAX_RETRIES,
        price_problem=price_problem(provider=name, model=model, base_url=base_url),
    )


@functools.lru_cache(maxsize=8)
def provider_for(config: ProviderConfig) -> Provider:
    """One provider per configuration; a bad configuration gives offline with the reason."""
    if config.name not in PROVIDERS:
        return _misconfigured(f"LLM_PROVIDER={config.name!r} is not one of {', '.join(PROVIDERS)}.")
    if config.name == "offline":
        return OfflineProvider()
    if not config.model:
        return _misconfigured(f"LLM_PROVIDER={config.name} needs LLM_MODEL.")
    if config.price_problem:
        return _misconfigured(config.price_problem)
    adapter = OpenAIChatProvider if config.name == "openai" else AnthropicProvider
    return adapter(
        base_url=config.base_url,
        api_key=config.api_key,
        model=config.model,
        timeout_s=config.timeout_s,
        max_retries=config.max_retries,
    )


def _misconfigured(reason: str) -> OfflineProvider:
    logger.error("LLM disabled: %s", reason)
    return OfflineProvider(reason=f"The AI provider is misconfigured: {reason}")


def provider_current() -> Provider:
    """The provider the settings name, from the per-process cache."""
    return provider_for(provider_config())
