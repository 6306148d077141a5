"""``import_esco``: labels from an official ESCO CSV export in any language."""

import pytest
from django.core.management import CommandError, call_command

from perspectief.core.loading import ReferenceDataError
from perspectief.taxonomy.loaders import import_esco_export
from perspectief.taxonomy.models import ConceptLabel, IscoGroup, Occupation, Skill

from .conftest import write_csv

pytestmark = pytest.mark.django_db

SKILL = "http://data.europa.eu/esco/skill/{}-0000-0000-0000-000000000000"
OCCUPATION = "http://data.europa.eu/esco/occupation/{}-0000-0000-0000-000000000000"
SKILL_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel"]
SKILL_HEADER += ["altLabels", "hiddenLabels", "status", "description"]
OCCUPATION_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels"]
OCCUPATION_HEADER += ["description", "code"]


def skill_row(n: str, label: str, alt: str = "", description: str = ""):
    uri = SKILL.format(n)
    return [
        "KnowledgeSkillCompetence",
        uri,
        "knowledge",
        "",
        label,
        alt,
        "",
        "released",
        description,
    ]


@pytest.fixture
def concepts():
    isco = IscoGroup.objects.create(uri="http://data.europa.eu/esco/isco/C8332", code="8332")
    Skill.objects.create(uri=SKILL.format("11111111"), label_en="drive trucks")
    Skill.objects.create(uri=SKILL.format("22222222"), label_en="load cargo", label_nl="oud")
    Occupation.objects.create(
        uri=OCCUPATION.format("33333333"), label_en="truck driver", isco_group=isco, code="8332.1"
    )


def test_dutch_skills_file(concepts, tmp_path, capsys):
    rows = [
        skill_row(
            "11111111",
            "vrachtwagens besturen",
            "met vrachtwagens rijden\nvrachtwagen rijden",
            "Rijden.",
        ),
        skill_row("22222222", "vracht laden"),
        skill_row("99999999", "onbekende vaardigheid"),
    ]
    write_csv(tmp_path / "skills_nl.csv", SKILL_HEADER, rows)
    call_command("import_esco", str(tmp_path / "skills_nl.csv"), "--language", "nl")
    out = capsys.readouterr().out
    assert "skills_nl.csv (skill, nl): 3 rijen / rows, 2 labels geïmporteerd / imported" in out
    assert (
        f"1 onbekende URI's overgeslagen / unknown URIs skipped: {SKILL.format('99999999')}" in out
    )

    drive = Skill.objects.get(uri=SKILL.format("11111111"))
    assert (drive.label_nl, drive.label_en) == ("vrachtwagens besturen", "drive trucks")
    assert drive.alt_labels_nl == "met vrachtwagens rijden\nvrachtwagen rijden"
    assert drive.description_nl == "Rijden."
    assert Skill.objects.get(uri=SKILL.format("22222222")).label_nl == "vracht laden"
    assert Skill.objects.count() == 2  # the unknown skill is not created
    label = ConceptLabel.objects.get(uri=SKILL.format("11111111"))
    assert (label.kind, label.language, label.preferred_label) == (
        "skill",
        "nl",
        "vrachtwagens besturen",
    )
    assert label.alt_labels == "met vrachtwagens rijden\nvrachtwagen rijden"

    # Importing again updates in place.
    rows[1] = skill_row("22222222", "lading laden")
    write_csv(tmp_path / "skills_nl.csv", SKILL_HEADER, rows)
    call_command("import_esco", str(tmp_path))
    assert Skill.objects.get(uri=SKILL.format("22222222")).label_nl == "lading laden"
    assert ConceptLabel.objects.count() == 2


def test_other_language_directory_with_gzip(concepts, tmp_path):
    write_csv(tmp_path / "skills_de.csv.gz", SKILL_HEADER, [skill_row("11111111", "LKW fahren")])
    occupation = [
        "Occupation",
        OCCUPATION.format("33333333"),
        "8332",
        "Lkw-Fahrer",
        "Trucker",
        "",
        "8332.1",
    ]
    write_csv(tmp_path / "occupations_de.csv.gz", OCCUPATION_HEADER, [occupation])
    write_csv(tmp_path / "skillGroups_de.csv.gz", ["conceptUri"], [])  # not a concept file we use
    results = import_esco_export(tmp_path)
    assert [(r.file, r.kind, r.language, r.imported) for r in results] == [
        ("occupations_de.csv.gz", "occupation", "de", 1),
        ("skills_de.csv.gz", "skill", "de", 1),
    ]
    assert set(ConceptLabel.objects.values_list("language", "kind", "preferred_label")) == {
        ("de", "occupation", "Lkw-Fahrer"),
        ("de", "skill", "LKW fahren"),
    }
    assert Skill.objects.get(uri=SKILL.format("11111111")).label_nl == ""  # only nl/en fields


def test_malformed_file_imports_nothing(concepts, tmp_path):
    write_csv(
        tmp_path / "occupations_nl.csv",
        OCCUPATION_HEADER,
        [
            [
                "Occupation",
                OCCUPATION.format("33333333"),
                "8332",
                "vrachtwagenchauffeur",
                "",
                "",
                "8332.1",
            ]
        ],
    )
    rows = [skill_row("11111111", "vrachtwagens besturen"), skill_row("22222222", "x")]
    rows[1][1] = "http://example.org/skill/2"
    write_csv(tmp_path / "skills_nl.csv", SKILL_HEADER, rows)
    with pytest.raises(CommandError) as caught:
        call_command("import_esco", str(tmp_path), "--language", "nl")
    assert "skills_nl.csv, regel 3, veld conceptUri: ongeldige ESCO-URI" in str(caught.value)
    assert ConceptLabel.objects.count() == 0
    assert Occupation.objects.get().label_nl == ""
    assert Skill.objects.get(uri=SKILL.format("22222222")).label_nl == "oud"


@pytest.mark.parametrize("language", ["nld", "n", "12", "en-us"])
def test_language_must_be_two_letters(tmp_path, language):
    with pytest.raises(CommandError, match="ongeldige taalcode"):
        call_command("import_esco", str(tmp_path), "--language", language)


def test_language_from_file_names(concepts, tmp_path):
    write_csv(tmp_path / "skills_nl.csv", SKILL_HEADER, [skill_row("11111111", "besturen")])
    write_csv(tmp_path / "skills_fr.csv", SKILL_HEADER, [skill_row("11111111", "conduire")])
    with pytest.raises(ReferenceDataError, match="--language"):
        import_esco_export(tmp_path)  # two languages: which one?
    assert [r.language for r in import_esco_export(tmp_path, language="FR")] == ["fr"]
    with pytest.raises(ReferenceDataError, match="the file name says language nl, not en"):
        import_esco_export(tmp_path / "skills_nl.csv", language="en")
    with pytest.raises(ReferenceDataError, match="no ESCO files found"):
        import_esco_export(tmp_path, language="de")
    (tmp_path / "labels.csv").write_bytes((tmp_path / "skills_nl.csv").read_bytes())
    with pytest.raises(ReferenceDataError, match="--language"):
        import_esco_export(tmp_path / "labels.csv")
    # A renamed file: the kind comes from its conceptType column.
    assert [
        (r.kind, r.imported) for r in import_esco_export(tmp_path / "labels.csv", language="nl")
    ] == [("skill", 1)]
