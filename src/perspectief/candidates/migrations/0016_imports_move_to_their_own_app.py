"""The import framework (jobs, rejected rows, column mappings) moved to ``perspectief.imports``.

State only: ``imports`` 0001 took the models over on the same tables; here they leave this
app's state. The tables and their rows are untouched (``imports`` 0002 renames them).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0015_consent_statement_and_method_required"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ImportRejection"),
                migrations.DeleteModel(name="ImportJob"),
                migrations.DeleteModel(name="ColumnMapping"),
            ],
            database_operations=[],
        ),
    ]
