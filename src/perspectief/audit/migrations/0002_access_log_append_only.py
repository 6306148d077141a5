"""The database itself refuses to change an access record (the application never does).

Deletion is refused by the model and queryset; the retention job (a later capability) is the
only path that removes expired records, and it does so through its own documented route.
"""

from django.db import migrations

SQLITE = """
CREATE TRIGGER audit_accessrecord_no_update BEFORE UPDATE ON audit_accessrecord
BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS audit_accessrecord_no_update;"

POSTGRES = """
CREATE OR REPLACE FUNCTION audit_accessrecord_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'access log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessrecord_no_update BEFORE UPDATE ON audit_accessrecord
FOR EACH ROW EXECUTE FUNCTION audit_accessrecord_refuse_update();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS audit_accessrecord_no_update ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_accessrecord_refuse_update();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
