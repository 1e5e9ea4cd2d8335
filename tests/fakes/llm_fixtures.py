"""pytest fixtures that point the app at a local LLM server (import them in a conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import override_settings

from tests.fakes.llm_server import FakeLLMServer

MODEL = "fake-model"
API_KEY = "test-key"


def llm_settings(server: FakeLLMServer, **overrides: object) -> override_settings:
    """Settings for LLM_PROVIDER=openai against `server`; generous limits, real prices."""
    values: dict[str, object] = {
        "LLM_PROVIDER": "openai",
        "LLM_BASE_URL": server.base_url,
        "LLM_API_KEY": API_KEY,
        "LLM_MODEL": MODEL,
        "LLM_TIMEOUT_S": Decimal("2"),
        "LLM_MAX_RETRIES": 2,
        "LLM_MAX_REQUESTS_PER_MINUTE": 1000,
        "LLM_MAX_CONCURRENT": 4,
        "LLM_MONTHLY_BUDGET_USD": Decimal("20"),
        "LLM_PRICE_INPUT_PER_1K": Decimal("0.15"),
        "LLM_PRICE_OUTPUT_PER_1K": Decimal("0.60"),
    }
    return override_settings(**{**values, **overrides})


@pytest.fixture
def llm_server() -> Iterator[FakeLLMServer]:
    """A running local server, with the app's settings pointing at it (openai provider)."""
    with FakeLLMServer() as server, llm_settings(server):
        yield server
