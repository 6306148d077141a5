"""The best places for a person (the reverse direction of :mod:`.candidate_index`).

Vacancies are rows: plain attributes as arrays and sparse vacancies × skills matrices of
the essential, teachable and optional skills, each skill with its weight. A person's held
skills, expanded through the ESCO hierarchy and relations, become one credit vector; the
places within the person's reach (the grid cells of :mod:`.grid`) are scored at once by
sparse matrix × vector products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse._sparsetools import csr_matvec

from .columns import (
    NO_DATE,
    BoolArray,
    Float32Array,
    FloatArray,
    IntArray,
    bits_column,
    code_bits,
    concept_ids,
    float_column,
    ordinal,
    radians_column,
    row_entries,
)
from .grid import FINE_CELL_DEG, RowRanges, band_index, cell_ranges, cells
from .records import (
    DEFAULT_REACH_KM,
    DEMANDS,
    SECTORS,
    SUPPORT,
    TEACHABLE_CREDIT,
    Candidate,
    Match,
    Vacancy,
    Weights,
)
from .scoring import Evaluated, Side, combine, distance_km
from .taxonomy import HELD, SAME_GROUP, TYPICAL_SKILL, Gap, Taxonomy, entry_gaps

#: As in the candidate index: the first round evaluates the POOL × k places with the best
#: upper bound; the bound is compared with a margin for rounding.
POOL = 6
SLACK = 1e-6


@dataclass
class _SkillPairs:
    """(row, skill id) pairs of the essential, teachable and optional skills, collected
    while reading the vacancies."""

    ess_r: list[int] = field(default_factory=list)
    ess_c: list[int] = field(default_factory=list)
    teach_r: list[int] = field(default_factory=list)
    teach_c: list[int] = field(default_factory=list)
    opt_r: list[int] = field(default_factory=list)
    opt_c: list[int] = field(default_factory=list)


class VacancyIndex:
    """Vacancies as arrays and sparse vacancies × skills matrices (the reverse direction)."""

    #: The per-row arrays, put in spatial order together with the matrices' rows.
    ROWS = (
        "ids",
        "id_rank",
        "n_ess",
        "n_opt",
        "occupation",
        "group",
        "lat",
        "lon",
        "hours",
        "min_education",
        "language",
        "licence_required",
        "start",
        "places",
        "needed_hours",
        "load",
        "sector",
        "offers",
        "demands",
    )

    ids: Any  # object array of str
    id_rank: IntArray
    essential: Any  # scipy.sparse.csr_matrix, vacancies × skills (weights)
    teach: Any  # the teachable essential skills, likewise
    #: The skills a place asks (essential or optional) that are typical of its occupation.
    typical_asked: Any  # scipy.sparse.csr_matrix, vacancies × skills (0/1)
    optional: Any  # the optional skills, likewise
    n_ess: FloatArray
    n_opt: FloatArray
    occupation: IntArray
    group: IntArray
    lat: FloatArray
    lon: FloatArray
    hours: FloatArray
    min_education: FloatArray
    language: FloatArray
    licence_required: BoolArray
    start: IntArray
    places: IntArray
    # Soft factors (#18): NaN or 0 where unknown.
    needed_hours: FloatArray  # min_hours, else hours
    load: IntArray
    sector: IntArray  # bit set of SECTORS (one bit)
    offers: IntArray  # bit set of SUPPORT
    demands: IntArray  # bit set of DEMANDS

    def __init__(
        self,
        taxonomy: Taxonomy,
        vacancies: Sequence[Vacancy],
        weights: Weights | None = None,
        *,
        today: date | None = None,
    ) -> None:
        """``today``: the day a person's readiness is judged on for a place without a start
        date (None: the day of the query)."""
        self.taxonomy = taxonomy
        self.weights = weights or Weights()
        self.today = today
        pairs, occupation = self._read_concepts(vacancies)
        self._skill_matrices(len(vacancies), pairs, occupation)
        self.ids = np.array([v.id for v in vacancies], dtype=object)
        self.id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
        self.occupation = occupation
        groups = taxonomy.occupation_group
        self.group = np.where(occupation >= 0, groups[np.maximum(occupation, 0)], -1)
        self._read_attributes(vacancies)
        self._reorder()

    # -- building ----------------------------------------------------------------------------
    def _read_concepts(self, vacancies: Sequence[Vacancy]) -> tuple[_SkillPairs, IntArray]:
        """The skill pairs and the occupation id per vacancy (-1: none); a duplicate id or
        an unknown URI is refused."""
        tx = self.taxonomy
        seen: set[str] = set()
        pairs = _SkillPairs()
        # Local names for the lists: this loop runs once per skill of every place.
        ess_r, ess_c, teach_r, teach_c = pairs.ess_r, pairs.ess_c, pairs.teach_r, pairs.teach_c
        opt_r, opt_c = pairs.opt_r, pairs.opt_c
        occupation = np.full(len(vacancies), -1, np.int64)
        for i, v in enumerate(vacancies):
            if v.id in seen:
                raise ValueError(f"duplicate vacancy id {v.id}")
            seen.add(v.id)
            essential = concept_ids(tx.skills, v.essential_skills, "skill", f"vacancy {v.id}")
            teach = set(concept_ids(tx.skills, v.teachable_skills, "skill", f"vacancy {v.id}"))
            for s in essential:
                ess_r.append(i)
                ess_c.append(s)
                if s in teach:
                    teach_r.append(i)
                    teach_c.append(s)
            for s in concept_ids(tx.skills, v.optional_skills, "skill", f"vacancy {v.id}"):
                if s not in essential:
                    opt_r.append(i)
                    opt_c.append(s)
            if v.occupation:
                occupation[i] = concept_ids(
                    tx.occupations, [v.occupation], "occupation", f"vacancy {v.id}"
                )[0]
        return pairs, occupation

    def _skill_matrices(self, n: int, pairs: _SkillPairs, occupation: IntArray) -> None:
        """Each required skill with its weight, so row sums are a place's total weight; and
        the skills a place asks that are typical of its occupation (0/1)."""
        weight = self.taxonomy.skill_weight.astype(np.float32)
        shape = (n, self.taxonomy.n_skills)

        def matrix(r: list[int], c: list[int]) -> Any:
            return sparse.csr_matrix((weight[c], (r, c)), shape=shape)

        self.essential = matrix(pairs.ess_r, pairs.ess_c)
        self.teach = matrix(pairs.teach_r, pairs.teach_c)
        self.optional = matrix(pairs.opt_r, pairs.opt_c)
        rows = np.array(pairs.ess_r + pairs.opt_r, np.int64)
        cols = np.array(pairs.ess_c + pairs.opt_c, np.int64)
        keep = self.taxonomy.is_typical(cols, occupation[rows])
        self.typical_asked = sparse.csr_matrix(
            (np.ones(int(keep.sum()), np.float32), (rows[keep], cols[keep])), shape=shape
        )
        self.n_ess = np.asarray(self.essential.sum(axis=1)).ravel()
        self.n_opt = np.asarray(self.optional.sum(axis=1)).ravel()

    def _read_attributes(self, vacancies: Sequence[Vacancy]) -> None:
        """One array per plain attribute (NaN or 0 where unknown)."""
        self.lat = radians_column(v.lat for v in vacancies)
        self.lon = radians_column(v.lon for v in vacancies)
        self.hours = float_column(v.hours for v in vacancies)
        self.min_education = float_column(v.min_education_level for v in vacancies)
        self.language = float_column(v.dutch_level for v in vacancies)
        self.licence_required = np.array([v.driving_licence_required for v in vacancies], bool)
        self.start = np.array([ordinal(v.start_date) for v in vacancies], np.int64)
        self.places = np.array([v.places for v in vacancies], np.int64)
        min_hours = float_column(v.min_hours for v in vacancies)
        self.needed_hours = np.where(np.isnan(min_hours), self.hours, min_hours)
        self.load = np.array([v.load or 0 for v in vacancies], np.int64)

        def bits(codes: list[list[str]], vocabulary: tuple[str, ...], what: str) -> IntArray:
            return bits_column(
                (
                    code_bits(c, vocabulary, what, f"vacancy {v.id}")
                    for c, v in zip(codes, vacancies, strict=True)
                ),
                np.int64,
            )

        self.sector = bits([[v.sector] if v.sector else [] for v in vacancies], SECTORS, "sector")
        self.offers = bits([v.offers for v in vacancies], SUPPORT, "support")
        self.demands = bits([v.demands for v in vacancies], DEMANDS, "work demand")

    def _reorder(self) -> None:
        """Rows in spatial order (grid cell, then id; no location last), so the places
        within a person's reach are a few contiguous row ranges."""
        # Cells of about 5.6 × 3.4 km: a person's reach covers few rows beyond it.
        located, lat_band, lon_band = cells(self.lat, self.lon, FINE_CELL_DEG)
        order = np.lexsort((self.id_rank, lon_band, lat_band, ~located))
        for name in self.ROWS:
            setattr(self, name, getattr(self, name)[order])
        for name in ("essential", "teach", "optional", "typical_asked"):
            setattr(self, name, getattr(self, name)[order])
        self.n_located = int(located.sum())
        self.cell_lon = lon_band[order]
        self.bands = band_index(lat_band[order][: self.n_located])

    # -- the query ---------------------------------------------------------------------------
    def top_for_candidate(self, c: Candidate, k: int = 50) -> list[Match]:
        """The k best admissible places for the person, ranked by score, then id: only the
        places in the grid cells within the person's reach are scored."""
        tx = self.taxonomy
        held_ids = concept_ids(tx.skills, c.skills, "skill", f"candidate {c.id}")
        occ_ids = concept_ids(tx.occupations, c.occupations, "occupation", f"candidate {c.id}")
        if c.lat is None or c.lon is None or not (np.isfinite(c.lat) and np.isfinite(c.lon)):
            return []  # no location: no place is admissible
        found = self._rows_within_reach(c.lat, c.lon, c.max_distance_km)
        if found is None:
            return []
        rows, ranges = found
        x = tx.expanded_one(held_ids)
        # Only the skill itself earns full credit: x marks the skills held.
        holds: FloatArray = (x >= HELD).astype(np.float64)
        at = (c.lat, c.lon)
        ess, opt = self._skill_fits(rows, x, ranges)
        occ, _via = self._occupation_fit(rows, (occ_ids, holds), ranges, explain=False)
        fits = (ess, opt, occ)
        pick = self._worth_evaluating(c, at, rows, fits, k)
        evaluated = self._evaluate(c, at, rows[pick], tuple(f[pick] for f in fits))
        return self._matches(rows[pick], evaluated, x, (held_ids, (occ_ids, holds)), k)

    def _worth_evaluating(
        self, c: Candidate, at: tuple[float, float], rows: IntArray, fits: Any, k: int
    ) -> IntArray:
        """Positions in ``rows`` of the places that can be among the k best: the
        :data:`POOL` × k with the best upper bound (the exact skill and occupation parts,
        full marks for every other criterion), evaluated exactly, and every other place
        whose bound still reaches the k-th score found; all of them when fewer than k of
        the pool can be ranked."""
        size = POOL * k
        everyone = np.arange(len(rows))
        if len(rows) <= size:
            return everyone
        w = self.weights
        ess, opt, occ = fits
        bound = w.essential_skills * ess + w.optional_skills * opt + w.occupation * occ
        # The other criteria are at most 1 each (a priority above 1 counts as it is).
        rest = sum(w.as_dict().values()) - w.essential_skills - w.optional_skills
        rest += -w.occupation + w.priority * (max(float(c.priority or 0.0), 1.0) - 1.0)
        first = np.argpartition(-bound, size)[:size]
        _v, _c, total, admissible = self._evaluate(
            c, at, rows[first], tuple(f[first] for f in fits)
        )
        scores = np.round(total[admissible & (self.places[rows[first]] > 0)], 9)
        if len(scores) < k:
            return everyone
        kth = float(np.partition(scores, len(scores) - k)[len(scores) - k])
        more = bound + rest >= kth - SLACK
        more[first] = False
        return np.concatenate([first, np.flatnonzero(more)])

    def _rows_within_reach(
        self, lat: float, lon: float, max_distance_km: float | None
    ) -> tuple[IntArray, RowRanges] | None:
        """The rows of the grid cells within the person's reach of (lat, lon), and their
        ranges; None when there is no place near enough."""
        reach_km = DEFAULT_REACH_KM if max_distance_km is None else float(max_distance_km)
        ranges = cell_ranges(
            self.bands, self.cell_lon, self.n_located, lat, lon, reach_km, FINE_CELL_DEG
        )
        if ranges is None:
            ranges = [(0, self.n_located)]
        if not ranges:
            return None
        return np.concatenate([np.arange(lo, hi) for lo, hi in ranges]), ranges

    @staticmethod
    def _times(matrix: Any, rows: IntArray, vector: Any, ranges: RowRanges | None) -> Any:
        """``matrix[rows] @ vector``; by contiguous slices when the rows are ``ranges``
        (no copy of the rows' entries into a new matrix)."""
        if ranges is None:
            return matrix[rows] @ vector
        # scipy's own product of a CSR matrix and a vector (what ``matrix[lo:hi] @ vector``
        # runs, the same sums in the same order and type) on views of the rows' entries:
        # slicing the matrix would copy them first (most of the query's time).
        indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
        kind = np.result_type(data.dtype, vector.dtype)
        parts = []
        for lo, hi in ranges:
            start, end = int(indptr[lo]), int(indptr[hi])
            out = np.zeros(hi - lo, kind)
            csr_matvec(
                hi - lo,
                matrix.shape[1],
                indptr[lo : hi + 1] - indptr[lo],
                indices[start:end],
                data[start:end],
                vector,
                out,
            )
            parts.append(out)
        return np.concatenate(parts)

    def _skill_fits(
        self, rows: IntArray, x: Float32Array, ranges: RowRanges | None = None
    ) -> tuple[Any, Any]:
        """Essential and optional skill fit per row: the weighted share of the place's
        skills the person covers (a teachable skill they lack earns the teachable credit);
        no essential skills asked is a full fit, no optional ones none."""
        lack = np.maximum(TEACHABLE_CREDIT - x, 0.0)
        n_ess, n_opt = self.n_ess[rows], self.n_opt[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            ess = (
                self._times(self.essential, rows, x, ranges)
                + self._times(self.teach, rows, lack, ranges)
            ) / n_ess
            opt = self._times(self.optional, rows, x, ranges) / n_opt
        ess = np.where(n_ess == 0, 1.0, ess)
        opt = np.where(n_opt == 0, 0.0, opt)
        return ess, opt

    def _occupation_fit(
        self,
        rows: IntArray,
        occupations: tuple[list[int], FloatArray],
        ranges: RowRanges | None = None,
        explain: bool = True,
    ) -> tuple[FloatArray, list[str | None]]:
        """1 for a place of one of the person's occupations, 0.5 for one that asks a skill
        the person holds and that is typical of its occupation, 0.25 for one in the ISCO
        unit group of one of theirs, else 0; and where that comes from per row (see
        :class:`.records.Match`; ``explain`` False: not asked, an empty list).
        ``occupations``: the person's occupation ids and a 0/1 vector of the skills they
        hold."""
        occ_ids, holds = occupations
        occ = np.zeros(len(rows))
        place = self.occupation[rows]
        if occ_ids:  # weakest first: SAME_GROUP < TYPICAL_SKILL < 1
            groups = list({int(self.taxonomy.occupation_group[o]) for o in occ_ids} - {-1})
            occ[np.isin(self.group[rows], groups)] = SAME_GROUP
        if self.typical_asked.nnz:
            occ[self._times(self.typical_asked, rows, holds, ranges) > 0] = TYPICAL_SKILL
        if occ_ids:
            occ[np.isin(place, occ_ids)] = 1.0
        if not explain:
            return occ, []
        # The three credits differ: each tells its source.
        return occ, [_VIA.get(value) for value in occ.tolist()]

    def _evaluate(
        self, c: Candidate, at: tuple[float, float], rows: IntArray, fits: Any
    ) -> Evaluated:
        """Every criterion for the person (located at ``at``) against the places ``rows``,
        given their essential, optional and occupation fits."""
        ess, opt, occ = fits
        lat, lon = at
        km = distance_km(np.radians(lat), np.radians(lon), self.lat[rows], self.lon[rows])
        km = np.where(np.isnan(km), np.inf, km)
        person = _person(c)
        start = self.start[rows]
        today = ordinal(self.today or date.today())
        return combine(
            self.weights,
            Side(
                essential=ess,
                optional=opt,
                occupation=occ,
                km=km,
                reach=np.full(len(rows), person.reach),
                candidate_hours=person.hours,
                education=person.education,
                language=person.language,
                priority=float(c.priority or 0.0),
                licence=bool(c.driving_licence),
                available_from=ordinal(c.available_from),
                located=True,
                readiness=person.readiness,
                ready_from=ordinal(c.ready_from),
                motivation=person.motivation,
                needs=person.needs,
                max_hours=person.max_hours,
                max_load=int(c.max_load or 0),
                excluded_sectors=person.excluded,
                limitations=person.limitations,
                vacancy_hours=self.hours[rows],
                min_education=self.min_education[rows],
                min_language=self.language[rows],
                licence_required=self.licence_required[rows],
                start_date=start,
                ready_by=np.where(start != NO_DATE, start, today),
                needed_hours=self.needed_hours[rows],
                load=self.load[rows],
                sector=self.sector[rows],
                offers=self.offers[rows],
                demands=self.demands[rows],
            ),
        )

    def _matches(
        self,
        rows: IntArray,
        evaluated: Evaluated,
        x: Float32Array,
        person: tuple[list[int], tuple[list[int], FloatArray]],
        k: int,
    ) -> list[Match]:
        """The k best admissible places with open positions, by score then id, each with
        its contributions, the essential skills the person (``person``: held skill ids,
        and their occupation ids and held skills as a 0/1 vector) misses and those
        credited through a related skill, and where the occupation credit comes from."""
        held, occupations = person
        _values, contributions, total, admissible = evaluated
        keep = np.flatnonzero(admissible & (self.places[rows] > 0))
        scores = np.round(total[keep], 9)
        order = np.lexsort((self.id_rank[rows[keep]], -scores))[:k]
        chosen = rows[keep[order]]
        _occ, via = self._occupation_fit(chosen, occupations)
        # Rounded for all the chosen places at once, not per pair and criterion.
        shown = np.round(total[keep[order]], 6).tolist()
        names = list(contributions)
        columns = [
            np.round(np.broadcast_to(contributions[name], total.shape)[keep[order]], 6).tolist()
            for name in names
        ]
        gaps = self._gaps(chosen, x, held)
        return [
            Match(
                id=str(self.ids[row]),
                score=shown[n],
                contributions={name: col[n] for name, col in zip(names, columns, strict=True)},
                missing_essential=gaps[n][0],
                related_essential=gaps[n][1],
                occupation_via=via[n],
            )
            for n, row in enumerate(chosen.tolist())
        ]

    def _gaps(self, chosen: IntArray, x: Float32Array, held: list[int]) -> list[Gap]:
        """Per chosen place: its essential skills the person (credit ``x``, holding
        ``held``) misses and those credited through a related skill — every place's entries
        at once (:func:`.taxonomy.entry_gaps`), not a call per place."""
        owner, required, _w = row_entries(self.essential, chosen)
        t_owner, t_required, _t = row_entries(self.teach, chosen)
        n = self.taxonomy.n_skills
        taught = np.isin(owner * n + required, t_owner * n + t_required)
        return entry_gaps(
            self.taxonomy, len(chosen), (owner, required, taught, x[required]), lambda _i: held
        )


#: The source of an occupation credit by its value (three different values).
_VIA = {1.0: "occupation", TYPICAL_SKILL: "skills", SAME_GROUP: "group"}
assert len(_VIA) == 3, "the occupation credits must differ to tell their source"


@dataclass(frozen=True, slots=True)
class _Person:
    """A person's plain attributes as numbers (NaN or 0 where unknown)."""

    reach: float
    hours: float
    education: float
    language: float
    readiness: float
    motivation: float
    max_hours: float
    needs: int
    excluded: int
    limitations: int


def _person(c: Candidate) -> _Person:
    """A candidate's plain attributes as :class:`_Person`; an unknown code is refused."""
    owner = f"candidate {c.id}"
    numbers = float_column(
        [
            c.max_distance_km,
            c.hours,
            c.education_level,
            c.dutch_level,
            c.readiness,
            c.motivation,
            c.max_hours,
        ]
    )
    reach, hours, education, language, readiness, motivation, max_hours = numbers.tolist()
    for name, value in (("readiness", readiness), ("motivation", motivation)):
        if not (np.isnan(value) or 0 <= value <= 1):
            raise ValueError(f"{owner}: {name} must be 0..1")
    return _Person(
        reach=reach,
        hours=hours,
        education=education,
        language=language,
        readiness=readiness,
        motivation=motivation,
        max_hours=max_hours,
        needs=code_bits(c.needs, SUPPORT, "support", owner),
        excluded=code_bits(c.excluded_sectors, SECTORS, "sector", owner),
        limitations=code_bits(c.limitations, DEMANDS, "work demand", owner),
    )
