"""Load arbeidsmarktregio's, gemeenten (CBS) and PC4 postcode centroids (GeoNames)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from perspectief.core.loading import (
    DEFAULT_DATA_DIR,
    FileResult,
    Loaded,
    UniqueKeys,
    existing_keys,
    read_csv,
    run_step,
    upsert,
)

from .models import Municipality, Postcode, Region

REGIONS_FILE = "regions/arbeidsmarktregios_2025_2026.csv"
MUNICIPALITIES_FILE = "regions/gemeente_arbeidsmarktregio_2026.csv"
POSTCODES_FILE = "geo/pc4_centroids_nl_geonames.csv"

REGION_CODE = r"AM\d{2}"
MUNICIPALITY_CODE = r"GM\d{4}"
PC4 = r"[1-9]\d{3}"

PROVINCES = {
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
}
# The source spells Fryslân as "Friesland" once (Ameland); CBS uses the Frisian name.
PROVINCE_ALIASES = {"Friesland": "Fryslân"}


def _created(objects: list, known: set[str], key: str = "code") -> dict[str, int]:
    new = sum(1 for obj in objects if getattr(obj, key) not in known)
    return {"created": new, "updated": len(objects) - new}


def import_regions(path: str | Path) -> Loaded:
    """Validate and upsert the arbeidsmarktregio's (code, name); keeps the centrumgemeente."""
    regions, codes = [], UniqueKeys()
    for row in read_csv(path, required=["am_code", "am_name"]):
        code = row.match("am_code", REGION_CODE, "regiocode", "region code")
        codes.add(row, "am_code", code)
        regions.append(Region(code=code, name=row.required("am_name")))
    counts = _created(regions, existing_keys(Region, "code"))
    with transaction.atomic():
        upsert(Region, regions, key="code", fields=["name"])
    return Loaded(len(regions), counts)


def import_municipalities(path: str | Path) -> Loaded:
    """Validate and upsert the gemeenten with their province, region and mean PC4 position."""
    region_ids = dict(Region.objects.values_list("code", "pk"))
    municipalities, codes = [], UniqueKeys()
    required = ["gm_code", "gemeente_naam", "provincie", "am_code"]
    for row in read_csv(path, required=required):
        code = row.match("gm_code", MUNICIPALITY_CODE, "gemeentecode", "municipality code")
        codes.add(row, "gm_code", code)
        province = PROVINCE_ALIASES.get(row.required("provincie"), row.get("provincie"))
        if province not in PROVINCES:
            raise row.error(
                "provincie", f"onbekende provincie {province}", f"unknown province {province}"
            )
        region = row.match("am_code", REGION_CODE, "regiocode", "region code")
        if region not in region_ids:
            raise row.error("am_code", f"onbekende regio {region}", f"unknown region {region}")
        municipalities.append(
            Municipality(
                code=code,
                name=row.required("gemeente_naam"),
                province=province,
                region_id=region_ids[region],
                latitude=row.latitude("lat_pc4_mean", required=False),
                longitude=row.longitude("lon_pc4_mean", required=False),
            )
        )
    counts = _created(municipalities, existing_keys(Municipality, "code"))
    with transaction.atomic():
        upsert(
            Municipality,
            municipalities,
            key="code",
            fields=["name", "province", "region", "latitude", "longitude"],
        )
    return Loaded(len(municipalities), counts)


def import_postcodes(path: str | Path) -> Loaded:
    """Validate and upsert the PC4 areas with their centroid, places and gemeente."""
    municipalities = {
        code: (pk, region)
        for code, pk, region in Municipality.objects.values_list("code", "pk", "region__code")
    }
    postcodes, codes = [], UniqueKeys()
    for row in read_csv(path, required=["pc4", "lat", "lon", "gm_code"]):
        code = row.match("pc4", PC4, "PC4-postcode", "PC4 postcode")
        codes.add(row, "pc4", code)
        latitude, longitude = row.latitude("lat"), row.longitude("lon")
        gm_code = row.match("gm_code", MUNICIPALITY_CODE, "gemeentecode", "municipality code")
        if gm_code not in municipalities:
            raise row.error(
                "gm_code", f"onbekende gemeente {gm_code}", f"unknown municipality {gm_code}"
            )
        municipality_id, region = municipalities[gm_code]
        if row.get("am_code") and row.get("am_code") != region:
            raise row.error(
                "am_code",
                f"gemeente {gm_code} hoort bij regio {region}, niet {row.get('am_code')}",
                f"municipality {gm_code} belongs to region {region}, not {row.get('am_code')}",
            )
        places = [name.strip() for name in row.get("place_names").split("|") if name.strip()]
        postcodes.append(
            Postcode(
                code=code,
                latitude=latitude,
                longitude=longitude,
                place_names=", ".join(places),
                municipality_id=municipality_id,
            )
        )
    counts = _created(postcodes, existing_keys(Postcode, "code"))
    with transaction.atomic():
        upsert(
            Postcode,
            postcodes,
            key="code",
            fields=["latitude", "longitude", "place_names", "municipality"],
        )
    return Loaded(len(postcodes), counts)


def load_regions(*, data_dir: str | Path | None = None, force: bool = False) -> list[FileResult]:
    """Load regions, municipalities and postcodes; unchanged files are skipped."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    results = []
    for name, importer in [
        (REGIONS_FILE, import_regions),
        (MUNICIPALITIES_FILE, import_municipalities),
        (POSTCODES_FILE, import_postcodes),
    ]:
        path = data_dir / name
        results += run_step([path], _one_file(path, importer), data_dir=data_dir, force=force)
    return results


def _one_file(path: Path, importer: Callable[[Path], Loaded]) -> Callable[[], dict[Path, Loaded]]:
    """The load step of one file, with its path and importer bound now."""
    return lambda: {path: importer(path)}
