"""Each part of the Today page timed alone on a kept scale database (issue 11).

    .venv/bin/python bench/today_parts.py [--database servicecrm_scale_1m] [--runs 10]

What /today/ runs per section (its count and its first page of rows, customer and the rest
joined) and the header badge's five counts (/today/counts/), called through the selectors in
this process against the database named (127.0.0.1:5432, trust auth, user postgres; see
bench/scale_bench.py, which seeds and keeps it). Prints p50 / fastest in ms and the rows found.
The selectors' names and arguments are the same since Today landed, so the script also times
an older checkout of the code (copy it beside that checkout's manage.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _parts() -> dict[str, Callable[[], Any]]:
    from crm.office.selectors import today as selectors

    def section(read: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            page = read()
            return (page.paginator.count, len(list(page)))

        return run

    return {
        "reminders": section(lambda: selectors.today_reminders(filters=selectors.ReminderFilter())),
        "messages": section(selectors.today_messages),
        "drafts": section(selectors.today_drafts),
        "low scores": section(selectors.today_low_scores),
        "unanswered": section(selectors.today_unanswered),
        "visits": section(selectors.today_visits),
        "header counts": lambda: selectors.today_counts().total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", default="servicecrm_scale_1m")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(f"{args.database}, load average {os.getloadavg()}", flush=True)
    for name, run in _parts().items():
        found = run()  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {name:<14} p50 {statistics.median(times):9.1f} ms  fastest {min(times):9.1f} ms"
              f"  ({found})", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
