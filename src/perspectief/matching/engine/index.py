"""Columnar indexes for top-k matching at national scale.

:class:`CandidateIndex` holds every candidate as arrays and a sparse candidates × skills
matrix of *expanded credits* (what each person's skills earn towards every skill, through
the ESCO hierarchy and relations), stored column-wise. One vacancy reads only the columns
of its skills and occupation (an inverted index): the people touched are scored exactly;
everyone else can reach at most a known bound, and is scanned only when that bound could
still beat the k-th score. :class:`VacancyIndex` is the reverse: a sparse vacancies ×
skills matrix times one person's credit vector.

Updates: ``upsert``/``remove`` tombstone the old row and keep changed people in a small
side index until ``compact()`` rebuilds (automatically past a threshold).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .records import DEFAULT_REACH_KM, TEACHABLE_CREDIT, Candidate, Vacancy, Weights
from .scoring import EARTH_RADIUS_KM, combine, distance_km
from .taxonomy import Taxonomy

NO_DATE = 0


class UnknownConcept(ValueError):
    """A skill or occupation URI the taxonomy does not know (reported, never dropped)."""


def _ordinal(day) -> int:
    return day.toordinal() if day is not None else NO_DATE


def _float(values) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _radians(values) -> np.ndarray:
    return np.radians(_float(values))


def _ids(taxonomy_map: dict[str, int], uris, what: str, owner: str) -> list[int]:
    out = []
    for uri in uris:
        found = taxonomy_map.get(uri)
        if found is None:
            raise UnknownConcept(f"{owner}: unknown {what} {uri}")
        out.append(found)
    return list(dict.fromkeys(out))


#: Grid cell size in degrees for the spatial order of candidates (about 28 × 17 km).
CELL_DEG = 0.25


def _cells(lat, lon):
    """Grid cell (lat band, lon band) per row from coordinates in radians; rows without a
    location get band 0 and are told apart by ``located``."""
    located = ~(np.isnan(lat) | np.isnan(lon))
    lat_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lat)) / CELL_DEG), 0)
    lon_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lon)) / CELL_DEG), 0)
    return located, lat_band.astype(np.int64), lon_band.astype(np.int64)


def _band_index(lat_band_sorted) -> dict[int, tuple[int, int]]:
    """Row range per latitude band of rows sorted by (band, ...)."""
    bands, starts, counts = np.unique(lat_band_sorted, return_index=True, return_counts=True)
    return {int(b): (int(s), int(s + c)) for b, s, c in zip(bands, starts, counts, strict=True)}


def _cell_ranges(bands, cell_lon, n_located, lat: float, lon: float, reach_km: float):
    """Row ranges (in spatial order) of the grid cells within ``reach_km`` (+1 km) of
    (lat, lon) in degrees; None when that is every located row."""
    reach = reach_km + 1.0
    dlat = reach / 111.0
    coslat = max(np.cos(np.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    dlon = reach / (111.32 * coslat)
    lat_lo, lat_hi = int(np.floor((lat - dlat) / CELL_DEG)), int(np.floor((lat + dlat) / CELL_DEG))
    lon_lo, lon_hi = int(np.floor((lon - dlon) / CELL_DEG)), int(np.floor((lon + dlon) / CELL_DEG))
    ranges = []
    for band in range(lat_lo, lat_hi + 1):
        found = bands.get(band)
        if found is None:
            continue
        start, end = found
        cells = cell_lon[start:end]
        a = start + int(np.searchsorted(cells, lon_lo, "left"))
        b = start + int(np.searchsorted(cells, lon_hi, "right"))
        if a < b:
            if ranges and ranges[-1][1] == a:  # adjacent bands: one range
                ranges[-1] = (ranges[-1][0], b)
            else:
                ranges.append((a, b))
    # One range with every located row: no slicing needed (a region's own index).
    if len(ranges) == 1 and ranges[0] == (0, n_located):
        return None
    return ranges


@dataclass
class Match:
    id: str
    score: float
    contributions: dict[str, float]
    missing_essential: list[dict]


class CandidateIndex:
    COMPACT_AFTER = 5000

    def __init__(self, taxonomy: Taxonomy, candidates: list[Candidate], weights=None):
        self.taxonomy = taxonomy
        self.weights = weights or Weights()
        self._build(candidates)
        self._side: dict[str, Candidate] = {}
        self._side_index: CandidateIndex | None = None

    # -- building ----------------------------------------------------------------------------
    def _build(self, candidates: list[Candidate]) -> None:
        tx = self.taxonomy
        seen: set[str] = set()
        for c in candidates:
            if c.id in seen:
                raise ValueError(f"duplicate candidate id {c.id}")
            seen.add(c.id)
        n = len(candidates)
        self.ids = np.array([c.id for c in candidates], dtype=object)
        self.lat = _radians(c.lat for c in candidates)
        self.lon = _radians(c.lon for c in candidates)
        self.located = ~(np.isnan(self.lat) | np.isnan(self.lon))
        self.reach = _float(c.max_distance_km for c in candidates)
        self.hours = _float(c.hours for c in candidates)
        self.education = _float(c.education_level for c in candidates)
        self.language = _float(c.dutch_level for c in candidates)
        self.licence = np.array([bool(c.driving_licence) for c in candidates], dtype=bool)
        self.available = np.array([_ordinal(c.available_from) for c in candidates], np.int64)
        self.priority = _float(c.priority or 0.0 for c in candidates)
        # array("i"): four bytes an entry, not a Python int (a million people, 15 skills).
        rows, cols = array("i"), array("i")
        occ_rows, occ_cols = array("i"), array("i")
        for i, c in enumerate(candidates):
            for s in _ids(tx.skills, c.skills, "skill", f"candidate {c.id}"):
                rows.append(i)
                cols.append(s)
            for o in _ids(tx.occupations, c.occupations, "occupation", f"candidate {c.id}"):
                occ_rows.append(i)
                occ_cols.append(o)
        held = sparse.csr_matrix(
            (
                np.ones(len(rows), np.float32),
                (np.frombuffer(rows, np.int32), np.frombuffer(cols, np.int32)),
            ),
            shape=(n, tx.n_skills),
        )
        occ_rows, occ_cols = np.frombuffer(occ_rows, np.int32), np.frombuffer(occ_cols, np.int32)
        # Column r holds what everyone's skills earn towards skill r, times r's weight (its
        # specificity), so a query adds weighted credits without multiplying.
        self.credits = tx.expanded(held).tocsc()
        self.credits.data *= np.repeat(
            tx.skill_weight.astype(np.float32), np.diff(self.credits.indptr)
        )
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
        self._reorder()

    def _reorder(self) -> None:
        """Put the rows in spatial order (grid cell, then id; people without a location
        last), so that the people within reach of a place are a few contiguous row ranges
        of every skill column; then derive what depends on the order."""
        id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
        located, lat_band, lon_band = _cells(self.lat, self.lon)
        order = np.lexsort((id_rank, lon_band, lat_band, ~located))
        for name in self.ARRAYS:
            setattr(self, name, getattr(self, name)[order])
        for name in ("credits", "occupations", "groups"):
            setattr(self, name, getattr(self, name).tocsr()[order].tocsc())
        self.id_rank = id_rank[order]
        self.cell_lon = lon_band[order]
        self.position = {cid: i for i, cid in enumerate(self.ids.tolist())}
        self.active = np.ones(len(self.ids), dtype=bool)
        self._finish(lat_band[order])

    def _finish(self, lat_band) -> None:
        """Derived structures: row range per latitude band, bounds, scratch arrays."""
        n = len(self.ids)
        self._weight = self.taxonomy.skill_weight.astype(np.float32)
        self.n_located = int(self.located.sum())
        self.bands = _band_index(lat_band[: self.n_located])
        self.max_priority = float(np.nanmax(self.priority, initial=0.0))
        w = self.weights
        # Per person: the most the criteria other than skills and occupation can add.
        self._rest_bound = w.priority * np.nan_to_num(self.priority) + (
            w.distance + w.hours + w.education + w.language
        )
        reach = np.where(np.isnan(self.reach), DEFAULT_REACH_KM, self.reach)
        self._reach_or_default = reach
        self.max_reach = float(reach[self.located].max(initial=0.0))
        self._ess = np.zeros(n, np.float32)
        self._opt = np.zeros(n, np.float32)
        self._occ = np.zeros(n, np.float32)
        self._touched = np.zeros(n, bool)

    def _ranges(self, lat: float, lon: float) -> list[tuple[int, int]] | None:
        """Row ranges of the cells within the largest reach of anyone around (lat, lon)."""
        return _cell_ranges(self.bands, self.cell_lon, self.n_located, lat, lon, self.max_reach)

    @property
    def size(self) -> int:
        return int(self.active.sum()) + len(self._side)

    def nbytes(self) -> int:
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
        ]
        matrices = [self.credits, self.occupations, self.groups]
        total = sum(a.nbytes for a in arrays)
        total += sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in matrices)
        return total + self.ids.nbytes

    # -- updates -----------------------------------------------------------------------------
    def upsert(self, candidate: Candidate) -> None:
        """A changed or new profile counts from the next query on."""
        old = self.position.get(candidate.id)
        if old is not None:
            self.active[old] = False
        self._side[candidate.id] = candidate
        self._rebuild_side()

    def remove(self, candidate_id: str) -> None:
        old = self.position.get(candidate_id)
        if old is not None:
            self.active[old] = False
        if self._side.pop(candidate_id, None) is not None:
            self._rebuild_side()

    def _rebuild_side(self) -> None:
        if len(self._side) > self.COMPACT_AFTER:
            self.compact()
            return
        self._side_index = (
            CandidateIndex(self.taxonomy, list(self._side.values()), self.weights)
            if self._side
            else None
        )

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
    )

    def compact(self) -> None:
        """Fold the side index into the main one and drop tombstoned rows: the same answers
        from one clean index."""
        keep = np.flatnonzero(self.active)
        side = self._side_index
        for name in self.ARRAYS:
            parts = [getattr(self, name)[keep]]
            if side is not None:
                parts.append(getattr(side, name))
            setattr(self, name, np.concatenate(parts))
        for name in ("credits", "occupations", "groups"):
            parts = [getattr(self, name).tocsr()[keep]]
            if side is not None:
                other = getattr(side, name).tocsr()
                if other.shape[1] != parts[0].shape[1]:
                    other.resize((other.shape[0], parts[0].shape[1]))
                parts.append(other)
            setattr(self, name, sparse.vstack(parts, format="csc"))
        self._side, self._side_index = {}, None
        self._reorder()

    # -- queries -----------------------------------------------------------------------------
    def _vacancy_terms(self, v: Vacancy):
        tx = self.taxonomy
        essential = _ids(tx.skills, v.essential_skills, "skill", f"vacancy {v.id}")
        teach = set(_ids(tx.skills, v.teachable_skills, "skill", f"vacancy {v.id}"))
        optional = [
            s
            for s in _ids(tx.skills, v.optional_skills, "skill", f"vacancy {v.id}")
            if s not in essential
        ]
        occupation = (
            _ids(tx.occupations, [v.occupation], "occupation", f"vacancy {v.id}")[0]
            if v.occupation
            else None
        )
        return essential, teach, optional, occupation

    def _column(self, matrix, j, ranges=None):
        """Rows and values of column j, only within the row ranges when given."""
        start, end = matrix.indptr[j], matrix.indptr[j + 1]
        idx, data = matrix.indices[start:end], matrix.data[start:end]
        if ranges is None:
            return idx, data
        parts = []
        for lo, hi in ranges:
            i0, i1 = np.searchsorted(idx, lo), np.searchsorted(idx, hi)
            if i0 < i1:
                parts.append((idx[i0:i1], data[i0:i1]))
        if not parts:
            return idx[:0], data[:0]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _skill_scores(self, v: Vacancy, ranges):
        """Fill the scratch arrays with essential and optional credit and occupation fit for
        the rows the vacancy's skills and occupation reach (within ``ranges``)."""
        essential, teach, optional, occupation = self._vacancy_terms(v)
        ess, opt, occ, touched = self._ess, self._opt, self._occ, self._touched
        weight = self._weight  # specific skills count for more
        base = 0.0
        parts_idx, parts_credit = [], []
        for r in essential:
            idx, credit = self._column(self.credits, r, ranges)  # weighted already
            if r in teach:
                base += TEACHABLE_CREDIT * weight[r]
                credit = np.maximum(credit - TEACHABLE_CREDIT * weight[r], 0.0)
            parts_idx.append(idx)
            parts_credit.append(credit)
        if parts_idx:
            idx = np.concatenate(parts_idx)
            np.add.at(ess, idx, np.concatenate(parts_credit))
            touched[idx] = True
        if optional:
            columns = [self._column(self.credits, r, ranges) for r in optional]
            idx = np.concatenate([c[0] for c in columns])
            np.add.at(opt, idx, np.concatenate([c[1] for c in columns]))
            touched[idx] = True
        if occupation is not None:
            group = self.taxonomy.occupation_group[occupation]
            if 0 <= group < self.groups.shape[1]:
                idx, _ = self._column(self.groups, group, ranges)
                occ[idx] = 0.5
                touched[idx] = True
            idx, _ = self._column(self.occupations, occupation, ranges)
            occ[idx] = 1.0
            touched[idx] = True
        # The fits are weighted shares: what the person covers of the place's skill weight.
        n_ess = float(weight[essential].sum(dtype=np.float64))
        n_opt = float(weight[optional].sum(dtype=np.float64))
        return {
            "essential": essential,
            "teach": teach,
            "n_ess": n_ess,
            "n_opt": n_opt,
            "base": base,
            # What someone no skill column reached gets for the essential skills.
            "untouched_fit": base / n_ess if n_ess else 1.0,
        }

    def _clear(self, rows) -> None:
        self._ess[rows] = 0.0
        self._opt[rows] = 0.0
        self._occ[rows] = 0.0
        self._touched[rows] = False

    def _evaluate(self, v: Vacancy, rows, terms):
        n_ess, n_opt = terms["n_ess"], terms["n_opt"]
        ess_fit = (self._ess[rows] + terms["base"]) / n_ess if n_ess else np.ones(len(rows))
        opt_fit = self._opt[rows] / n_opt if n_opt else np.zeros(len(rows))
        vlat = np.radians(v.lat) if v.lat is not None else np.nan
        vlon = np.radians(v.lon) if v.lon is not None else np.nan
        km = distance_km(self.lat[rows], self.lon[rows], vlat, vlon)
        km = np.where(np.isnan(km), np.inf, km)
        return combine(
            self.weights,
            essential=ess_fit,
            optional=opt_fit,
            occupation=self._occ[rows],
            km=km,
            reach=self.reach[rows],
            candidate_hours=self.hours[rows],
            vacancy_hours=np.nan if v.hours is None else float(v.hours),
            education=self.education[rows],
            min_education=np.nan if v.min_education_level is None else v.min_education_level,
            language=self.language[rows],
            min_language=np.nan if v.dutch_level is None else v.dutch_level,
            priority=np.nan_to_num(self.priority[rows]),
            licence=self.licence[rows],
            licence_required=bool(v.driving_licence_required),
            available_from=self.available[rows],
            start_date=_ordinal(v.start_date),
            located=self.located[rows],
        )

    def _untouched_bound(self, untouched_fit: float) -> float:
        w = self.weights
        return (
            w.essential_skills * untouched_fit
            + w.distance
            + w.hours
            + w.education
            + w.language
            + w.priority * self.max_priority
        )

    def _rows_in(self, ranges, only_touched: bool, untouched_from: float | None = None):
        """Active rows within the ranges: only those a skill or occupation reached, or also
        the others — all of them, or (``untouched_from``) only those whose bound for the
        criteria besides skills and occupation reaches that value."""
        if ranges is None:
            ranges = [(0, self.n_located)]
        parts = []
        for lo, hi in ranges:
            mask = self.active[lo:hi]
            if only_touched:
                mask = mask & self._touched[lo:hi]
            elif untouched_from is not None:
                mask = mask & (self._touched[lo:hi] | (self._rest_bound[lo:hi] >= untouched_from))
            parts.append(lo + np.flatnonzero(mask))
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _ranked(self, v: Vacancy, k: int):
        if v.lat is None or v.lon is None or not (np.isfinite(v.lat) and np.isfinite(v.lon)):
            raise ValueError(f"vacancy {v.id}: no location")
        ranges = self._ranges(v.lat, v.lon)
        rows = None
        try:
            terms = self._skill_scores(v, ranges)
            rows = self._rows_in(ranges, only_touched=True)
            matches = self._rank(v, rows, terms, k)
            bound = self._untouched_bound(terms["untouched_fit"])
            if self._count(matches) < k:
                # Fewer than k reached by a skill or occupation: everyone else is a candidate.
                matches = self._rank(v, self._rows_in(ranges, only_touched=False), terms, k)
            elif self._kth(matches) <= bound:
                # Someone no skill or occupation reached could still make the top k: only
                # those whose other criteria (priority included) can lift them to the k-th.
                need = self._kth(matches) - self.weights.essential_skills * terms["untouched_fit"]
                rows_all = self._rows_in(ranges, only_touched=False, untouched_from=need - 1e-9)
                matches = self._rank(v, rows_all, terms, k)
        finally:
            self._clear(rows if rows is not None else self._rows_in(ranges, only_touched=True))
        return matches, terms

    def rank_for_vacancy(self, v: Vacancy, k: int = 50) -> list[tuple[str, float]]:
        """Only (id, score) of the k best: for batch runs that explain later."""
        if self._side_index is not None:
            return [(m.id, m.score) for m in self.top_for_vacancy(v, k)]
        (rows, scores, _c), _terms = self._ranked(v, k)
        return list(zip(self.ids[rows].tolist(), scores.tolist(), strict=True))

    def rank_many(self, vacancies: list[Vacancy], k: int = 50, workers: int = 1) -> list:
        """:meth:`rank_for_vacancy` for many places; ``workers`` > 1 splits them over forked
        processes that share the index (Linux; not inside a daemonic Celery worker — there,
        split the places over tasks instead)."""
        if workers <= 1 or len(vacancies) < 2 * workers:
            return [self.rank_for_vacancy(v, k) for v in vacancies]
        import multiprocessing

        global _SHARED
        _SHARED = (self, k)
        chunks = [vacancies[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_rank_chunk, chunks)
        out = [None] * len(vacancies)
        for w, part in enumerate(parts):
            out[w::workers] = part
        return out

    def top_for_vacancy(self, v: Vacancy, k: int = 50) -> list[Match]:
        """The k best admissible candidates for the vacancy, ranked by score, then id,
        each with its contributions and skill gap."""
        matches, terms = self._ranked(v, k)
        results = self._matches(matches, terms["essential"], terms["teach"])
        if self._side_index is not None:
            results = sorted(
                results + self._side_index.top_for_vacancy(v, k),
                key=lambda m: (-m.score, m.id),
            )[:k]
        return results

    def _upper_bound(self, v: Vacancy, rows, terms):
        """The rows that may be admissible, and a cheap bound on their score: the exact
        skill and occupation parts and the priority, full marks for hours, education and
        language, and for distance the fit of a flat (equirectangular) distance taken 2%
        and 0.5 km short — never more than the true distance, without trigonometry per row
        (the costly part of the exact evaluation). Rows surely out of reach, without a
        required licence or available too late are left out first."""
        w = self.weights
        vlat, vlon = np.radians(v.lat), np.radians(v.lon)
        dy = self.lat[rows] - vlat
        dx = (self.lon[rows] - vlon) * np.cos(vlat)
        near_km = np.maximum(EARTH_RADIUS_KM * np.sqrt(dx * dx + dy * dy) * 0.98 - 0.5, 0.0)
        reach = self._reach_or_default[rows]
        possible = near_km <= reach  # False for NaN (no location) too
        if v.driving_licence_required:
            possible &= self.licence[rows]
        start = _ordinal(v.start_date)
        if start:
            available = self.available[rows]
            possible &= (available == NO_DATE) | (available <= start)
        keep = np.flatnonzero(possible)
        rows = rows[keep]
        bound = self._cheap_bound(rows, terms) - w.distance * np.minimum(
            near_km[keep] / reach[keep], 1.0
        )
        return rows, bound

    def _cheap_bound(self, rows, terms):
        """The exact skill and occupation parts and the priority, full marks for the rest."""
        w = self.weights
        n_ess, n_opt = terms["n_ess"], terms["n_opt"]
        ess = (self._ess[rows] + terms["base"]) / n_ess if n_ess else 1.0
        opt = self._opt[rows] / n_opt if n_opt else 0.0
        return (
            w.essential_skills * ess
            + w.optional_skills * opt
            + w.occupation * self._occ[rows]
            + self._rest_bound[rows]
        )

    def _rank(self, v, rows, terms, k):
        """(rows, scores, contributions) of the k best admissible rows, best first.

        Rows are evaluated exactly in order of an upper bound: first the most promising
        few, then only those whose bound still reaches the k-th score found. When too few
        of the most promising are admissible (out of reach, mostly: a national index), the
        rows that cannot be admissible are dropped and the bound tightened first."""
        if len(rows) <= 4 * k:
            return self._rank_exact(v, rows, terms, k)
        bound = self._cheap_bound(rows, terms)
        size = 4 * k
        first = np.argpartition(-bound, size)[:size]
        ranked = self._rank_exact(v, rows[first], terms, k)
        if self._count(ranked) < k:
            rows, bound = self._upper_bound(v, rows, terms)
            while True:
                if len(rows) <= size:
                    return self._rank_exact(v, rows, terms, k)
                first = np.argpartition(-bound, size)[:size]
                ranked = self._rank_exact(v, rows[first], terms, k)
                if self._count(ranked) == k:
                    break
                size *= 4
        rest = np.ones(len(rows), bool)
        rest[first] = False
        rest &= bound >= self._kth(ranked) - 1e-9
        if not rest.any():
            return ranked
        more = np.concatenate([rows[first], rows[rest]])
        return self._rank_exact(v, more, terms, k)

    def _rank_exact(self, v, rows, terms, k):
        empty = (np.zeros(0, np.int64), np.zeros(0), {})
        if len(rows) == 0:
            return empty
        _values, contributions, total, admissible = self._evaluate(v, rows, terms)
        keep = np.flatnonzero(admissible)
        if len(keep) == 0:
            return empty
        scores = np.round(total[keep], 9)
        if len(keep) > k:
            # The k-th best score, then everyone at least that good (ties complete).
            cut = np.partition(-scores, k - 1)[k - 1]
            sel = np.flatnonzero(-scores <= cut)
        else:
            sel = np.arange(len(keep))
        order = np.lexsort((self.id_rank[rows[keep[sel]]], -scores[sel]))[:k]
        chosen = keep[sel[order]]
        return (
            rows[chosen],
            np.round(total[chosen], 6),
            {name: c[chosen] for name, c in contributions.items()},  # rounded when shown
        )

    @staticmethod
    def _count(ranked) -> int:
        return len(ranked[0])

    @staticmethod
    def _kth(ranked) -> float:
        return float(ranked[1][-1])

    def _matches(self, ranked, essential, teach) -> list[Match]:
        rows, scores, contributions = ranked
        if len(rows) == 0:
            return []
        uris = self.taxonomy.skill_uris
        missing = [[] for _ in range(len(rows))]
        for r in essential:
            idx, _credit = self._column(self.credits, r)
            pos = np.minimum(np.searchsorted(idx, rows), max(len(idx) - 1, 0))
            has = (idx[pos] == rows) if len(idx) else np.zeros(len(rows), bool)
            for i in np.flatnonzero(~has):
                missing[i].append({"skill": uris[r], "teachable": r in teach})
        names = list(contributions)
        columns = [np.round(contributions[name], 6).tolist() for name in names]
        return [
            Match(
                id=str(self.ids[row]),
                score=score,
                contributions={name: col[i] for name, col in zip(names, columns, strict=True)},
                missing_essential=missing[i],
            )
            for i, (row, score) in enumerate(zip(rows.tolist(), scores.tolist(), strict=True))
        ]

    def _missing(self, row: int, essential, teach) -> list[dict]:
        uris = self.taxonomy.skill_uris
        missing = []
        for r in essential:
            idx, _credit = self._column(self.credits, r)
            pos = np.searchsorted(idx, row)
            if not (pos < len(idx) and idx[pos] == row):
                missing.append({"skill": uris[r], "teachable": r in teach})
        return missing

    def explain(self, candidate_id: str, v: Vacancy) -> dict:
        """Every criterion's value and contribution for one pair, whether it is admissible,
        and the essential skills the person misses."""
        if candidate_id in self._side:
            return self._side_index.explain(candidate_id, v)
        row = self.position.get(candidate_id)
        if row is None or not self.active[row]:
            raise KeyError(candidate_id)
        ranges = [(row, row + 1)]
        terms = self._skill_scores(v, ranges)
        try:
            rows = np.array([row])
            values, contributions, total, admissible = self._evaluate(v, rows, terms)
        finally:
            self._clear([row])
        return {
            "candidate": candidate_id,
            "vacancy": v.id,
            "score": float(np.round(total[0], 6)),
            "admissible": bool(admissible[0]),
            "criteria": {
                name: {
                    "value": float(np.round(np.broadcast_to(values[name], (1,))[0], 6)),
                    "weight": self.weights.as_dict()[name],
                    "contribution": float(np.round(contributions[name][0], 6)),
                }
                for name in values
            },
            "missing_essential": self._missing(row, terms["essential"], terms["teach"]),
        }


_SHARED = None


def _rank_chunk(vacancies):
    index, k = _SHARED
    return [index.rank_for_vacancy(v, k) for v in vacancies]


class VacancyIndex:
    """Vacancies as arrays and sparse vacancies × skills matrices (the reverse direction)."""

    def __init__(self, taxonomy: Taxonomy, vacancies: list[Vacancy], weights=None):
        self.taxonomy = taxonomy
        self.weights = weights or Weights()
        seen: set[str] = set()
        tx = taxonomy
        n, n_s = len(vacancies), tx.n_skills
        ess_r, ess_c, teach_r, teach_c, opt_r, opt_c = [], [], [], [], [], []
        occupation = np.full(n, -1, np.int64)
        for i, v in enumerate(vacancies):
            if v.id in seen:
                raise ValueError(f"duplicate vacancy id {v.id}")
            seen.add(v.id)
            essential = _ids(tx.skills, v.essential_skills, "skill", f"vacancy {v.id}")
            teach = set(_ids(tx.skills, v.teachable_skills, "skill", f"vacancy {v.id}"))
            for s in essential:
                ess_r.append(i)
                ess_c.append(s)
                if s in teach:
                    teach_r.append(i)
                    teach_c.append(s)
            for s in _ids(tx.skills, v.optional_skills, "skill", f"vacancy {v.id}"):
                if s not in essential:
                    opt_r.append(i)
                    opt_c.append(s)
            if v.occupation:
                occupation[i] = _ids(
                    tx.occupations, [v.occupation], "occupation", f"vacancy {v.id}"
                )[0]

        weight = tx.skill_weight.astype(np.float32)

        def matrix(r, c):
            # Each required skill with its weight, so row sums are a place's total weight.
            return sparse.csr_matrix((weight[c], (r, c)), shape=(n, n_s))

        self.ids = np.array([v.id for v in vacancies], dtype=object)
        self.id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
        self.essential, self.teach, self.optional = (
            matrix(ess_r, ess_c),
            matrix(teach_r, teach_c),
            matrix(opt_r, opt_c),
        )
        self.n_ess = np.asarray(self.essential.sum(axis=1)).ravel()
        self.n_opt = np.asarray(self.optional.sum(axis=1)).ravel()
        self.occupation = occupation
        groups = tx.occupation_group
        self.group = np.where(occupation >= 0, groups[np.maximum(occupation, 0)], -1)
        self.lat = _radians(v.lat for v in vacancies)
        self.lon = _radians(v.lon for v in vacancies)
        self.hours = _float(v.hours for v in vacancies)
        self.min_education = _float(v.min_education_level for v in vacancies)
        self.language = _float(v.dutch_level for v in vacancies)
        self.licence_required = np.array([v.driving_licence_required for v in vacancies], bool)
        self.start = np.array([_ordinal(v.start_date) for v in vacancies], np.int64)
        self.places = np.array([v.places for v in vacancies], np.int64)
        self._reorder()

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
    )

    def _reorder(self) -> None:
        """Rows in spatial order (grid cell, then id; no location last), so the places
        within a person's reach are a few contiguous row ranges."""
        located, lat_band, lon_band = _cells(self.lat, self.lon)
        order = np.lexsort((self.id_rank, lon_band, lat_band, ~located))
        for name in self.ROWS:
            setattr(self, name, getattr(self, name)[order])
        for name in ("essential", "teach", "optional"):
            setattr(self, name, getattr(self, name)[order])
        self.n_located = int(located.sum())
        self.cell_lon = lon_band[order]
        self.bands = _band_index(lat_band[order][: self.n_located])

    def top_for_candidate(self, c: Candidate, k: int = 50) -> list[Match]:
        """The k best admissible places for the person, ranked by score, then id: only the
        places in the grid cells within the person's reach are scored."""
        tx = self.taxonomy
        held_ids = _ids(tx.skills, c.skills, "skill", f"candidate {c.id}")
        occ_ids = _ids(tx.occupations, c.occupations, "occupation", f"candidate {c.id}")
        if c.lat is None or c.lon is None or not (np.isfinite(c.lat) and np.isfinite(c.lon)):
            return []  # no location: no place is admissible
        reach_km = DEFAULT_REACH_KM if c.max_distance_km is None else float(c.max_distance_km)
        ranges = _cell_ranges(self.bands, self.cell_lon, self.n_located, c.lat, c.lon, reach_km)
        if ranges is None:
            rows = np.arange(self.n_located)
        elif ranges:
            rows = np.concatenate([np.arange(lo, hi) for lo, hi in ranges])
        else:
            return []
        held = sparse.csr_matrix(
            (np.ones(len(held_ids), np.float32), ([0] * len(held_ids), held_ids)),
            shape=(1, tx.n_skills),
        )
        x = tx.expanded(held).toarray().ravel()
        lack = np.maximum(TEACHABLE_CREDIT - x, 0.0)
        n_ess, n_opt = self.n_ess[rows], self.n_opt[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            ess = (self.essential[rows] @ x + self.teach[rows] @ lack) / n_ess
            opt = (self.optional[rows] @ x) / n_opt
        ess = np.where(n_ess == 0, 1.0, ess)
        opt = np.where(n_opt == 0, 0.0, opt)
        occ = np.zeros(len(rows))
        if occ_ids:
            groups = {int(tx.occupation_group[o]) for o in occ_ids} - {-1}
            occ = np.where(np.isin(self.group[rows], list(groups)), 0.5, 0.0)
            occ = np.where(np.isin(self.occupation[rows], occ_ids), 1.0, occ)
        km = distance_km(np.radians(c.lat), np.radians(c.lon), self.lat[rows], self.lon[rows])
        km = np.where(np.isnan(km), np.inf, km)
        reach = np.nan if c.max_distance_km is None else float(c.max_distance_km)
        _values, contributions, total, admissible = combine(
            self.weights,
            essential=ess,
            optional=opt,
            occupation=occ,
            km=km,
            reach=np.full(len(rows), reach),
            candidate_hours=np.nan if c.hours is None else float(c.hours),
            vacancy_hours=self.hours[rows],
            education=np.nan if c.education_level is None else float(c.education_level),
            min_education=self.min_education[rows],
            language=np.nan if c.dutch_level is None else float(c.dutch_level),
            min_language=self.language[rows],
            priority=float(c.priority or 0.0),
            licence=bool(c.driving_licence),
            licence_required=self.licence_required[rows],
            available_from=_ordinal(c.available_from),
            start_date=self.start[rows],
            located=True,
        )
        keep = np.flatnonzero(admissible & (self.places[rows] > 0))
        scores = np.round(total[keep], 9)
        order = np.lexsort((self.id_rank[rows[keep]], -scores))[:k]
        inv = tx.skill_uris
        results = []
        for i in order:
            j = keep[i]  # position among the rows scored
            row = rows[j]
            start, end = self.essential.indptr[row], self.essential.indptr[row + 1]
            teach = self.teach
            teachable = set(teach.indices[teach.indptr[row] : teach.indptr[row + 1]])
            results.append(
                Match(
                    id=str(self.ids[row]),
                    score=float(np.round(total[j], 6)),
                    contributions={
                        name: float(np.round(np.broadcast_to(v, total.shape)[j], 6))
                        for name, v in contributions.items()
                    },
                    missing_essential=[
                        {"skill": inv[s], "teachable": s in teachable}
                        for s in self.essential.indices[start:end]
                        if x[s] == 0
                    ],
                )
            )
        return results
