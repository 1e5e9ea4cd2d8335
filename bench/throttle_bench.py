"""Provider limits: a batch drains at the limit, shared by several consumers, never above it.

    .venv/bin/python bench/throttle_bench.py [--messages 800] [--limit 80] [--consumers 4]

A fresh PostgreSQL database (--database, default wt_dispatch_throttle) and Redis (--redis-url,
default database 6; the throttle's keys only). N due WhatsApp messages go through the Cloud API
channel to a local fake (tests/fakes) that counts arrivals per wall-clock second and answers
Meta's 429 (130429) above --provider-limit (default: the same as --limit). K consumer threads,
each with its own database connection, run the dispatcher until nothing is due.

Reported: wall seconds, messages a second, the busiest second at the provider, arrivals over
its limit (answered 429), messages given back to wait for their turn, and the final statuses
with attempts (all should be Sent/1: no Failed, no attempt counted for waiting).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(options: argparse.Namespace) -> None:
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *base, "--if-exists", options.database], check=True)
    subprocess.run(["createdb", *base, options.database], check=True)
    os.environ |= {
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{options.database}",
        "REDIS_URL": options.redis_url, "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE":
        "config.settings", "QUIET_HOURS_START": "00:00", "QUIET_HOURS_END": "00:00",
    }  # fmt: skip
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _seed(count: int) -> None:
    from django.utils import timezone

    from crm.customers.models import Customer
    from crm.messaging.models import ScheduledMessage

    customers = Customer.objects.bulk_create(
        Customer(name=f"Throttle Customer {i}", phone=f"+1305556{i:04d}") for i in range(200)
    )
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(
            customer=customers[i % 200],
            channel="WhatsApp",
            body=f"Holiday greeting {i}",
            idempotency_key=f"throttle:{i}",
            send_at=timezone.now(),
        )
        for i in range(count)
    )


def _consumers(count: int) -> list[int]:
    from django.db import connection

    from crm.messaging.services.dispatch import outbox_dispatch_due

    given_back: list[int] = []

    def consumer() -> None:
        try:
            given_back.append(outbox_dispatch_due(budget_s=600).throttled)
        finally:
            connection.close()

    threads = [threading.Thread(target=consumer) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return given_back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=800)
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--provider-limit", type=int, default=None)
    parser.add_argument("--consumers", type=int, default=4)
    parser.add_argument("--database", default="wt_dispatch_throttle")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    options = parser.parse_args()
    _setup(options)
    from django.conf import settings

    from crm.messaging.models import ScheduledMessage
    from tests.fakes.messaging_providers import FakeWhatsAppCloud

    _seed(options.messages)
    provider_limit = options.provider_limit or options.limit
    # A phone number id of its own: the throttle key is per sending account.
    with FakeWhatsAppCloud(
        version="v21.0", phone_number_id="2098765", access_token="bench",  # noqa: S106
        limit_per_second=provider_limit,
    ) as fake:  # fmt: skip
        settings.WHATSAPP_API_BASE = fake.api_base
        settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "2098765", "bench"
        settings.WHATSAPP_TEMPLATE_NAME = "holiday_greeting"
        settings.WHATSAPP_MAX_PER_SECOND = options.limit
        started = time.monotonic()
        given_back = _consumers(options.consumers)
        wall = time.monotonic() - started
    rows = ScheduledMessage.objects.values_list("status", "attempts")
    result = {
        "messages": options.messages, "limit": options.limit, "provider_limit": provider_limit,
        "consumers": options.consumers, "wall_seconds": round(wall, 1),
        "per_second": round(options.messages / wall, 1), "busiest_second": fake.busiest_second,
        "over_limit": fake.over_limit, "given_back": sum(given_back),
        "statuses": dict(Counter(f"{s}/{a}" for s, a in rows)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
