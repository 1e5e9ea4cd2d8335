"""One multi-row upsert for the nightly sweeps, on SQLite and PostgreSQL alike.

The sweeps write hundreds of thousands of rows. Django's bulk_create spends ~0.25 ms of
Python per row preparing values (it dominated the sweep), and its update_conflicts form
cannot say "only refresh rows that are still open"; executemany sends one statement per row
(on PostgreSQL each pays the server's per-statement cost). This helper sends
`INSERT ... VALUES (..), (..), ... ON CONFLICT (key) DO NOTHING | DO UPDATE ... WHERE ...`,
a few thousand rows per statement, in words both databases accept (SQLite >= 3.24).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

MAX_ROWS = 2000
MAX_ROWS_ARRAYS = 10_000  # PostgreSQL: one array per column, the statement stays short
MAX_PARAMETERS = 30_000  # SQLite allows 32,766 per statement; PostgreSQL 65,535


@dataclass(frozen=True)
class Upsert:
    """An INSERT for `width` columns; the rows come as a VALUES list, or on PostgreSQL as one
    array per column (`unnest`), so the statement text stays short whatever the batch."""

    head: str
    tail: str
    width: int
    column_types: tuple[str, ...]


def upsert_sql(
    model: type[models.Model], *, columns: Sequence[str], conflict: str,
    refresh: Sequence[str] = (), refresh_when: str = "",
) -> Upsert:  # fmt: skip
    """Insert; on a key conflict do nothing, or refresh the `refresh` columns where
    `refresh_when` (SQL over the table and `excluded`) holds."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    head = f"INSERT INTO {table} ({names}) "
    tail = f" ON CONFLICT ({quote(conflict)}) "
    fields = {field.column: field for field in model._meta.concrete_fields}
    types = tuple(str(fields[c].db_type(connection)) for c in columns)
    if not refresh:
        return Upsert(head, tail + "DO NOTHING", len(columns), types)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in refresh)
    tail += f"DO UPDATE SET {updates}" + (f" WHERE {refresh_when}" if refresh_when else "")
    return Upsert(head, tail, len(columns), types)


def _statement(upsert: Upsert, batch: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in upsert.column_types)
        columns = [list(column) for column in zip(*batch, strict=True)]
        # Table, column and type names come from the model, never from input.
        return f"{upsert.head}SELECT * FROM unnest({arrays}){upsert.tail}", columns  # noqa: S608
    placeholder = "(" + ", ".join(["%s"] * upsert.width) + ")"
    values = ", ".join([placeholder] * len(batch))
    return f"{upsert.head}VALUES {values}{upsert.tail}", [v for row in batch for v in row]


def upsert_rows(statement: Upsert, rows: Sequence[Sequence[Any]]) -> int:
    """Write every row, a batch per statement; returns the rows inserted or refreshed.
    A key must appear once per call (PostgreSQL refuses to update one row twice)."""
    postgres = connection.vendor == "postgresql"
    size = MAX_ROWS_ARRAYS if postgres else max(1, min(MAX_ROWS, MAX_PARAMETERS // statement.width))
    written = 0
    for start in range(0, len(rows), size):
        sql, params = _statement(statement, rows[start : start + size])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
    return written
