"""Fragment search on PostgreSQL: pg_trgm GIN indexes for the customer list (docs/adr/0005).

Django's icontains is `UPPER(col::text) LIKE UPPER(%s)`, so the indexes are on UPPER(col).
SQLite has no such index: a fragment search scans the table there (see the ADR for sizes).
"""

from django.db import migrations

COLUMNS = ("name", "email", "phone", "address")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS customer_{column}_trgm ON customers_customer "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS customer_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_list_summaries")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
