"""The shipped reference data, loaded once for this module (and removed afterwards)."""

import pytest
from django.core.management import call_command

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.core.models import ReferenceDataset
from perspectief.core.reference import load_all
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.models import (
    ConceptLabel,
    EducationLevel,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Sector,
    Skill,
)

from .conftest import delete_reference_data, write_csv

# The ESCO v1.1.1 export relates one occupation that its occupations file lacks (67 rows).
MISSING_OCCUPATION = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"
RELATION_ROWS = 123_855
RELATIONS_LOADED = RELATION_ROWS - 67

SHIPPED_FILES = {
    "regions/arbeidsmarktregios_2025_2026.csv": 35,
    "regions/gemeente_arbeidsmarktregio_2026.csv": 342,
    "geo/pc4_centroids_nl_geonames.csv": 4_086,
    "esco/v1.1.1/ISCOGroups_en.csv.gz": 619,
    "esco/v1.2.0_nl/ISCOGroups_nl.csv.gz": 619,
    "esco/v1.1.1/occupations_en.csv.gz": 3_007,
    "esco/v1.1.1/occupations_nl.csv.gz": 3_007,
    "esco/v1.1.1/skills_en.csv.gz": 13_896,
    "esco/v1.1.1/occupationSkillRelations.csv.gz": RELATION_ROWS,
    "classifications/education_levels_nl.csv": 17,
    "classifications/sbi2008_sections.csv": 21,
    "instruments/werkgeversinstrumenten.json": 6,
    "funding/potjes.json": 4,
}
#: Read by the matching engine straight from the file (matching/engine/taxonomy.py).
ENGINE_FILES = {
    "esco/v1.1.1/broaderRelationsSkillPillar.csv.gz",
    "esco/v1.1.1/skillSkillRelations.csv.gz",
}

#: Read by `perspectief evaluate-search` (taxonomy/evaluation.py), not loaded: the
#: hand-written titles that measure free-text search.
EVALUATION_FILES = {"evaluation/titles_nl.csv"}


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Load all shipped data once (committed), and remove it when the module is done."""
    with django_db_blocker.unblock():
        delete_reference_data()
        results = load_all()
    yield results
    with django_db_blocker.unblock():
        delete_reference_data()


pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [Region, Municipality, Postcode, IscoGroup, Occupation, Skill, OccupationSkill]
    models += [EducationLevel, Sector, ConceptLabel, ReferenceDataset]
    return {model.__name__: model.objects.count() for model in models}


def test_every_shipped_file_is_loaded(shipped):
    assert {name: r["rows"] for name, r in shipped.items()} == SHIPPED_FILES
    assert {r["status"] for r in shipped.values()} == {"loaded"}
    assert sorted([*SHIPPED_FILES, *ENGINE_FILES, *EVALUATION_FILES]) == sorted(
        p.relative_to(DEFAULT_DATA_DIR).as_posix()
        for p in DEFAULT_DATA_DIR.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    ), "only files that are loaded (or read by the matching engine or the evaluation) are shipped"


def test_the_engine_reads_its_files():
    from perspectief.matching.engine.taxonomy import BROADER_OR_NARROWER, RELATED, load_esco

    taxonomy = load_esco(DEFAULT_DATA_DIR / "esco" / "v1.1.1")
    assert taxonomy.n_skills == 13_896 and len(taxonomy.occupations) == 3_007
    assert {BROADER_OR_NARROWER, RELATED} <= {float(v) for v in taxonomy.credit.data}


def test_counts(shipped):
    assert Region.objects.count() == 35
    assert Municipality.objects.count() == 342
    assert Postcode.objects.count() == 4_086
    assert IscoGroup.objects.count() == 619
    assert Occupation.objects.count() == 3_007
    assert not Occupation.objects.filter(label_nl="").exists()
    assert not Occupation.objects.filter(label_en="").exists()
    assert not Occupation.objects.filter(isco_group=None).exists()
    assert Skill.objects.count() == 13_896
    assert EducationLevel.objects.count() == 17
    assert Sector.objects.count() == 21
    assert "".join(Sector.objects.values_list("code", flat=True)) == "ABCDEFGHIJKLMNOPQRSTU"


def test_relations(shipped):
    result = shipped["esco/v1.1.1/occupationSkillRelations.csv.gz"]
    assert result["relations"] == OccupationSkill.objects.count() == RELATIONS_LOADED
    assert result["skipped"] == 67
    assert MISSING_OCCUPATION in result["notes"][0]
    assert OccupationSkill.objects.filter(relation="essential").count() == 64_946 - 55
    assert OccupationSkill.objects.filter(relation="optional").exists()


def test_known_places(shipped):
    amsterdam = Municipality.objects.select_related("region").get(code="GM0363")
    assert (amsterdam.name, amsterdam.province) == ("Amsterdam", "Noord-Holland")
    assert (amsterdam.region.code, amsterdam.region.name) == ("AM18", "Groot Amsterdam")
    assert 52.3 < amsterdam.latitude < 52.4 and 4.8 < amsterdam.longitude < 5.0
    assert Municipality.objects.get(code="GM0599").region.code == "AM22"  # Rotterdam, Rijnmond
    assert Municipality.objects.get(code="GM0935").region.code == "AM30"  # Maastricht
    assert Municipality.objects.get(code="GM0060").province == "Fryslân"  # "Friesland" in source
    assert Postcode.objects.get(code="1011").municipality.code == "GM0363"
    assert Postcode.objects.get(code="3011").municipality.code == "GM0599"
    assert Postcode.objects.get(code="1096").place_names == "Amsterdam, Amsterdam-Duivendrecht"
    assert Region.objects.filter(centrumgemeente__isnull=False).count() == 0


def test_esco_labels(shipped):
    director = Occupation.objects.get(
        uri="http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
    )
    assert (director.label_nl, director.label_en) == ("inspiciënt", "technical director")
    assert director.code == "2654.1.7" and director.isco_group.code == "2654"
    assert director.alt_labels_nl.split("\n") == [
        "toneelmeester",
        "inspiciënte",
        "technisch directeur",
        "chef-inspiciënt",
    ]
    assert director.description_en.startswith("Technical directors realise")
    assert director.skill_relations.filter(relation="essential").count() == 8
    assert IscoGroup.objects.get(code="0110").label_nl == "Officieren"
    assert IscoGroup.objects.get(code="0").label_en == "Armed forces occupations"
    skill = Skill.objects.get(
        uri="http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    )
    assert (skill.label_en, skill.skill_type, skill.reuse_level) == (
        "manage musical staff",
        "skill/competence",
        "sector-specific",
    )
    assert "manage music staff" in skill.alt_labels_en.split("\n")
    assert skill.label_nl == ""  # Dutch skill labels come from import_esco


def test_education_levels_and_sectors(shipped):
    levels = {level.code: level for level in EducationLevel.objects.all()}
    assert levels["MBO2"].startkwalificatie is True
    assert levels["MBO1"].startkwalificatie is False
    assert levels["HAVO"].startkwalificatie is True
    assert (levels["VWO"].nlqf, levels["VWO"].eqf) == ("4+", 4)
    assert levels["PO"].eqf is None and levels["PO"].cbs_level == "laag"
    assert levels["MBO2"].school_type == "mbo" and levels["MBO2"].note.startswith("CBS:")
    assert list(EducationLevel.objects.values_list("code", flat=True)[:2]) == ["PO", "VMBO_BB"]
    assert levels["ENGD"].rank == 17
    industry = Sector.objects.get(code="C")
    assert (industry.name, industry.division_from, industry.division_to) == (
        "Industrie",
        "10",
        "33",
    )
    assert Sector.objects.get(code="T").short_name == ""


def test_second_load_changes_nothing(shipped):
    before = counts()
    datasets = list(ReferenceDataset.objects.order_by("name").values("name", "sha256", "rows"))
    results = load_all()
    assert {r["status"] for r in results.values()} == {"skipped"}
    assert {name: r["rows"] for name, r in results.items()} == SHIPPED_FILES
    assert counts() == before
    assert list(ReferenceDataset.objects.order_by("name").values("name", "sha256", "rows")) == (
        datasets
    )


def test_load_reference_command_summary(shipped, capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "regions/gemeente_arbeidsmarktregio_2026.csv: ongewijzigd" in out
    assert "0 van 13 bestanden geladen / 0 of 13 files loaded" in out


def test_import_dutch_skill_labels(shipped, tmp_path, capsys):
    uri = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    unknown = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
    header = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel"]
    header += ["altLabels", "description"]
    known = ["muzikaal personeel beheren", "muziekpersoneel leiden\nmuzikale staf beheren", "Wijs"]
    rows = [
        ["KnowledgeSkillCompetence", uri, "skill/competence", "sector-specific", *known],
        ["KnowledgeSkillCompetence", unknown, "knowledge", "", "onbekend", "", ""],
    ]
    write_csv(tmp_path / "skills_nl.csv.gz", header, rows)
    call_command("import_esco", str(tmp_path))
    out = capsys.readouterr().out
    assert "1 onbekende URI's" in out and unknown in out
    skill = Skill.objects.get(uri=uri)
    assert skill.label_nl == "muzikaal personeel beheren"
    assert skill.label_en == "manage musical staff"
    assert skill.alt_labels_nl == "muziekpersoneel leiden\nmuzikale staf beheren"
    assert ConceptLabel.objects.get(uri=uri, language="nl").kind == "skill"
    assert Skill.objects.count() == 13_896
