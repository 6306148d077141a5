"""core.bulk.insert writes what bulk_create writes (issue #20: the imports' fast path)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import Candidate
from perspectief.core import bulk

SKIP = {"id", "uuid", "created_at", "updated_at", "label", "target_id"}


def _people(world, tag, now):
    return [
        Candidate(
            first_name=f"{tag}{i}",
            last_name="Jansen",
            date_of_birth=date(1990, 1, 1) + timedelta(days=i),
            email="" if i % 2 else f"{tag}{i}@example.invalid",
            hours_per_week=24 if i % 3 else None,
            driving_licence=bool(i % 2),
            availability_confirmed_at=now - timedelta(seconds=i),
            region=world.am18,
            postcode_id=None,
            created_at=now,
            updated_at=now,
        )
        for i in range(5)
    ]


def _rows(model, pks):
    return [
        {k: v for k, v in row.items() if k not in SKIP}
        for row in model.objects.filter(pk__in=pks).order_by("pk").values()
    ]


@pytest.mark.django_db
def test_insert_writes_the_rows_bulk_create_writes_and_gives_them_their_keys(world):
    now = timezone.now()
    fast, slow = _people(world, "P", now), _people(world, "P", now)
    for person in fast + slow:
        person.label = person.partner_label
    bulk.insert(fast)
    Candidate.objects.bulk_create(slow)
    assert all(p.pk and not p._state.adding for p in fast)
    assert _rows(Candidate, [p.pk for p in fast]) == _rows(Candidate, [p.pk for p in slow])
    stored = Candidate.objects.get(pk=fast[3].pk)
    assert stored.uuid == fast[3].uuid and stored.first_name == "P3"

    events = [
        AuditEvent(event="bench.x", target_type="t", target_id=str(p.pk), changes={"a": [1, i]})
        for i, p in enumerate(fast)
    ]
    bulk.insert(events)
    stored_events = AuditEvent.objects.filter(event="bench.x").order_by("pk")
    assert [e.changes for e in stored_events] == [{"a": [1, i]} for i in range(5)]
    assert all(e.created_at is not None for e in stored_events)  # auto_now_add, as save()


#: Text the PostgreSQL path (COPY) must escape: tabs, newlines, backslashes, its NULL
#: marker as text, quotes, unicode beyond the BMP.
AWKWARD = ["a\tb", "line\nnext\r\n", "back\\slash \\N", "\\N", "'quoted' \"twice\"", "ü€😀", ""]


def _awkward(world, tag):
    amsterdam = ZoneInfo("Europe/Amsterdam")
    people = []
    for i, text in enumerate(AWKWARD):
        person = Candidate(
            first_name=f"{tag}{text}",
            last_name=text or "x",
            work_experience=text,
            email="",
            bsn_index=None,
            date_of_birth=date(1970, 1, 1) if i % 2 else None,
            driving_licence=[True, False, None][i % 3],
            hours_per_week=i or None,
            availability_confirmed_at=datetime(2026, 3, 29, 1, 59, i, tzinfo=amsterdam),
            anonymised_at=None,
            region=world.am18,
        )
        person.label = person.partner_label
        people.append(person)
    return people


@pytest.mark.django_db
def test_insert_writes_awkward_values_as_bulk_create_does(world):
    """NULLs, empty strings, dates, moments in another time zone, booleans, UUIDs, JSON and
    text with tabs, newlines and backslashes: stored exactly as ``bulk_create`` stores them."""
    fast, slow = _awkward(world, "F"), _awkward(world, "S")
    bulk.insert(fast)
    Candidate.objects.bulk_create(slow)
    strip = [
        {**row, "first_name": row["first_name"][1:]}
        for row in _rows(Candidate, [p.pk for p in fast])
    ]
    assert strip == [
        {**row, "first_name": row["first_name"][1:]}
        for row in _rows(Candidate, [p.pk for p in slow])
    ]
    stored = {c.uuid: c for c in Candidate.objects.filter(pk__in=[p.pk for p in fast])}
    for person, text in zip(fast, AWKWARD, strict=True):
        found = stored[person.uuid]  # the key set on the instance is the stored row's
        assert found.pk == person.pk
        assert (found.work_experience, found.bsn_index, found.email) == (text, None, "")
        assert found.availability_confirmed_at == person.availability_confirmed_at
        assert found.driving_licence is person.driving_licence

    changes = {"text": AWKWARD, "nested": {"none": None, "n": 1.5, "t": True}, "list": [[], {}]}
    events = [
        AuditEvent(event="bulk.awkward", target_type="t", target_id=t, changes=changes)
        for t in AWKWARD
    ]
    bulk.insert(events)
    stored_events = AuditEvent.objects.filter(event="bulk.awkward").order_by("pk")
    assert [(e.pk, e.target_id, e.changes) for e in stored_events] == [
        (e.pk, e.target_id, changes) for e in events
    ]


@pytest.mark.django_db
def test_a_unique_violation_raises_djangos_integrity_error_and_writes_nothing(world):
    twins = _awkward(world, "T")[:2]
    for person in twins:
        person.bsn_index = "same-index"
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(twins)
    assert not Candidate.objects.filter(bsn_index="same-index").exists()  # usable again


@pytest.mark.django_db
def test_insert_is_one_statement_in_the_query_log(world):
    """The writing statement shows in Django's query log (DEBUG, the query counts), also
    where it is a COPY (PostgreSQL), next to the primary keys it reads."""
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(_awkward(world, "Q"))
    assert len(queries) <= 2
    assert any("candidates_candidate" in q["sql"] for q in queries)


def _state(obj):
    return {k: v for k, v in vars(obj).items() if k not in ("_state", "uuid")}


@pytest.mark.django_db
def test_a_blueprint_builds_what_the_models_init_builds(world):
    values = {"first_name": "A", "last_name": "B", "region": world.am18, "email": ""}
    make = bulk.Blueprint(Candidate)
    built, plain = make(**values), Candidate(**values)
    assert _state(built) == _state(plain)
    assert built.region is world.am18 and built.region_id == world.am18.pk  # cached, as init
    assert (built._state.adding, built._state.db) == (plain._state.adding, plain._state.db)
    assert make(**values).uuid != built.uuid  # a callable default: called per instance
    events = bulk.Blueprint(AuditEvent)
    first, second = events(event="x", target_type="t", target_id="1"), events(event="x")
    assert first.changes == {} and first.changes is not second.changes
    with pytest.raises(TypeError):
        make(no_such_field=1)  # refused as __init__ refuses it
