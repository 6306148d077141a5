"""Records as NumPy columns, the form both indexes keep them in: numbers with NaN for
"unknown", dates as day ordinals (0 for none), ESCO URIs as the taxonomy's ids — a URI the
taxonomy does not know is refused, never silently dropped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from .records import DEMANDS, SECTORS, SUPPORT, Vacancy

#: The column types the indexes use.
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

#: The day ordinal of "no date given" (no real date has ordinal 0).
NO_DATE = 0


class UnknownConcept(ValueError):
    """A skill or occupation URI the taxonomy does not know (reported, never dropped)."""


def row_entries(matrix: Any, rows: IntArray) -> tuple[IntArray, IntArray, npt.NDArray[Any]]:
    """The stored entries of ``rows`` of a CSR matrix, row after row in their stored order:
    the position in ``rows`` each belongs to, its column and its value."""
    rows = np.asarray(rows, np.int64)
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    at = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return owner, matrix.indices[at].astype(np.int64), matrix.data[at]


def ordinal(day: date | None) -> int:
    """A date as its day number, so a column of dates is a column of integers."""
    return day.toordinal() if day is not None else NO_DATE


def float_column(values: Iterable[float | None]) -> FloatArray:
    """Numbers as float64, with NaN where a value is unknown (None)."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def radians_column(values: Iterable[float | None]) -> FloatArray:
    """Degrees as radians (NaN where unknown): the distances are computed in radians."""
    return np.radians(float_column(values))


def concept_ids(
    taxonomy_map: Mapping[str, int], uris: Iterable[str], what: str, owner: str
) -> list[int]:
    """The taxonomy ids of ``uris`` without repeats, in the order given; an unknown URI
    raises :class:`UnknownConcept` naming ``owner`` (e.g. "candidate c12") and ``what``."""
    uris = list(uris)
    out = list(map(taxonomy_map.get, uris))  # all at once; the first unknown on failure
    if None in out:
        uri = uris[out.index(None)]
        raise UnknownConcept(f"{owner}: unknown {what} {uri}")
    return list(dict.fromkeys(out))  # type: ignore[arg-type]  # no None left


def code_bits(codes: Iterable[str], vocabulary: Sequence[str], what: str, owner: str) -> int:
    """Codes of a small vocabulary (support, work demands, SBI sections) as one integer,
    bit i for ``vocabulary[i]`` (0: none or unknown); an unknown code raises
    :class:`ValueError` naming ``owner`` and ``what``."""
    bits = 0
    for code in codes:
        try:
            bits |= 1 << vocabulary.index(code)
        except ValueError:
            raise ValueError(f"{owner}: unknown {what} {code!r}") from None
    return bits


def bits_column(values: Iterable[int], dtype: type = np.int32) -> npt.NDArray[Any]:
    """Bit sets (from :func:`code_bits`) as an integer column."""
    return np.fromiter(values, dtype=dtype)


@dataclass(frozen=True, slots=True)
class PlaceValues:
    """What a place asks besides skills and occupation, as the columns hold it (NaN, 0 or
    an empty bit set where unknown)."""

    hours: float
    min_education: float
    language: float
    licence_required: bool
    start: int
    needed_hours: float
    load: int
    sector: int
    offers: int
    demands: int


def place_values(v: Vacancy) -> PlaceValues:
    """A vacancy's plain attributes as :class:`PlaceValues`; an unknown code is refused."""
    owner = f"vacancy {v.id}"
    hours, min_hours = float_column([v.hours, v.min_hours])
    return PlaceValues(
        hours=float(hours),
        min_education=np.nan if v.min_education_level is None else float(v.min_education_level),
        language=np.nan if v.dutch_level is None else float(v.dutch_level),
        licence_required=bool(v.driving_licence_required),
        start=ordinal(v.start_date),
        needed_hours=float(hours if np.isnan(min_hours) else min_hours),
        load=int(v.load or 0),
        sector=code_bits([v.sector] if v.sector else [], SECTORS, "sector", owner),
        offers=code_bits(v.offers, SUPPORT, "support", owner),
        demands=code_bits(v.demands, DEMANDS, "work demand", owner),
    )
