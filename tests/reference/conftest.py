"""Helpers for the reference-data tests: small CSV files and tidy-up of loaded data."""

import csv
import gzip
from pathlib import Path

import pytest

from perspectief.core.models import ReferenceDataset
from perspectief.funding.models import FundingPot
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

REGIONS_HEADER = ["am_code", "am_name", "n_gemeenten", "gemeenten", "gm_codes", "centrumgemeente"]
MUNICIPALITIES_HEADER = [
    "gm_code",
    "gemeente_code4",
    "gemeente_naam",
    "provincie",
    "am_code",
    "am_name",
    "lat_pc4_mean",
    "lon_pc4_mean",
    "n_pc4",
    "name_source",
]
POSTCODES_HEADER = [
    "pc4",
    "lat",
    "lon",
    "place_names",
    "gm_code",
    "gemeente_naam",
    "provincie",
    "am_code",
    "am_name",
    "n_place_rows",
    "n_gemeenten_in_pc4_rows",
]


def write_csv(path: Path, header: list[str], rows: list[list], *, delimiter: str = ",") -> Path:
    """Write a CSV file (gzipped when the name ends in .gz) the way the sources are written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def region_row(code="AM18", name="Groot Amsterdam"):
    return [code, name, "1", "Amsterdam", "GM0363", ""]


def municipality_row(code="GM0363", name="Amsterdam", region="AM18", lat="52.36", lon="4.89"):
    return [code, code[2:], name, "Noord-Holland", region, "", lat, lon, "1", "test"]


def postcode_row(code="1011", municipality="GM0363", region="AM18", lat="52.371", lon="4.904"):
    return [code, lat, lon, "Amsterdam", municipality, "", "", region, "", "1", "1"]


@pytest.fixture
def small_regions(tmp_path):
    """A data folder with two regions, two municipalities and three postcodes."""
    write_csv(
        tmp_path / "regions/arbeidsmarktregios_2025_2026.csv",
        REGIONS_HEADER,
        [region_row(), region_row("AM22", "Rijnmond")],
    )
    write_csv(
        tmp_path / "regions/gemeente_arbeidsmarktregio_2026.csv",
        MUNICIPALITIES_HEADER,
        [municipality_row(), municipality_row("GM0599", "Rotterdam", "AM22", "51.92", "4.48")],
    )
    write_csv(
        tmp_path / "geo/pc4_centroids_nl_geonames.csv",
        POSTCODES_HEADER,
        [
            postcode_row(),
            postcode_row("1012"),
            postcode_row("3011", "GM0599", "AM22", "51.92", "4.48"),
        ],
    )
    return tmp_path


def delete_reference_data() -> None:
    """Remove everything the reference loaders write (for data committed outside a test)."""
    OccupationSkill.objects.all().delete()
    ConceptLabel.objects.all().delete()
    Occupation.objects.all().delete()
    Skill.objects.all().delete()
    IscoGroup.objects.all().delete()
    Region.objects.update(centrumgemeente=None)
    Postcode.objects.all().delete()
    Municipality.objects.all().delete()
    Region.objects.all().delete()
    EducationLevel.objects.all().delete()
    Sector.objects.all().delete()
    FundingPot.objects.filter(region=None).delete()
    ReferenceDataset.objects.all().delete()
