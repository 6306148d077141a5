"""The import tables get this app's names (``imports_importjob`` …). A rename, not a copy:
SQLite (3.26 and later) and PostgreSQL keep the rows, the ids and the foreign keys that
point at the renamed tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("candidates", "0016_imports_move_to_their_own_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="columnmapping", table=None),
        migrations.AlterModelTable(name="importjob", table=None),
        migrations.AlterModelTable(name="importrejection", table=None),
    ]
