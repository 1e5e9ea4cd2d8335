"""TIMED BEHAVIOUR TEST, demanded by issue 5 (speed otherwise belongs in bench/).

"While the local server takes 5 s per answer, 8 concurrent insight requests do not stop a
customer page from answering within 1 s (gunicorn threads, as `make run` serves)."

It starts gunicorn (gthread, 2 workers x 4 threads) on a free port against a temporary SQLite
database prepared by `migrate` and a small dataset, points the app at a local LLM server that
answers after 15 s, fires 8 insight requests at once and, while the slow ones are in flight,
asks for `/healthz`, `GET /api/customer/{id}` and the customer list page. The 1 s bound is
generous on purpose: unloaded, those answer in a few milliseconds. What keeps them fast is
LLM_MAX_CONCURRENT (2 calls in flight per process): the other insight requests answer at
once with the built-in analysis and a "busy" warning instead of holding every thread.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crm.insights.tests.llm_answers import as_json, valid
from tests.fakes.llm_server import FakeLLMServer, Reply

ROOT = Path(__file__).resolve().parents[3]
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
SLOW_ANSWER_S = 15.0
PAGE_BOUND_S = 1.0
ROUNDS = 3  # a shared machine may stall one round; a blocked thread pool stalls them all
PREPARE = """
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from crm.core.dates import company_today
from crm.core.roles import Role
from crm.core.services import api_token_create, user_role_set
from crm.insights.tests.conftest import build_world

world = build_world(today=company_today())
user = get_user_model().objects.create_user("office", password="x", is_staff=True)
user_role_set(user=user, role=Role.OFFICE)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "crm.core.auth.RoleModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(json.dumps({
    "token": api_token_create(user=user)[1], "session": session.session_key,
    "customer": world.ana.pk, "tom": world.tom.pk, "lee": world.lee.pk,
}))
"""


@dataclass(frozen=True)
class Site:
    port: int
    token: str
    session: str
    customer: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(var_dir: Path, llm_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": "behaviour-test",
        "LOG_LEVEL": "WARNING",
        "LLM_PROVIDER": "openai",
        "LLM_BASE_URL": llm_url,
        "LLM_MODEL": "fake-model",
        "LLM_TIMEOUT_S": "30",
        "LLM_MAX_REQUESTS_PER_MINUTE": "100",
        "LLM_MAX_CONCURRENT": "2",
    }


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def _get_together(port: int, path: str, headers: dict[str, str]) -> list[tuple[int, float]]:
    """Three GETs of `path` at the same moment."""
    results: list[tuple[int, float]] = []
    threads = [
        threading.Thread(target=lambda: results.append(_get(port, path, headers))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _post(port: int, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        answer: dict[str, Any] = json.loads(response.read())
        answer["status"] = response.status
        return answer
    finally:
        connection.close()


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            if _get(port, "/healthz", {})[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start within 30 s")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, FakeLLMServer]]:
    """gunicorn gthread 2x4 on a free port, a migrated SQLite file, Ana's data, a slow LLM."""
    with FakeLLMServer(default=Reply(delay_s=SLOW_ANSWER_S)) as llm:
        env = _environment(tmp_path, llm.base_url)
        manage = [str(PYTHON), str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)  # noqa: S603
        prepared = subprocess.run(  # noqa: S603
            [*manage, "shell", "-c", PREPARE], env=env, cwd=ROOT, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        facts = json.loads(prepared.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "config.wsgi:application", "-k", "gthread", "-w", "2",
             "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            _wait_until_up(port, server)
            yield Site(port, facts["token"], facts["session"], facts["customer"]), llm
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def test_pages_answer_within_a_second_while_eight_insight_requests_wait_on_a_slow_llm(
    site: tuple[Site, FakeLLMServer],
) -> None:
    # given: the LLM answers a valid timeline summary after 15 s
    app, llm = site
    llm.default = Reply(content=as_json(valid("timeline-summary", None)), delay_s=SLOW_ANSWER_S)
    answers: list[dict[str, Any]] = []
    path = f"/api/customer/{app.customer}/timeline-summary?refresh=true"
    requests = [
        threading.Thread(target=lambda: answers.append(_post(app.port, path, app.token, {})))
        for _ in range(8)
    ]
    for request in requests:
        request.start()
    # until each request waits on the LLM or has answered, and well before the LLM answers
    deadline = time.monotonic() + SLOW_ANSWER_S / 2
    while len(llm.requests) + len(answers) < len(requests) and time.monotonic() < deadline:
        time.sleep(0.01)
    # when: pages are asked for while the slow calls are still in flight
    page_checks = [
        ("/healthz", {}),
        (f"/api/customer/{app.customer}", {"Authorization": f"Bearer {app.token}"}),
        ("/customers/", {"Cookie": f"sessionid={app.session}"}),
    ]
    rounds = []
    for _ in range(ROUNDS):
        timings = {path: _get_together(app.port, path, headers) for path, headers in page_checks}
        llm_answered = any(a["source"] == "llm" for a in list(answers))
        medians = {path: statistics.median(s for _, s in runs) for path, runs in timings.items()}
        rounds.append((timings, llm_answered))
        if max(medians.values()) < PAGE_BOUND_S:
            break
    for request in requests:
        request.join(timeout=60)
    called = len(llm.requests)  # every call, including any that started after the checks
    # then: in one of the rounds, each page asked three times at once answers within the bound
    # (median of the three) while no LLM answer has come back yet; a blocked thread pool makes
    # every round wait for the LLM.
    timings, llm_answered = rounds[-1]
    assert all(status == 200 for runs in timings.values() for status, _ in runs), rounds
    medians = {path: statistics.median(s for _, s in runs) for path, runs in timings.items()}
    assert max(medians.values()) < PAGE_BOUND_S, rounds
    assert not llm_answered, "the pages only answered after the slow LLM did"
    assert 1 <= called <= 4  # at most 2 LLM calls in flight per process, 2 processes
    assert [a["status"] for a in answers] == [200] * 8
    sources = sorted(a["source"] for a in answers)
    assert sources.count("llm") == called
    assert sources.count("offline") == 8 - called
    busy = [a for a in answers if a["source"] == "offline"]
    assert all(a["warnings"][0].startswith("The AI is busy") for a in busy), [
        a["warnings"] for a in busy
    ]
