"""The services and training an activity of an action plan pays for are the catalogue's
offers, now in the ``catalogue`` app (see ``catalogue.0001``). Only Django's state changes:
the link table keeps pointing at the same offers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_offers_from_routes"),
        ("monitoring", "0002_published_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="planactivity",
                    name="offers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="activities",
                        to="catalogue.offer",
                        verbose_name="services and training it pays for",
                    ),
                ),
            ],
        ),
    ]
