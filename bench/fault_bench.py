"""Killed consumers: 40,000 WhatsApp messages, 4 huey consumers, 2 killed with SIGKILL mid-dispatch.

    .venv/bin/python bench/fault_bench.py [--messages 40000] [--consumers 4] [--kill 2]

PostgreSQL (a fresh database, --database, default wt_dispatch_bench) and a private Redis
database (--redis-db, default 6, flushed first). The consumers send through the WhatsApp Cloud
channel to a local fake of the Cloud API running in this process (tests/fakes), which counts
every arrival by the `biz_opaque_callback_data` we send (our message id) and answers like Meta.
A gunicorn web server takes the fake's status webhooks (signed with the app secret).

Steps: seed 1,000 customers and N due messages; start the consumers and the minute tick
(MESSAGE_DISPATCH_PARALLEL = consumers); when a quarter of the messages have reached the
provider, SIGKILL `--kill` consumers and start new ones in their place; tick again while
Scheduled rows remain; when only the dead consumers' rows are left in Sending, run the crash
sweep as it would run MESSAGE_SENDING_TIMEOUT_MIN later (Sending -> Unknown, flagged); then the
fake provider reports "delivered" for everything it received (`--per-post` statuses per
webhook POST, as Meta batches them) and Unknown is counted again.

Reported: sends per message at the provider (duplicates = arrivals beyond the first), messages
the provider never received that are not flagged for a person (must be 0), messages recorded
as handed over that the provider never received (must be 0), Unknown before and after the
status webhooks, wall times and the load average. Provider limits are not measured here
(WHATSAPP_MAX_PER_SECOND is raised out of the way): see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.messaging_providers import FakeWhatsAppCloud, free_port  # noqa: E402

APP_SECRET = "bench-app-secret"  # noqa: S105 (a local fake's secret)
ACCESS_TOKEN = "bench-token"  # noqa: S105
SEED = """
from django.utils import timezone
from crm.customers.models import Customer
from crm.messaging.models import ScheduledMessage
customers = Customer.objects.bulk_create(
    Customer(name=f"Bench Customer {i}", phone=f"+1305555{i:04d}") for i in range(1000)
)
due = timezone.now()
ScheduledMessage.objects.bulk_create(
    (ScheduledMessage(customer=customers[i % 1000], channel="WhatsApp", body=f"Bench message {i}",
                      idempotency_key=f"bench:{i}", send_at=due) for i in range({messages})),
    batch_size=2000,
)
"""
TICK = """
from crm.engagement.tasks import messages_dispatch_periodic_task
messages_dispatch_periodic_task()
"""
RECOVER = """
import datetime as dt
from django.conf import settings
from django.utils import timezone
from crm.messaging.services.recovery import outbox_recover_stuck
later = timezone.now() + dt.timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MIN + 1)
print(outbox_recover_stuck(now=later))
"""
STATE = """
import json
from django.db.models import Count
from crm.messaging.models import ScheduledMessage
rows = ScheduledMessage.objects.values_list("id", "status", "needs_review")
print(json.dumps([list(r) for r in rows]))
"""
COUNT = "select status, count(*) from messaging_scheduledmessage group by status"


def _env(options: argparse.Namespace, fake: FakeWhatsAppCloud) -> dict[str, str]:
    return {**os.environ, "VAR_DIR": tempfile.mkdtemp(prefix="fault-bench-"),
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{options.database}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{options.redis_db}", "LOG_LEVEL": "WARNING",
            "MESSAGE_DISPATCH_PARALLEL": str(options.consumers), "HUEY_WORKERS": "1",
            "QUIET_HOURS_START": "00:00", "QUIET_HOURS_END": "00:00",
            "WHATSAPP_API_BASE": fake.api_base, "WHATSAPP_PHONE_NUMBER_ID": "1098765",
            "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_TEMPLATE_NAME": "bench_update",
            "WHATSAPP_MAX_PER_SECOND": "1000000"}  # fmt: skip


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _prepare(env: dict[str, str], options: argparse.Namespace) -> None:
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *base, "--if-exists", options.database], check=True)
    subprocess.run(["createdb", *base, options.database], check=True)
    flush = ["redis-cli", "-n", str(options.redis_db), "flushdb"]
    subprocess.run(flush, check=True, capture_output=True)
    _manage(["migrate", "-v0"], env)
    _manage(["shell", "-c", SEED.replace("{messages}", str(options.messages))], env)


def _consumer(env: dict[str, str], name: str) -> tuple[subprocess.Popen[str], Path]:
    log = Path(env["VAR_DIR"]) / f"consumer-{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_huey", "-w", "1", "-k", "thread",
             "--no-periodic"],
            env={**env, "LOG_LEVEL": "INFO"}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
    return process, log


def _wait_started(logs: list[Path], env: dict[str, str]) -> None:
    deadline = time.monotonic() + 180
    while not all("consumer started" in log.read_text().lower() for log in logs):
        if time.monotonic() > deadline:
            raise SystemExit("consumers did not start: see " + env["VAR_DIR"])
        time.sleep(0.5)


def _web(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    log = (Path(env["VAR_DIR"]) / "web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--worker-class", "gthread", "--timeout", "120"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return process


def _counts(database: str) -> dict[str, int]:
    probe = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAF", ",", "-c", COUNT, database]
    out = subprocess.run(probe, check=True, capture_output=True, text=True).stdout
    return {s: int(n) for s, n in (line.split(",") for line in out.split())}


def _drain(env: dict[str, str], database: str) -> None:
    """Tick while Scheduled rows remain; return once Sending no longer changes."""
    last_tick, last_sending, steady_since = 0.0, -1, time.monotonic()
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        counts = _counts(database)
        if counts.get("Scheduled", 0) and time.monotonic() - last_tick > 15:
            _manage(["shell", "-c", TICK], env)
            last_tick = time.monotonic()
        sending = counts.get("Sending", 0)
        if sending != last_sending:
            last_sending, steady_since = sending, time.monotonic()
        if not counts.get("Scheduled", 0) and time.monotonic() - steady_since > 10:
            return
        time.sleep(1)
    raise SystemExit("messages still pending after an hour; see " + env["VAR_DIR"])


def _report(
    fake: FakeWhatsAppCloud, rows: list[list[object]], unknown_after: int, extra: dict[str, object]
) -> dict[str, object]:
    arrivals = Counter(int(a.outbox_id) for a in fake.accepted)
    received = set(arrivals)
    handed_over = {"Sent", "Delivered", "Read"}
    not_flagged = [r for r in rows if r[0] not in received and not (r[1] == "Unknown" and r[2])]
    lies = [r for r in rows if r[0] not in received and r[1] in handed_over]
    return extra | {
        "messages": len(rows),
        "provider_received": len(received),
        "sends_per_message": dict(Counter(arrivals.values())),
        "duplicates": sum(n - 1 for n in arrivals.values()),
        "never_sent_not_flagged": len(not_flagged),
        "handed_over_but_never_sent": len(lies),
        "unknown_after_callbacks": unknown_after,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=40_000)
    parser.add_argument("--consumers", type=int, default=4)
    parser.add_argument("--kill", type=int, default=2)
    parser.add_argument("--per-post", type=int, default=100)
    parser.add_argument("--database", default="wt_dispatch_bench")
    parser.add_argument("--redis-db", type=int, default=6)
    options = parser.parse_args()
    port = free_port()
    fake = FakeWhatsAppCloud(
        version="v21.0", phone_number_id="1098765", access_token=ACCESS_TOKEN,
        webhook_url=f"http://127.0.0.1:{port}/webhooks/whatsapp", app_secret=APP_SECRET,
    )  # fmt: skip
    with fake:
        env = _env(options, fake)
        _prepare(env, options)
        web = _web(env, port)
        consumers = [_consumer(env, str(i)) for i in range(options.consumers)]
        _wait_started([log for _, log in consumers], env)
        try:
            started = time.monotonic()
            _manage(["shell", "-c", TICK], env)
            last_tick = time.monotonic()
            while len(fake.accepted) < options.messages // 4:
                if time.monotonic() - last_tick > 50:  # a dispatch run lasts 50 s at most
                    _manage(["shell", "-c", TICK], env)
                    last_tick = time.monotonic()
                time.sleep(0.05)
            for process, _ in consumers[: options.kill]:
                process.send_signal(signal.SIGKILL)
                process.wait()
            killed_at = len(fake.accepted)
            print(f"killed {options.kill} consumers after {killed_at:,} sends", flush=True)
            restarted = [_consumer(env, f"restart-{i}") for i in range(options.kill)]
            consumers = restarted + consumers[options.kill :]
            _wait_started([log for _, log in restarted], env)
            _drain(env, options.database)
            dispatch_s = time.monotonic() - started
            unknown_before = int(_manage(["shell", "-c", RECOVER], env).strip().splitlines()[-1])
            callbacks_started = time.monotonic()
            answers = Counter(
                fake.deliver_statuses("delivered", per_post=options.per_post, parallel=3)
            )
            callbacks_s = time.monotonic() - callbacks_started
            rows = json.loads(_manage(["shell", "-c", STATE], env).strip().splitlines()[-1])
        finally:
            for process, _ in consumers:
                process.terminate()
            web.terminate()
            for process in [*(p for p, _ in consumers), web]:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
    unknown_after = sum(1 for r in rows if r[1] == "Unknown")
    extra = {"sends_when_killed": killed_at, "dispatch_seconds": round(dispatch_s, 1),
             "unknown_before_callbacks": unknown_before, "webhook_answers": dict(answers),
             "callback_seconds": round(callbacks_s, 1),
             "status_counts": dict(Counter(str(r[1]) for r in rows))}  # fmt: skip
    print(json.dumps(_report(fake, rows, unknown_after, extra), indent=1))


if __name__ == "__main__":
    main()
