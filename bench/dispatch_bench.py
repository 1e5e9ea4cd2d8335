"""Dispatch throughput: 10,000 due messages, 4 huey consumers, PostgreSQL + Redis, console channel.

    .venv/bin/python bench/dispatch_bench.py [--messages 10000] [--consumers 4]

A fresh PostgreSQL database (bench_dispatch) and a private Redis database (--redis-db, flushed
first) are used, so nothing else running on the machine is touched. The script creates 1,000
customers and N messages due now on WhatsApp without credentials (the console channel), starts
the consumers (`manage.py run_huey -w 1 -k thread --no-periodic`, one process each), waits
until they are up, then enqueues the minute tick (`messages_dispatch_periodic_task`, with
MESSAGE_DISPATCH_PARALLEL = consumers) and waits for every row to leave Scheduled/Sending.
Quiet hours are switched off for the run, so the result does not depend on the hour.

Reported: wall seconds from the tick to the last send, messages per second, and the checks
that each message was sent exactly once: the console channel's own log lines in the consumers'
output (one "message #<id>" line per send), one Delivered event, one timeline entry, attempts 1.
Target (issue 6): at least 500 messages per second and zero duplicates.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "bench_dispatch"

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
import time
from crm.engagement.tasks import messages_dispatch_periodic_task
messages_dispatch_periodic_task()
print(time.time())
"""
PENDING = "select count(*) from messaging_scheduledmessage where status in ('Scheduled', 'Sending')"
CHECK = """
import json
from django.db.models import Count, Max, Min
from crm.activities.models import Activity
from crm.messaging.models import MessageEvent, ScheduledMessage
rows = ScheduledMessage.objects.all()
delivered = MessageEvent.objects.filter(to_status="Delivered")
print(json.dumps({
    "by_status": dict(rows.values("status").annotate(n=Count("id")).values_list("status", "n")),
    "attempts_not_1": rows.exclude(attempts=1).count(),
    "delivered_events": delivered.count(),
    "messages_with_delivered_event": delivered.values("message_id").distinct().count(),
    "timeline_entries": Activity.objects.filter(direction="Outbound").count(),
    "first_claim": rows.aggregate(v=Min("sending_started_at"))["v"].timestamp(),
    "last_sent": rows.aggregate(v=Max("sent_at"))["v"].timestamp(),
}))
"""


def _env(redis_db: int, consumers: int) -> dict[str, str]:
    env = {**os.environ, "VAR_DIR": tempfile.mkdtemp(prefix="dispatch-bench-"),
           "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{DATABASE}",
           "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}", "LOG_LEVEL": "WARNING",
           "MESSAGE_DISPATCH_PARALLEL": str(consumers), "HUEY_WORKERS": "1",
           # Throughput, whatever the hour: no quiet hours (else at night all are deferred).
           "QUIET_HOURS_START": "00:00", "QUIET_HOURS_END": "00:00"}  # fmt: skip
    return env


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _prepare(env: dict[str, str], redis_db: int, messages: int) -> None:
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *base, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *base, DATABASE], check=True)
    subprocess.run(["redis-cli", "-n", str(redis_db), "flushdb"], check=True, capture_output=True)
    _manage(["migrate", "-v0"], env)
    _manage(["shell", "-c", SEED.replace("{messages}", str(messages))], env)


def _start_consumers(env: dict[str, str], count: int) -> list[tuple[subprocess.Popen[str], Path]]:
    started = []
    for index in range(count):
        log = Path(env["VAR_DIR"]) / f"consumer-{index}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "run_huey", "-w", "1", "-k", "thread",
                 "--no-periodic"],
                env={**env, "LOG_LEVEL": "INFO"}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
        started.append((process, log))
    deadline = time.monotonic() + 120
    while not all("consumer started" in log.read_text().lower() for _, log in started):
        if time.monotonic() > deadline:
            raise SystemExit("consumers did not start: see " + env["VAR_DIR"])
        time.sleep(0.5)
    return started


def _channel_sends(logs: list[Path]) -> tuple[int, int]:
    """(sends, distinct messages) as the console channel logged them in the consumers."""
    sent = [m for log in logs for m in re.findall(r"message #(\d+) to ", log.read_text())]
    return len(sent), len(set(sent))


def _pending() -> int:
    probe = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", PENDING, DATABASE]
    return int(subprocess.run(probe, check=True, capture_output=True, text=True).stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--consumers", type=int, default=4)
    parser.add_argument("--redis-db", type=int, default=7)
    options = parser.parse_args()
    env = _env(options.redis_db, options.consumers)
    _prepare(env, options.redis_db, options.messages)
    consumers = _start_consumers(env, options.consumers)
    try:
        started = float(_manage(["shell", "-c", TICK], env).strip().splitlines()[-1])
        deadline = time.monotonic() + 600
        while _pending():
            if time.monotonic() > deadline:
                raise SystemExit("messages still pending after 10 minutes; see " + env["VAR_DIR"])
            time.sleep(0.2)
        result = json.loads(_manage(["shell", "-c", CHECK], env).strip().splitlines()[-1])
    finally:
        for process, _ in consumers:
            process.terminate()
        for process, _ in consumers:
            process.wait(timeout=30)
    sends, distinct = _channel_sends([log for _, log in consumers])
    result |= {"channel_sends": sends, "channel_distinct": distinct}
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    wall = result["last_sent"] - started
    sending = result["last_sent"] - result["first_claim"]
    print(f"{options.messages:,} messages, {options.consumers} consumers (PostgreSQL + Redis):")
    print(f"  tick to last send {wall:.2f} s = {options.messages / wall:,.0f} messages/s")
    print(
        f"  first claim to last send {sending:.2f} s = {options.messages / sending:,.0f} messages/s"
    )
    print(f"  statuses {result['by_status']}; attempts other than 1: {result['attempts_not_1']}")
    print(f"  delivered events {result['delivered_events']:,} for "
          f"{result['messages_with_delivered_event']:,} messages; timeline entries "
          f"{result['timeline_entries']:,}")  # fmt: skip
    duplicates = sends - distinct
    print(f"  channel sends {sends:,} for {distinct:,} messages: duplicates {duplicates}")
    print(f"  load average after the run {result['load_average']}")
    summary = {
        "messages": options.messages,
        "consumers": options.consumers,
        "wall_seconds": round(wall, 2),
        "per_second": round(options.messages / wall),
    }
    print(json.dumps(result | summary))


if __name__ == "__main__":
    main()
