"""Fill the database with a realistic, deterministic demo: `demo_seed` is the one entry point.

Same seed + customer count + day => identical rows (see crm.demo.context for dates). Customers
are built and inserted a chunk at a time, each chunk in its own transaction, so memory stays
flat and 100,000 customers fit in minutes. Runs only on a database without customers unless
`append=True`, which adds customers next to the existing ones (reusing their technicians).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn, Protocol

from django.db import transaction
from tqdm import tqdm

from crm.core.dates import company_today
from crm.core.errors import Conflict, ValidationFailed
from crm.customers.models import Customer
from crm.demo.context import SeedContext, context_new
from crm.demo.customers import customer_plan_new
from crm.demo.history import history_add
from crm.demo.maintenance_plans import demo_plans_add
from crm.demo.outbox import outbox_problems_add
from crm.demo.referrals import referrers_assign
from crm.demo.rows import ChunkRows, chunk_save
from crm.demo.showcase import SHOWCASE_REFERS, showcase_plan
from crm.demo.technicians import technicians_build
from crm.engagement.services.summaries import customer_summaries_rebuild
from crm.technicians.models import Technician

DEFAULT_CUSTOMERS = 300
DEFAULT_SEED = 42
CHUNK_SIZE = 1000
PROGRESS_FROM = 2000


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


class DemoDataExists(Conflict):
    """The database already has customers and the caller did not ask to append."""


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind one run created, and how long it took."""

    technicians: int = 0
    customers: int = 0
    consents: int = 0
    locations: int = 0
    appliances: int = 0
    jobs: int = 0
    payments: int = 0
    expenses: int = 0
    reviews: int = 0
    technician_ratings: int = 0
    follow_ups: int = 0
    follow_up_logs: int = 0
    activities: int = 0
    referrals: int = 0
    messages: int = 0
    maintenance_plans: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        counts = dataclasses.asdict(self)
        counts.pop("seconds")
        return sum(counts.values())

    def plus(self, counts: dict[str, int]) -> DemoSummary:
        current = dataclasses.asdict(self)
        return dataclasses.replace(self, **{k: current[k] + v for k, v in counts.items()})


def _refuse_unless_empty(*, append: bool) -> None:
    existing = Customer.objects.count()
    if existing and not append:
        raise DemoDataExists(
            f"The database already has {existing} customers; seed_demo fills an empty "
            "database only. Use --append (append=True) to add demo customers anyway."
        )


def _crew(ctx: SeedContext) -> int:
    """Reuse the technicians already there; otherwise create the demo crew. Returns created."""
    ctx.technicians = list(Technician.objects.order_by("id"))
    if ctx.technicians:
        return 0
    with transaction.atomic():
        ctx.technicians = Technician.objects.bulk_create(technicians_build(ctx))
    return len(ctx.technicians)


def chunk_build(ctx: SeedContext, *, size: int, with_showcase: bool) -> ChunkRows:
    """`size` customers' histories as unsaved rows; referrers come from the same chunk."""
    showcase = showcase_plan(ctx) if with_showcase else None
    plans = [showcase] if showcase else []
    plans += [customer_plan_new(ctx) for _ in range(size - len(plans))]
    referrers_assign(ctx, plans, showcase, SHOWCASE_REFERS)
    rows = ChunkRows()
    for plan in plans:
        history_add(ctx, plan, rows)
    return rows


def _progress(customers: int) -> tqdm[NoReturn]:
    """A bar on stderr for long runs in a terminal; silent otherwise."""
    quiet = customers < PROGRESS_FROM or not sys.stderr.isatty()
    return tqdm(total=customers, unit=" customers", file=sys.stderr, disable=quiet)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A chunk's rows all live until inserted and form no cycles, so the cyclic collector
    would only rescan them again and again: pausing it saves a third of the build time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks_save(ctx: SeedContext, *, customers: int, with_showcase: bool) -> DemoSummary:
    """Build and insert `customers` a chunk at a time, one transaction per chunk."""
    summary = DemoSummary()
    with _progress(customers) as bar:
        for start in range(0, customers, CHUNK_SIZE):
            size = min(CHUNK_SIZE, customers - start)
            with _collector_paused():
                rows = chunk_build(ctx, size=size, with_showcase=with_showcase and start == 0)
                chunk_save(rows)
            summary = summary.plus(rows.counts())
            bar.update(size)
    return summary


def demo_seed(
    *,
    customers: int,
    seed: int,
    stdout: TextSink | None = None,
    today: dt.date | None = None,
    append: bool = False,
) -> DemoSummary:
    """Create `customers` demo customers with full histories; Maria Gonzalez first when empty."""
    if customers < 1:
        raise ValidationFailed("Give at least one customer.", field="customers")
    _refuse_unless_empty(append=append)
    started = time.perf_counter()
    ctx = context_new(seed=seed, today=today or company_today())
    ctx.used_codes.update(Customer.objects.values_list("referral_code", flat=True))
    first_customers = not ctx.used_codes
    technicians = _crew(ctx)
    last_before = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    summary = _chunks_save(ctx, customers=customers, with_showcase=first_customers)
    summary = dataclasses.replace(
        summary, maintenance_plans=demo_plans_add(after_customer_id=last_before, today=ctx.today)
    )
    if first_customers:  # a handful, once: they stand for a working office's bad sends
        with transaction.atomic():
            summary = dataclasses.replace(summary, messages=outbox_problems_add(ctx))
    customer_summaries_rebuild()  # rows were written in bulk, past the services
    summary = dataclasses.replace(
        summary, technicians=technicians, seconds=round(time.perf_counter() - started, 2)
    )
    if stdout is not None:
        stdout.write(summary_text(summary) + "\n")
    return summary


def summary_text(summary: DemoSummary) -> str:
    counts = dataclasses.asdict(summary)
    seconds = counts.pop("seconds")
    parts = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
    return f"Seeded {summary.rows} rows in {seconds:.1f} s: {parts}."
