"""Unsaved rows of one chunk of customers, and their fast insert in dependency order.

Each table gets one `executemany` instead of bulk_create, which spends most of its time
compiling SQL per row (this is what keeps 100,000 customers well under ten minutes).
Rows that others point at get their ids before they are inserted: reserved from the sequence
on PostgreSQL; on SQLite the next free ones, which nobody else can take while the chunk's
transaction holds the write lock (a concurrent writer makes the insert fail, never mix rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from crm.activities.models import Activity
from crm.appliances.models import Appliance
from crm.customers.models import ContactConsent, Customer, ServiceLocation
from crm.engagement.models import FollowUpLog
from crm.jobs.models import Expense, Job, Payment
from crm.referrals.models import Referral
from crm.reviews.models import Review, ServiceFollowUp
from crm.technicians.models import CustomerTechnicianRating

# Rows other rows point at: they get their ids before the insert.
PARENTS = ("customers", "locations", "appliances", "jobs")
# Values the database drivers take as they are.
SIMPLE_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)

SQLITE_NEXT_ID = (
    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
    "COALESCE((SELECT MAX({pk}) FROM {table}), 0))"
)
POSTGRES_IDS = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


@dataclass
class ChunkRows:
    """Field order is insert order: every row's foreign keys point at rows inserted before it."""

    customers: list[Customer] = field(default_factory=list)
    consents: list[ContactConsent] = field(default_factory=list)
    locations: list[ServiceLocation] = field(default_factory=list)
    appliances: list[Appliance] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    technician_ratings: list[CustomerTechnicianRating] = field(default_factory=list)
    follow_ups: list[ServiceFollowUp] = field(default_factory=list)
    follow_up_logs: list[FollowUpLog] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {item.name: len(getattr(self, item.name)) for item in fields(self)}


def _reserved_ids(meta: Any, count: int, connection: Any) -> list[int]:
    """`count` ids nobody else will use for this table."""
    quote, pk = connection.ops.quote_name, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_IDS, [meta.db_table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            SQLITE_NEXT_ID.format(pk=quote(pk), table=quote(meta.db_table)), [meta.db_table]
        )
        last = int(cursor.fetchone()[0])
        return list(range(last + 1, last + 1 + count))


def _column_reader(field: Any, connection: Any, now: dt.datetime) -> Callable[[Any], Any]:
    """How to read one column's database value off a row, decided once per table.

    A foreign key set to a row built in the same run reads that row's id, known by now;
    dates, times and decimals go through the backend's own adapters.
    """
    ops, attname = connection.ops, field.attname
    if field.is_relation:
        name = field.name

        def foreign_key(row: Any) -> Any:
            value = getattr(row, attname)
            related = row._state.fields_cache.get(name) if value is None else None
            return related.pk if related is not None else value

        return foreign_key
    if isinstance(field, models.DateTimeField):
        stamp = ops.adapt_datetimefield_value(now)
        if field.auto_now or field.auto_now_add:
            return lambda row: stamp
        return lambda row: ops.adapt_datetimefield_value(getattr(row, attname))
    if isinstance(field, models.DateField):
        return lambda row: ops.adapt_datefield_value(getattr(row, attname))
    if isinstance(field, SIMPLE_FIELDS):
        return attrgetter(attname)
    return lambda row: field.get_db_prep_save(getattr(row, attname), connection)


def _insert(rows: list[Any], *, with_ids: bool) -> None:
    """Insert rows of one model with a single executemany; `with_ids` sets their ids first."""
    if not rows:
        return
    meta = rows[0]._meta
    connection = connections[router.db_for_write(type(rows[0]))]
    if with_ids:
        for row, pk in zip(rows, _reserved_ids(meta, len(rows), connection), strict=True):
            row.pk = pk
    columns = [
        f for f in meta.concrete_fields if (with_ids or not f.primary_key) and not f.generated
    ]  # a generated column is the database's to fill
    readers = [_column_reader(column, connection, timezone.now()) for column in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column.column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 (model names)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[read(row) for read in readers] for row in rows])


def chunk_save(rows: ChunkRows) -> None:
    """Insert a chunk in one transaction: all of its customers' history or none of it."""
    with transaction.atomic():
        for item in fields(rows):
            _insert(getattr(rows, item.name), with_ids=item.name in PARENTS)
