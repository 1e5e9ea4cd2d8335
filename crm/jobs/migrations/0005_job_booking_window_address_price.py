"""A booked visit's arrival window, service address and estimated price (never below zero).

SQLite rebuilds the jobs table to add these, and its triggers on the money rows (0003) name
that table: they are dropped first and made again after, on SQLite only (PostgreSQL alters the
table in place and keeps them).
"""

import importlib

from django.db import migrations, models

MONEY_ROWS = importlib.import_module("crm.jobs.migrations.0003_money_rows_match_job_customer")


def _on_sqlite(step):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            step(apps, schema_editor)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0004_job_open_scheduled_idx"),
    ]

    operations = [
        migrations.RunPython(
            _on_sqlite(MONEY_ROWS.drop_triggers), _on_sqlite(MONEY_ROWS.create_triggers)
        ),
        migrations.AddField(
            model_name="job",
            name="arrival_window",
            field=models.CharField(blank=True, max_length=11),
        ),
        migrations.AddField(
            model_name="job",
            name="estimated_price",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="service_address",
            field=models.TextField(blank=True),
        ),
        migrations.AddConstraint(
            model_name="job",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("estimated_price__gte", 0), ("estimated_price__isnull", True), _connector="OR"
                ),
                name="job_estimated_price_non_negative",
            ),
        ),
        migrations.RunPython(
            _on_sqlite(MONEY_ROWS.create_triggers), _on_sqlite(MONEY_ROWS.drop_triggers)
        ),
    ]
