"""``any_of`` (perspectief.core.lookups): the ``in`` lookup, sent to PostgreSQL as one array
parameter — the same rows as ``in`` for the same values, on both databases."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Value

from perspectief.candidates.models import Candidate
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [CandidateFactory(last_name=f"Persoon{i}") for i in range(6)]


def _pks(**lookup):
    return sorted(Candidate.objects.filter(**lookup).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "pick",
    [
        lambda p: [str(p[0].uuid), p[2].uuid, str(p[2].uuid).upper(), None, str(uuid.uuid4())],
        lambda p: [p[5].uuid],
        lambda p: [None],
        lambda p: [],
    ],
)
def test_any_of_finds_what_in_finds(people, pick):
    values = pick(people)
    assert _pks(uuid__any_of=values) == _pks(uuid__in=values)
    names = [p.last_name for p in people[1:4]] + ["Niemand"]
    assert _pks(last_name__any_of=names) == _pks(last_name__in=names) != []
    ids = [p.pk for p in people[::2]]
    assert _pks(pk__any_of=ids) == _pks(pk__in=ids) != []
    # Combined with other conditions and negated, as ``in``.
    assert _pks(uuid__any_of=values, last_name="Persoon0") == _pks(
        uuid__in=values, last_name="Persoon0"
    )
    assert sorted(
        Candidate.objects.exclude(uuid__any_of=values).values_list("pk", flat=True)
    ) == sorted(Candidate.objects.exclude(uuid__in=values).values_list("pk", flat=True))


def test_a_list_holding_an_expression_is_left_to_in(people):
    values = [F("first_name"), Value(people[1].last_name), people[2].last_name]
    assert _pks(last_name__any_of=values) == _pks(last_name__in=values) != []


def test_an_invalid_uuid_is_refused_as_by_in(people):
    for lookup in ("uuid__in", "uuid__any_of"):
        with pytest.raises(ValidationError):
            list(Candidate.objects.filter(**{lookup: ["not-a-uuid"]}))


def test_postgresql_gets_one_parameter_for_the_whole_list(people):
    values = [p.uuid for p in people] * 3
    _sql, params = Candidate.objects.filter(uuid__any_of=values).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert len(params) == 1 and sorted(params[0]) == sorted(p.uuid for p in people)
    else:
        assert len(params) == len(people)  # ``in`` itself, each value once
