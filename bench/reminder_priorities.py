"""How the demo's open reminders split by priority, per customer (issue 13: "at most a fifth of
a typical customer's open reminders are High"), and how many lines collapsing and de-duplication
would save.

    .venv/bin/python bench/reminder_priorities.py                 # 1000 demo customers
    .venv/bin/python bench/reminder_priorities.py --customers 300 --today 2026-11-21

A fresh SQLite database under --dir: `migrate`, `seed_demo --customers N --today DAY`,
`engagement_sweep --today DAY`, then the distribution over customers with open (or snoozed)
reminders: the share that is High (median, p90, max), the same for Medium and Low, the
overdue-more-than-a-year reminders and how many "long overdue" lines they would be (one per
appliance), and the open reminders sharing an appliance and a kind with another.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURE = r"""
import datetime as dt, statistics
from collections import Counter, defaultdict
from crm.engagement.models import Reminder
day = dt.date.fromisoformat("{day}")
rows = list(Reminder.objects.filter(status__in=["Open", "Snoozed"]).values_list(
    "customer_id", "priority", "appliance_id", "kind", "due_date"))
by_customer = defaultdict(Counter)
for customer, priority, *_ in rows:
    by_customer[customer][priority] += 1
def share(level):
    values = sorted(c[level] / sum(c.values()) for c in by_customer.values())
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return f"median {{statistics.median(values):.2f}}  p90 {{p90:.2f}}  max {{values[-1]:.2f}}"
print(f"open reminders {{len(rows)}} over {{len(by_customer)}} customers")
print("per customer, share of open reminders:")
for level in ("High", "Medium", "Low"):
    print(f"  {{level:<6}} {{share(level)}}")
totals = Counter(priority for _, priority, *_ in rows)
print("all open reminders:", dict(totals))
old = [r for r in rows if r[4] < day - dt.timedelta(days=365)]
print(f"overdue more than a year: {{len(old)}} reminders, "
      f"{{len({{(r[0], r[2]) for r in old}})}} 'long overdue' lines (one per appliance)")
keys = Counter((r[2], r[3]) for r in rows if r[2] is not None)
twins = sum(n - 1 for n in keys.values() if n > 1)
print(f"same appliance and kind as another open one: {{twins}}")
"""


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--today", default="2026-11-21")
    parser.add_argument("--dir", default="")
    options = parser.parse_args()
    base = Path(options.dir or tempfile.mkdtemp(prefix="reminder-priorities-"))
    env = {**os.environ, "VAR_DIR": str(base), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    (base / "servicecrm.sqlite3").unlink(missing_ok=True)
    _manage(["migrate", "--noinput"], env)
    _manage(["seed_demo", "--customers", str(options.customers), "--today", options.today], env)
    _manage(["engagement_sweep", "--today", options.today], env)
    print(f"{options.customers} demo customers, day {options.today}")
    print(_manage(["shell", "-c", MEASURE.format(day=options.today)], env), end="")


if __name__ == "__main__":
    main()
