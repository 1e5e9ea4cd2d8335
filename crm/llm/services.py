"""One structured-output call through the configured provider, with its guards and its log.

Order: offline? -> a free slot in this process -> budget -> rate limit -> the provider (its
SDK retries 429/5xx/timeouts itself; no second retry layer here) -> JSON -> the output model.
Nothing raises: every failure comes back as a Completion with `parsed=None` and a warning.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.conf import settings
from pydantic import BaseModel, ValidationError

from crm.llm.limits import budget_left, call_cost_usd, call_slot, rate_limit_admit
from crm.llm.models import CallOutcome, LLMCall
from crm.llm.ports import LLMRequest, Provider, ProviderError, ProviderReply
from crm.llm.providers import provider_current

logger = logging.getLogger(__name__)
Output = TypeVar("Output", bound=BaseModel)
FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class Completion(Generic[Output]):
    """The parsed answer, or None with `outcome` and a warning a person can read."""

    parsed: Output | None
    outcome: str
    warning: str = ""
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal("0")
    latency_ms: int = 0
    call_id: int | None = None


def _skipped(outcome: str, warning: str) -> Completion[Output]:
    logger.info("LLM call skipped: %s", warning)
    return Completion(parsed=None, outcome=outcome, warning=warning)


def llm_complete(
    *, request: LLMRequest, output_model: type[Output], provider: Provider | None = None
) -> Completion[Output]:
    """Ask the provider for `output_model`; log the call (tokens, cost, latency, outcome)."""
    provider = provider or provider_current()
    if provider.offline:
        return _skipped("offline", getattr(provider, "reason", "") or "No LLM is configured.")
    with call_slot() as admitted:
        if not admitted:
            return _skipped(
                "busy", "The AI is busy with other requests; built-in analysis shown. Try Refresh."
            )
        if not budget_left():
            return _skipped(
                "budget_exceeded",
                f"This month's AI budget (${settings.LLM_MONTHLY_BUDGET_USD}) is used up; "
                "built-in analysis shown.",
            )
        if not rate_limit_admit():
            return _skipped(
                "rate_limited",
                f"AI request limit reached ({settings.LLM_MAX_REQUESTS_PER_MINUTE} a minute); "
                "built-in analysis shown. Try Refresh in a minute.",
            )
        return _call(provider, request, output_model)


def _call(
    provider: Provider, request: LLMRequest, output_model: type[Output]
) -> Completion[Output]:
    started = time.perf_counter()
    try:
        reply = provider.complete(request)
    except Exception as error:
        if not isinstance(error, ProviderError):  # an adapter bug must not reach the user
            logger.exception("LLM adapter failed")
            error = ProviderError(CallOutcome.ERROR, "The AI call failed unexpectedly.")
        latency = _elapsed_ms(started)
        call = _log(
            provider, request, error.outcome, latency, error=error.message, status=error.status
        )
        logger.warning("LLM call failed (%s): %s", request.feature, error.message)
        return Completion(
            parsed=None,
            outcome=error.outcome,
            warning=f"{error.message} Built-in analysis shown.",
            model=provider.model,
            latency_ms=latency,
            call_id=call.pk,
        )
    return _parsed(provider, request, output_model, reply, _elapsed_ms(started))


def _parsed(
    provider: Provider,
    request: LLMRequest,
    output_model: type[Output],
    reply: ProviderReply,
    latency: int,
) -> Completion[Output]:
    parsed, outcome, problem = parse_answer(reply, output_model)
    call = _log(provider, request, outcome, latency, reply=reply, error=problem)
    if parsed is None:
        logger.warning("LLM answer rejected (%s): %s", request.feature, problem)
    return Completion(
        parsed=parsed,
        outcome=outcome,
        warning=f"The AI answer was unusable ({problem}); built-in analysis shown."
        if parsed is None
        else "",
        model=reply.model,
        input_tokens=reply.input_tokens,
        output_tokens=reply.output_tokens,
        cost_usd=call.cost_usd,
        latency_ms=latency,
        call_id=call.pk,
    )


def parse_answer(
    reply: ProviderReply, output_model: type[Output]
) -> tuple[Output | None, str, str]:
    """(parsed, outcome, problem): JSON (markdown fences tolerated) validated by the model."""
    if reply.truncated:
        return None, CallOutcome.TRUNCATED, "the answer was cut off at the token limit"
    if not reply.content.strip():
        return None, CallOutcome.EMPTY, "the answer was empty"
    fenced = FENCE.match(reply.content)
    try:
        value = json.loads(fenced.group(1) if fenced else reply.content)
    except json.JSONDecodeError as error:
        return None, CallOutcome.INVALID_JSON, f"not JSON: {error.msg}"
    try:
        return output_model.model_validate(value), CallOutcome.OK, ""
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        return None, CallOutcome.INVALID_SCHEMA, f"{where}: {first['msg']}"


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _log(
    provider: Provider,
    request: LLMRequest,
    outcome: str,
    latency: int,
    *,
    reply: ProviderReply | None = None,
    error: str = "",
    status: int | None = None,
) -> LLMCall:
    input_tokens = reply.input_tokens if reply else 0
    output_tokens = reply.output_tokens if reply else 0
    return LLMCall.objects.create(
        feature=request.feature,
        provider=provider.name,
        model=reply.model if reply else provider.model,
        outcome=outcome,
        http_status=status,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=call_cost_usd(input_tokens=input_tokens, output_tokens=output_tokens),
        latency_ms=latency,
        request_id=reply.request_id[:100] if reply else "",
        error=error,
    )


def llm_call_reject(*, call_id: int, problems: list[str]) -> None:
    """Mark a parsed answer that contradicted the data (kept for the log and the admin)."""
    LLMCall.objects.filter(pk=call_id).update(
        outcome=CallOutcome.INVALID_DATA, error="; ".join(problems)[:2000]
    )
    logger.warning("LLM answer contradicted the data (call %s): %s", call_id, "; ".join(problems))
