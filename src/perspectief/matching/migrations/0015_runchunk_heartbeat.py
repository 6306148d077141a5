from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0014_proposal_status_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchrunchunk",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
