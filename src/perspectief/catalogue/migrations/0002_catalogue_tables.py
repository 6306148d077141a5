"""The catalogue's tables get the catalogue's names: ``routes_offer`` → ``catalogue_offer``
(and its starts, skills and target groups), with the index of the offers. A rename keeps
every row, and the foreign keys of route steps, route templates and action-plan activities
follow the table (PostgreSQL; SQLite from 3.26)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_offers_from_routes"),
        ("monitoring", "0003_offers_in_catalogue"),
        ("routes", "0005_offers_moved_to_catalogue"),
    ]

    operations = [
        migrations.AlterModelTable(name="offer", table=None),
        migrations.AlterModelTable(name="offeredition", table=None),
        migrations.AlterModelTable(name="offerskill", table=None),
        migrations.AlterModelTable(name="offertargetgroup", table=None),
        migrations.RenameIndex(
            model_name="offer",
            new_name="catalogue_o_region__23362f_idx",
            old_name="routes_offe_region__5c7ed2_idx",
        ),
    ]
