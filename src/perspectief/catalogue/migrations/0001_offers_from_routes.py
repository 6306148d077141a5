"""The catalogue's models come from the ``routes`` app, with their data.

Until #15 the catalogue (offers, their starts, the skills they teach and their target groups)
lived in the ``routes`` app. This migration only tells Django that the models now belong to
``catalogue``: the tables stay as they are (``routes_offer``...), so not a row moves and the
route steps, route templates and action-plan activities that point at them keep pointing at
them (``routes.0005`` and ``monitoring.0003`` move those references in the state).
``catalogue.0002`` then renames the tables to the catalogue's own names.

The content types of the four models follow them (with the permissions attached to them),
so that nothing stored against ``routes.offer`` is orphaned. Audit events keep the target
type they were written with (``routes.offer``); new ones use the same (``Offer.audit_target_type``).
"""

import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MOVED = ("offer", "offeredition", "offerskill", "offertargetgroup")


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    types = content_type.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_catalogue(apps, schema_editor):
    _relabel(apps, schema_editor, "routes", "catalogue")


def content_types_to_routes(apps, schema_editor):
    _relabel(apps, schema_editor, "catalogue", "routes")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0002_employer_accounts"),
        ("regions", "0001_initial"),
        ("routes", "0004_durable_only_when_confirmed"),
        ("taxonomy", "0002_sector_short_name_optional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Offer",
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
                                choices=[
                                    ("werkfit", "work-readiness programme (werkfit)"),
                                    ("nt2", "Dutch language course (NT2)"),
                                    ("mbo", "MBO course or certificate"),
                                    ("bbl", "BBL place (learning while working)"),
                                    ("praktijkleren", "practical learning (praktijkleren)"),
                                    ("proefplaatsing", "trial placement (proefplaatsing)"),
                                    ("jobcoaching", "job coaching"),
                                    ("werkplekaanpassing", "workplace adjustment"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "duration_weeks",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="duration (weeks)",
                            ),
                        ),
                        (
                            "hours_per_week",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="hours per week"
                            ),
                        ),
                        (
                            "cost",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=9,
                                null=True,
                                verbose_name="cost per person (€)",
                            ),
                        ),
                        (
                            "funding",
                            models.CharField(
                                choices=[
                                    ("participatiewet", "gemeente (Participatiewet)"),
                                    ("uwv", "UWV"),
                                    ("regio", "the region's action plan budget"),
                                    ("slim", "SLIM subsidy (employer)"),
                                    ("werkgever", "the employer"),
                                    ("school", "the school (regular funding)"),
                                    ("anders", "other"),
                                ],
                                max_length=20,
                                verbose_name="funded by",
                            ),
                        ),
                        (
                            "online",
                            models.BooleanField(default=False, verbose_name="online (no travel)"),
                        ),
                        (
                            "contact",
                            models.CharField(blank=True, max_length=200, verbose_name="contact"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("active", "offered"), ("archived", "no longer offered")],
                                default="active",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "postcode",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.postcode",
                                verbose_name="location (postcode)",
                            ),
                        ),
                        (
                            "provider",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="offers",
                                to="organisations.organisation",
                                verbose_name="provider",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                                verbose_name="region",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "offer",
                        "verbose_name_plural": "offers",
                        "ordering": ["title", "id"],
                        "db_table": "routes_offer",
                    },
                ),
                migrations.CreateModel(
                    name="OfferEdition",
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
                        ("starts_on", models.DateField(verbose_name="starts on")),
                        (
                            "ends_on",
                            models.DateField(blank=True, null=True, verbose_name="ends on"),
                        ),
                        (
                            "seats",
                            models.PositiveIntegerField(
                                blank=True,
                                null=True,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="seats",
                            ),
                        ),
                        (
                            "offer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="editions",
                                to="catalogue.offer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "start of an offer",
                        "verbose_name_plural": "starts of an offer",
                        "ordering": ["starts_on", "id"],
                        "db_table": "routes_offeredition",
                    },
                ),
                migrations.CreateModel(
                    name="OfferSkill",
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
                            "offer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="skills",
                                to="catalogue.offer",
                            ),
                        ),
                        (
                            "skill",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="taxonomy.skill",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routes_offerskill",
                    },
                ),
                migrations.CreateModel(
                    name="OfferTargetGroup",
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
                            "group",
                            models.CharField(
                                choices=[
                                    ("banenafspraak", "target group banenafspraak"),
                                    ("statushouder", "status holder (statushouder)"),
                                    ("jongere_zonder_sk", "young person without startkwalificatie"),
                                    ("50plus", "50-plus"),
                                    ("langdurig", "long-term unemployed"),
                                    ("nug", "not receiving benefits (NUG)"),
                                    ("alleenstaande_ouder", "single parent"),
                                ],
                                max_length=30,
                                verbose_name="target group",
                            ),
                        ),
                        (
                            "offer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="target_groups",
                                to="catalogue.offer",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routes_offertargetgroup",
                    },
                ),
                migrations.AddIndex(
                    model_name="offer",
                    index=models.Index(
                        fields=["region", "status", "kind"], name="routes_offe_region__5c7ed2_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="offeredition",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="edition_ends_after_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="offerskill",
                    constraint=models.UniqueConstraint(
                        fields=("offer", "skill"), name="offer_skill_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="offertargetgroup",
                    constraint=models.UniqueConstraint(
                        fields=("offer", "group"), name="offer_target_group_once"
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_catalogue, content_types_to_routes),
    ]
