"""The columnar store of candidates that :class:`~.candidate_index.CandidateIndex` ranks.

Every candidate is a row: plain attributes as arrays, and three sparse matrices stored
column-wise — *expanded credits* (candidates × skills: what each person's skills earn
towards every skill through the ESCO hierarchy and relations, times that skill's weight),
occupations and ISCO unit groups. One vacancy then reads only the columns of its skills and
occupation (an inverted index); who holds a skill itself (for the occupation credit of a
typical skill the place asks) is read from the credits, where only the skill itself earns
full credit. The held skills are kept row-wise, to name the skill that earned a partial
credit. Rows
are kept in the spatial order of :mod:`.grid`, so the people within reach of a place are
a few contiguous row ranges of every column.

This module builds and reorders the store and keeps what is derived from it (bounds,
scratch space); the queries are in :mod:`.candidate_index`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .columns import (
    BoolArray,
    FloatArray,
    Int32Array,
    IntArray,
    bits_column,
    code_bits,
    concept_ids,
    float_column,
    ordinal,
    radians_column,
)
from .grid import FINE_CELL_DEG, RangeArrays, ReachGrid, cells, reach_class, spans
from .records import DEFAULT_REACH_KM, DEMANDS, SECTORS, SUPPORT, Candidate, Weights
from .taxonomy import Taxonomy

#: A column's rows and values (within some row ranges).
ColumnSlice = tuple[IntArray, Any]


def read_column(matrix: Any, j: int) -> ColumnSlice:
    """Rows and values of column j of a CSC matrix."""
    start, end = matrix.indptr[j], matrix.indptr[j + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def read_columns(
    matrix: Any, columns: Sequence[int], ranges: RangeArrays | None = None
) -> tuple[IntArray, Any, IntArray]:
    """Rows and values of some columns of a CSC matrix, one after the other, only within
    the row ranges when given (rows are sorted within a column: a binary search per range
    bound, all bounds of a column in one call), and which of ``columns`` each came from."""
    indptr, indices = matrix.indptr, matrix.indices
    if not len(columns):
        return indices[:0], matrix.data[:0], np.zeros(0, np.int64)
    cols = np.asarray(columns, np.int64)
    if ranges is None:
        lo, hi = indptr[cols].astype(np.int64), indptr[cols + 1].astype(np.int64)
        which = np.arange(len(cols))
    else:
        n = len(ranges[0])
        # Start, end, start, end...: sorted (the ranges are disjoint and in order), so each
        # search starts where the last one ended.
        bounds = np.column_stack(ranges).ravel().astype(indices.dtype)
        found = [
            indptr[j] + np.searchsorted(indices[indptr[j] : indptr[j + 1]], bounds)
            for j in cols.tolist()
        ]
        at = np.concatenate(found).astype(np.int64)
        lo, hi = at[0::2], at[1::2]
        which = np.repeat(np.arange(len(cols)), n)
    at = spans(lo, hi)
    return indices[at], matrix.data[at], np.repeat(which, np.maximum(hi - lo, 0))


def _check_unique(candidates: Sequence[Candidate]) -> None:
    """Refuse a second record with the same id: rows are found by id."""
    seen: set[str] = set()
    for c in candidates:
        if c.id in seen:
            raise ValueError(f"duplicate candidate id {c.id}")
        seen.add(c.id)


class CandidateColumns:
    """Candidates as columns in spatial order, with tombstones for changed rows."""

    #: The per-row arrays, reordered and folded together with the rows.
    ARRAYS = (
        "ids",
        "lat",
        "lon",
        "located",
        "reach",
        "hours",
        "education",
        "language",
        "licence",
        "available",
        "priority",
        "readiness",
        "ready_from",
        "motivation",
        "needs",
        "max_hours",
        "max_load",
        "excluded",
        "limitations",
    )
    #: The candidates × concepts matrices (CSC), reordered and folded with the rows.
    MATRICES = ("credits", "occupations", "groups")

    ids: Any  # object array of str
    lat: FloatArray
    lon: FloatArray
    located: BoolArray
    reach: FloatArray
    hours: FloatArray
    education: FloatArray
    language: FloatArray
    licence: BoolArray
    available: IntArray
    priority: FloatArray
    # Soft factors (#18): numbers NaN, days and code sets 0 where unknown.
    readiness: FloatArray
    ready_from: Int32Array
    motivation: FloatArray
    needs: npt.NDArray[np.uint8]  # bit set of SUPPORT
    max_hours: FloatArray
    max_load: npt.NDArray[np.int8]  # 1-3, 0 unknown
    excluded: Int32Array  # bit set of SECTORS
    limitations: npt.NDArray[np.uint8]  # bit set of DEMANDS
    credits: Any  # scipy.sparse.csc_matrix, candidates × skills
    occupations: Any  # scipy.sparse.csc_matrix, candidates × occupations
    groups: Any  # scipy.sparse.csc_matrix, candidates × ISCO unit groups
    held: Any  # the same row-wise (csr_matrix)

    def __init__(
        self, taxonomy: Taxonomy, candidates: Sequence[Candidate], weights: Weights | None = None
    ) -> None:
        self.taxonomy = taxonomy
        self.weights = weights or Weights()
        #: Row ranges by location while a batch of places is ranked (places share
        #: locations: a postcode's centroid); None otherwise.
        self._range_memo: dict[tuple[float, float], RangeArrays] | None = None
        self._build(candidates)

    # -- building ----------------------------------------------------------------------------
    def _build(self, candidates: Sequence[Candidate]) -> None:
        _check_unique(candidates)
        self._read_attributes(candidates)
        held, occ_rows, occ_cols = self._read_concepts(candidates)
        self._weigh_credits(held)
        self._occupation_matrices(len(candidates), occ_rows, occ_cols)
        self.held = held.astype(bool)
        self._reorder()

    def _read_attributes(self, candidates: Sequence[Candidate]) -> None:
        """One array per plain attribute (NaN or 0 where unknown)."""
        self.ids = np.array([c.id for c in candidates], dtype=object)
        self.lat = radians_column(c.lat for c in candidates)
        self.lon = radians_column(c.lon for c in candidates)
        self.located = ~(np.isnan(self.lat) | np.isnan(self.lon))
        self.reach = float_column(c.max_distance_km for c in candidates)
        self.hours = float_column(c.hours for c in candidates)
        self.education = float_column(c.education_level for c in candidates)
        self.language = float_column(c.dutch_level for c in candidates)
        self.licence = np.array([bool(c.driving_licence) for c in candidates], dtype=bool)
        self.available = np.array([ordinal(c.available_from) for c in candidates], np.int64)
        self.priority = float_column(c.priority or 0.0 for c in candidates)
        self._read_soft_factors(candidates)

    def _read_soft_factors(self, candidates: Sequence[Candidate]) -> None:
        """The soft factors' columns; an unknown support, demand or sector code is refused."""
        # float64 like every value that enters a score (the other direction computes in it).
        self.readiness = float_column(c.readiness for c in candidates)
        self.ready_from = np.array([ordinal(c.ready_from) for c in candidates], np.int32)
        self.motivation = float_column(c.motivation for c in candidates)
        self.max_hours = float_column(c.max_hours for c in candidates)
        for name in ("readiness", "motivation"):
            out = np.flatnonzero((getattr(self, name) < 0) | (getattr(self, name) > 1))
            if len(out):
                raise ValueError(f"candidate {candidates[out[0]].id}: {name} must be 0..1")
        self.max_load = np.array([c.max_load or 0 for c in candidates], np.int8)
        self.needs = bits_column(
            (code_bits(c.needs, SUPPORT, "support", f"candidate {c.id}") for c in candidates),
            np.uint8,
        )
        self.excluded = bits_column(
            code_bits(c.excluded_sectors, SECTORS, "sector", f"candidate {c.id}")
            for c in candidates
        )
        self.limitations = bits_column(
            (
                code_bits(c.limitations, DEMANDS, "work demand", f"candidate {c.id}")
                for c in candidates
            ),
            np.uint8,
        )

    def _read_concepts(self, candidates: Sequence[Candidate]) -> tuple[Any, Int32Array, Int32Array]:
        """The held skills (a 0/1 candidates × skills matrix) and the (row, occupation id)
        pairs; an unknown URI raises :class:`~.columns.UnknownConcept`."""
        tx = self.taxonomy
        # array("i"): four bytes an entry, not a Python int (a million people, 15 skills).
        # Per person the ids and their count; the row numbers follow from the counts.
        cols, counts = array("i"), array("i")
        occ_cols, occ_counts = array("i"), array("i")
        skills, occupations = tx.skills, tx.occupations
        for c in candidates:
            found = concept_ids(skills, c.skills, "skill", f"candidate {c.id}")
            cols.extend(found)
            counts.append(len(found))
            found = concept_ids(occupations, c.occupations, "occupation", f"candidate {c.id}")
            occ_cols.extend(found)
            occ_counts.append(len(found))
        every = np.arange(len(candidates), dtype=np.int32)
        rows = np.repeat(every, np.frombuffer(counts, np.int32))
        held = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, np.frombuffer(cols, np.int32))),
            shape=(len(candidates), tx.n_skills),
        )
        occ_rows = np.repeat(every, np.frombuffer(occ_counts, np.int32))
        return held, occ_rows, np.frombuffer(occ_cols, np.int32)

    def _weigh_credits(self, held: Any) -> None:
        """Column r holds what everyone's skills earn towards skill r, times r's weight
        (its specificity), so a query adds weighted credits without multiplying."""
        tx = self.taxonomy
        self.credits = tx.expanded(held).tocsc()
        self.credits.data *= np.repeat(
            tx.skill_weight.astype(np.float32), np.diff(self.credits.indptr)
        )

    def _occupation_matrices(self, n: int, occ_rows: Int32Array, occ_cols: Int32Array) -> None:
        """Candidates × occupations and candidates × ISCO unit groups (0/1, CSC)."""
        tx = self.taxonomy
        n_occ = len(tx.occupations)
        self.occupations = sparse.csc_matrix(
            (np.ones(len(occ_rows), np.float32), (occ_rows, occ_cols)), shape=(n, n_occ)
        )
        groups = tx.occupation_group[occ_cols.astype(np.int64)]
        keep = groups >= 0
        n_groups = int(tx.occupation_group.max(initial=-1)) + 1
        self.groups = sparse.csc_matrix(
            (np.ones(int(keep.sum()), np.float32), (occ_rows[keep], groups[keep])),
            shape=(n, max(n_groups, 1)),
        )
        self.groups.sum_duplicates()

    def _reorder(self) -> None:
        """Put the rows in spatial order (reach class, grid cell, then id; people without a
        location last), so that the people who can be within reach of a place are a few
        contiguous row ranges of every skill column; then derive what depends on it."""
        id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
        located, lat_band, lon_band = cells(self.lat, self.lon, FINE_CELL_DEG)
        reach = np.where(np.isnan(self.reach), DEFAULT_REACH_KM, self.reach)
        klass = reach_class(reach)
        order = np.lexsort((id_rank, lon_band, lat_band, klass, ~located))
        for name in self.ARRAYS:
            setattr(self, name, getattr(self, name)[order])
        for name in self.MATRICES:
            setattr(self, name, getattr(self, name).tocsr()[order].tocsc())
        self.held = self.held[order]
        self.id_rank: IntArray = id_rank[order]
        self.position = {cid: i for i, cid in enumerate(self.ids.tolist())}
        self.active: BoolArray = np.ones(len(self.ids), dtype=bool)
        n_located = int(located.sum())
        located_rows = order[:n_located]
        self.grid = ReachGrid(
            klass[located_rows], lat_band[located_rows], lon_band[located_rows], reach[located_rows]
        )
        self._finish()

    def _finish(self) -> None:
        """Derived structures: bounds, scratch arrays."""
        n = len(self.ids)
        self._weight = self.taxonomy.skill_weight.astype(np.float32)
        self.n_located = int(self.located.sum())
        self.max_priority = float(np.nanmax(self.priority, initial=0.0))
        w = self.weights
        # Per person: the most the criteria other than skills and occupation can add —
        # priority and motivation exactly, readiness at most 1 for someone ready from a
        # day (the place's start decides), support at most 1.
        readiness = np.where(np.isnan(self.readiness), 0.5, self.readiness)
        readiness = np.where(self.ready_from != 0, 1.0, readiness)
        motivation = np.where(np.isnan(self.motivation), 0.5, self.motivation)
        self._rest_bound = (
            w.priority * np.nan_to_num(self.priority)
            + w.readiness * readiness
            + w.motivation * motivation
            + (w.distance + w.hours + w.education + w.language + w.support)
        )
        self.max_rest = float(self._rest_bound[self.active].max(initial=0.0))
        reach = np.where(np.isnan(self.reach), DEFAULT_REACH_KM, self.reach)
        self._reach_or_default = reach
        self.max_reach = float(reach[self.located].max(initial=0.0))
        # Scratch space of a query: essential and optional credit, occupation fit, and
        # which rows a skill or occupation column reached (cleared after each query).
        self._ess = np.zeros(n, np.float32)
        self._opt = np.zeros(n, np.float32)
        self._occ = np.zeros(n, np.float32)
        self._touched = np.zeros(n, bool)
        self._slot = np.zeros(n, np.int64)

    def _fold(self, keep: IntArray, side: CandidateColumns | None) -> None:
        """Keep only the rows ``keep`` and append the rows of ``side``, then reorder: one
        clean store with the same people."""
        for name in self.ARRAYS:
            parts = [getattr(self, name)[keep]]
            if side is not None:
                parts.append(getattr(side, name))
            setattr(self, name, np.concatenate(parts))
        for name in (*self.MATRICES, "held"):
            parts = [getattr(self, name).tocsr()[keep]]
            if side is not None:
                other = getattr(side, name).tocsr()
                if other.shape[1] != parts[0].shape[1]:
                    other.resize((other.shape[0], parts[0].shape[1]))
                parts.append(other)
            setattr(self, name, sparse.vstack(parts, format="csr" if name == "held" else "csc"))
        self._reorder()

    def _ranges(self, lat: float, lon: float) -> RangeArrays:
        """Row ranges of the cells that can hold someone within their own reach of
        (lat, lon) (see :class:`.grid.ReachGrid`)."""
        return self.grid.ranges(lat, lon)

    def _ranges_at(self, lat: float, lon: float) -> RangeArrays:
        """:meth:`_ranges`, remembered by location while a batch runs."""
        memo = self._range_memo
        if memo is None:
            return self._ranges(lat, lon)
        found = memo.get((lat, lon))
        if found is None:
            found = memo[(lat, lon)] = self._ranges(lat, lon)
        return found

    def _once(self, every: IntArray) -> IntArray:
        """The rows in ``every``, each once, marked touched. Rows close together (a
        region's index): the marks read back over their span, in row order; else the
        last position that marked a row is its own (the order of the rows is no part of
        the answer: the ranking orders by score, then id)."""
        touched = self._touched
        if len(every) == 0:
            return np.zeros(0, np.int64)
        lo, hi = int(every.min()), int(every.max()) + 1
        touched[every] = True
        if hi - lo <= 8 * len(every):
            return np.flatnonzero(touched[lo:hi]) + lo
        first = self._slot
        at = np.arange(len(every), dtype=np.int64)
        first[every] = at
        rows: IntArray = every[first[every] == at].astype(np.int64)
        return rows

    def _clear(self, rows: IntArray | list[int]) -> None:
        rows = np.asarray(rows, np.int64)
        if len(rows) == 0:
            return
        lo, hi = int(rows.min()), int(rows.max()) + 1
        if hi - lo <= 4 * len(rows):  # close together: clear their span (untouched are 0)
            rows = slice(lo, hi)  # type: ignore[assignment]
        self._ess[rows] = 0.0
        self._opt[rows] = 0.0
        self._occ[rows] = 0.0
        self._touched[rows] = False

    def nbytes(self) -> int:
        """The memory the columns take (the side index and Python objects aside)."""
        arrays = [
            self.lat,
            self.lon,
            self.located,
            self.reach,
            self.hours,
            self.education,
            self.language,
            self.licence,
            self.available,
            self.priority,
            self.active,
            self.id_rank,
            self.readiness,
            self.ready_from,
            self.motivation,
            self.needs,
            self.max_hours,
            self.max_load,
            self.excluded,
            self.limitations,
            self._rest_bound,
        ]
        matrices = [self.credits, self.occupations, self.groups, self.held]
        total = sum(a.nbytes for a in arrays)
        total += sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in matrices)
        return int(total + self.ids.nbytes + self.grid.nbytes())
