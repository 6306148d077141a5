"""Malformed reference files load nothing and name file, line and field; reloads are idempotent."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from perspectief.core.loading import ReferenceDataError
from perspectief.core.models import ReferenceDataset
from perspectief.regions.loaders import (
    import_municipalities,
    import_postcodes,
    import_regions,
    load_regions,
)
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.classifications import import_education_levels, import_sectors
from perspectief.taxonomy.loaders import import_occupation_skills
from perspectief.taxonomy.models import EducationLevel, OccupationSkill, Sector
from tests.factories import OccupationSkillFactory

from .conftest import (
    MUNICIPALITIES_HEADER,
    POSTCODES_HEADER,
    REGIONS_HEADER,
    municipality_row,
    postcode_row,
    region_row,
    write_csv,
)

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "gemeente_arbeidsmarktregio_2026.csv"


@pytest.fixture
def regions(tmp_path):
    import_regions(write_csv(tmp_path / "r.csv", REGIONS_HEADER, [region_row()]))


def assert_error(caught, file, line, field, *texts):
    error = caught.value
    assert (error.file, error.line, error.field) == (file, line, field)
    for text in texts:
        assert text in str(error)


def test_unknown_region_loads_no_municipality(tmp_path, regions):
    path = write_csv(
        tmp_path / MUNICIPALITIES,
        MUNICIPALITIES_HEADER,
        [municipality_row(), municipality_row("GM0599", "Rotterdam", "AM99")],
    )
    with pytest.raises(ReferenceDataError) as caught:
        import_municipalities(path)
    assert str(caught.value) == (
        f"{MUNICIPALITIES}, regel 3, veld am_code: onbekende regio AM99 / "
        "line 3, field am_code: unknown region AM99"
    )
    assert Municipality.objects.count() == 0


@pytest.mark.parametrize(
    ("lat", "lon", "field", "text"),
    [
        ("48.85", "4.89", "lat_pc4_mean", "48.85 ligt buiten het bereik"),
        ("52.36", "9.1", "lon_pc4_mean", "outside the range 3.2–7.3"),
        ("52,36", "4.89", "lat_pc4_mean", "geen getal: '52,36' / line 3, field lat_pc4_mean"),
    ],
)
def test_bad_coordinates(tmp_path, regions, lat, lon, field, text):
    path = write_csv(
        tmp_path / MUNICIPALITIES,
        MUNICIPALITIES_HEADER,
        [municipality_row(), municipality_row("GM0358", "Aalsmeer", lat=lat, lon=lon)],
    )
    with pytest.raises(ReferenceDataError) as caught:
        import_municipalities(path)
    assert_error(caught, MUNICIPALITIES, 3, field, text)
    assert Municipality.objects.count() == 0


def test_missing_column(tmp_path, regions):
    header = [c for c in MUNICIPALITIES_HEADER if c != "provincie"]
    rows = [
        [
            v
            for c, v in zip(MUNICIPALITIES_HEADER, municipality_row(), strict=True)
            if c != "provincie"
        ]
    ]
    path = write_csv(tmp_path / MUNICIPALITIES, header, rows)
    with pytest.raises(ReferenceDataError) as caught:
        import_municipalities(path)
    assert_error(caught, MUNICIPALITIES, 1, "provincie", "kolom ontbreekt / line 1")
    assert Municipality.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        (postcode_row("0123"), "pc4", "ongeldige PC4-postcode '0123'"),
        (postcode_row("123"), "pc4", "invalid PC4 postcode '123'"),
        (postcode_row("1011"), "pc4", "1011 staat al op regel 2"),
        (postcode_row("1013", "GM9999"), "gm_code", "onbekende gemeente GM9999"),
        (postcode_row("1013", region="AM22"), "am_code", "hoort bij regio AM18, niet AM22"),
        (postcode_row("1013", lat=""), "lat", "verplicht veld is leeg / line 4, field lat"),
    ],
)
def test_bad_postcodes(tmp_path, regions, row, field, text):
    import_municipalities(
        write_csv(tmp_path / "m.csv", MUNICIPALITIES_HEADER, [municipality_row()])
    )
    rows = [postcode_row("1011"), postcode_row("1012"), row]
    path = write_csv(tmp_path / "pc4_centroids_nl_geonames.csv", POSTCODES_HEADER, rows)
    with pytest.raises(ReferenceDataError) as caught:
        import_postcodes(path)
    assert_error(caught, "pc4_centroids_nl_geonames.csv", 4, field, text)
    assert Postcode.objects.count() == 0


def test_bad_region_code(tmp_path):
    path = write_csv(tmp_path / "r.csv", REGIONS_HEADER, [region_row(), region_row("AM1", "X")])
    with pytest.raises(ReferenceDataError) as caught:
        import_regions(path)
    assert_error(caught, "r.csv", 3, "am_code", "ongeldige regiocode 'AM1'")
    assert Region.objects.count() == 0


def test_bad_education_level(tmp_path):
    header = ["code", "opleiding", "onderwijssoort", "nlqf", "eqf", "cbs_niveau_3"]
    header += ["startkwalificatie", "toelichting"]
    good = ["MBO2", "mbo niveau 2", "mbo", "2", "2", "middelbaar", "ja", ""]
    for bad, field, text in [
        (
            ["MBO3", "mbo 3", "mbo", "3", "3", "middelbaar", "misschien", ""],
            "startkwalificatie",
            "ja of nee",
        ),
        (["X", "x", "wo", "9", "9", "hoog", "ja", ""], "eqf", "EQF-niveau 9 bestaat niet"),
        (["Y", "y", "wo", "8", "8", "top", "ja", ""], "cbs_niveau_3", "ongeldige waarde 'top'"),
    ]:
        path = write_csv(tmp_path / "levels.csv", header, [good, bad])
        with pytest.raises(ReferenceDataError) as caught:
            import_education_levels(path)
        assert_error(caught, "levels.csv", 3, field, text)
        assert EducationLevel.objects.count() == 0


def test_bad_sector(tmp_path):
    header = [
        "sectie",
        "naam_nl",
        "naam_kort_cbs",
        "afdelingen_2digit_van",
        "afdelingen_2digit_tot",
    ]
    path = write_csv(
        tmp_path / "sbi.csv",
        header,
        [["A", "Landbouw", "", "01", "03"], ["b", "x", "", "05", "09"]],
    )
    with pytest.raises(ReferenceDataError) as caught:
        import_sectors(path)
    assert_error(caught, "sbi.csv", 3, "sectie", "ongeldige SBI-sectie 'b'")
    assert Sector.objects.count() == 0


def test_bad_relation_keeps_the_existing_relations(tmp_path):
    relation = OccupationSkillFactory()
    occupation, skill = relation.occupation.uri, relation.skill.uri
    path = write_csv(
        tmp_path / "occupationSkillRelations.csv.gz",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [
            [occupation, "optional", "knowledge", skill],
            [occupation, "required", "knowledge", skill],
        ],
    )
    with pytest.raises(ReferenceDataError) as caught:
        import_occupation_skills(path)
    assert_error(caught, "occupationSkillRelations.csv.gz", 3, "relationType", "'required'")
    assert list(OccupationSkill.objects.values_list("pk", "relation")) == [
        (relation.pk, relation.relation)
    ]


def test_relations_are_replaced_and_unknown_concepts_reported(tmp_path):
    relation = OccupationSkillFactory(relation="essential")
    occupation, skill = relation.occupation.uri, relation.skill.uri
    unknown = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"
    path = write_csv(
        tmp_path / "rel.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [[occupation, "optional", "knowledge", skill], [unknown, "essential", "knowledge", skill]],
    )
    loaded = import_occupation_skills(path)
    assert (loaded.rows, loaded.counts) == (2, {"relations": 1, "skipped": 1})
    assert unknown in loaded.notes[0]
    assert list(OccupationSkill.objects.values_list("relation", flat=True)) == ["optional"]


def test_load_is_all_or_nothing_per_file_and_idempotent(small_regions):
    results = {r.name: r for r in load_regions(data_dir=small_regions)}
    assert [r.status for r in results.values()] == ["loaded"] * 3
    assert (Region.objects.count(), Municipality.objects.count(), Postcode.objects.count()) == (
        2,
        2,
        3,
    )
    amsterdam = Municipality.objects.get(code="GM0363")
    Region.objects.filter(code="AM18").update(centrumgemeente=amsterdam)

    # Unchanged files are skipped; a changed one is upserted and keeps the centrumgemeente.
    write_csv(
        small_regions / "regions/arbeidsmarktregios_2025_2026.csv",
        REGIONS_HEADER,
        [region_row(name="Amsterdam en omstreken"), region_row("AM22", "Rijnmond")],
    )
    results = {r.name: r for r in load_regions(data_dir=small_regions)}
    assert [r.status for r in results.values()] == ["loaded", "skipped", "skipped"]
    assert results["regions/arbeidsmarktregios_2025_2026.csv"].counts == {
        "created": 0,
        "updated": 2,
    }
    region = Region.objects.get(code="AM18")
    assert (region.name, region.centrumgemeente) == ("Amsterdam en omstreken", amsterdam)
    assert Region.objects.get(code="AM22").municipalities.get().name == "Rotterdam"

    # A malformed postcode file loads nothing from that file and is not recorded.
    write_csv(
        small_regions / "geo/pc4_centroids_nl_geonames.csv",
        POSTCODES_HEADER,
        [postcode_row("1013"), postcode_row("1014", lat="99")],
    )
    recorded = ReferenceDataset.objects.get(name="geo/pc4_centroids_nl_geonames.csv").sha256
    with pytest.raises(ReferenceDataError, match="regel 3, veld lat"):
        load_regions(data_dir=small_regions)
    assert sorted(Postcode.objects.values_list("code", flat=True)) == ["1011", "1012", "3011"]
    assert ReferenceDataset.objects.get(name="geo/pc4_centroids_nl_geonames.csv").sha256 == recorded


def test_load_reference_command_refuses_a_malformed_file(small_regions):
    write_csv(
        small_regions / "regions/gemeente_arbeidsmarktregio_2026.csv",
        MUNICIPALITIES_HEADER,
        [municipality_row(region="AM99")],
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_reference", "--data-dir", str(small_regions))
    assert f"{MUNICIPALITIES}, regel 2, veld am_code: onbekende regio AM99" in str(caught.value)
    assert Municipality.objects.count() == 0
    assert Region.objects.count() == 2  # the region file before it did load


def test_load_reference_exits_with_status_1(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PERSPECTIEF_DATA_DIR": str(tmp_path),
    }
    code = "from perspectief.cli import main; main(['load_reference', '--data-dir', 'nowhere'])"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "arbeidsmarktregios_2025_2026.csv: bestand niet gevonden / file not found" in done.stderr
    assert done.stdout == ""
