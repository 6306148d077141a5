"""On PostgreSQL the database also refuses to DELETE access records.

Not on SQLite: Django's test runner empties tables with DELETE there (PostgreSQL uses
TRUNCATE, which row triggers do not see), and SQLite is the embedded demo database. On both,
the model, queryset and base manager refuse deletion; in production the application's
database role should additionally lack DELETE and TRUNCATE on audit_accessrecord
(docs/privacy.md).
"""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION audit_accessrecord_refuse_delete() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'access log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessrecord_no_delete BEFORE DELETE ON audit_accessrecord
FOR EACH ROW EXECUTE FUNCTION audit_accessrecord_refuse_delete();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS audit_accessrecord_no_delete ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_accessrecord_refuse_delete();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_alter_accessrecord_activity")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
