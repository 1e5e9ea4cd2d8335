"""Indexes of the customer list that differ by database (docs/adr/0006).

PostgreSQL: pg_trgm GIN indexes for fragment search. Django's icontains is
`UPPER(col::text) LIKE UPPER(%s)`, so they are on UPPER(col). SQLite has no such index: a
fragment search scans the table there (see the ADR for sizes).
Last contact sorts never-contacted first going up and last going down: an index in that order
(NULLS FIRST) on PostgreSQL, a plain one on SQLite (whose NULLs already sort that way and
which cannot spell NULLS FIRST in an index).
"""

from django.db import migrations

COLUMNS = ("name", "email", "phone", "address")


LAST_CONTACT = "CREATE INDEX customer_last_contact_idx ON customers_customer (last_contact_at{}, id)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(LAST_CONTACT.format(""))
        return
    schema_editor.execute(LAST_CONTACT.format(" NULLS FIRST"))
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS customer_{column}_trgm ON customers_customer "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS customer_last_contact_idx")
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS customer_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_list_summaries")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
