"""A small framework for loading reference-data files (CSV, optionally gzipped).

Files are read with :mod:`perspectief.core.tabular` as UTF-8 (with or without BOM), with
``,`` or ``;`` as the header line has it. Every row carries the line number on which it starts
in the file (the header is line 1), so that a :class:`ReferenceDataError` can point at the
exact place. Loaders validate a whole file before writing anything, and write inside
``transaction.atomic()``: a bad file loads nothing.

:func:`run_step` adds idempotency: the SHA-256 of every file is kept in
:class:`~perspectief.core.models.ReferenceDataset`; a step whose files are unchanged is skipped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from django.db import models, transaction

from .models import ReferenceDataset
from .tabular import CsvReader, RecordError, open_text

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Roughly the Netherlands, including the Wadden islands and South Limburg.
NL_LATITUDE = (50.7, 53.7)
NL_LONGITUDE = (3.2, 7.3)

BOOLEANS = {"ja": True, "nee": False}


class ReferenceDataError(Exception):
    """A reference file is malformed; names the file, line and field, in Dutch and English."""

    def __init__(
        self,
        file: str | Path,
        line: int | None,
        field: str | None,
        message: str,
        message_en: str | None = None,
    ):
        self.path = Path(file)
        self.file = self.path.name
        self.line = line
        self.field = field
        self.message = message
        self.message_en = message_en or message
        super().__init__(str(self))

    def __str__(self) -> str:
        where_nl, where_en = [], []
        if self.line is not None:
            where_nl.append(f"regel {self.line}")
            where_en.append(f"line {self.line}")
        if self.field:
            where_nl.append(f"veld {self.field}")
            where_en.append(f"field {self.field}")
        nl = ", ".join([self.file, *where_nl])
        en = ", ".join(where_en)
        return f"{nl}: {self.message} / " + (f"{en}: " if en else "") + self.message_en


@dataclass
class Row:
    """One CSV record: its values by column name and the line on which it starts."""

    path: Path
    line: int
    values: dict[str, str]

    def error(self, field: str | None, message: str, message_en: str) -> ReferenceDataError:
        return ReferenceDataError(self.path, self.line, field, message, message_en)

    def get(self, field: str, default: str = "") -> str:
        value = self.values.get(field)
        return default if value is None else value

    def required(self, field: str) -> str:
        value = self.get(field)
        if not value:
            raise self.error(field, "verplicht veld is leeg", "required field is empty")
        return value

    def match(self, field: str, pattern: str, what: str, what_en: str) -> str:
        """A required value that must fully match ``pattern``."""
        value = self.required(field)
        if not re.fullmatch(pattern, value):
            raise self.error(field, f"ongeldige {what} {value!r}", f"invalid {what_en} {value!r}")
        return value

    @overload
    def number(
        self, field: str, low: float, high: float, *, required: Literal[True] = True
    ) -> float: ...

    @overload
    def number(self, field: str, low: float, high: float, *, required: bool) -> float | None: ...

    def number(self, field: str, low: float, high: float, *, required: bool = True) -> float | None:
        value = self.get(field) if not required else self.required(field)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(field, f"geen getal: {value!r}", f"not a number: {value!r}") from None
        if not low <= number <= high:
            raise self.error(
                field,
                f"{value} ligt buiten het bereik {low}–{high}",
                f"{value} is outside the range {low}–{high}",
            )
        return number

    def integer(self, field: str, *, required: bool = True) -> int | None:
        value = self.get(field) if not required else self.required(field)
        if not value:
            return None
        if not value.isdigit():
            raise self.error(
                field, f"geen geheel getal: {value!r}", f"not a whole number: {value!r}"
            )
        return int(value)

    def boolean(self, field: str) -> bool:
        value = self.required(field).lower()
        if value not in BOOLEANS:
            raise self.error(
                field,
                f"verwacht ja of nee, niet {value!r}",
                f"expected ja or nee (yes/no), not {value!r}",
            )
        return BOOLEANS[value]

    def choice(self, field: str, choices: Iterable[str], *, required: bool = True) -> str:
        value = self.get(field) if not required else self.required(field)
        choices = list(choices)
        if value and value not in choices:
            allowed = ", ".join(choices)
            raise self.error(
                field,
                f"ongeldige waarde {value!r} (toegestaan: {allowed})",
                f"invalid value {value!r} (allowed: {allowed})",
            )
        return value

    @overload
    def latitude(self, field: str, *, required: Literal[True] = True) -> float: ...

    @overload
    def latitude(self, field: str, *, required: bool) -> float | None: ...

    def latitude(self, field: str, *, required: bool = True) -> float | None:
        return self.number(field, *NL_LATITUDE, required=required)

    @overload
    def longitude(self, field: str, *, required: Literal[True] = True) -> float: ...

    @overload
    def longitude(self, field: str, *, required: bool) -> float | None: ...

    def longitude(self, field: str, *, required: bool = True) -> float | None:
        return self.number(field, *NL_LONGITUDE, required=required)


def read_csv(path: str | Path, required: Iterable[str] = ()) -> Iterator[Row]:
    """Yield the data rows of a CSV file, checking that the ``required`` columns exist.

    Read strictly with :class:`~perspectief.core.tabular.CsvReader` (the delimiter as the
    header line has it, blank lines skipped, gzip by the ``.gz`` suffix); every record must
    have as many fields as the header.
    """
    path = Path(path)
    if not path.is_file():
        raise ReferenceDataError(path, None, None, "bestand niet gevonden", "file not found")
    with open_text(path) as handle:
        try:
            reader = CsvReader(handle, strict=True)
        except RecordError as exc:
            raise _record_error(path, exc) from exc
        header = _checked_header(path, reader, required)
        try:
            for record in reader:
                if len(record.cells) != len(header):
                    raise ReferenceDataError(
                        path,
                        record.line,
                        None,
                        f"{len(record.cells)} velden, de kop heeft er {len(header)}",
                        f"{len(record.cells)} fields, the header has {len(header)}",
                    )
                yield Row(path, record.line, dict(zip(header, record.cells, strict=True)))
        except RecordError as exc:
            raise _record_error(path, exc) from exc


def _checked_header(path: Path, reader: CsvReader, required: Iterable[str]) -> list[str]:
    """The column names: the file is not empty, has the required ones, and none twice."""
    if reader.empty:
        raise ReferenceDataError(path, 1, None, "bestand is leeg", "file is empty")
    header = reader.headers
    for name in required:
        if name not in header:
            raise ReferenceDataError(
                path, reader.header_line, name, "kolom ontbreekt", "column is missing"
            )
    duplicates = {name for name in header if header.count(name) > 1}
    if duplicates:
        name = sorted(duplicates)[0]
        raise ReferenceDataError(
            path, reader.header_line, name, "dubbele kolom", "duplicate column"
        )
    return header


def _record_error(path: Path, exc: RecordError) -> ReferenceDataError:
    if exc.malformed:
        return ReferenceDataError(
            path, exc.line, None, f"ongeldige CSV: {exc.reason}", f"invalid CSV: {exc.reason}"
        )
    return ReferenceDataError(
        path,
        exc.line,
        None,
        f"onleesbaar bestand ({exc.reason})",
        f"unreadable file ({exc.reason})",
    )


class UniqueKeys:
    """Rejects a second row with the same natural key (PostgreSQL's upsert refuses it too)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def add(self, row: Row, field: str, value: str) -> None:
        if value in self.seen:
            raise row.error(
                field,
                f"{value} staat al op regel {self.seen[value]}",
                f"{value} already appears on line {self.seen[value]}",
            )
        self.seen[value] = row.line


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def created_and_updated(objects: list[Any], known: set[str], key: str) -> dict[str, int]:
    """How many of ``objects`` are new and how many update a row (by their ``key``)."""
    new = sum(1 for obj in objects if getattr(obj, key) not in known)
    return {"created": new, "updated": len(objects) - new}


def existing_keys(model: type[models.Model], field: str) -> set[str]:
    return set(model._default_manager.values_list(field, flat=True))


def upsert(
    model: type[models.Model], objects: Sequence[models.Model], *, key: str, fields: list[str]
) -> None:
    """Insert new rows and update ``fields`` of existing ones, matched on ``key``."""
    model._default_manager.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=[key],
        update_fields=fields,
    )


@dataclass
class FileResult:
    """What happened to one file: ``loaded`` or ``skipped`` (unchanged), with counts."""

    name: str
    status: str
    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "rows": self.rows, **self.counts, "notes": self.notes}


@dataclass
class Loaded:
    """What a step's loader reports per file: data rows read, counts, notes."""

    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def dataset_name(path: Path, data_dir: Path) -> str:
    try:
        return path.relative_to(data_dir).as_posix()
    except ValueError:
        return path.name


def run_step(
    files: list[Path],
    load: Callable[[], dict[Path, Loaded]],
    *,
    data_dir: Path,
    force: bool = False,
) -> list[FileResult]:
    """Load ``files`` with ``load()`` unless all their checksums are unchanged.

    ``load`` validates and writes; it runs inside one transaction together with the
    bookkeeping, so that either all files of the step are loaded and recorded, or none.
    """
    names = {path: dataset_name(path, data_dir) for path in files}
    for path in files:
        if not path.is_file():
            raise ReferenceDataError(path, None, None, "bestand niet gevonden", "file not found")
    checksums = {path: sha256(path) for path in files}
    known = {d.name: d for d in ReferenceDataset.objects.filter(name__in=names.values())}
    if not force and all(
        names[p] in known and known[names[p]].sha256 == checksums[p] for p in files
    ):
        return [FileResult(names[p], "skipped", known[names[p]].rows) for p in files]

    with transaction.atomic():
        loaded = load()
        for path in files:
            ReferenceDataset.objects.update_or_create(
                name=names[path],
                defaults={"sha256": checksums[path], "rows": loaded[path].rows},
            )
    return [
        FileResult(names[p], "loaded", loaded[p].rows, loaded[p].counts, loaded[p].notes)
        for p in files
    ]
