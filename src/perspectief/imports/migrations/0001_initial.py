"""The import framework moves from ``candidates`` into its own app, keeping the data.

State only: the three models are created here on the tables ``candidates`` made
(``candidates/migrations/0002_imports.py``, ``0007``, ``0011``); ``candidates`` 0016 removes
them from its state, and ``0002_table_names`` gives the tables this app's names. Nothing is
copied: the rows, their ids and the foreign keys between them stay as they are.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("candidates", "0015_consent_statement_and_method_required"),
        ("organisations", "0002_employer_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ColumnMapping",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "uuid",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "columns",
                            models.JSONField(
                                help_text="Standard column → the header in this source's files.",
                                verbose_name="columns",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="column_mappings",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "candidates_columnmapping",
                        "verbose_name": "column mapping",
                        "verbose_name_plural": "column mappings",
                    },
                ),
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "uuid",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("candidates", "job seekers"), ("places", "places")],
                                default="candidates",
                                max_length=12,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "channel",
                            models.CharField(default="web", max_length=10, verbose_name="channel"),
                        ),
                        ("filename", models.CharField(max_length=255, verbose_name="file")),
                        (
                            "sheet",
                            models.CharField(blank=True, max_length=100, verbose_name="sheet"),
                        ),
                        (
                            "upload_encrypted",
                            models.BinaryField(null=True, verbose_name="file (encrypted)"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "waiting"),
                                    ("running", "running"),
                                    ("interrupted", "interrupted"),
                                    ("done", "done"),
                                    ("failed", "failed"),
                                ],
                                default="pending",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("total_rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        (
                            "processed_rows",
                            models.PositiveIntegerField(default=0, verbose_name="processed"),
                        ),
                        ("created", models.PositiveIntegerField(default=0, verbose_name="created")),
                        ("updated", models.PositiveIntegerField(default=0, verbose_name="updated")),
                        (
                            "unchanged",
                            models.PositiveIntegerField(default=0, verbose_name="unchanged"),
                        ),
                        (
                            "rejected",
                            models.PositiveIntegerField(default=0, verbose_name="rejected"),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="started"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished"),
                        ),
                        (
                            "heartbeat_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last sign of life"
                            ),
                        ),
                        (
                            "attempt",
                            models.PositiveSmallIntegerField(default=0, verbose_name="attempt"),
                        ),
                        (
                            "mapping",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="imports.columnmapping",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.organisation",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "candidates_importjob",
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ImportRejection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("line", models.PositiveIntegerField(verbose_name="line")),
                        ("reason_nl", models.TextField(verbose_name="reason (Dutch)")),
                        ("reason_en", models.TextField(verbose_name="reason (English)")),
                        ("values", models.JSONField(verbose_name="values")),
                        (
                            "job",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rejections",
                                to="imports.importjob",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "candidates_importrejection",
                        "verbose_name": "rejected row",
                        "verbose_name_plural": "rejected rows",
                        "ordering": ["line"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="columnmapping",
                    constraint=models.UniqueConstraint(
                        fields=("organisation", "name"), name="columnmapping_unique"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
