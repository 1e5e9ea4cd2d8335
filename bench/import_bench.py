"""Time the CSV import of customers (issue 11) on a fresh SQLite database.

    .venv/bin/python bench/import_bench.py 10000
    .venv/bin/python bench/import_bench.py 100000 [--existing 0.1] [--keep DIR]

Builds a throw-away VAR_DIR (SQLite file, `migrate`), seeds --existing x N customers (not
timed), and writes a CSV of N rows: each row a customer with an appliance and a past job with
its payment; the first --existing share of the rows carry the phone of a seeded customer (so
they update it), the rest are new. Then, as the page and the API do:

1. dry run: `customers_import_check` (read with tablib, check and match every row, no write);
2. confirm: `customers_import` (the same check again, then every write in one transaction).

Prints wall and CPU seconds and rows/s for each (CPU: this process, SQLite included; on a
shared machine it is what an idle one would take), the load average, and the rows written.
Target: 100,000 rows under 2 minutes (dry run + confirm).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Name", "Phone", "Email", "Address", "Preferred contact method", "Appliance type",
          "Brand", "Model", "Serial", "Install date", "Job date", "Job description", "Amount",
          "Payment method"]  # fmt: skip
TYPES = ["Refrigerator", "Washer", "Dryer", "Dishwasher", "Oven", "AC", "Water heater"]
METHODS = ["Card", "Cash", "Check", "Bank transfer"]


def _phone(index: int) -> str:
    return f"(555) {200 + index // 10000 % 800:03d}-{index % 10000:04d}"


def _csv(rows: int, existing: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(rows):
        writer.writerow([
            f"Customer {n}", _phone(n), f"customer{n}@example.com", f"{n} Main Street, Springfield",
            "SMS" if n % 3 else "Email", TYPES[n % len(TYPES)], "Whirlpool", f"M-{n}",
            f"S{n:08d}", "2018-04-01", f"2024-{n % 12 + 1:02d}-15", "Annual service",
            f"{100 + n % 400}.50", METHODS[n % len(METHODS)],
        ])  # fmt: skip
    return out.getvalue().encode()


def _setup(var_dir: Path) -> None:
    os.environ.update({"VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"})
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(existing: int) -> None:
    from crm.core.phones import phone_normalize
    from crm.customers.models import Customer
    from crm.customers.services import customers_bulk_create

    customers_bulk_create(customers=[
        Customer(name=f"Old {n}", phone=phone_normalize(_phone(n))) for n in range(existing)
    ])  # fmt: skip


def _timed(label: str, rows: int, call):  # type: ignore[no-untyped-def]
    """Wall time, and this process's CPU time (SQLite runs in it): on a shared machine the
    CPU time is what an idle one would need."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = call()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"{label:8} wall {seconds:7.1f} s {rows / seconds:7.0f} rows/s"
          f"   cpu {cpu:7.1f} s {rows / cpu:7.0f} rows/s")  # fmt: skip
    return result, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int, nargs="?", default=10_000)
    parser.add_argument("--existing", type=float, default=0.1, help="share of rows that update")
    parser.add_argument("--keep", type=Path, help="use this VAR_DIR and keep it")
    args = parser.parse_args()
    var_dir = args.keep or Path(tempfile.mkdtemp(prefix="import-bench-"))
    _setup(var_dir)
    existing = int(args.rows * args.existing)
    _seed(existing)
    data = _csv(args.rows, existing)
    print(f"{args.rows} rows ({len(data) / 1e6:.1f} MB), {existing} matching existing customers")

    from crm.customers.models import Customer
    from crm.jobs.models import Payment
    from crm.office.importing.apply import customers_import, customers_import_check

    checked, dry = _timed(
        "dry run", args.rows, lambda: customers_import_check(data=data, mapping=None)
    )
    assert not checked.plan.errors, checked.plan.errors[:5]
    _, confirm = _timed(
        "confirm", args.rows, lambda: customers_import(data=data, mapping=None, author=None)
    )
    print(f"total cpu {dry + confirm:6.1f} s  (target < 120 s for 100,000 rows)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"written: {Customer.objects.count()} customers, {Payment.objects.count()} payments;"
          f" counts {checked.plan.counts()}")  # fmt: skip
    if args.keep is None:
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
