"""API benchmark (issue 3): GET /api/customer/{id} against a trivial JSON view, same run.

    .venv/bin/python bench/api_bench.py [--customers 300] [--seed 1] [--duration 5]
                                        [--rounds 3] [--connections 8] [--database-url URL]

Builds a throw-away database (temporary VAR_DIR; SQLite, or a fresh PostgreSQL database beside
the one in --database-url, dropped afterwards): migrate + seed_demo, a staff user and an API
token. Starts the web server as `make run` does (`manage.py serve --no-worker`: gunicorn, gthread,
WEB_WORKERS x WEB_THREADS, access log on; DEBUG off) and measures with wrk (Debian package):

1. `/healthz`: the trivial JSON view (one `SELECT 1`);
2. `GET /api/customer/{id}` with `Authorization: Bearer <token>` for a typical demo customer
   (the median by jobs + payments + expenses + appliances);
3. the same for the heaviest demo customer, for information.

After a warm-up the three alternate for --rounds rounds, so that other work on a shared machine
weighs on each about equally; the medians are printed: req/s, average latency, and the CPU time
the web processes spent per request (database server excluded), which other load disturbs less.
The ratio customer / trivial (req/s) is the target: >= 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
TARGET_RATIO = 0.10
BENCH_DATABASE = "servicecrm_api_bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

PICK_CUSTOMERS = """
import json
from django.db.models import Count
from crm.core.services import api_token_create
from django.contrib.auth import get_user_model
from crm.customers.models import Customer

ranked = list(
    Customer.objects.annotate(
        weight=Count("jobs", distinct=True) + Count("payments", distinct=True)
        + Count("expenses", distinct=True) + Count("appliances", distinct=True)
    ).order_by("weight", "id").values_list("id", "weight")
)
user = get_user_model().objects.create_user(username="bench", is_staff=True, is_superuser=True)
_, token = api_token_create(user=user, name="bench")
print(json.dumps({"typical": ranked[len(ranked) // 2], "heaviest": ranked[-1], "token": token}))
"""


@dataclass(frozen=True)
class Round:
    requests_per_second: float
    latency_ms: float
    non_2xx: int
    cpu_ms_per_request: float


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    headers: tuple[str, ...]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _postgres_admin(url: str, *statements: str) -> str:
    """Run statements on the server's `postgres` database; returns the bench database's URL
    (with the options of `url`, e.g. ?server_side_binding=true)."""
    import psycopg

    address, _, options = url.partition("?")
    base = address.rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
    return f"{base}/{BENCH_DATABASE}" + (f"?{options}" if options else "")


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server exited; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz")


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it (the gunicorn master and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


def _wrk(url: str, *, headers: tuple[str, ...], duration: int, connections: int) -> str:
    command = [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for header in headers:
        command += ["-H", header]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _latency_ms(text: str) -> float:
    """wrk's "850.20us", "11.32ms" or "1.05s" in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise SystemExit(f"wrk printed an unknown latency: {text}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def _round(base: str, endpoint: Endpoint, *, server_pid: int, args: argparse.Namespace) -> Round:
    pids = _descendants(server_pid)
    before = _cpu_seconds(pids)
    output = _wrk(
        base + endpoint.path,
        headers=endpoint.headers,
        duration=args.duration,
        connections=args.connections,
    )
    spent = _cpu_seconds(pids) - before
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = re.search(r"Latency\s+(\S+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if rate is None or latency is None or total is None:
        raise SystemExit(f"wrk printed no rate:\n{output}")
    return Round(
        requests_per_second=float(rate.group(1)),
        latency_ms=_latency_ms(latency.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        cpu_ms_per_request=1000 * spent / max(int(total.group(1)), 1),
    )


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`make run`'s web half: `manage.py serve` without the task consumer."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [PYTHON, "manage.py", "serve", "--no-worker", "--no-demo",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="api-bench-")
    env = {**os.environ, "VAR_DIR": var_dir, "DEBUG": "false", "SECRET_KEY": "bench-only",
           "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "config.settings"}  # fmt: skip
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    drop = f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
    if args.database_url:
        env["DATABASE_URL"] = _postgres_admin(
            args.database_url, drop, f"CREATE DATABASE {BENCH_DATABASE}"
        )
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo", "--customers", str(args.customers), "--seed", str(args.seed))
        picked = json.loads(_manage(env, "shell", "-c", PICK_CUSTOMERS).strip().splitlines()[-1])
        port = _free_port()
        log = Path(var_dir) / "server.log"
        server = _serve(env, port, log)
        try:
            _wait_until_up(port, server)
            _report(port, picked, server.pid, args)
        finally:
            _stop(server)
        errors = log.read_text(errors="replace").count("Traceback")
        if errors:
            print(f"the server logged {errors} tracebacks; the last:\n{log.read_text()[-3000:]}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if args.database_url:
            _postgres_admin(args.database_url, drop)


def _report(
    port: int, picked: dict[str, object], server_pid: int, args: argparse.Namespace
) -> None:
    base = f"http://127.0.0.1:{port}"
    bearer = (f"Authorization: Bearer {picked['token']}",)
    typical_id, typical_weight = picked["typical"]  # type: ignore[misc]
    heaviest_id, heaviest_weight = picked["heaviest"]  # type: ignore[misc]
    endpoints = [
        Endpoint("GET /healthz (trivial JSON)", "/healthz", ()),
        Endpoint(f"GET /api/customer/{typical_id} (typical, {typical_weight} rows)",
                 f"/api/customer/{typical_id}", bearer),
        Endpoint(f"GET /api/customer/{heaviest_id} (heaviest, {heaviest_weight} rows)",
                 f"/api/customer/{heaviest_id}", bearer),
    ]  # fmt: skip
    for endpoint in endpoints:  # warm-up
        _wrk(base + endpoint.path, headers=endpoint.headers, duration=2, connections=2)
    rounds: dict[str, list[Round]] = {endpoint.label: [] for endpoint in endpoints}
    for _ in range(args.rounds):
        for endpoint in endpoints:
            rounds[endpoint.label].append(_round(base, endpoint, server_pid=server_pid, args=args))
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{database}, {args.customers} demo customers (seed {args.seed}), wrk -t2 "
          f"-c{args.connections}, {args.rounds} alternating rounds of {args.duration}s, "
          f"medians; manage.py serve --no-worker, DEBUG off")  # fmt: skip
    print(f"{'endpoint':46} {'req/s':>8} {'avg ms':>8} {'CPU ms/req':>11} {'non-2xx':>8}")
    medians = {}
    for label, results in rounds.items():
        rate = statistics.median(r.requests_per_second for r in results)
        medians[label] = rate
        print(
            f"{label:46} {rate:8.1f} {statistics.median(r.latency_ms for r in results):8.2f} "
            f"{statistics.median(r.cpu_ms_per_request for r in results):11.2f} "
            f"{sum(r.non_2xx for r in results):8d}"
        )
    trivial, typical = medians[endpoints[0].label], medians[endpoints[1].label]
    ratio = typical / trivial
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"typical customer / trivial view: {ratio:.1%} ({verdict} the {TARGET_RATIO:.0%} target)")


if __name__ == "__main__":
    sys.exit(main())
