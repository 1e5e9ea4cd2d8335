"""Time `manage.py seed_demo` at scale on a throwaway SQLite database.

    .venv/bin/python bench/seed_scale.py                      # 10,000 and 100,000 customers
    .venv/bin/python bench/seed_scale.py --customers 1000 --keep

Each size gets a fresh VAR_DIR (so the default SQLite file lands there), `migrate`, then the
timed `seed_demo`. Prints wall seconds of the command, rows created and rows per second, plus
one JSON line per size for other benchmarks to read. The issue's budget: 100,000 customers in
under 10 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"Seeded (\d+) rows in ([\d.]+) s")


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def measure(customers: int, *, seed: int, keep: bool) -> dict[str, object]:
    """Seed `customers` into a new SQLite file; return the timings."""
    var_dir = tempfile.mkdtemp(prefix="seed-scale-")
    env = {**os.environ, "VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    try:
        _manage(["migrate", "-v0"], env)
        started = time.perf_counter()
        output = _manage(["seed_demo", "--customers", str(customers), "--seed", str(seed)], env)
        wall = time.perf_counter() - started
    finally:
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    found = SUMMARY.search(output)
    rows = int(found.group(1)) if found else 0
    inside = float(found.group(2)) if found else wall
    return {
        "customers": customers, "rows": rows, "wall_seconds": round(wall, 1),
        "seed_seconds": inside, "rows_per_second": round(rows / inside) if inside else 0,
        "database": "sqlite", "var_dir": var_dir if keep else None,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    options = parser.parse_args()
    for customers in options.customers:
        result = measure(customers, seed=options.seed, keep=options.keep)
        print(
            f"seed_demo --customers {customers:,}: {result['wall_seconds']} s wall "
            f"({result['seed_seconds']} s seeding), {result['rows']:,} rows, "
            f"{result['rows_per_second']:,} rows/s"
        )
        print(json.dumps(result))


if __name__ == "__main__":
    main()
