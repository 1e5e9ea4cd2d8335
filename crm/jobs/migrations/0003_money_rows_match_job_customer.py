"""A payment or expense that names a job must name that job's customer.

This spans two tables, which a CHECK cannot do, so the database enforces it with triggers
(services check first and give a clear message; the trigger is the last guard).
"""

from django.db import migrations

TABLES = ["jobs_payment", "jobs_expense"]

SQLITE_CREATE = """
CREATE TRIGGER {table}_{op}_job_customer BEFORE {op} ON {table}
WHEN NEW.job_id IS NOT NULL AND (
    NEW.customer_id IS NULL OR NEW.customer_id != (SELECT customer_id FROM jobs_job WHERE id = NEW.job_id)
)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {table} customer must be the job''s customer'); END;
"""

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION jobs_money_row_matches_job_customer() RETURNS trigger AS $$
BEGIN
    IF NEW.job_id IS NOT NULL AND (NEW.customer_id IS NULL OR NEW.customer_id IS DISTINCT FROM
        (SELECT customer_id FROM jobs_job WHERE id = NEW.job_id)) THEN
        RAISE EXCEPTION 'customer must be the job''s customer' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER {table}_job_customer BEFORE INSERT OR UPDATE ON {table}
FOR EACH ROW EXECUTE FUNCTION jobs_money_row_matches_job_customer();
"""

# A job's customer may not change once money rows point at it.
SQLITE_JOB = """
CREATE TRIGGER jobs_job_customer_locked BEFORE UPDATE OF customer_id ON jobs_job
WHEN NEW.customer_id != OLD.customer_id AND (
    EXISTS (SELECT 1 FROM jobs_payment WHERE job_id = NEW.id) OR EXISTS (SELECT 1 FROM jobs_expense WHERE job_id = NEW.id)
)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: job with payments or expenses keeps its customer'); END;
"""

POSTGRES_JOB = """
CREATE OR REPLACE FUNCTION jobs_job_customer_locked() RETURNS trigger AS $$
BEGIN
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND (
        EXISTS (SELECT 1 FROM jobs_payment WHERE job_id = NEW.id)
        OR EXISTS (SELECT 1 FROM jobs_expense WHERE job_id = NEW.id)) THEN
        RAISE EXCEPTION 'job with payments or expenses keeps its customer' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER jobs_job_customer_locked BEFORE UPDATE ON jobs_job
FOR EACH ROW EXECUTE FUNCTION jobs_job_customer_locked();
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(SQLITE_CREATE.format(table=table, op=op))
        schema_editor.execute(SQLITE_JOB)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))
        schema_editor.execute(POSTGRES_JOB)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{op}_job_customer")
        schema_editor.execute("DROP TRIGGER IF EXISTS jobs_job_customer_locked")
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_job_customer ON {table}")
        schema_editor.execute("DROP TRIGGER IF EXISTS jobs_job_customer_locked ON jobs_job")
        schema_editor.execute("DROP FUNCTION IF EXISTS jobs_money_row_matches_job_customer()")
        schema_editor.execute("DROP FUNCTION IF EXISTS jobs_job_customer_locked()")


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
