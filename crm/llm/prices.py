"""What a model costs: shipped list prices for the models the docs name, or LLM_PRICE_*.

The monthly budget (LLM_MONTHLY_BUDGET_USD) is counted from these prices; with a price of 0 it
would never trip, so a paid API whose model has no price is refused unless the budget is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings

# USD per 1,000 tokens (input, output): the providers' published list prices (per million
# tokens / 1000), as of 2026. Check them against the provider's price page now and then;
# LLM_PRICE_INPUT_PER_1K / LLM_PRICE_OUTPUT_PER_1K override them.
SHIPPED_PRICES_PER_1K: dict[str, tuple[Decimal, Decimal]] = {
    "gpt-4.1-mini": (Decimal("0.0004"), Decimal("0.0016")),
    "gpt-4.1": (Decimal("0.002"), Decimal("0.008")),
    "gpt-4o-mini": (Decimal("0.00015"), Decimal("0.0006")),
    "gpt-4o": (Decimal("0.0025"), Decimal("0.01")),
    "claude-haiku-4-5": (Decimal("0.001"), Decimal("0.005")),
    "claude-sonnet-4-5": (Decimal("0.003"), Decimal("0.015")),
}
# The paid APIs: the SDKs' own endpoints (an empty LLM_BASE_URL) or these hosts.
PAID_HOSTS = ("openai.com", "anthropic.com")


@dataclass(frozen=True)
class ModelPrice:
    """USD per 1,000 input and output tokens, and where the numbers come from."""

    input_per_1k: Decimal
    output_per_1k: Decimal
    source: str


def paid_api(*, provider: str, base_url: str) -> bool:
    """OpenAI's or Anthropic's own API (billed), as opposed to a local or self-hosted server."""
    if provider not in ("openai", "anthropic"):
        return False
    if not base_url:
        return True
    host = urlsplit(base_url).hostname or ""
    return any(host == paid or host.endswith("." + paid) for paid in PAID_HOSTS)


def _shipped(model: str) -> tuple[Decimal, Decimal] | None:
    """The list price of `model`, or of the longest listed name it starts with (a dated
    snapshot such as gpt-4.1-mini-2025-04-14 costs what gpt-4.1-mini costs)."""
    names = [
        name for name in SHIPPED_PRICES_PER_1K if model == name or model.startswith(name + "-")
    ]
    return SHIPPED_PRICES_PER_1K[max(names, key=len)] if names else None


def model_price(*, provider: str, model: str, base_url: str) -> ModelPrice | None:
    """The price the budget counts with; None when a paid API's model has no known price."""
    explicit_in = settings.LLM_PRICE_INPUT_PER_1K
    explicit_out = settings.LLM_PRICE_OUTPUT_PER_1K
    if explicit_in is not None or explicit_out is not None:
        zero = Decimal("0")
        return ModelPrice(explicit_in or zero, explicit_out or zero, "LLM_PRICE_*_PER_1K")
    if not paid_api(provider=provider, base_url=base_url):
        return ModelPrice(Decimal("0"), Decimal("0"), "local server (free)")
    shipped = _shipped(model)
    if shipped is None:
        return None
    return ModelPrice(shipped[0], shipped[1], f"list price of {model}")


def price_problem(*, provider: str, model: str, base_url: str) -> str:
    """Why this provider may not run (a paid model without a price under a budget), or ""."""
    if settings.LLM_MONTHLY_BUDGET_USD <= 0 or not model:
        return ""
    if model_price(provider=provider, model=model, base_url=base_url) is not None:
        return ""
    return (
        f"LLM_MODEL={model!r} has no known price on the paid {provider} API, so the monthly "
        "budget could never stop it: set LLM_PRICE_INPUT_PER_1K and LLM_PRICE_OUTPUT_PER_1K "
        "(USD per 1,000 tokens), or LLM_MONTHLY_BUDGET_USD=0 to run it without a budget."
    )
