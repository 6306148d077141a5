"""The catalogue left the ``routes`` app with its data (#15).

An existing database — migrated as it was before the move, with offers, their starts,
skills and target groups, route steps and template steps on them, and an action-plan
activity paying for one — is migrated to the catalogue app: every row is still there, under
the catalogue's table names, and every reference still points at the same offer and start.
Migrating back restores the old tables. Runs on SQLite and, with ``DATABASE_URL``, on
PostgreSQL.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.catalogue import services
from perspectief.catalogue.models import Offer, OfferEdition, OfferSkill, OfferTargetGroup
from perspectief.monitoring.models import PlanActivity
from perspectief.routes.models import RouteStep, RouteTemplateStep

from ..factories import CandidateFactory

#: The database as it was before the catalogue became its own app.
BEFORE = [
    ("routes", "0004_durable_only_when_confirmed"),
    ("monitoring", "0002_published_tables"),
    ("catalogue", None),
]

TABLES = ("offer", "offeredition", "offerskill", "offertargetgroup")


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees the applied migrations


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def _old_catalogue(apps, world, school, skill, person, gemeente) -> dict:
    """Rows written through the models as they were before the move (``routes.Offer``...)."""
    offer = apps.get_model("routes", "Offer").objects.create(
        provider_id=school.pk,
        region_id=world.am18.pk,
        kind="mbo",
        title="Logistiek medewerker",
        funding="regio",
        postcode_id=world.amsterdam.postcodes.first().pk,
    )
    apps.get_model("routes", "OfferSkill").objects.create(offer=offer, skill_id=skill.pk)
    apps.get_model("routes", "OfferTargetGroup").objects.create(offer=offer, group="statushouder")
    edition = apps.get_model("routes", "OfferEdition").objects.create(
        offer=offer, starts_on=datetime.date(2027, 2, 1), seats=12
    )
    route = apps.get_model("routes", "Route").objects.create(
        candidate_id=person.pk, organisation_id=gemeente.pk
    )
    step = apps.get_model("routes", "RouteStep").objects.create(
        route=route,
        kind="mbo",
        title="Logistiek medewerker",
        owner_id=school.pk,
        offer=offer,
        edition=edition,
        planned_start=datetime.date(2027, 2, 1),
        planned_end=datetime.date(2027, 4, 1),
    )
    template = apps.get_model("routes", "RouteTemplate").objects.create(
        region_id=world.am18.pk, name="Logistiek", made_by_id=gemeente.pk
    )
    template_step = apps.get_model("routes", "RouteTemplateStep").objects.create(
        template=template, position=1, kind="mbo", title="Logistiek", weeks=8, offer=offer
    )
    plan = apps.get_model("monitoring", "ActionPlan").objects.create(
        region_id=world.am18.pk,
        title="Actieplan",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        lead_id=gemeente.pk,
        employer_lead="Werkgeversvereniging",
        ambition=100,
        budget=Decimal("100000.00"),
    )
    activity = apps.get_model("monitoring", "PlanActivity").objects.create(
        plan=plan,
        name="Praktijkleren logistiek",
        kind="praktijkleren",
        owner_id=gemeente.pk,
        budget=Decimal("5000.00"),
    )
    activity.offers.add(offer)
    return {
        "offer": offer.uuid,
        "edition": edition.uuid,
        "step": step.uuid,
        "template_step": template_step.pk,
        "activity": activity.uuid,
    }


@pytest.mark.django_db(transaction=True)
def test_moving_the_catalogue_keeps_offers_starts_and_the_steps_on_them(world, esco, make_member):
    _occupation, skills = esco
    school = make_member("opleidingsadviseur").organisation
    gemeente = make_member("klantmanager").organisation
    person = CandidateFactory(served_by=gemeente)
    offer_type = ContentType.objects.get_for_model(Offer).pk
    try:
        executor = _migrate(BEFORE)
        assert {f"routes_{t}" for t in TABLES} <= _tables()
        assert not {f"catalogue_{t}" for t in TABLES} & _tables()
        old = executor.loader.project_state(BEFORE[:2]).apps
        rows = _old_catalogue(old, world, school, skills[0], person, gemeente)
        _migrate(_latest())
    finally:
        _migrate(_latest())

    assert {f"catalogue_{t}" for t in TABLES} <= _tables()
    assert not {f"routes_{t}" for t in TABLES} & _tables()
    offer = Offer.objects.get(uuid=rows["offer"])
    assert (offer.title, offer.provider_id, offer.postcode.code) == (
        "Logistiek medewerker",
        school.pk,
        "1011",
    )
    assert offer.skill_uris == [skills[0].uri] and offer.group_values == ["statushouder"]
    assert [e.uuid for e in offer.editions.all()] == [rows["edition"]]
    step = RouteStep.objects.select_related("offer", "edition").get(uuid=rows["step"])
    assert (step.offer.uuid, step.edition.uuid) == (rows["offer"], rows["edition"])
    assert RouteStep.objects.filter(edition__offer=offer).count() == 1
    assert RouteTemplateStep.objects.get(pk=rows["template_step"]).offer_id == offer.pk
    assert list(PlanActivity.objects.get(uuid=rows["activity"]).offers.all()) == [offer]
    assert list(offer.activities.all()) == list(PlanActivity.objects.filter(uuid=rows["activity"]))
    # The content type (and what hangs on it) moved along rather than being made anew.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Offer).pk == offer_type
    # New rows take the next keys; a foreign key to a start is enforced as before.
    edition = OfferEdition.objects.create(offer=offer, starts_on=datetime.date(2027, 6, 1))
    assert edition.pk > OfferEdition.objects.get(uuid=rows["edition"]).pk
    assert OfferSkill.objects.filter(offer=offer).count() == 1
    assert OfferTargetGroup.objects.filter(offer=offer).count() == 1


@pytest.mark.django_db
def test_an_offer_keeps_the_target_type_of_its_audit_events(world, make_member):
    """Audit events name an offer ``routes.offer``, as they did before the catalogue was its
    own app: an offer's history reads under one name, old events and new."""
    school = actor_for(make_member("opleidingsadviseur"))
    offer = services.offer_save(
        actor=school,
        data={"kind": "werkfit", "title": "Werkfit", "funding": "regio", "online": True},
    )
    services.offer_archive(actor=school, offer=offer)
    events = AuditEvent.objects.filter(target_id=str(offer.uuid))
    assert {e.target_type for e in events} == {"routes.offer"}
    assert events.count() == 2
