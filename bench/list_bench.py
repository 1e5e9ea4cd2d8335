"""Customer list speed on PostgreSQL: search by name fragment, by phone, and a filtered list.

    .venv/bin/python bench/list_bench.py                     # 10,000 and 100,000 customers
    .venv/bin/python bench/list_bench.py --sizes 10000 --reuse

Each size gets its own database `bench_list_<size>` on 127.0.0.1:5432 (trust auth, user
postgres): `migrate`, `seed_demo --customers N` (which rebuilds the summary columns), ANALYZE.
Then a child process times what the list view and `GET /api/customers` do (customer_page:
the COUNT and the page of 25) for `--runs` different terms each, and prints p50 / p95 in ms
and one JSON line per size. Targets at 1,000,000 customers (issue 11): searches p50 < 100 ms,
filtered list < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def _manage(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def _exists(name: str) -> bool:
    found = subprocess.run(
        ["psql", *PG, "-tAc", f"select 1 from pg_database where datname = '{name}'"],  # noqa: S608
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return found.stdout.strip() == "1"


def prepare(size: int, *, reuse: bool, env: dict[str, str]) -> float | None:
    """A seeded database for `size` customers; the seeding seconds, None when reused."""
    name = f"bench_list_{size}"
    if reuse and _exists(name):
        _manage(["migrate", "-v0"], env)
        _manage(["customer_summaries_rebuild"], env)
        seconds = None
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)
        subprocess.run(["createdb", *PG, name], check=True)
        _manage(["migrate", "-v0"], env)
        started = time.perf_counter()
        _manage(["seed_demo", "--customers", str(size), "--seed", "11"], env)
        seconds = round(time.perf_counter() - started, 1)
    subprocess.run(["psql", *PG, "-q", name, "-c", "VACUUM ANALYZE"], check=True)
    return seconds


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }


def measure(runs: int) -> dict[str, dict[str, float]]:
    """In a process whose DATABASE_URL is the seeded database: time the list's reads."""
    sys.path.insert(0, str(ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from crm.core.money import Classification
    from crm.core.phones import phone_display
    from crm.customers.models import Customer
    from crm.customers.selectors import CustomerFilters, customer_page

    rng = random.Random(7)
    picked = list(Customer.objects.order_by("?").values_list("name", "phone")[:runs])
    fragments = []
    for name, _ in picked:
        surname = name.split()[-1].lower()
        start = rng.randrange(max(len(surname) - 3, 1))
        fragments.append(surname[start : start + 4])
    phones = [phone_display(phone) for _, phone in picked if phone]
    digits = [phone[-4:] for _, phone in picked if phone]
    classes = list(Classification.PLAN_VALUES)
    types = ["Refrigerator", "Dryer", "WashingMachine", "Dishwasher", "AirConditioner"]
    filtered = [
        CustomerFilters(
            profitability=classes[i % 4],
            maintenance_overdue=i % 2 == 0,
            appliance_type=types[i % len(types)],
            no_contact_days=30 * (1 + i % 6),
            sort=["-netProfit", "name", "lastContact", "-customerSince"][i % 4],
        )
        for i in range(runs)
    ]
    cases: dict[str, list[CustomerFilters]] = {
        "search name fragment": [CustomerFilters(search=term) for term in fragments],
        "search phone (national format)": [CustomerFilters(search=p) for p in phones],
        "search phone last 4 digits": [CustomerFilters(search=d) for d in digits],
        "filtered list (4 filters + sort)": filtered,
        "whole list, net profit desc": [CustomerFilters(sort="-netProfit")] * runs,
    }

    def timed(filters: CustomerFilters) -> float:
        started = time.perf_counter()
        page = customer_page(filters=filters, page=1)
        page.paginator.count  # noqa: B018 - the COUNT the page shows
        list(page.object_list)
        return (time.perf_counter() - started) * 1000

    results = {}
    for label, all_filters in cases.items():
        timed(all_filters[0])  # warm
        results[label] = _percentiles([timed(filters) for filters in all_filters])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep seeded databases")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.runs)))
        return
    for size in options.sizes:
        env = {**os.environ, "DATABASE_URL": f"{POSTGRES}/bench_list_{size}",
               "LOG_LEVEL": "WARNING", "VAR_DIR": f"/tmp/bench-list-{size}"}  # noqa: S108  # fmt: skip
        env.pop("REDIS_URL", None)
        Path(env["VAR_DIR"]).mkdir(exist_ok=True)
        seeding = prepare(size, reuse=options.reuse, env=env)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", "--runs", str(options.runs)],
            env=env, cwd=ROOT, check=False, capture_output=True, text=True,
        )  # fmt: skip
        if child.returncode:
            raise SystemExit(f"measuring {size} failed:\n{child.stderr[-3000:]}")
        results = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"\n{size:,} customers (seeded in {seeding} s), ms over {options.runs} runs:")
        for label, numbers in results.items():
            print(f"  {label:36} p50 {numbers['p50']:8.2f}   p95 {numbers['p95']:8.2f}")
        load = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps({"customers": size, "seed_seconds": seeding, "load": load, **results}))


if __name__ == "__main__":
    main()
