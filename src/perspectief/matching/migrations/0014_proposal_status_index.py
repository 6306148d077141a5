from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0013_snapshot_in_parts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["status"], name="proposal_status"),
        ),
    ]
