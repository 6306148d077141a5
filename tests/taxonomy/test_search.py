"""Search over ESCO occupations and skills: typos, case, accents, compounds, free text."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from perspectief.taxonomy import search
from perspectief.taxonomy.models import ConceptLabel
from perspectief.taxonomy.textindex import clean_title, fold
from tests.factories import OccupationFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def occupations():
    return {
        "orderpicker": OccupationFactory(
            label_nl="orderpicker",
            label_en="order picker",
            alt_labels_nl="orderverzamelaar\npickingmedewerker\npickingmedewerkster",
        ),
        "magazijn": OccupationFactory(
            label_nl="magazijnmedewerker",
            label_en="warehouse worker",
            alt_labels_nl="magazijnier\nmagazijnbediende",
            alt_labels_en="warehouse operative",
        ),
        "kok": OccupationFactory(label_nl="kok", label_en="cook", alt_labels_nl="keukenkok"),
        "sales": OccupationFactory(
            label_nl="salesmanager", label_en="sales manager", alt_labels_en="sales executive"
        ),
        "cafe": OccupationFactory(label_nl="café-eigenaar", label_en="café owner"),
    }


def test_fold_removes_case_accents_and_punctuation():
    assert fold("Café-Eigenaar (M/V)") == "cafe eigenaar m v"
    assert fold("...!!") == ""


def test_clean_title_drops_hours_shifts_seniority_and_gender():
    assert clean_title("Senior Magazijnmedewerker nachtdienst 32 uur (m/v/x)") == (
        "magazijnmedewerker"
    )
    assert clean_title("32 uur") == "32 uur"  # nothing left: keep what was typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("orderpiker", "orderpicker"),
        ("ORDERPICKER", "orderpicker"),
        ("order picker", "orderpicker"),
        ("orderverzamelaar", "orderpicker"),
        ("magazijn", "magazijn"),
        ("cafe eigenaar", "cafe"),
        ("warehouse", "magazijn"),
    ],
)
def test_suggest_finds_despite_typos_case_accents_and_compounds(occupations, typed, expected):
    found = search.suggest(typed, kind="occupation")
    assert found and found[0].uri == occupations[expected].uri


def test_suggestion_tells_what_matched(occupations):
    first = search.suggest("orderverzamelaar", kind="occupation")[0]
    assert first.label == "orderpicker"
    assert first.matched == "orderverzamelaar"
    assert not first.english_only
    with translation.override("en"):
        assert search.suggest("orderverzamelaar", kind="occupation")[0].label == "order picker"


def test_skill_without_dutch_label_is_marked_english():
    SkillFactory(label_en="operate forklift", label_nl="")
    SkillFactory(label_en="cook", label_nl="koken")
    with translation.override("nl"):
        forklift = search.suggest("forklift", kind="skill")[0]
        cooking = search.suggest("koken", kind="skill")[0]
    assert forklift.english_only and forklift.label == "operate forklift"
    assert not cooking.english_only and cooking.label == "koken"


def test_resolve_free_text_titles(occupations):
    first = search.resolve_occupations("Magazijnmedewerker nachtdienst 32 uur")[0]
    assert first.uri == occupations["magazijn"].uri
    assert search.resolve_occupations("SALES EXECUTIVE MANAGER")[0].uri == (
        occupations["sales"].uri
    )


def test_the_index_follows_the_taxonomy(occupations):
    assert all(s.label != "timmerman" for s in search.suggest("timmerman", kind="occupation"))
    OccupationFactory(label_nl="timmerman", label_en="carpenter")
    assert search.suggest("timmerman", kind="occupation")[0].label == "timmerman"
    ConceptLabel.objects.create(
        kind="occupation",
        uri=occupations["kok"].uri,
        language="de",
        preferred_label="Koch",
        alt_labels="Köchin",
    )
    assert search.suggest("köchin", kind="occupation")[0].uri == occupations["kok"].uri


def test_empty_query_gives_nothing(occupations):
    assert search.suggest("", kind="occupation") == []
    assert search.suggest("   ", kind="skill") == []
    assert search.resolve_occupations("") == []


@pytest.mark.parametrize("bad", ["x" * 10_000, "?!...--", "((()))"])
def test_bad_query_is_refused_with_a_message(occupations, bad):
    with pytest.raises(ValidationError) as refused:
        search.suggest(bad, kind="occupation")
    assert refused.value.messages
    with pytest.raises(ValidationError):
        search.resolve_occupations(bad)


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        search.suggest("kok", kind="beroep")


def test_the_evaluation_command_needs_esco():
    with pytest.raises(CommandError):
        call_command("evaluate_search")


def test_importing_dutch_skill_labels_makes_them_findable(tmp_path):
    skill = SkillFactory(label_en="manage musical staff", label_nl="")
    assert search.suggest("muzikaal personeel", kind="skill") == [] or (
        search.suggest("muzikaal personeel", kind="skill")[0].english_only
    )
    header = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description"
    row = (
        f"KnowledgeSkillCompetence,{skill.uri},skill/competence,sector-specific,"
        '"muzikaal personeel beheren","muziekpersoneel leiden",Wijs'
    )
    (tmp_path / "skills_nl.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    call_command("import_esco", str(tmp_path))
    with translation.override("nl"):
        found = search.suggest("muziekpersoneel", kind="skill")[0]
    assert found.uri == skill.uri
    assert found.label == "muzikaal personeel beheren" and not found.english_only
    assert found.matched == "muziekpersoneel leiden"


def test_an_empty_taxonomy_finds_nothing():
    assert search.suggest("kok", kind="occupation") == []
    assert search.suggest("koken", kind="skill") == []
    assert search.resolve_occupations("Kok 32 uur") == []


def test_limit_is_kept(occupations):
    assert len(search.suggest("o", kind="occupation", limit=2)) <= 2
    assert search.suggest("orderpicker", kind="occupation", limit=0) == []
    assert len(search.resolve_occupations("medewerker", limit=1)) == 1


def test_only_answers_close_to_the_best_are_offered_beside_it(occupations):
    """From review of #18: beside the best answer, "Bedoelde u…" and the suggestions under a
    field offered occupations that share only a few letters with what was typed."""
    OccupationFactory(label_nl="medewerker verkoopadministratie", label_en="sales clerk")
    OccupationFactory(label_nl="rechter", label_en="judge")
    for found in (
        search.resolve_occupations("orderpiker"),
        search.suggest("orderpiker", kind="occupation"),
    ):
        assert found[0].label == "orderpicker"
        assert all(s.score >= 0.6 * found[0].score for s in found)
        assert {s.label for s in found}.isdisjoint({"rechter", "medewerker verkoopadministratie"})
    # Close alternatives are still offered.
    OccupationFactory(label_nl="orderpicker koelcel", label_en="cold store order picker")
    labels = [s.label for s in search.resolve_occupations("orderpicker")]
    assert labels[:2] == ["orderpicker", "orderpicker koelcel"]
