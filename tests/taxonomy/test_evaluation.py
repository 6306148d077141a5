"""The free-text evaluation on the shipped ESCO occupations: the headline figures stay above
their floors, and ahead of wave 1's substring search and a plain character n-gram TF-IDF.
docs/matching-evaluation.md ("Vrije tekst naar beroepen") reports the full run (2,000
titles); here 400 of them keep the test short."""

import random

import pytest
from django.core.management import call_command

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.taxonomy import evaluation, loaders
from tests.reference.conftest import delete_reference_data

SIZE = 400
#: Floors a little under what this sample measured (73.8% / 90.5% / 42.1% syn@5).
FLOOR_AT1, FLOOR_AT5, FLOOR_SYNONYMS_AT5 = 0.70, 0.87, 0.35


@pytest.fixture(scope="module")
def shipped_occupations(django_db_setup, django_db_blocker):
    """ESCO's ISCO groups and occupations as shipped (committed; removed afterwards)."""
    esco = DEFAULT_DATA_DIR
    with django_db_blocker.unblock():
        delete_reference_data()
        loaders.import_isco_groups(esco / loaders.ISCO_EN_FILE, esco / loaders.ISCO_NL_FILE)
        loaders.import_occupations(
            esco / loaders.OCCUPATIONS_EN_FILE, esco / loaders.OCCUPATIONS_NL_FILE
        )
        yield evaluation.concepts_from_database()
        delete_reference_data()


@pytest.fixture(scope="module")
def results(shipped_occupations):
    methods = ["substring", "tfidf", "perspectief"]
    found = evaluation.evaluate(shipped_occupations, size=SIZE, methods=methods)
    return {r.method: r for r in found}


def test_the_set_is_made_of_held_out_labels(shipped_occupations):
    titles = evaluation.titles(shipped_occupations, size=SIZE)
    assert len(titles) == SIZE
    kept = {label.text for label in evaluation.index_labels(shipped_occupations)}
    assert not any(title.source in kept for title in titles)  # held out of the index
    assert sum(title.synonym for title in titles) > 20
    noise = {name for title in titles for name in title.noise}
    assert {"seniority", "hours", "shift", "gender", "typo", "none"} <= noise
    # The same set every run.
    assert evaluation.titles(shipped_occupations, size=SIZE) == titles


def test_headline_figures_stay_above_their_floors(results):
    ours = results["perspectief"]
    assert ours.at1 >= FLOOR_AT1
    assert ours.at5 >= FLOOR_AT5
    assert ours.synonyms_at5 >= FLOOR_SYNONYMS_AT5


def test_ahead_of_substring_and_plain_tfidf(results):
    ours, tfidf, substring = results["perspectief"], results["tfidf"], results["substring"]
    assert ours.at1 > tfidf.at1 > substring.at1
    assert ours.at5 > tfidf.at5 > substring.at5
    assert ours.synonyms_at5 > tfidf.synonyms_at5


def test_noise_helpers():
    rng = random.Random(1)
    assert evaluation._split_compound("magazijnmedewerker") == "medewerker magazijn"
    assert evaluation._female("medewerker post") == "medewerkster post"
    assert evaluation._abbreviated("administratief medewerker") == "administratief mdw"
    assert evaluation._typo("orderpicker", rng) != "orderpicker"
    assert evaluation.held_out("uri", "label") == evaluation.held_out("uri", "label")


@pytest.mark.django_db
def test_the_command_prints_the_table(shipped_occupations, capsys):
    call_command("evaluate_search", "--size", "50", "--method", "perspectief", "--per-noise")
    out = capsys.readouterr().out
    assert "perspectief" in out and "acc@5" in out and "typo" in out
