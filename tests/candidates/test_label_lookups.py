"""Occupations and skills named by label (issue #20, item 4): an import file names hundreds
of them, so past a few labels a resolver reads all labels of the kind at once instead of
asking the database once per label; what it finds is what the one-by-one lookup finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perspectief.candidates import parsing
from perspectief.taxonomy.models import Occupation

from ..factories import OccupationFactory, SkillFactory

pytestmark = pytest.mark.django_db

ASKED = [
    "orderpicker",
    "ORDER PICKER",
    "heftruckchauffeur",
    "Forklift Driver",
    "kok",
    "Chef",
    "tuinman",
    "gardener",
    "  Kok ",
    "éénpitter",
    "STRASSE WORKER",
    "file clerk",
    "FİLE",
    "onbekend beroep",
]


@pytest.fixture
def occupations():
    made = [
        OccupationFactory(label_nl="orderpicker", label_en="order picker"),
        OccupationFactory(label_nl="heftruckchauffeur", label_en="forklift driver"),
        OccupationFactory(label_nl="kok", label_en="cook"),
        OccupationFactory(label_nl="chef-kok", label_en="chef"),
        # A second concept with a label of the first: the first made is found.
        OccupationFactory(label_nl="Orderpicker", label_en="warehouse picker"),
        OccupationFactory(label_nl="tuinman", label_en=""),
        OccupationFactory(label_nl="hovenier", label_en="gardener"),
        # Letters whose case the databases and Python fold differently: found as the
        # database finds them, whatever the number of labels asked.
        OccupationFactory(label_nl="Éénpitter", label_en="sole trader"),
        OccupationFactory(label_nl="Straße-Arbeiter", label_en="Straße worker"),
        OccupationFactory(label_nl="ﬁle clerk", label_en="fıle"),
        OccupationFactory(label_nl="archiefmedewerker", label_en="FILE CLERK"),
    ]
    SkillFactory(label_nl="kok", label_en="cook")  # another kind: never an occupation
    return made


def _resolve(resolver, label):
    try:
        return [o.pk for o in resolver.occupations(label)]
    except ValueError:
        return "refused"


def test_all_labels_at_once_find_what_one_by_one_finds(occupations, monkeypatch):
    one_by_one = [_resolve(parsing.Resolver(), label) for label in ASKED]  # a new cache each
    assert one_by_one[0] == one_by_one[1] == [occupations[0].pk]
    assert one_by_one[-1] == "refused"
    assert one_by_one[ASKED.index("file clerk")] == [occupations[-1].pk]
    monkeypatch.setattr(parsing, "LABELS_ONE_BY_ONE", 2)
    resolver = parsing.Resolver()
    with CaptureQueriesContext(connection) as queries:
        at_once = [_resolve(resolver, label) for label in ASKED]
    assert at_once == one_by_one
    # Two labels asked one by one, then every label of the kind in one read; after it, one
    # query each only for a key outside plain ASCII and for a key that a label outside it
    # could fold to ("Straße", the ligature "ﬁ"): not one query per label.
    asked_after = ["éénpitter", "STRASSE WORKER", "file clerk", "FİLE"]
    assert len(queries) == 3 + len(asked_after), [q["sql"] for q in queries]


def test_the_found_concept_reads_its_other_fields_when_asked(occupations, monkeypatch):
    monkeypatch.setattr(parsing, "LABELS_ONE_BY_ONE", 0)
    [found] = parsing.Resolver().occupations("forklift driver")
    assert isinstance(found, Occupation) and found.pk == occupations[1].pk
    assert found.code == occupations[1].code and found.isco_group_id == occupations[1].isco_group_id
