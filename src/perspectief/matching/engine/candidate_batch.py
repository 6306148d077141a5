"""Ranking many places at once: :meth:`.candidate_index.CandidateIndex.rank_many`'s path
for an index whose places reach most of its rows (a region's).

A block of places is scored in one pass: the skill columns of all its places read at once
(whole: a region's places reach most of its rows); per place, its credits added into a
one-place scratch (``add.at``, in the order the one-place query adds them: a block-wide
places × rows scratch was slower, as it does not stay in the cache), the rows out of its
range or tombstoned dropped, the cheap bound computed and the pool chosen by it; then the
pools of the whole block evaluated exactly in one call of :func:`.scoring.combine` with
the place's values per pair. Every number is computed as the one-place query computes it —
the float32 credits summed in the same order, the place's scalars meeting the columns in
the same dtype — so the scores are the same bit for bit. A place whose first round does not
settle its top k (fewer than k admissible in the pool, someone outside the pool or
untouched who could still reach the k-th score), a place without essential skills and one
whose ranges cover little of the index are ranked by the one-place query.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .grid import spans
from .records import TEACHABLE_CREDIT, Match, Vacancy
from .scoring import EARTH_RADIUS_KM, Side, combine
from .taxonomy import HELD, SAME_GROUP, TYPICAL_SKILL

if TYPE_CHECKING:
    from .candidate_index import CandidateIndex, Ranked, Terms

#: Places ranked in one block.
BLOCK_PLACES = 64
#: The share of the located rows a place's row ranges must cover for its columns to be read
#: whole (a region's index); below it, it is ranked by the one-place query, which reads
#: only the ranges.
MIN_COVERAGE = 0.3

#: The first round of a query (one place's, or a block's) evaluates exactly the POOL × k
#: most promising people (by a cheap upper bound); a second round only those outside it
#: whose bound can still beat the k-th score found.
POOL = 6
#: The margin a bound is compared with: the credits are float32, and the bounds add their
#: parts in another order than the exact score, so a bound may fall short of the score it
#: bounds by float32 rounding (about 1e-7); a tie at nine decimals must still be found.
SLACK = 1e-6

Ranking = list[tuple[str, float]]


def teach_less(terms: Terms, w: Any) -> Any:
    """Per skill asked (essential first; ``w`` their weights): the teachable credit that
    everyone has already (in the base), to take off its column's credit (float32)."""
    teach = terms.teach
    pad = [False] * (len(w) - len(terms.essential))
    less = np.where([r in teach for r in terms.essential] + pad, w, 0)
    return (TEACHABLE_CREDIT * less).astype(np.float32)


def rank_many(
    index: CandidateIndex, vacancies: list[Vacancy], k: int, workers: int
) -> list[Ranking]:
    """See :meth:`.candidate_index.CandidateIndex.rank_many`."""
    if workers <= 1 or len(vacancies) < 2 * workers:
        return _in_this_process(index, vacancies, k)
    global _SHARED
    _SHARED = (index, k)
    chunks = [vacancies[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_rank_chunk, chunks)
    out: list[Ranking] = [[] for _ in vacancies]
    for w, part in enumerate(parts):
        out[w::workers] = part
    return out


#: The index and k a forked worker of :func:`rank_many` ranks with (set in the parent
#: before the fork, so the workers share the index's memory).
_SHARED: tuple[CandidateIndex, int] | None = None


def _rank_chunk(vacancies: list[Vacancy]) -> list[Ranking]:
    assert _SHARED is not None  # set by rank_many before the pool forks
    index, k = _SHARED
    return _in_this_process(index, vacancies, k)


def _in_this_process(index: CandidateIndex, vacancies: list[Vacancy], k: int) -> list[Ranking]:
    index._range_memo = {}  # the places' row ranges by location, for this batch
    try:
        return rank_places(index, vacancies, k)
    finally:
        index._range_memo = None


@dataclass(frozen=True, slots=True)
class Top:
    """A place's top k as ``index.top_for_vacancy(v, k)`` gives it: all k as (id, score),
    and the first of them (as many as asked explained) as its :class:`.records.Match`."""

    ranking: Ranking
    matches: list[Match]


#: The blocks of :func:`top_blocks`: per block, each place's position and its top.
Blocks = Generator[list[tuple[int, Top]], None, None]


def top_places(
    index: CandidateIndex,
    vacancies: list[Vacancy],
    k: Sequence[int],
    explained: Sequence[int],
) -> list[Top]:
    """See :meth:`.candidate_index.CandidateIndex.top_many`."""
    out: list[Top | None] = [None] * len(vacancies)
    for block in top_blocks(index, vacancies, k, explained):
        for i, top in block:
            out[i] = top
    return [top for top in out if top is not None]


def top_blocks(
    index: CandidateIndex,
    vacancies: list[Vacancy],
    k: Sequence[int],
    explained: Sequence[int],
) -> Blocks:
    """See :meth:`.candidate_index.CandidateIndex.top_blocks`."""
    if index._side_index is not None:  # the side index's people are merged per place
        for start in range(0, len(vacancies), BLOCK_PLACES):
            block = []
            for i in range(start, min(start + BLOCK_PLACES, len(vacancies))):
                top = index.top_for_vacancy(vacancies[i], k[i])
                block.append((i, Top([(m.id, m.score) for m in top], top[: explained[i]])))
            yield block
        return
    # Ranked in blocks of places with the same k (a place's top k is exact: the places it
    # shares a block with decide nothing of its answer).
    by_k: dict[int, list[int]] = {}
    for i, n in enumerate(k):
        by_k.setdefault(n, []).append(i)
    batch = _Batch(index)  # its masks by location, for all the blocks
    index._range_memo = {}  # the places' row ranges by location, for all the blocks
    try:
        for n, which in by_k.items():
            for start in range(0, len(which), BLOCK_PLACES):
                part = which[start : start + BLOCK_PLACES]
                found = batch.rank([vacancies[i] for i in part], n, explain=True)
                block = []
                for i, settled in zip(part, found, strict=True):
                    # As top_for_vacancy: ``_matches`` of the ranked rows (only the first
                    # ``explained[i]`` of them).
                    ranked, terms = settled or index._ranked(vacancies[i], n)
                    rows, scores, contributions = ranked
                    e = explained[i]
                    shown = (rows[:e], scores[:e], {c: v[:e] for c, v in contributions.items()})
                    block.append((i, Top(_pairs(index, ranked), index._matches(shown, terms))))
                yield block
    finally:
        index._range_memo = None


def _pairs(index: CandidateIndex, ranked: Ranked) -> Ranking:
    """(id, score) of ranked rows, as ``rank_for_vacancy`` gives them."""
    rows, scores, _contributions = ranked
    return list(zip(index.ids[rows].tolist(), np.round(scores, 6).tolist(), strict=True))


@dataclass(slots=True)
class _Place:
    """One place of a block: what it asks, per skill column asked."""

    terms: Terms
    asked: list[int]
    #: Per asked column: the teachable credit to take off (None: none), and the credit a
    #: holder of a typical skill reaches (inf: not typical; None: no typical skill asked).
    less: Any
    typical_at: Any
    group: int
    #: The rows in range of the place that are active (see :meth:`_Batch._keep`).
    keep: Any
    location: tuple[float, float]
    ready_by: int


def rank_places(index: CandidateIndex, vacancies: list[Vacancy], k: int) -> list[Ranking]:
    """``index.rank_for_vacancy(v, k)`` for every place, in blocks where that pays."""
    if index._side_index is not None:
        return [index.rank_for_vacancy(v, k) for v in vacancies]
    batch = _Batch(index)
    out: list[Ranking] = []
    for start in range(0, len(vacancies), BLOCK_PLACES):
        block = vacancies[start : start + BLOCK_PLACES]
        for v, settled in zip(block, batch.rank(block, k), strict=True):
            out.append(
                index.rank_for_vacancy(v, k) if settled is None else _pairs(index, settled[0])
            )
    return out


class _Batch:
    """The scratch arrays of the blocks of one call (zero between places)."""

    def __init__(self, index: CandidateIndex) -> None:
        self.index = index
        self.n = n = len(index.ids)
        self.span = (0, 0)  # the rows the current place touched lie within
        # One place's scratch (a place's rows fit in the cache; a block's would not).
        self.ess = np.zeros(n, np.float32)
        self.opt = np.zeros(n, np.float32)
        self.occ = np.zeros(n, np.float32)
        self.touched = np.zeros(n, bool)
        self.masks: dict[tuple[float, float], tuple[Any, bool]] = {}
        self.typical: dict[int, set[int]] = {}  # an occupation's typical skills

    def _keep(self, location: tuple[float, float]) -> tuple[Any, bool]:
        """The active rows in range of a location (the one-place query's row ranges), and
        whether they are enough of the index for whole columns to be read."""
        found = self.masks.get(location)
        if found is None:
            index = self.index
            starts, ends = index._ranges_at(*location)
            mask = None  # not wide: no mask (a national index has thousands of locations)
            wide = int((ends - starts).sum()) >= MIN_COVERAGE * index.n_located
            if wide:
                mask = np.zeros(self.n, bool)
                mask[spans(starts, ends)] = True
                mask &= index.active
            found = self.masks[location] = (mask, wide)
        return found

    def _prepare(self, v: Vacancy) -> _Place | None:
        """The place's terms per column, or None: ranked by the one-place query."""
        index = self.index
        if v.lat is None or v.lon is None or not (np.isfinite(v.lat) and np.isfinite(v.lon)):
            return None  # the one-place query refuses it
        keep, wide = self._keep((v.lat, v.lon))
        terms, optional = index._place_terms(v)
        if not terms.n_ess or not wide:
            return None
        asked = terms.essential + optional
        w = index._weight[asked]
        less = teach_less(terms, w)[: len(terms.essential)] if terms.teach else None
        typical_at, group = None, -1
        if terms.occupation is not None:
            typical = self.typical.get(terms.occupation)
            if typical is None:
                typical = set(index.taxonomy.typical_skills(terms.occupation).tolist())
                self.typical[terms.occupation] = typical
            is_typical = np.array([r in typical for r in asked], bool)
            if is_typical.any():
                typical_at = np.where(is_typical, HELD * w, np.float32(np.inf))
            group = int(index.taxonomy.occupation_group[terms.occupation])
            if not 0 <= group < index.groups.shape[1]:
                group = -1
        return _Place(
            terms=terms,
            asked=asked,
            less=less,
            typical_at=typical_at,
            group=group,
            keep=keep,
            location=(v.lat, v.lon),
            ready_by=index._ready_by(v),
        )

    def rank(
        self, vacancies: list[Vacancy], k: int, explain: bool = False
    ) -> list[tuple[Ranked, Terms] | None]:
        """Each place's top k (with the contributions when ``explain``) and its terms, or
        None: a place for the one-place query."""
        prepared = [self._prepare(v) for v in vacancies]
        block = [i for i, p in enumerate(prepared) if p is not None]
        places = [p for p in prepared if p is not None]
        out: list[tuple[Ranked, Terms] | None] = [None] * len(vacancies)
        if places:
            found = self._rank_block(places, k, explain)
            for i, place, ranked in zip(block, places, found, strict=True):
                if ranked is not None:
                    out[i] = (ranked, place.terms)
        return out

    def _rank_block(self, places: list[_Place], k: int, explain: bool) -> list[Ranked | None]:
        """Each place's top k from the first round, or None where that does not settle it.
        The block's skill columns are read whole (the rows out of range are dropped when
        the pool is chosen, before anything depends on them)."""
        index = self.index
        credits, groups, occupations = index.credits, index.groups, index.occupations
        cols = np.concatenate([np.asarray(p.asked, np.int64) for p in places])
        lo = credits.indptr[cols].astype(np.int64)
        lengths = credits.indptr[cols + 1] - lo
        at = spans(lo, lo + lengths)
        rows, credit = credits.indices[at], credits.data[at]
        first = np.concatenate([[0], np.cumsum(lengths)])  # per column, its first entry
        c = 0
        parts = []
        for place in places:
            c_ess, c_end = c + len(place.terms.essential), c + len(place.asked)
            a, m, b = int(first[c]), int(first[c_ess]), int(first[c_end])
            value = credit[a:b]
            if place.less is not None:  # essential credit less the base's share, never < 0
                less = np.repeat(place.less, lengths[c:c_ess])
                value = np.concatenate([np.maximum(credit[a:m] - less, 0.0), credit[m:b]])
            held = rows[:0]
            if place.typical_at is not None:
                held = rows[a:b][credit[a:b] >= np.repeat(place.typical_at, lengths[c:c_end])]
            g, o = place.group, place.terms.occupation
            group = groups.indices[groups.indptr[g] : groups.indptr[g + 1]] if g >= 0 else rows[:0]
            occupation = (
                occupations.indices[occupations.indptr[o] : occupations.indptr[o + 1]]
                if o is not None
                else rows[:0]
            )
            self._add(rows[a:b], value, m - a, (group, held, occupation))
            parts.append(self._pool(place, POOL * k))
            c = c_end
        return self._rank_pools(places, parts, k, explain)

    def _add(self, rows: Any, value: Any, split: int, occ: tuple[Any, Any, Any]) -> None:
        """One place's credits and occupation fit into the scratch, as the one-place query
        adds them; the rows touched marked."""
        ess, opt, fit, touched = self.ess, self.opt, self.occ, self.touched
        np.add.at(ess, rows[:split], value[:split])
        np.add.at(opt, rows[split:], value[split:])
        group, held, occupation = occ
        fit[group] = SAME_GROUP
        if len(held):
            fit[held] = np.maximum(fit[held], TYPICAL_SKILL)
        fit[occupation] = 1.0
        self.span = (self.n, 0)
        for x in (rows, group, occupation):
            if len(x):
                touched[x] = True
                self.span = (min(self.span[0], int(x.min())), max(self.span[1], int(x.max()) + 1))

    def _pool(self, place: _Place, size: int) -> tuple[Any, ...]:
        """The place's pool (the rows touched with the best cheap bound, as the one-place
        query's first round), their fits, and the best bound outside the pool; the
        scratch cleared."""
        index, w = self.index, self.index.weights
        lo, hi = self.span
        ess, opt, fit, touched = self.ess, self.opt, self.occ, self.touched
        # Touched, in range and active: what the one-place query reads.
        rows = np.flatnonzero(touched[lo:hi] & place.keep[lo:hi]) + lo
        terms = place.terms
        # The one-place query's cheap bound, computed the same way.
        e = (ess[rows] + terms.base) / terms.n_ess
        o = opt[rows] / terms.n_opt if terms.n_opt else np.zeros(len(rows), np.float32)
        f = fit[rows]
        outside = -np.inf
        if len(rows) > size:
            bound = (
                w.essential_skills * e
                + w.optional_skills * o
                + w.occupation * f
                + index._rest_bound[rows]
            )
            part = np.argpartition(-bound, size)
            outside = float(bound[part[size]])  # the best bound outside the pool
            part = part[:size]
            rows, e, o, f = rows[part], e[part], o[part], f[part]
        if hi > lo:
            ess[lo:hi] = 0.0
            opt[lo:hi] = 0.0
            fit[lo:hi] = 0.0
            touched[lo:hi] = False
        return rows, e, o, f, outside

    def _rank_pools(
        self, places: list[_Place], parts: list[Any], k: int, explain: bool
    ) -> list[Ranked | None]:
        """The places' pools evaluated exactly at once; each place's top k (rows, scores
        rounded to nine decimals, and with ``explain`` their contributions, as the
        one-place query's), or None where its first round does not settle it."""
        index, w = self.index, self.index.weights
        owner = np.repeat(np.arange(len(places)), [len(x[0]) for x in parts])
        rows = np.concatenate([x[0] for x in parts])
        fits = tuple(np.concatenate([x[j] for x in parts]) for j in (1, 2, 3))
        side = self._side(places, owner, rows, fits)
        _values, contributions, total, admissible = combine(w, side)
        ok = np.flatnonzero(admissible)
        p, r, scores = owner[ok], rows[ok], np.round(total[ok], 9)
        order = np.lexsort((index.id_rank[r], -scores, p))
        p, r, scores, pair = p[order], r[order], scores[order], ok[order]
        seg = np.searchsorted(p, np.arange(len(places) + 1))
        out: list[Ranked | None] = []
        for i, place in enumerate(places):
            a = int(seg[i])
            b = min(int(seg[i + 1]), a + k)
            kth = float(scores[b - 1]) if b - a == k else np.inf
            untouched = index._untouched_bound(place.terms.untouched_fit)
            if b - a < k or parts[i][4] >= kth - SLACK or kth <= untouched + SLACK:
                out.append(None)  # the first round does not settle it
                continue
            shown = {c: v[pair[a:b]] for c, v in contributions.items()} if explain else {}
            out.append((r[a:b], scores[a:b], shown))
        return out

    def _side(self, places: list[_Place], owner: Any, rows: Any, fits: tuple[Any, ...]) -> Side:
        """The inputs of :func:`.scoring.combine` for (place, row) pairs: the place's values
        per pair, in the dtypes the one-place query gives them."""
        index = self.index
        pv = [p.terms.place for p in places]

        def per(values: list[Any], dtype: Any) -> Any:
            return np.array(values, dtype)[owner]

        # The place's coordinates and their cosine as the one-place query computes them
        # (scalars), then per pair.
        vlat = per([np.radians(p.location[0]) for p in places], np.float64)
        vlon = per([np.radians(p.location[1]) for p in places], np.float64)
        cos_v = per([np.cos(np.radians(p.location[0])) for p in places], np.float64)
        lat, lon = index.lat[rows], index.lon[rows]
        dlat, dlon = vlat - lat, vlon - lon
        h = np.sin(dlat / 2) ** 2 + np.cos(lat) * cos_v * np.sin(dlon / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        ess, opt, occ = fits
        return Side(
            essential=ess,
            optional=opt,
            occupation=occ,
            km=np.where(np.isnan(km), np.inf, km),
            **index._person_columns(rows),
            max_hours=index.max_hours[rows],
            max_load=index.max_load[rows],
            excluded_sectors=index.excluded[rows],
            limitations=index.limitations[rows],
            vacancy_hours=per([v.hours for v in pv], np.float64),
            min_education=per([v.min_education for v in pv], np.float64),
            min_language=per([v.language for v in pv], np.float64),
            licence_required=per([v.licence_required for v in pv], bool),
            start_date=per([v.start for v in pv], np.int64),
            ready_by=per([p.ready_by for p in places], np.int64),
            needed_hours=per([v.needed_hours for v in pv], np.float64),
            load=per([v.load for v in pv], np.int64),
            sector=per([v.sector for v in pv], np.int64),
            offers=per([v.offers for v in pv], np.int64),
            demands=per([v.demands for v in pv], np.int64),
        )
