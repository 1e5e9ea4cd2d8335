from __future__ import annotations

from decimal import Decimal

from django.test import override_settings

from crm.llm.adapters.anthropic_messages import AnthropicProvider
from crm.llm.adapters.offline import OfflineProvider
from crm.llm.adapters.openai_chat import OpenAIChatProvider
from crm.llm.providers import provider_current

COMMON = {
    "LLM_BASE_URL": "http://127.0.0.1:9/v1",
    "LLM_API_KEY": "",
    "LLM_TIMEOUT_S": Decimal("30"),
    "LLM_MAX_RETRIES": 2,
}


@override_settings(LLM_PROVIDER="offline", **COMMON)
def test_offline_is_the_default_provider() -> None:
    # when
    provider = provider_current()
    # then
    assert isinstance(provider, OfflineProvider)
    assert provider.reason == ""


@override_settings(LLM_PROVIDER="OpenAI", LLM_MODEL="llama3.1", **COMMON)
def test_the_client_is_built_once_per_configuration() -> None:
    # when
    first, second = provider_current(), provider_current()
    # then
    assert isinstance(first, OpenAIChatProvider)
    assert first is second
    assert (first.model, first.base_url) == ("llama3.1", "http://127.0.0.1:9/v1")


@override_settings(LLM_PROVIDER="anthropic", LLM_MODEL="claude-x", **COMMON)
def test_anthropic_is_chosen_by_name() -> None:
    # then
    assert isinstance(provider_current(), AnthropicProvider)


@override_settings(LLM_PROVIDER="gemini", LLM_MODEL="x", **COMMON)
def test_an_unknown_provider_answers_offline_and_says_why() -> None:
    # when
    provider = provider_current()
    # then
    assert isinstance(provider, OfflineProvider)
    assert provider.reason == (
        "The AI provider is misconfigured: LLM_PROVIDER='gemini' is not one of "
        "offline, openai, anthropic."
    )


@override_settings(LLM_PROVIDER="openai", LLM_MODEL="", **COMMON)
def test_a_provider_without_a_model_answers_offline_and_says_why() -> None:
    # when
    provider = provider_current()
    # then
    assert isinstance(provider, OfflineProvider)
    assert provider.reason.endswith("LLM_PROVIDER=openai needs LLM_MODEL.")
