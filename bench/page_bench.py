"""Customer page benchmark (issue 4): the heavy customer's page against a light one's, same run.

    .venv/bin/python bench/page_bench.py [--runs 200] [--warmup 20]

Builds a throw-away SQLite database (temporary VAR_DIR, `migrate`, DEBUG off) with a light
customer (one row of each kind) and a heavy one (2,000 activities, 300 jobs, 1,000 payments,
300 expenses, 40 appliances), both made by crm.customers.tests.heavy, and a signed-in member
of staff. Then, in this process, through Django's whole middleware stack (test client):

- **server time**: GET /customers/<id>/ for the light and the heavy customer in turns; the
  median and 95th percentile of each and the ratio heavy / light. Target: ratio <= 1.5.
- **transfer size**: the heavy page's HTML plus the stylesheet and scripts it links, raw and
  gzip-compressed (the files whitenoise serves compressed). Target: <= 300 KB.
- **queries**: the SQL statements of each page (pinned in crm/customers/tests/test_views.py).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5
TARGET_KB = 300


def _setup(var_dir: str) -> None:
    os.environ["VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _client():  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(
        get_user_model().objects.create_user("bench", is_staff=True, is_superuser=True)
    )
    return client


def _timed(client, url: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def _assets(html: str) -> dict[str, bytes]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    found = {}
    for url in re.findall(r'(?:href|src)="(/?static/[^"]+)"', html):
        relative = url.lstrip("/").removeprefix(settings.STATIC_URL.lstrip("/"))
        path = finders.find(relative)
        found[url] = Path(path).read_bytes() if path else b""
    return found


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="page-bench-") as var_dir:
        _setup(var_dir)
        from crm.customers.tests.heavy import HEAVY, LIGHT, customer_with_history

        started = time.perf_counter()
        light = customer_with_history("Light Customer", LIGHT)
        heavy = customer_with_history("Heavy Customer", HEAVY)
        print(f"data built in {time.perf_counter() - started:.1f} s")
        client = _client()
        urls = {"light": f"/customers/{light.pk}/", "heavy": f"/customers/{heavy.pk}/"}
        for _ in range(args.warmup):
            for url in urls.values():
                _timed(client, url)
        times: dict[str, list[float]] = {"light": [], "heavy": []}
        for _ in range(args.runs):
            for name, url in urls.items():
                times[name].append(_timed(client, url))
        _report(client, urls, times)


def _report(client, urls: dict[str, str], times: dict[str, list[float]]) -> None:  # type: ignore[no-untyped-def]
    print(
        f"{'page':<6} {'median ms':>10} {'min ms':>7} {'p95 ms':>7} {'queries':>8} {'HTML KB':>8}"
    )
    for name, url in urls.items():
        html = client.get(url).content
        p95 = statistics.quantiles(times[name], n=20)[-1]
        print(
            f"{name:<6} {statistics.median(times[name]):>10.2f} {min(times[name]):>7.2f} "
            f"{p95:>7.2f} {_queries(client, url):>8} {len(html) / 1024:>8.1f}"
        )
    ratio = statistics.median(times["heavy"]) / statistics.median(times["light"])
    quiet = min(times["heavy"]) / min(times["light"])
    print(f"ratio heavy/light (median): {ratio:.2f}  target <= {TARGET_RATIO}")
    print(f"ratio heavy/light (fastest runs, least disturbed by other work): {quiet:.2f}")
    html = client.get(urls["heavy"]).content
    assets = _assets(html.decode())
    raw = len(html) + sum(len(body) for body in assets.values())
    packed = len(gzip.compress(html)) + sum(len(gzip.compress(b)) for b in assets.values())
    for url, body in assets.items():
        print(f"  {url}: {len(body) / 1024:.1f} KB")
    print(
        f"heavy page transfer: {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip  "
        f"target <= {TARGET_KB} KB"
    )
    print("PASS" if ratio <= TARGET_RATIO and raw / 1024 <= TARGET_KB else "FAIL")


if __name__ == "__main__":
    main()
