"""AI insights benchmark (issue 5): pipeline overhead, cache-hit latency, prompt size.

    .venv/bin/python bench/insights_bench.py [--customers 300] [--runs 200] [--seed 1]

Builds a throw-away SQLite database under a temporary VAR_DIR (migrate + seed_demo), starts
the local OpenAI-compatible server (tests/fakes/llm_server.py, answers in well under 1 ms) and
measures, for the heaviest demo customer (most timeline events, jobs and payments):

1. overhead of the pipeline over a raw SDK call: median of `insight_for_subject(refresh=True)`
   (render, cache key, slot, budget, rate limit, SDK call, parse, checks, log, store) minus the
   median of the same `chat.completions.create` made directly with the SDK, the two run in
   turns so that machine noise hits both alike. Target < 5 ms (median over the features).
   Building the context (the feature's database reads) is reported apart: the offline
   answer needs it too.
2. cache-hit latency: `insight_get` end to end (context, render, key, lookup). Target < 20 ms.
3. prompt size in tokens (characters / 4) of system + user prompt; the largest over the ten
   heaviest customers is reported per feature. Target < 3,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OVERHEAD_TARGET_MS = 5.0
CACHE_HIT_TARGET_MS = 20.0
PROMPT_TARGET_TOKENS = 3000


def _setup_django(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=var_dir,
        SECRET_KEY="bench-only",  # noqa: S106 (a throw-away database)
        LOG_LEVEL="ERROR",
        LLM_PROVIDER="offline",
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()


def _timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm up (imports, prepared statements, connection)
    return statistics.median(_timed_ms(action) for _ in range(runs))


def _interleaved_ms(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Medians of two actions run in turns, so machine noise hits both alike."""
    first(), second()
    pairs = [(_timed_ms(first), _timed_ms(second)) for _ in range(runs)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def _heaviest_customers(limit: int) -> list[int]:
    from django.db.models import Count

    from crm.customers.models import Customer

    ranked = Customer.objects.annotate(
        weight=Count("activities", distinct=True)
        + Count("jobs", distinct=True)
        + Count("payments", distinct=True)
    ).order_by("-weight", "id")
    return list(ranked.values_list("id", flat=True)[:limit])


def _subject_args(feature: str, customer_id: int) -> dict[str, Any]:
    from crm.appliances.models import Appliance

    appliance = Appliance.objects.filter(customer_id=customer_id).order_by("install_date").first()
    if feature == "predict-maintenance":
        assert appliance is not None, "the heaviest customer has no appliance"
        return {"subject_id": appliance.pk, "options": None}
    if feature == "match-technician":
        options = {"appliance_id": appliance.pk} if appliance else {"issue": "fridge is warm"}
        return {"subject_id": customer_id, "options": options}
    return {"subject_id": customer_id, "options": None}


def _canned_answers(customer_id: int) -> dict[str, str]:
    """Per schema name, the offline twin's answer as JSON: valid for this customer's data."""
    from crm.insights.answers import subject_build
    from crm.insights.registry import FEATURES

    answers = {}
    for name, spec in FEATURES.items():
        subject = subject_build(feature=name, today=None, **_subject_args(name, customer_id))
        answer = spec.offline(subject.context)
        answers[spec.output_model.__name__] = answer.model_dump_json(by_alias=True)
    return answers


def _prompt_sizes(customers: list[int]) -> dict[str, tuple[int, int]]:
    from crm.insights.answers import subject_build
    from crm.insights.registry import FEATURES
    from crm.insights.services import llm_request

    sizes: dict[str, tuple[int, int]] = {}
    for customer_id in customers:
        for name, spec in FEATURES.items():
            subject = subject_build(feature=name, today=None, **_subject_args(name, customer_id))
            request = llm_request(spec, subject.context)
            tokens = (len(request.system) + len(request.user)) // 4
            sizes[name] = max(sizes.get(name, (0, 0)), (tokens, customer_id))
    return sizes


def _measure(feature: str, customer_id: int, runs: int, base_url: str) -> dict[str, float]:
    import openai

    from crm.insights.answers import subject_build
    from crm.insights.registry import FEATURES
    from crm.insights.services import insight_for_subject, insight_get, llm_request

    args = _subject_args(feature, customer_id)
    subject = subject_build(feature=feature, today=None, **args)
    request = llm_request(FEATURES[feature], subject.context)
    client = openai.OpenAI(base_url=base_url, api_key="bench", max_retries=0)
    messages = [
        {"role": "system", "content": request.system},
        {"role": "user", "content": request.user},
    ]
    response_format = {
        "type": "json_schema",
        "json_schema": {
            "name": request.schema_name,
            "schema": request.json_schema,
            "strict": True,
        },
    }

    def raw() -> object:
        return client.chat.completions.create(
            model="bench-model",
            messages=messages,  # type: ignore[arg-type]
            response_format=response_format,  # type: ignore[arg-type]
            max_tokens=request.max_output_tokens,
        )

    def pipeline() -> object:
        answer = insight_for_subject(subject=subject, refresh=True)
        assert answer.source == "llm", answer.warnings
        return answer

    def context() -> object:
        return subject_build(feature=feature, today=None, **args)

    def cache_hit() -> object:
        answer = insight_get(feature=feature, **args)
        assert answer.source == "cache", (answer.source, answer.warnings)
        return answer

    raw_ms, pipeline_ms = _interleaved_ms(raw, pipeline, runs)
    return {
        "raw_ms": raw_ms,
        "pipeline_ms": pipeline_ms,
        "overhead_ms": pipeline_ms - raw_ms,
        "context_ms": _median_ms(context, runs),
        "cache_hit_ms": _median_ms(cache_hit, runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="insights-bench-") as var_dir:
        _setup_django(var_dir)
        from django.core.management import call_command
        from django.test import override_settings

        from tests.fakes.llm_server import FakeLLMServer, Reply

        call_command("migrate", verbosity=0)
        call_command("seed_demo", customers=options.customers, seed=options.seed, verbosity=0)
        heaviest = _heaviest_customers(10)
        canned = _canned_answers(heaviest[0])
        with FakeLLMServer() as server:
            server.responder = lambda request: Reply(
                content=canned[request.body["response_format"]["json_schema"]["name"]]
            )
            llm = {
                "LLM_PROVIDER": "openai", "LLM_BASE_URL": server.base_url, "LLM_MODEL": "bench",
                "LLM_MAX_REQUESTS_PER_MINUTE": 10**9, "LLM_MONTHLY_BUDGET_USD": 0,
            }  # fmt: skip
            with override_settings(**llm):
                from crm.insights.registry import FEATURES

                results = {
                    f: _measure(f, heaviest[0], options.runs, server.base_url) for f in FEATURES
                }
        sizes = _prompt_sizes(heaviest)
    return _report(results, sizes, heaviest[0], options)


def _report(
    results: dict[str, dict[str, float]],
    sizes: dict[str, tuple[int, int]],
    customer_id: int,
    options: argparse.Namespace,
) -> int:
    print(
        f"AI insights bench: {options.customers} demo customers (seed {options.seed}), heaviest "
        f"customer #{customer_id}, median of {options.runs} runs, local server, SQLite\n"
    )
    print("| feature | raw SDK call ms | pipeline ms | overhead ms | context ms | cache hit ms "
          "| prompt tokens (customer) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for feature, r in results.items():
        tokens, who = sizes[feature]
        print(
            f"| {feature} | {r['raw_ms']:.2f} | {r['pipeline_ms']:.2f} | {r['overhead_ms']:.2f} "
            f"| {r['context_ms']:.2f} | {r['cache_hit_ms']:.2f} | {tokens} (#{who}) |"
        )
    overhead = statistics.median(r["overhead_ms"] for r in results.values())
    worst_cache = max(r["cache_hit_ms"] for r in results.values())
    worst_prompt = max(tokens for tokens, _ in sizes.values())
    checks = [
        ("median overhead over a raw SDK call", overhead, OVERHEAD_TARGET_MS, "ms"),
        ("slowest feature's cache hit", worst_cache, CACHE_HIT_TARGET_MS, "ms"),
        ("largest prompt", worst_prompt, PROMPT_TARGET_TOKENS, "tokens"),
    ]
    print()
    for label, value, target, unit in checks:
        verdict = "PASS" if value < target else "FAIL"
        print(f"{verdict}: {label} {value:.2f} {unit} (target < {target} {unit})")
    return 0 if all(value < target for _, value, target, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
