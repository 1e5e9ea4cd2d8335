"""The one pipeline behind the seven features.

context (numbers from the database) -> prompt (sandboxed, versioned template) -> stored answer
for the same prompt? -> provider (slot, budget, rate limit, timeout) -> JSON -> output model ->
checks against the data -> stored and answered. Any failure gives the offline twin's answer
with a warning saying why; nothing raises to the user except an unknown subject (404).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

from pydantic import BaseModel

from crm.core.company import company
from crm.insights.answers import InsightAnswer, Subject, answer_from, subject_build
from crm.insights.features.base import Feature
from crm.insights.models import InsightResult, InsightSource
from crm.insights.prompting import render, template_id
from crm.llm.cache import cache_key, digest
from crm.llm.ports import LLMRequest, Provider
from crm.llm.providers import provider_current
from crm.llm.schema import strict_json_schema
from crm.llm.services import Completion, llm_call_reject, llm_complete

logger = logging.getLogger(__name__)
SYSTEM_TEMPLATE = "system.v1.j2"


def insight_get(
    *,
    feature: str,
    subject_id: int,
    refresh: bool = False,
    options: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> InsightAnswer:
    """The feature's answer for a customer (an appliance for maintenance); `refresh` skips the
    stored answer. Raises NotFound / ValidationFailed only for a bad subject or bad options."""
    subject = subject_build(feature=feature, subject_id=subject_id, options=options, today=today)
    return insight_for_subject(subject=subject, refresh=refresh)


def insight_for_subject(*, subject: Subject, refresh: bool = False) -> InsightAnswer:
    """The pipeline after the context is built (subject_build): offline, stored, or the LLM."""
    provider = provider_current()
    if provider.offline:
        reason = getattr(provider, "reason", "")
        return _offline(subject, warnings=[reason] if reason else [])
    spec = subject.feature
    skip = spec.llm_skip(subject.context) if spec.llm_skip else None
    if skip:
        return _offline(subject, warnings=[skip])
    try:
        return _through_llm(subject, provider, refresh=refresh)
    except Exception:  # a bug in a prompt or a check must not cost the user the answer
        logger.exception("Insight pipeline failed for %s", spec.name)
        return _offline(subject, warnings=["The AI step failed; built-in analysis shown."])


def llm_request(spec: Feature[Any, Any], context: Any) -> LLMRequest:
    """The rendered system and user prompts with the strict schema of the feature's answer."""
    output_model: type[BaseModel] = spec.output_model
    return LLMRequest(
        feature=spec.name,
        system=_system_prompt(company().name),
        user=render(spec.template, c=context),
        schema_name=output_model.__name__,
        json_schema=strict_json_schema(output_model),
        max_output_tokens=spec.max_output_tokens,
    )


@functools.lru_cache(maxsize=4)
def _system_prompt(company: str) -> str:
    return render(SYSTEM_TEMPLATE, company=company)


def _through_llm(run: Subject, provider: Provider, *, refresh: bool) -> InsightAnswer:
    request = llm_request(run.feature, run.context)
    template = f"{template_id(SYSTEM_TEMPLATE)}+{template_id(run.feature.template)}"
    # The facts join the key: an answer is reused only for the same prompt about the same data.
    key = digest(
        [cache_key(provider=provider, template_id=template, request=request), run.fingerprint]
    )
    if not refresh:
        stored = (
            InsightResult.objects.filter(cache_key=key, source=InsightSource.LLM)
            .order_by("-created_at", "-id")
            .first()
        )
        if stored is not None:
            return answer_from(stored, source="cache", fingerprint=run.fingerprint)
    completion = llm_complete(request=request, output_model=run.feature.output_model)
    if completion.parsed is None:
        return _offline(run, warnings=[completion.warning])
    problems = run.feature.check(completion.parsed, run.context)
    if problems:
        if completion.call_id is not None:
            llm_call_reject(call_id=completion.call_id, problems=problems)
        return _offline(
            run,
            warnings=[
                f"The AI answer contradicted the data ({'; '.join(problems)}); "
                "built-in analysis shown."
            ],
        )
    row = _store_llm(run, provider, key, template, completion)
    return answer_from(row, source="llm", fingerprint=run.fingerprint)


def _subject(run: Subject) -> dict[str, Any]:
    return {
        "customer_id": run.customer_id,
        "appliance_id": run.appliance_id,
        "feature": run.feature.name,
        "variant": run.variant,
        "data_fingerprint": run.fingerprint,
    }


def _store_llm(
    run: Subject, provider: Provider, key: str, template: str, completion: Completion[Any]
) -> InsightResult:
    parsed = completion.parsed
    return InsightResult.objects.create(
        **_subject(run),
        cache_key=key,
        source=InsightSource.LLM,
        provider=provider.name,
        model=completion.model,
        template_version=template[:80],
        input_tokens=completion.input_tokens,
        output_tokens=completion.output_tokens,
        cost_usd=completion.cost_usd,
        latency_ms=completion.latency_ms,
        text=run.feature.text(parsed, run.context),
        data=_data(run, parsed),
        warnings=[],
    )


def _data(run: Subject, answer: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = answer.model_dump(mode="json", by_alias=True)
    return {**dumped, "facts": run.feature.facts(run.context)}


def _offline(run: Subject, *, warnings: list[str]) -> InsightAnswer:
    """The offline twin's answer, stored once per (facts, warnings)."""
    spec = run.feature
    key = digest(["offline", spec.name, spec.offline_version, run.fingerprint, run.variant])
    row = (
        InsightResult.objects.filter(cache_key=key, source=InsightSource.OFFLINE)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None or row.warnings != warnings:
        answer = spec.offline(run.context)
        row = InsightResult.objects.create(
            **_subject(run),
            cache_key=key,
            source=InsightSource.OFFLINE,
            provider="offline",
            model="offline",
            template_version=f"offline-{spec.name}-v{spec.offline_version}",
            text=spec.text(answer, run.context),
            data=_data(run, answer),
            warnings=warnings,
        )
    return answer_from(row, source="offline", fingerprint=run.fingerprint)
