"""llm_complete through real HTTP to the local server: outcomes, retries, guards, the log."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Literal

import pytest
from django.test import override_settings
from django.utils import timezone
from pydantic import BaseModel, ConfigDict

from crm.llm.limits import call_slot
from crm.llm.models import LLMCall
from crm.llm.ports import LLMRequest, ProviderReply
from crm.llm.schema import strict_json_schema
from crm.llm.services import llm_call_reject, llm_complete
from tests.fakes.llm_fixtures import API_KEY, MODEL, llm_settings
from tests.fakes.llm_server import FakeLLMServer, Reply, rate_limited, server_error

pytestmark = pytest.mark.django_db


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Literal["yes", "no"]
    note: str


REQUEST = LLMRequest(
    feature="test",
    system="Answer briefly.",
    user="Is the fridge old?",
    schema_name="Verdict",
    json_schema=strict_json_schema(Verdict),
    max_output_tokens=50,
)
GOOD = json.dumps({"verdict": "yes", "note": "Thirteen years."})


def test_a_valid_answer_is_parsed_and_logged_with_tokens_and_cost(
    llm_server: FakeLLMServer,
) -> None:
    # given
    llm_server.default = Reply(content=GOOD)
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.parsed == Verdict(verdict="yes", note="Thirteen years.")
    call = LLMCall.objects.get()
    # the server counts (15 + 18) // 4 = 8 prompt tokens and len(GOOD) // 4 = 11 completion
    assert (call.outcome, call.provider, call.model) == ("ok", "openai", MODEL)
    assert (call.input_tokens, call.output_tokens) == (8, 11)
    assert call.cost_usd == Decimal("0.007800")  # 8 * 0.15 / 1000 + 11 * 0.60 / 1000
    assert completion.call_id == call.pk
    sent = llm_server.requests[0]
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.body["response_format"]["json_schema"]["strict"] is True
    assert sent.body["max_tokens"] == 50


def test_json_in_a_markdown_fence_is_accepted(llm_server: FakeLLMServer) -> None:
    # given
    llm_server.default = Reply(content=f"```json\n{GOOD}\n```")
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.parsed is not None


def test_a_429_is_retried_by_the_sdk_and_then_succeeds(llm_server: FakeLLMServer) -> None:
    # given
    llm_server.queue(rate_limited())
    llm_server.default = Reply(content=GOOD)
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then: two HTTP requests, one logged call
    assert completion.outcome == "ok"
    assert len(llm_server.requests) == 2
    assert LLMCall.objects.count() == 1


def test_a_500_is_retried_twice_then_reported(llm_server: FakeLLMServer) -> None:
    # given
    llm_server.default = server_error()
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.parsed is None
    assert completion.warning == "The LLM answered HTTP 500. Built-in analysis shown."
    assert len(llm_server.requests) == 3
    call = LLMCall.objects.get()
    assert (call.outcome, call.http_status, call.cost_usd) == ("http_error", 500, Decimal("0"))


def test_a_timeout_is_retried_then_reported() -> None:
    # given: the server takes 0.6 s; the app waits 0.2 s per attempt and retries once
    with (
        FakeLLMServer(default=Reply(content=GOOD, delay_s=0.6)) as server,
        llm_settings(server, LLM_TIMEOUT_S=Decimal("0.2"), LLM_MAX_RETRIES=1),
    ):
        # when
        completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.outcome == "timeout"
    assert len(server.requests) == 2
    assert LLMCall.objects.get().outcome == "timeout"


@pytest.mark.parametrize(
    ("content", "outcome", "warning"),
    [
        ("Sure! Here you go", "invalid_json", "not JSON: Expecting value"),
        ('{"verdict": "maybe", "note": "x"}', "invalid_schema", "verdict: Input should be"),
        ("", "empty", "the answer was empty"),
    ],
)
def test_an_unusable_answer_is_reported_and_logged(
    llm_server: FakeLLMServer, content: str, outcome: str, warning: str
) -> None:
    # given
    llm_server.default = Reply(content=content)
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.parsed is None
    assert completion.outcome == outcome
    assert warning in completion.warning
    assert LLMCall.objects.get().outcome == outcome


@override_settings(LLM_PROVIDER="offline")
def test_offline_calls_nothing() -> None:
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert (completion.parsed, completion.outcome) == (None, "offline")
    assert LLMCall.objects.count() == 0


def test_past_the_monthly_budget_nothing_is_called(llm_server: FakeLLMServer) -> None:
    # given: 20.00 already spent this month (the budget)
    LLMCall.objects.create(
        feature="x", provider="openai", model=MODEL, outcome="ok", cost_usd=Decimal("20")
    )
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.outcome == "budget_exceeded"
    assert completion.warning == (
        "This month's AI budget ($20) is used up; built-in analysis shown."
    )
    assert llm_server.requests == []


def test_past_the_rate_limit_nothing_is_called(llm_server: FakeLLMServer) -> None:
    # given
    llm_server.default = Reply(content=GOOD)
    with override_settings(LLM_MAX_REQUESTS_PER_MINUTE=2):
        # when
        outcomes = [llm_complete(request=REQUEST, output_model=Verdict).outcome for _ in range(3)]
    # then
    assert outcomes == ["ok", "ok", "rate_limited"]
    assert len(llm_server.requests) == 2


def test_when_every_slot_is_taken_nothing_is_called(llm_server: FakeLLMServer) -> None:
    # given
    with override_settings(LLM_MAX_CONCURRENT=1), call_slot() as held:
        # when
        completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert held is True
    assert completion.outcome == "busy"
    assert llm_server.requests == []


def test_the_anthropic_adapter_speaks_the_messages_api() -> None:
    # given
    with (
        FakeLLMServer(default=Reply(content=GOOD)) as server,
        llm_settings(
            server, LLM_PROVIDER="anthropic", LLM_BASE_URL=server.base_url.removesuffix("/v1")
        ),
    ):
        # when
        completion = llm_complete(request=REQUEST, output_model=Verdict)
    # then
    assert completion.parsed == Verdict(verdict="yes", note="Thirteen years.")
    sent = server.requests[0]
    assert sent.path == "/v1/messages"
    assert "anthropic-version" in sent.headers
    assert API_KEY in (sent.headers.get("x-api-key"), sent.headers.get("authorization", "")[7:])
    assert sent.body["output_config"]["format"]["type"] == "json_schema"
    call = LLMCall.objects.get()
    assert (call.provider, call.input_tokens, call.output_tokens) == ("anthropic", 8, 11)


class Broken:
    name, model, base_url = "openai", "m", ""
    offline = False

    def complete(self, request: LLMRequest) -> ProviderReply:
        raise RuntimeError("bug")


def test_an_adapter_bug_becomes_an_error_outcome_not_an_exception(
    llm_server: FakeLLMServer,
) -> None:
    # when
    completion = llm_complete(request=REQUEST, output_model=Verdict, provider=Broken())
    # then
    assert completion.outcome == "error"
    assert LLMCall.objects.get().outcome == "error"


def test_a_rejected_answer_is_marked_in_the_log(llm_server: FakeLLMServer) -> None:
    # given
    llm_server.default = Reply(content=GOOD)
    completion = llm_complete(request=REQUEST, output_model=Verdict)
    assert completion.call_id is not None
    # when
    llm_call_reject(call_id=completion.call_id, problems=["unknown technician 99"])
    # then
    call = LLMCall.objects.get()
    assert (call.outcome, call.error) == ("invalid_data", "unknown technician 99")
    assert call.created_at <= timezone.now() + dt.timedelta(seconds=1)
