"""django-auditlog's own migrations create its `auditlog_logentry` table although our
AuditEntry replaces its model (AUDITLOG_LOGENTRY_MODEL). Nothing writes to that table, but its
foreign keys to content types and users make PostgreSQL refuse the TRUNCATE of those tables
that Django's `flush` runs (the tests' transactional cases): Django no longer knows the table, so
it is not truncated with them. The table stays (auditlog's later migrations may alter it);
only its foreign keys go."""

from django.db import migrations

DROP_FOREIGN_KEYS = """
DO $$
DECLARE constraint_name text;
BEGIN
    IF to_regclass('auditlog_logentry') IS NULL THEN RETURN; END IF;
    FOR constraint_name IN
        SELECT conname FROM pg_constraint
        WHERE conrelid = 'auditlog_logentry'::regclass AND contype = 'f'
    LOOP
        EXECUTE 'ALTER TABLE auditlog_logentry DROP CONSTRAINT ' || quote_ident(constraint_name);
    END LOOP;
END $$;
"""


def unbind(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FOREIGN_KEYS)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entry"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(unbind, migrations.RunPython.noop)]
