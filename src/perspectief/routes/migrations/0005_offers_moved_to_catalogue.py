"""The catalogue's models moved to the ``catalogue`` app (see ``catalogue.0001``): the route
steps and route templates point at ``catalogue.Offer``/``OfferEdition`` now, and the
``routes`` app forgets its old models. Only Django's state changes: the foreign keys point at
the same tables and rows as before."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_offers_from_routes"),
        ("monitoring", "0003_offers_in_catalogue"),
        ("routes", "0004_durable_only_when_confirmed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="offerskill",
                    name="offer",
                ),
                migrations.RemoveField(
                    model_name="offeredition",
                    name="offer",
                ),
                migrations.AlterField(
                    model_name="routestep",
                    name="offer",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="steps",
                        to="catalogue.offer",
                        verbose_name="service or training",
                    ),
                ),
                migrations.AlterField(
                    model_name="routetemplatestep",
                    name="offer",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Its provider becomes the step's owner (a hand-off).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalogue.offer",
                        verbose_name="service or training",
                    ),
                ),
                migrations.RemoveField(
                    model_name="offertargetgroup",
                    name="offer",
                ),
                migrations.AlterField(
                    model_name="routestep",
                    name="edition",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="steps",
                        to="catalogue.offeredition",
                        verbose_name="start",
                    ),
                ),
                migrations.RemoveField(
                    model_name="offerskill",
                    name="skill",
                ),
                migrations.DeleteModel(
                    name="Offer",
                ),
                migrations.DeleteModel(
                    name="OfferTargetGroup",
                ),
                migrations.DeleteModel(
                    name="OfferEdition",
                ),
                migrations.DeleteModel(
                    name="OfferSkill",
                ),
            ],
        ),
    ]
