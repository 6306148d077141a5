"""An import writes the same audit events and access records through its fast path
(``core.bulk.Blueprint``, ``audit.services.builder``, ``core.bulk.insert`` — a COPY on
PostgreSQL) as through Django's own (``Model(**values)``, ``bulk_create``): same actor,
organisation, purpose, person, operation and outcome, as many, in the same order."""

import pytest
from django.db import transaction

from perspectief.audit import access
from perspectief.audit.constants import SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent, subject_pseudonym
from perspectief.candidates.models import Candidate
from perspectief.core import bulk
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor

from .test_import import BAD, GOOD, _csv, levels  # noqa: F401 (a fixture)

CHANGED = [GOOD[0], GOOD[1].replace(",32,", ",36,"), GOOD[2]]  # Bram works more hours


class _Rollback(Exception):
    pass


def _import(membership, content):
    organisation = membership.organisation
    job = ImportJob.objects.create(
        organisation=organisation, filename="klanten.csv", content=content, channel="test"
    )
    with access.scope(request="cli import"):  # as the command and the task run it
        runner.run(job, actor=import_actor(organisation, membership.user, channel="test"))


def _written(membership) -> tuple[list, list]:
    """Two imports (a first one with rejected rows, then a changed file: an update and
    unchanged people); the audit events and access records they wrote, with each person
    named by first name (their keys differ from run to run). Rolled back afterwards."""
    events = records = []
    try:
        with transaction.atomic():
            before_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
            before_record = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True)
            before_record = before_record.first()
            _import(membership, _csv(GOOD + BAD))
            _import(membership, _csv(CHANGED))
            people = {str(c.uuid): c.first_name for c in Candidate.objects.all()}
            subjects = {
                subject_pseudonym(SubjectType.CANDIDATE, uuid): name
                for uuid, name in people.items()
            }
            events = [
                {**e, "target_id": people.get(e["target_id"], e["target_id"])}
                for e in AuditEvent.objects.filter(pk__gt=before_event or 0)
                .order_by("pk")
                .values(
                    "event",
                    "actor_user_id",
                    "actor_display",
                    "organisation_id",
                    "channel",
                    "target_type",
                    "target_id",
                    "changes",
                )
                if e["target_type"] == "candidates.candidate"
            ]
            records = [
                {**r, "data_subject": subjects.get(r["data_subject"], r["data_subject"])}
                for r in AccessRecord.objects.filter(pk__gt=before_record or 0)
                .order_by("pk")
                .values(
                    "activity",
                    "data_subject",
                    "data_subject_type",
                    "actor_user_id",
                    "actor_display",
                    "organisation_id",
                    "organisation_name",
                    "role",
                    "channel",
                    "operation",
                    "result",
                    "request",
                )
            ]
            raise _Rollback
    except _Rollback:
        pass
    return events, records


def _django_path(monkeypatch) -> None:
    """Build with Model.__init__ and write with bulk_create, as before the fast path."""
    monkeypatch.setattr(bulk.Blueprint, "__call__", lambda self, **values: self.model(**values))

    def insert(objs):
        if objs:
            type(objs[0])._default_manager.bulk_create(objs)

    monkeypatch.setattr(bulk, "insert", insert)


@pytest.mark.django_db
@pytest.mark.usefixtures("world", "levels")
def test_an_import_writes_the_same_audit_events_and_access_records_as_djangos_path(
    make_member, monkeypatch
):
    membership = make_member("klantmanager")
    fast_events, fast_records = _written(membership)
    _django_path(monkeypatch)
    events, records = _written(membership)
    assert fast_events == events and fast_records == records
    # Not vacuous: each person registered, Bram's update, everyone's access of both runs.
    assert [e["event"] for e in events].count("candidate.registered") == 3
    assert [e["target_id"] for e in events if e["event"] == "candidate.updated"] == ["Bram"]
    assert {e["actor_user_id"] for e in events} == {membership.user.pk}
    assert {e["organisation_id"] for e in events} == {membership.organisation.pk}
    candidates = [r for r in records if r["activity"] == "candidate.import"]
    assert [(r["data_subject"], r["operation"]) for r in candidates] == [
        ("Anna", "create"),
        ("Bram", "create"),
        ("Chantal", "create"),
        ("Anna", "read"),
        ("Bram", "change"),
        ("Chantal", "read"),
    ]
    user, organisation = membership.user, membership.organisation
    # An import runs as the system on behalf of who started it (imports.tasks).
    actor = (user.pk, user.username, organisation.pk, organisation.name, "system", "test")
    assert {tuple(r.values())[2:] for r in candidates} == {
        ("candidate", *actor, operation, "ok", "cli import")
        for operation in ("create", "read", "change")
    }
    assert {tuple(e.values())[1:5] for e in events} == {
        (user.pk, user.username, organisation.pk, "test")
    }
