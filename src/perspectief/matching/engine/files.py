"""The engine's file interface: JSON Lines in, JSON Lines out (docs/matching.md).

Every malformed line is reported with its line number and left out; nothing is guessed.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, NoReturn, Protocol, TypeVar, overload

from .records import DEMANDS, SECTORS, SUPPORT, Candidate, Match, Vacancy
from .taxonomy import Taxonomy

#: One line of a JSON Lines file, as read.
Obj = dict[str, Any]
#: Coordinates per four-digit postcode.
PC4 = Mapping[str, tuple[float, float]]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


@dataclass
class LineError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Bad(ValueError):
    pass


def load_pc4(path: Path) -> dict[str, tuple[float, float]]:
    with path.open(encoding="utf-8") as f:
        return {r["pc4"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Obj | _Bad]]:
    """(line number, object) per non-empty line; a line that is not a JSON object raises
    through the caller's error list."""
    with Path(path).open(encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                obj = _DECODER.decode(text)
            except (json.JSONDecodeError, _Bad) as exc:
                yield number, _Bad(f"not valid JSON: {exc}")
                continue
            if not isinstance(obj, dict):
                yield number, _Bad("a line must be one JSON object")
                continue
            yield number, obj


def _no_constant(name: str) -> NoReturn:
    raise _Bad(f"{name} is not a number")


#: One decoder for every line (``json.loads`` with an option builds one per call).
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


@overload
def _text(obj: Obj, key: str, required: Literal[True] = True) -> str: ...


@overload
def _text(obj: Obj, key: str, required: bool) -> str | None: ...


def _text(obj: Obj, key: str, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise _Bad(f"'{key}' is required")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _Bad(f"'{key}' must be a string")
    return str(value)


@overload
def _number(
    obj: Obj,
    key: str,
    low: float | None = None,
    high: float | None = None,
    integer: Literal[False] = False,
) -> float | None: ...


@overload
def _number(
    obj: Obj,
    key: str,
    low: float | None = None,
    high: float | None = None,
    *,
    integer: Literal[True],
) -> int | None: ...


def _number(
    obj: Obj,
    key: str,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bad(f"'{key}' must be a finite number")
    if integer and int(value) != value:
        raise _Bad(f"'{key}' must be a whole number")
    if (low is not None and value < low) or (high is not None and value > high):
        raise _Bad(f"'{key}' must be between {low} and {high}")
    return int(value) if integer else float(value)


def _bool(obj: Obj, key: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise _Bad(f"'{key}' must be true or false")
    return value


def _uris(obj: Obj, key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    # Every item a non-empty string, checked in bulk (the types as a set, not one by one).
    if isinstance(value, list) and (
        not value or (set(map(type, value)) == _STR and "" not in value)
    ):
        return value
    raise _Bad(f"'{key}' must be a list of ESCO URIs")


_STR = {str}


def _codes(obj: Obj, key: str, vocabulary: Sequence[str]) -> list[str]:
    """A list of codes of a small vocabulary (support, work demands, SBI sections)."""
    value = obj.get(key)
    if value is None or value == []:
        return []
    allowed = ", ".join(vocabulary)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"'{key}' must be a list of: {allowed}")
    unknown = [v for v in value if v not in vocabulary]
    if unknown:
        raise _Bad(f"'{key}': unknown {', '.join(map(repr, unknown))} (known: {allowed})")
    return list(dict.fromkeys(value))


def _sector(obj: Obj, key: str) -> str | None:
    value = obj.get(key)
    if value in (None, ""):
        return None
    if value not in SECTORS:
        raise _Bad(f"'{key}' must be an SBI section, one letter A-U")
    return str(value)


def _date(obj: Obj, key: str) -> date | None:
    value = obj.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(f"'{key}' must be a date (YYYY-MM-DD)") from None


def _location(obj: Obj, pc4: PC4) -> tuple[float, float]:
    if obj.get("lat") is not None or obj.get("lon") is not None:
        lat = _number(obj, "lat", -90, 90)
        lon = _number(obj, "lon", -180, 180)
        if lat is None or lon is None:
            raise _Bad("give both 'lat' and 'lon'")
        return lat, lon
    code = obj.get("pc4")
    if code is None:
        raise _Bad("no location: give 'pc4' or 'lat' and 'lon'")
    code = str(code).strip()
    if code not in pc4:
        raise _Bad(f"unknown pc4 {code}")
    return pc4[code]


def _all_known(obj: Obj, keys: Sequence[tuple[str, Mapping[str, int]]]) -> bool:
    """Every list of URIs absent or all known, checked in bulk (a known URI is a non-empty
    string: the taxonomy's keys are)."""
    for key, known in keys:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            return False
        try:
            if not all(map(known.__contains__, value)):
                return False
        except TypeError:  # an unhashable item: a list or an object
            return False
    return True


def _unknown(taxonomy: Taxonomy, obj: Obj, keys: Sequence[tuple[str, Mapping[str, int]]]) -> None:
    """Refuse a list of URIs that is not one, or names a URI the taxonomy does not know
    (every such URI named), and an unknown occupation. Afterwards the lists are checked:
    :func:`_checked` reads them."""
    occupation = obj.get("occupation")
    if _all_known(obj, keys) and (
        not isinstance(occupation, str) or not occupation or occupation in taxonomy.occupations
    ):
        return
    bad: list[str] = []
    for key, known in keys:
        uris = _uris(obj, key)
        if not all(map(known.__contains__, uris)):  # in bulk; the unknown ones on failure
            bad.extend(uri for uri in uris if uri not in known)
    occupation = obj.get("occupation")
    if isinstance(occupation, str) and occupation and occupation not in taxonomy.occupations:
        bad.append(occupation)
    if bad:
        raise _Bad("unknown ESCO URI(s): " + ", ".join(bad))


def _checked(obj: Obj, key: str) -> list[str]:
    """A list of URIs :func:`_unknown` has checked (absent: empty)."""
    value: list[str] = obj.get(key) or []
    return value


def _records(
    path: str | Path, build: Callable[[Obj], R], kind: str
) -> tuple[list[R], list[LineError]]:
    records: list[R] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for number, obj in read_jsonl(path):
        try:
            if isinstance(obj, _Bad):
                raise obj
            record = build(obj)
            if record.id in seen:
                raise _Bad(f"duplicate {kind} id {record.id} (first on line {seen[record.id]})")
            seen[record.id] = number
            records.append(record)
        except _Bad as exc:
            errors.append(LineError(str(path), number, str(exc)))
    return records, errors


def read_candidates(
    path: str | Path, taxonomy: Taxonomy, pc4: PC4
) -> tuple[list[Candidate], list[LineError]]:
    def build(obj: Obj) -> Candidate:
        _unknown(
            taxonomy, obj, [("skills", taxonomy.skills), ("occupations", taxonomy.occupations)]
        )
        lat, lon = _location(obj, pc4)
        priority = obj.get("priority", 0)
        if isinstance(priority, bool):
            priority = 1.0 if priority else 0.0
        return Candidate(
            id=_text(obj, "id"),
            lat=lat,
            lon=lon,
            hours=_number(obj, "hours", 0, 60),
            max_distance_km=_number(obj, "max_distance_km", 0, 500),
            education_level=_number(obj, "education_level", 0, 8, integer=True),
            dutch_level=_number(obj, "dutch_level", 0, 6, integer=True),
            driving_licence=_bool(obj, "driving_licence"),
            occupations=_checked(obj, "occupations"),
            skills=_checked(obj, "skills"),
            available_from=_date(obj, "available_from"),
            priority=_number({"priority": priority}, "priority", 0, 1) or 0.0,
            **_soft_factors(obj),
        )

    return _records(path, build, "candidate")


def _soft_factors(obj: Obj) -> dict[str, Any]:
    """A candidate's optional soft factors (#18); absent: unknown."""
    return {
        "readiness": _number(obj, "readiness", 0, 1),
        "ready_from": _date(obj, "ready_from"),
        "max_hours": _number(obj, "max_hours", 0, 60),
        "max_load": _number(obj, "max_load", 1, 3, integer=True),
        "motivation": _number(obj, "motivation", 0, 1),
        "excluded_sectors": _codes(obj, "excluded_sectors", SECTORS),
        "needs": _codes(obj, "needs", SUPPORT),
        "limitations": _codes(obj, "limitations", DEMANDS),
    }


def read_vacancies(
    path: str | Path, taxonomy: Taxonomy, pc4: PC4
) -> tuple[list[Vacancy], list[LineError]]:
    def build(obj: Obj) -> Vacancy:
        keys = [
            (k, taxonomy.skills)
            for k in ("essential_skills", "optional_skills", "teachable_skills")
        ]
        _unknown(taxonomy, obj, keys)
        places = _number(obj, "places", 1, 100_000, integer=True)
        if places is None:
            raise _Bad("'places' is required (1 or more)")
        teach = set(_checked(obj, "teachable_skills"))
        essential = _checked(obj, "essential_skills")
        if not teach <= set(essential):
            raise _Bad("'teachable_skills' must be among the essential skills")
        lat, lon = _location(obj, pc4)
        hours = _number(obj, "hours", 1, 60)
        min_hours = _number(obj, "min_hours", 1, 60)
        if min_hours is not None and hours is not None and min_hours > hours:
            raise _Bad("'min_hours' cannot be more than 'hours'")
        return Vacancy(
            id=_text(obj, "id"),
            lat=lat,
            lon=lon,
            hours=hours,
            places=places,
            min_education_level=_number(obj, "min_education_level", 0, 8, integer=True),
            dutch_level=_number(obj, "dutch_level", 0, 6, integer=True),
            driving_licence_required=_bool(obj, "driving_licence_required"),
            occupation=_text(obj, "occupation", required=False),
            essential_skills=essential,
            optional_skills=_checked(obj, "optional_skills"),
            teachable_skills=list(teach),
            start_date=_date(obj, "start_date"),
            min_hours=min_hours,
            load=_number(obj, "load", 1, 3, integer=True),
            sector=_sector(obj, "sector"),
            offers=_codes(obj, "offers", SUPPORT),
            demands=_codes(obj, "demands", DEMANDS),
        )

    return _records(path, build, "vacancy")


@dataclass(frozen=True)
class Places:
    """A vacancy as an assignment on given scores needs it: its id and open places."""

    id: str
    places: int


def read_places(path: str | Path) -> tuple[list[Places], list[LineError]]:
    """Vacancies for ``match assign --pairs``: nothing is scored, so only ``id`` and
    ``places`` are read; other fields (location, skills) are not needed and not checked."""

    def build(obj: Obj) -> Places:
        places = _number(obj, "places", 1, 100_000, integer=True)
        if places is None:
            raise _Bad("'places' is required (1 or more)")
        return Places(id=_text(obj, "id"), places=places)

    return _records(path, build, "vacancy")


def read_pairs(
    path: str | Path, candidate_ids: set[str] | None, vacancy_ids: set[str]
) -> tuple[list[tuple[str, str, float]], list[LineError]]:
    """Given scores. ``candidate_ids`` None: no candidates file, any candidate id goes."""
    pairs: list[tuple[str, str, float]] = []
    errors: list[LineError] = []
    seen: set[tuple[str, str]] = set()
    for number, obj in read_jsonl(path):
        try:
            if isinstance(obj, _Bad):
                raise obj
            c, v = _text(obj, "candidate"), _text(obj, "vacancy")
            score = _number(obj, "score", 0, None)
            if score is None:
                raise _Bad("'score' is required")
            if candidate_ids is not None and c not in candidate_ids:
                raise _Bad(f"unknown candidate {c}")
            if v not in vacancy_ids:
                raise _Bad(f"unknown vacancy {v}")
            if (c, v) in seen:
                raise _Bad(f"pair {c} / {v} given twice")
            seen.add((c, v))
            pairs.append((c, v, score))
        except _Bad as exc:
            errors.append(LineError(str(path), number, str(exc)))
    return pairs, errors


def match_json(m: Match) -> dict[str, Any]:
    return {
        "id": m.id,
        "score": m.score,
        "contributions": m.contributions,
        "missing_essential": m.missing_essential,
        "related_essential": m.related_essential,
        "occupation_via": m.occupation_via,
    }
