"""The scale benchmark's measurements, in-process through Django's whole middleware stack.

Called by scale_bench.py in a process whose DATABASE_URL names the seeded database, after
django.setup(). Every page is asked for by the test client (signed in, DEBUG off), after a
warm-up, `runs` times (or until `budget` seconds are spent, at least 5 runs); the result is
p50 / p95 in milliseconds, the SQL statements of one request and its slowest statement.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scale_rows import _phone

# Customers present at every size (ids 1..300): the same histories at 300 and at 1,000,000.
SAMPLE = (11, 57, 123, 150, 199, 264)
NAME_FRAGMENTS = ("ilso", "ndez", "Kowal", "mart")
MIN_RUNS = 5


@dataclass(frozen=True)
class Timing:
    """One page's times and what its SQL looked like."""

    p50: float
    p95: float
    runs: int
    queries: int
    slowest_ms: float
    slowest_sql: str
    status: int

    def as_dict(self) -> dict[str, Any]:
        return {"p50": round(self.p50, 2), "p95": round(self.p95, 2), "runs": self.runs,
                "queries": self.queries, "slowest_ms": round(self.slowest_ms, 2),
                "slowest_sql": self.slowest_sql, "status": self.status}  # fmt: skip


def _national(phone: str) -> str:
    """+15551242486 as the office would type it: (555) 124-2486."""
    digits = phone[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _timed_pages(
    client: Any, urls: list[str], headers: dict[str, str], *, runs: int, warmup: int,
    budget: float,
) -> Timing:  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:warmup]:
        client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(urls[0], headers=headers).status_code
    statements = captured.captured_queries
    slowest = max(statements, key=lambda q: float(q["time"]), default=None)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for url in (url for _, url in zip(range(runs), cycle(urls), strict=False)):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code if response.status_code != 200 else status
        if len(times) >= MIN_RUNS and time.perf_counter() > deadline:
            break
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return Timing(
        p50=statistics.median(times), p95=p95, runs=len(times), queries=len(statements),
        slowest_ms=float(slowest["time"]) * 1000 if slowest else 0.0,
        slowest_sql=slowest["sql"][:300] if slowest else "", status=status,
    )  # fmt: skip


def _signed_in() -> tuple[Any, str]:
    """A test client signed in as a member of staff, and an API token for the same user."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from crm.core.services import api_token_create

    # update_or_create: a user kept from before the roles would have no role (403 everywhere).
    user, _ = get_user_model().objects.update_or_create(
        username="scale-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    _, token = api_token_create(user=user, name="scale-bench")
    return client, token


def _route_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def pages(*, runs: int, warmup: int, budget: float, filters: str) -> dict[str, Any]:
    """p50 / p95 of each measured page, keyed by measurement name."""
    client, token = _signed_in()
    phones = [_phone(k) for k in SAMPLE]
    plans: dict[str, tuple[list[str], dict[str, str]]] = {
        "list_first_page": (["/customers/"], {}),
        "search_name": ([f"/customers/?q={quote(term)}" for term in NAME_FRAGMENTS], {}),
        "search_phone_e164": ([f"/customers/?q={quote(phone)}" for phone in phones], {}),
        "search_phone_typed": ([f"/customers/?q={quote(_national(p))}" for p in phones], {}),
        "filtered_list": ([f"/customers/?{filters}"], {}),
        "customer_view": ([f"/customers/{k}/" for k in SAMPLE], {}),
        "api_customer": (
            [f"/api/customer/{k}" for k in SAMPLE],
            {"Authorization": f"Bearer {token}"},
        ),
    }
    if _route_exists("/today/"):
        plans["today"] = (["/today/"], {})
        # The header badge every page loads after itself (htmx): five counts in one query.
        plans["today_counts"] = (["/today/counts/"], {"HX-Request": "true"})
    else:
        print("  skipped: no /today/", flush=True)
    results: dict[str, Any] = {}
    for name, (urls, headers) in plans.items():
        timing = _timed_pages(client, urls, headers, runs=runs, warmup=warmup, budget=budget)
        results[name] = timing.as_dict()
        print(
            f"  {name:<20} p50 {timing.p50:9.1f} ms  p95 {timing.p95:9.1f} ms  "
            f"({timing.runs} runs, {timing.queries} queries, slowest {timing.slowest_ms:.1f} ms, "
            f"HTTP {timing.status})",
            flush=True,
        )
    refused = {
        name: timing["status"] for name, timing in results.items() if timing["status"] != 200
    }
    if refused:  # a timed refusal is not a measurement of the page
        raise SystemExit(f"Pages answered other than 200: {refused}")
    return results


def sweep(today: dt.date) -> dict[str, Any]:
    """The nightly engagement sweep's worst night, rolled back afterwards (the database stays
    as seeded, so a later --reuse measures the same night again)."""
    from django.db import transaction

    from crm.engagement.services.sweeps import engagement_sweep

    report: Any = None
    with transaction.atomic():
        backend = _backend_pid()
        started, python_cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu(backend)
        report = engagement_sweep(today=today)
        wall = time.perf_counter() - started
        python_cpu, server_cpu = time.process_time() - python_cpu, _cpu(backend) - server_cpu
        transaction.set_rollback(True)
    found: dict[str, Any] = dict(vars(report))
    found |= {"wall_seconds": round(wall, 1), "python_cpu_seconds": round(python_cpu, 1),
              "server_cpu_seconds": round(server_cpu, 1)}  # fmt: skip
    print(
        f"  sweep {found.get('total_seconds')} s: {found.get('reminders_created')} reminders, "
        f"{found.get('greetings_drafted')} drafts; steps {found.get('seconds')}; CPU "
        f"{python_cpu:.0f} s in Python + {server_cpu:.0f} s in the database server",
        flush=True,
    )
    return found


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process on this machine has used so far; 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _use_database(name: str) -> None:
    """Point the default connection at another database of the same server."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def paired(databases: list[str], *, rounds: int, per_round: int) -> dict[str, Any]:
    """Customer View and GET /api/customer/{id} on each database in turns (`rounds` turns of
    `per_round` requests each), so that other work on a shared machine weighs on both alike.
    Returns {database: {measurement: timing}}."""
    signed_in = {}
    for name in databases:
        _use_database(name)
        signed_in[name] = _signed_in()
    times: dict[str, dict[str, list[float]]] = {name: {} for name in databases}
    for _ in range(rounds):
        for name in databases:
            _use_database(name)
            client, token = signed_in[name]
            urls = {
                "customer_view": ([f"/customers/{k}/" for k in SAMPLE], {}),
                "api_customer": (
                    [f"/api/customer/{k}" for k in SAMPLE],
                    {"Authorization": f"Bearer {token}"},
                ),
            }
            for measurement, (pages_, headers) in urls.items():
                for url in pages_[:2]:  # warm the new connection
                    client.get(url, headers=headers)
                spent = times[name].setdefault(measurement, [])
                for url in (u for _, u in zip(range(per_round), cycle(pages_), strict=False)):
                    started = time.perf_counter()
                    client.get(url, headers=headers)
                    spent.append((time.perf_counter() - started) * 1000)
    return {
        name: {measurement: _percentiles(spent) for measurement, spent in found.items()}
        for name, found in times.items()
    }


def _percentiles(spent: list[float]) -> dict[str, Any]:
    p95 = statistics.quantiles(spent, n=20)[-1] if len(spent) > 1 else spent[0]
    return {"p50": round(statistics.median(spent), 2), "p95": round(p95, 2), "runs": len(spent)}
