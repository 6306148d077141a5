"""An import's upload is kept only encrypted, and a running import holds a lease.

Uploads still in the database in plain text (jobs that were waiting, or whose worker was
killed) are encrypted with the BSN keys; those of finished jobs are dropped. A job left
running gets its last change as its last sign of life, so the periodic watch finds it
interrupted (docs/import.md)."""

from django.db import migrations, models

from perspectief.core import bsn


def encrypt_uploads(apps, schema_editor):
    ImportJob = apps.get_model("candidates", "ImportJob")
    for job in ImportJob.objects.filter(content__isnull=False).iterator(chunk_size=1):
        if job.status in ("done", "failed"):
            job.upload_encrypted = None
        else:
            job.upload_encrypted = bsn.encrypt_bytes(bytes(job.content))
        job.content = None
        job.heartbeat_at = job.updated_at if job.status == "running" else None
        job.save(update_fields=["upload_encrypted", "content", "heartbeat_at"])
    ImportJob.objects.filter(status="running", heartbeat_at__isnull=True).update(
        heartbeat_at=models.F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0010_partner_code_and_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="upload_encrypted",
            field=models.BinaryField(editable=False, null=True, verbose_name="file (encrypted)"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="attempt",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempt"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
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
        migrations.RunPython(encrypt_uploads, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importjob", name="content"),
    ]
