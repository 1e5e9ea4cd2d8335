"""Bulk load of the scale benchmark's rows into a migrated PostgreSQL database with COPY.

Fast path (the default), all in one transaction:
1. `SET session_replication_role = replica`: no row triggers fire, neither the foreign-key
   checks (deferred, so they would queue one event per row until commit) nor ADR 0001's
   "a payment's customer is its job's customer" triggers. CHECK, NOT NULL and UNIQUE still
   apply to every row. Step 5 checks what the triggers would have checked, set-based.
2. TRUNCATE the tables (new in this transaction, so `COPY ... (FREEZE)` may write the rows
   frozen and all-visible: no vacuum pass is needed afterwards), drop their plain indexes.
3. Worker processes build chunks of customers (bench/scale_rows.py); this process streams
   each chunk's tables with `cursor.copy()`, at most a few chunks ahead (memory stays flat).
4. Recreate the indexes (one sort each instead of a million inserts), move the identity
   sequences past the ids used, commit, ANALYZE.
5. Verify: every foreign key of the loaded tables points at a row, and every payment and
   expense with a job has that job's customer (what the triggers check).

`triggers=True` loads the plain way instead, for comparison: triggers on, indexes kept, one
transaction per chunk (so the deferred foreign-key events of a chunk are checked at its commit).
Neither trigger maintains a total (they only refuse mismatched rows), so there is no total
to recompute after the fast path.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from typing import Any

import psycopg
from scale_rows import COLUMNS, Plan, chunk_text, technicians_text

MONEY_TRIGGER_CHECK = """
SELECT count(*) FROM {table} m JOIN jobs_job j ON j.id = m.job_id
WHERE m.customer_id IS DISTINCT FROM j.customer_id
"""
PLAIN_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname = ANY(%s) AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
"""
MISSING_COLUMNS = """
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = ANY(%s) AND is_nullable = 'NO'
  AND column_default IS NULL AND is_identity = 'NO' AND is_generated = 'NEVER'
"""
AHEAD = 3  # chunks built ahead of the one being copied


def _text(value: Any) -> str:
    """A Python default as COPY text."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def missing_columns(
    connection: psycopg.Connection[Any], default_of: Callable[[str, str], Any]
) -> dict[str, tuple[list[str], str]]:
    """NOT NULL columns that scale_rows does not know (added by later migrations), per table,
    with the text to append to each line: the model field's default, asked of `default_of`."""
    found = connection.execute(MISSING_COLUMNS, [list(COLUMNS)]).fetchall()
    missing: dict[str, tuple[list[str], str]] = {}
    for table, column in found:
        if column in COLUMNS[table]:
            continue
        names, suffix = missing.get(table, ([], ""))
        missing[table] = ([*names, column], suffix + "\t" + _text(default_of(table, column)))
        print(f"  {table}.{column} is not generated: filled with its default", flush=True)
    return missing


def _copy(
    connection: psycopg.Connection[Any],
    table: str,
    text: str,
    *,
    missing: tuple[list[str], str],
    freeze: bool,
) -> None:
    if not text:
        return
    extra, suffix = missing
    if suffix:
        text = text.replace("\n", suffix + "\n")
    names = ", ".join((*COLUMNS[table], *extra))
    options = " WITH (FREEZE)" if freeze else ""
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN{options}") as copy,
    ):
        copy.write(text)


def _chunks(plan: Plan, customers: int, chunk: int, workers: int) -> Iterator[dict[str, str]]:
    """Chunks in order, built by `workers` processes, at most AHEAD waiting."""
    starts = iter(range(1, customers + 1, chunk))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[Future[dict[str, str]]] = []
        for start in starts:
            pending.append(pool.submit(chunk_text, plan, start, min(start + chunk, customers + 1)))
            if len(pending) > AHEAD:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _indexes_drop(connection: psycopg.Connection[Any]) -> list[str]:
    found = connection.execute(PLAIN_INDEXES, [list(COLUMNS)]).fetchall()
    for name, _definition in found:
        connection.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


def _sequences_advance(connection: psycopg.Connection[Any]) -> None:
    for table in COLUMNS:
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 (our table names)
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)",
            [table],
        )


def seed(
    url: str,
    plan: Plan,
    *,
    customers: int,
    default_of: Callable[[str, str], Any],
    chunk: int = 5000,
    workers: int = 2,
    triggers: bool = False,
) -> dict[str, Any]:
    """Load `customers` customers and their histories; returns rows per table and seconds."""
    timings: dict[str, float] = {}
    counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
    started = time.perf_counter()
    fast = not triggers
    with psycopg.connect(url, autocommit=not fast) as connection:
        missing = missing_columns(connection, default_of)
        if fast:
            connection.execute("SET session_replication_role = replica")
            connection.execute("SET maintenance_work_mem = '256MB'")
            connection.execute(f"TRUNCATE {', '.join(COLUMNS)} CASCADE")
            definitions = _indexes_drop(connection)

        def load(tables: dict[str, str]) -> None:
            # COPY FREEZE refuses to run in a savepoint: the fast path has one transaction.
            with nullcontext() if fast else connection.transaction():
                for table, text in tables.items():
                    _copy(connection, table, text, missing=missing.get(table, ([], "")),
                          freeze=fast)  # fmt: skip
                    counts[table] += text.count("\n")

        load(technicians_text(plan))
        done = 0
        for tables in _chunks(plan, customers, chunk, workers):
            load(tables)
            done += tables["customers_customer"].count("\n")
            if done % 100_000 < chunk:
                elapsed = time.perf_counter() - started
                print(f"  {done:,} customers in {elapsed:.0f} s", flush=True)
        timings["copy_seconds"] = time.perf_counter() - started
        if fast:
            mark = time.perf_counter()
            for definition in definitions:
                connection.execute(definition)
            timings["index_seconds"] = time.perf_counter() - mark
        _sequences_advance(connection)
        if fast:
            connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        mark = time.perf_counter()
        connection.execute("ANALYZE")
        timings["analyze_seconds"] = time.perf_counter() - mark
        mark = time.perf_counter()
        problems = verify(connection)
        timings["verify_seconds"] = time.perf_counter() - mark
    timings["seed_seconds"] = time.perf_counter() - started - timings["verify_seconds"]
    return {"rows": counts, "total_rows": sum(counts.values()), "problems": problems,
            **{key: round(value, 1) for key, value in timings.items()}}  # fmt: skip


def verify(connection: psycopg.Connection[Any]) -> list[str]:
    """What the skipped triggers would have refused: dangling foreign keys, and money rows
    whose customer is not their job's. Returns one line per problem (none expected)."""
    problems = []
    for table, column, target, target_column in connection.execute(
        FOREIGN_KEYS, [list(COLUMNS)]
    ).fetchall():
        dangling = connection.execute(
            f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {target} t WHERE t.{target_column} = c.{column})"
        ).fetchone()
        if dangling and dangling[0]:
            problems.append(f"{table}.{column}: {dangling[0]} rows point at no {target}")
    for table in ("jobs_payment", "jobs_expense"):
        wrong = connection.execute(MONEY_TRIGGER_CHECK.format(table=table)).fetchone()
        if wrong and wrong[0]:
            problems.append(f"{table}: {wrong[0]} rows whose customer is not their job's")
    return problems
