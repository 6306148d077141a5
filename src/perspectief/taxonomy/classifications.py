"""Load the Dutch classifications the platform ships: education levels (with NLQF, EQF and
CBS level) and the SBI 2008 sections. ESCO is loaded by :mod:`perspectief.taxonomy.loaders`."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from perspectief.core.loading import (
    DEFAULT_DATA_DIR,
    FileResult,
    Loaded,
    UniqueKeys,
    created_and_updated,
    existing_keys,
    read_csv,
    run_step,
    upsert,
)

from .constants import CbsEducationLevel
from .models import EducationLevel, Sector

EDUCATION_LEVELS_FILE = "classifications/education_levels_nl.csv"
SECTORS_FILE = "classifications/sbi2008_sections.csv"


def import_education_levels(path: str | Path) -> Loaded:
    """Dutch diplomas with NLQF/EQF and CBS level; the file's order is the rank."""
    levels, codes = [], UniqueKeys()
    required = ["code", "opleiding", "onderwijssoort", "nlqf", "eqf", "cbs_niveau_3"]
    for rank, row in enumerate(read_csv(path, required=[*required, "startkwalificatie"]), 1):
        code = row.match("code", r"[A-Z][A-Z0-9_]{0,19}", "code", "code")
        codes.add(row, "code", code)
        eqf = row.integer("eqf", required=False)
        if eqf is not None and not 1 <= eqf <= 8:
            raise row.error(
                "eqf", f"EQF-niveau {eqf} bestaat niet", f"EQF level {eqf} does not exist"
            )
        nlqf = row.get("nlqf")
        if nlqf and not re.fullmatch(r"[1-8]\+?", nlqf):
            raise row.error(
                "nlqf", f"ongeldig NLQF-niveau {nlqf!r}", f"invalid NLQF level {nlqf!r}"
            )
        levels.append(
            EducationLevel(
                code=code,
                name=row.required("opleiding"),
                school_type=row.required("onderwijssoort"),
                nlqf=nlqf,
                eqf=eqf,
                cbs_level=row.choice("cbs_niveau_3", CbsEducationLevel.values),
                startkwalificatie=row.boolean("startkwalificatie"),
                note=row.get("toelichting"),
                rank=rank,
            )
        )
    counts = created_and_updated(levels, existing_keys(EducationLevel, "code"), "code")
    fields = [
        "name",
        "school_type",
        "nlqf",
        "eqf",
        "cbs_level",
        "startkwalificatie",
        "note",
        "rank",
    ]
    with transaction.atomic():
        upsert(EducationLevel, levels, key="code", fields=fields)
    return Loaded(len(levels), counts)


def import_sectors(path: str | Path) -> Loaded:
    """SBI 2008 sections A–U with their division range."""
    sectors, codes = [], UniqueKeys()
    required = [
        "sectie",
        "naam_nl",
        "naam_kort_cbs",
        "afdelingen_2digit_van",
        "afdelingen_2digit_tot",
    ]
    for row in read_csv(path, required=required):
        code = row.match("sectie", r"[A-Z]", "SBI-sectie", "SBI section")
        codes.add(row, "sectie", code)
        first = row.match("afdelingen_2digit_van", r"\d{2}", "SBI-afdeling", "SBI division")
        last = row.match("afdelingen_2digit_tot", r"\d{2}", "SBI-afdeling", "SBI division")
        if last < first:
            raise row.error(
                "afdelingen_2digit_tot",
                f"afdeling {last} ligt voor {first}",
                f"division {last} comes before {first}",
            )
        sectors.append(
            Sector(
                code=code,
                name=row.required("naam_nl"),
                short_name=row.get("naam_kort_cbs"),
                division_from=first,
                division_to=last,
            )
        )
    counts = created_and_updated(sectors, existing_keys(Sector, "code"), "code")
    fields = ["name", "short_name", "division_from", "division_to"]
    with transaction.atomic():
        upsert(Sector, sectors, key="code", fields=fields)
    return Loaded(len(sectors), counts)


def load_education_levels(
    *, data_dir: str | Path | None = None, force: bool = False
) -> list[FileResult]:
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    path = data_dir / EDUCATION_LEVELS_FILE
    return run_step(
        [path], lambda: {path: import_education_levels(path)}, data_dir=data_dir, force=force
    )


def load_sectors(*, data_dir: str | Path | None = None, force: bool = False) -> list[FileResult]:
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    path = data_dir / SECTORS_FILE
    return run_step([path], lambda: {path: import_sectors(path)}, data_dir=data_dir, force=force)
