"""Time the nightly engagement sweeps over seed_demo data on SQLite and PostgreSQL.

    .venv/bin/python bench/sweeps_bench.py                                 # 10k and 100k, both
    .venv/bin/python bench/sweeps_bench.py --sizes 1000 --databases sqlite
    .venv/bin/python bench/sweeps_bench.py --reuse                         # keep seeded data

For each database and size: a fresh database (SQLite file under --dir, or PostgreSQL database
bench_sweeps_<size>), `migrate`, `seed_demo --customers N --today DAY`, then
`manage.py engagement_sweep --today DAY` twice, timing engagement_sweep() itself (the
command's Python start-up is reported apart as wall seconds): the first run is the worst
night (every reminder and greeting draft is new; DAY's default is five days before
Thanksgiving, so the holiday's drafts are in it), the second shows the idempotent rerun.
With --reuse an existing seeded database is kept and only the sweep's output is cleared
before the first run.

Targets (issue 6): the first run over 100,000 customers under 60 s, and 100k/10k under 11.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
RESET = """
from crm.engagement.models import Reminder
from crm.messaging.models import ScheduledMessage
Reminder.objects.all().delete()
ScheduledMessage.objects.filter(source="Greeting").delete()
"""


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _environment(database: str, size: int, base_dir: Path) -> dict[str, str]:
    var_dir = base_dir / f"{database}-{size}"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database == "postgresql":
        env["DATABASE_URL"] = f"{POSTGRES}/bench_sweeps_{size}"
    return env


def _seeded(database: str, size: int, env: dict[str, str]) -> bool:
    if database == "sqlite":
        return (Path(env["VAR_DIR"]) / "servicecrm.sqlite3").exists()
    probe = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc"]
    found = subprocess.run(
        [*probe, f"select 1 from pg_database where datname = 'bench_sweeps_{size:d}'"],  # noqa: S608
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return found.stdout.strip() == "1"


def _fresh(database: str, size: int, env: dict[str, str], day: str) -> float:
    """A new database with seed_demo data; returns the seeding seconds."""
    if database == "sqlite":
        for name in ("servicecrm.sqlite3", "servicecrm.sqlite3-wal", "servicecrm.sqlite3-shm"):
            (Path(env["VAR_DIR"]) / name).unlink(missing_ok=True)
    else:
        base = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *base, "--if-exists", f"bench_sweeps_{size}"], check=True)
        subprocess.run(["createdb", *base, f"bench_sweeps_{size}"], check=True)
    _manage(["migrate", "-v0"], env)
    started = time.perf_counter()
    _manage(["seed_demo", "--customers", str(size), "--today", day], env)
    return round(time.perf_counter() - started, 1)


def _sweep(env: dict[str, str], day: str) -> dict[str, object]:
    started = time.perf_counter()
    report: dict[str, object] = json.loads(_manage(["engagement_sweep", "--today", day], env))
    report["wall_seconds"] = round(time.perf_counter() - started, 2)
    report["sweep_seconds"] = report["total_seconds"]  # engagement_sweep() from start to end
    report["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return report


def measure(
    database: str, size: int, *, base_dir: Path, day: str, reuse: bool
) -> dict[str, object]:
    env = _environment(database, size, base_dir)
    seeding = None
    if reuse and _seeded(database, size, env):
        _manage(["migrate", "-v0"], env)
        _manage(["shell", "-c", RESET], env)
        if database == "postgresql":  # the deleted rows would otherwise slow the next inserts
            tables = ("engagement_reminder", "messaging_scheduledmessage")
            vacuum = [arg for table in tables for arg in ("-c", f"VACUUM ANALYZE {table}")]
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", f"bench_sweeps_{size}"]
            subprocess.run([*psql, *vacuum], check=True)
    else:
        seeding = _fresh(database, size, env, day)
    first, second = _sweep(env, day), _sweep(env, day)
    return {"database": database, "customers": size, "seed_seconds": seeding,
            "first": first, "rerun": second}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--day", default="2026-11-21", help="seed and sweep day")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-sweeps"))  # noqa: S108
    parser.add_argument("--reuse", action="store_true", help="keep seeded databases")
    options = parser.parse_args()
    results = []
    for database in options.databases:
        for size in options.sizes:
            result = measure(database, size, base_dir=options.dir, day=options.day,
                             reuse=options.reuse)  # fmt: skip
            results.append(result)
            first, rerun = result["first"], result["rerun"]
            assert isinstance(first, dict)
            assert isinstance(rerun, dict)
            print(
                f"{database:10} {size:>7,} customers: first run {first['sweep_seconds']} s "
                f"({first['reminders_created']:,} reminders, {first['greetings_drafted']:,} "
                f"drafts; steps {first['seconds']}), rerun {rerun['sweep_seconds']} s; "
                f"load average {first['load_average']} / {rerun['load_average']}"
            )
            print(json.dumps(result))
    for database in options.databases:
        runs = {r["customers"]: r for r in results if r["database"] == database}
        if 10_000 in runs and 100_000 in runs:
            big, small = runs[100_000]["first"], runs[10_000]["first"]
            assert isinstance(big, dict)
            assert isinstance(small, dict)
            ratio = float(big["sweep_seconds"]) / float(small["sweep_seconds"])
            print(f"{database}: 100k / 10k = {ratio:.1f} (target < 11)")


if __name__ == "__main__":
    main()
