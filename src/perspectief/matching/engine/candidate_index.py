"""The best candidates for a place, at national scale: exact top-k over
:class:`~.candidate_columns.CandidateColumns`.

One vacancy reads only the columns of its skills and occupation: the people touched are
scored exactly; everyone else can reach at most a known bound, and is scanned only when
that bound could still beat the k-th score. Within the touched people, rows are evaluated
in order of a cheap upper bound, so most are never evaluated exactly.

Updates: ``upsert``/``remove`` tombstone the old row and keep changed people in a small
side index until ``compact()`` rebuilds (automatically past a threshold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from . import candidate_batch
from .candidate_batch import POOL, SLACK, teach_less
from .candidate_columns import CandidateColumns, read_column, read_columns
from .columns import (
    NO_DATE,
    FloatArray,
    IntArray,
    PlaceValues,
    concept_ids,
    ordinal,
    place_values,
)
from .grid import RangeArrays, spans
from .records import (
    TEACHABLE_CREDIT,
    Candidate,
    Match,
    Vacancy,
    Weights,
)
from .scoring import (
    EARTH_RADIUS_KM,
    Evaluated,
    Side,
    combine,
    conditions,
    default_reach,
    distance_km,
)
from .taxonomy import HELD, SAME_GROUP, TYPICAL_SKILL, Gap, Taxonomy, skill_gaps

#: The k best rows of a query: (rows, scores, contribution per criterion), best first;
#: scores rounded to nine decimals (the order's key: equal there is a tie, settled by id),
#: to six when shown.
Ranked = tuple[IntArray, FloatArray, dict[str, FloatArray]]


@dataclass(slots=True)
class Terms:
    """What one vacancy asks, in the index's skill ids, and its weighted totals."""

    essential: list[int]
    teach: set[int]
    occupation: int | None
    #: The total weight of the essential and of the optional skills.
    n_ess: float
    n_opt: float
    #: Essential credit everyone gets: the teachable skills' credit.
    base: float
    #: What someone no skill column reached gets for the essential skills.
    untouched_fit: float
    #: What the place asks besides skills and occupation.
    place: PlaceValues


class CandidateIndex(CandidateColumns):
    """Exact top-k candidates for a place, with updates that count from the next query."""

    #: Changed people kept in the side index before it is folded into the main one.
    COMPACT_AFTER = 5000

    def __init__(
        self,
        taxonomy: Taxonomy,
        candidates: Sequence[Candidate],
        weights: Weights | None = None,
        *,
        today: date | None = None,
    ) -> None:
        """``today``: the day a person's readiness is judged on for a place without a start
        date (None: the day of the query)."""
        super().__init__(taxonomy, candidates, weights)
        self.today = today
        self._side: dict[str, Candidate] = {}
        self._side_index: CandidateIndex | None = None

    @property
    def size(self) -> int:
        return int(self.active.sum()) + len(self._side)

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
            CandidateIndex(self.taxonomy, list(self._side.values()), self.weights, today=self.today)
            if self._side
            else None
        )

    def compact(self) -> None:
        """Fold the side index into the main one and drop tombstoned rows: the same answers
        from one clean index."""
        keep = np.flatnonzero(self.active)
        side = self._side_index
        self._side, self._side_index = {}, None
        self._fold(keep, side)

    # -- what a vacancy asks -------------------------------------------------------------------
    def _vacancy_terms(self, v: Vacancy) -> tuple[list[int], set[int], list[int], int | None]:
        tx = self.taxonomy
        essential = concept_ids(tx.skills, v.essential_skills, "skill", f"vacancy {v.id}")
        teach = set(concept_ids(tx.skills, v.teachable_skills, "skill", f"vacancy {v.id}"))
        optional = [
            s
            for s in concept_ids(tx.skills, v.optional_skills, "skill", f"vacancy {v.id}")
            if s not in essential
        ]
        occupation = (
            concept_ids(tx.occupations, [v.occupation], "occupation", f"vacancy {v.id}")[0]
            if v.occupation
            else None
        )
        return essential, teach, optional, occupation

    def _place_terms(self, v: Vacancy) -> tuple[Terms, list[int]]:
        """What the place asks (:class:`Terms`), and its optional skills."""
        essential, teach, optional, occupation = self._vacancy_terms(v)
        weight = self._weight  # specific skills count for more
        base = 0.0
        for r in essential:
            if r in teach:
                base += TEACHABLE_CREDIT * weight[r]
        # The fits are weighted shares: what the person covers of the place's skill weight.
        n_ess = float(weight[essential].sum(dtype=np.float64))
        n_opt = float(weight[optional].sum(dtype=np.float64))
        terms = Terms(
            place=place_values(v),
            essential=essential,
            teach=teach,
            occupation=occupation,
            n_ess=n_ess,
            n_opt=n_opt,
            base=base,
            untouched_fit=base / n_ess if n_ess else 1.0,
        )
        return terms, optional

    def _skill_scores(self, v: Vacancy, ranges: RangeArrays | None) -> tuple[Terms, IntArray]:
        """Fill the scratch arrays with essential and optional credit and occupation fit for
        the rows the vacancy's skills and occupation reach (within ``ranges``); those rows
        (each once; to be cleared after the query)."""
        terms, optional = self._place_terms(v)
        essential, teach, occupation = terms.essential, terms.teach, terms.occupation
        ess, opt, occ = self._ess, self._opt, self._occ
        asked = essential + optional
        idx, credit, which = read_columns(self.credits, asked, ranges)  # weighted already
        w = self._weight[asked]
        n_essential = len(essential)
        # A teachable skill: everyone has its teachable credit (the base), the column adds
        # what is more.
        # The columns come in order, essential first: their entries are a prefix.
        split = int(np.searchsorted(which, n_essential))
        if teach:
            ess_credit = np.maximum(credit[:split] - teach_less(terms, w)[which[:split]], 0.0)
        else:  # nothing to take off (credits are never negative)
            ess_credit = credit[:split]
        np.add.at(ess, idx[:split], ess_credit)
        np.add.at(opt, idx[split:], credit[split:])
        parts = [idx]
        if occupation is not None:
            # The skills the place asks that are typical of its occupation: who holds one
            # (full credit in its column: only the skill itself earns that) gets
            # typical-skill credit.
            typical = set(self.taxonomy.typical_skills(occupation).tolist())
            is_typical = np.array([r in typical for r in asked], bool)
            holders = idx[is_typical[which] & (credit >= HELD * w[which])]
            group = self.taxonomy.occupation_group[occupation]
            if 0 <= group < self.groups.shape[1]:
                g_idx, _g, _w = read_columns(self.groups, [group], ranges)
                occ[g_idx] = SAME_GROUP
                parts.append(g_idx)
            if len(holders):  # touched already: they hold a skill the place asks
                occ[holders] = np.maximum(occ[holders], TYPICAL_SKILL)
            o_idx, _o, _w = read_columns(self.occupations, [occupation], ranges)
            occ[o_idx] = 1.0
            parts.append(o_idx)
        every = np.concatenate(parts) if len(parts) > 1 else idx
        return terms, self._once(every)

    # -- scoring rows ------------------------------------------------------------------------
    def _ready_by(self, v: Vacancy) -> int:
        """The day readiness is judged on: the place's start, else today."""
        return ordinal(v.start_date or self.today or date.today())

    def _evaluate(self, v: Vacancy, rows: IntArray, terms: Terms) -> Evaluated:
        return combine(self.weights, self._inputs(v, rows, terms))

    def _inputs(self, v: Vacancy, rows: IntArray, terms: Terms) -> Side:
        """The inputs of :func:`.scoring.combine` for the place and the rows."""
        n_ess, n_opt = terms.n_ess, terms.n_opt
        ess_fit = (self._ess[rows] + terms.base) / n_ess if n_ess else np.ones(len(rows))
        opt_fit = self._opt[rows] / n_opt if n_opt else np.zeros(len(rows))
        vlat = np.radians(v.lat) if v.lat is not None else np.nan
        vlon = np.radians(v.lon) if v.lon is not None else np.nan
        km = distance_km(self.lat[rows], self.lon[rows], vlat, vlon)
        km = np.where(np.isnan(km), np.inf, km)
        place = terms.place
        # A hard condition the place sets no value for cannot fail: the person's side is
        # then not read (one unknown for all).
        unknown_hours = bool(np.isnan(place.needed_hours))
        return Side(
            essential=ess_fit,
            optional=opt_fit,
            occupation=self._occ[rows],
            km=km,
            **self._person_columns(rows),
            max_hours=np.nan if unknown_hours else self.max_hours[rows],
            max_load=self.max_load[rows] if place.load else 0,
            excluded_sectors=self.excluded[rows] if place.sector else 0,
            limitations=self.limitations[rows] if place.demands else 0,
            vacancy_hours=place.hours,
            min_education=place.min_education,
            min_language=place.language,
            licence_required=place.licence_required,
            start_date=place.start,
            ready_by=self._ready_by(v),
            needed_hours=place.needed_hours,
            load=place.load,
            sector=place.sector,
            offers=place.offers,
            demands=place.demands,
        )

    def _person_columns(self, rows: IntArray) -> dict[str, Any]:
        """The person's side of :class:`.scoring.Side` that every place reads, for the rows
        (the one-place query and the blocks of :mod:`.candidate_batch` alike)."""
        return {
            "reach": self.reach[rows],
            "candidate_hours": self.hours[rows],
            "education": self.education[rows],
            "language": self.language[rows],
            "priority": np.nan_to_num(self.priority[rows]),
            "licence": self.licence[rows],
            "available_from": self.available[rows],
            "located": self.located[rows],
            "readiness": self.readiness[rows],
            "ready_from": self.ready_from[rows],
            "motivation": self.motivation[rows],
            "needs": self.needs[rows],
        }

    def _untouched_bound(self, untouched_fit: float) -> float:
        """The most someone no skill or occupation column reached can score."""
        return self.weights.essential_skills * untouched_fit + self.max_rest

    def _rows_in(self, ranges: RangeArrays | None, untouched_from: float | None = None) -> IntArray:
        """Active rows within the ranges: all of them, or (``untouched_from``) those a
        skill or occupation reached and the others whose bound for the criteria besides
        skills and occupation reaches that value."""
        if ranges is None:
            rows = np.arange(self.n_located)
        else:
            rows = spans(ranges[0], ranges[1])
        mask = self.active[rows]
        if untouched_from is not None:
            mask &= self._touched[rows] | (self._rest_bound[rows] >= untouched_from)
        return rows[mask]

    def _upper_bound(self, v: Vacancy, rows: IntArray, terms: Terms) -> tuple[IntArray, Any]:
        """The rows that may be admissible, and a cheap bound on their score: the exact
        skill and occupation parts and the priority, full marks for hours, education and
        language, and for distance the fit of a flat (equirectangular) distance taken 2%
        and 0.5 km short — never more than the true distance, without trigonometry per row
        (the costly part of the exact evaluation). Rows that surely fail a hard condition
        (out of reach, no required licence, available too late, the place's hours or load
        too much, its sector excluded, a demand ruled out) are left out first."""
        w = self.weights
        assert v.lat is not None and v.lon is not None  # _ranked refused a place without one
        vlat, vlon = np.radians(v.lat), np.radians(v.lon)
        dy = self.lat[rows] - vlat
        dx = (self.lon[rows] - vlon) * np.cos(vlat)
        near_km = np.maximum(EARTH_RADIUS_KM * np.sqrt(dx * dx + dy * dy) * 0.98 - 0.5, 0.0)
        reach = self._reach_or_default[rows]
        possible = (near_km <= reach) & self._meets_place(rows, terms.place)
        keep = np.flatnonzero(possible)
        rows = rows[keep]
        near, most = near_km[keep], reach[keep]
        # A reach of 0 keeps only who is at the door (near 0): a share of 0 there, not 0 / 0.
        share = np.divide(
            near, most, out=np.zeros(len(near), np.result_type(near, most)), where=most > 0
        )
        bound = self._cheap_bound(rows, terms) - w.distance * np.minimum(share, 1.0)
        return rows, bound

    def _meets_place(self, rows: IntArray, place: PlaceValues) -> Any:
        """The hard conditions besides reach (the same as :func:`.scoring.admissible`),
        only those the place asks."""
        ok = np.ones(len(rows), bool)
        if place.licence_required:
            ok &= self.licence[rows]
        if place.start:
            available = self.available[rows]
            ok &= (available == NO_DATE) | (available <= place.start)
        if not np.isnan(place.needed_hours):
            ok &= ~(self.max_hours[rows] < place.needed_hours)
        if place.load:
            max_load = self.max_load[rows]
            ok &= (max_load == 0) | (max_load >= place.load)
        if place.sector:
            ok &= (self.excluded[rows] & place.sector) == 0
        if place.demands:
            ok &= (self.limitations[rows] & place.demands) == 0
        return ok

    def _cheap_bound(self, rows: IntArray, terms: Terms) -> Any:
        """The exact skill and occupation parts and the priority, full marks for the rest."""
        w = self.weights
        n_ess, n_opt = terms.n_ess, terms.n_opt
        ess = (self._ess[rows] + terms.base) / n_ess if n_ess else 1.0
        opt = self._opt[rows] / n_opt if n_opt else 0.0
        return (
            w.essential_skills * ess
            + w.optional_skills * opt
            + w.occupation * self._occ[rows]
            + self._rest_bound[rows]
        )

    # -- top k -------------------------------------------------------------------------------
    def _rank(
        self, v: Vacancy, rows: IntArray, terms: Terms, k: int, explain: bool = True
    ) -> Ranked:
        """(rows, scores, contributions) of the k best admissible rows, best first: exactly
        the exhaustive ranking's, in two rounds.

        First the pool of the :data:`POOL` × k rows with the best cheap upper bound is
        evaluated exactly; then, only if someone outside the pool has a bound that reaches
        the k-th score found, those rows (and only those) in a second round, merged with
        the first. When fewer than k of the pool are admissible (out of reach, mostly: a
        national index), the rows that cannot be admissible are dropped and the bound
        tightened first, and the pool grows until it holds k. ``explain`` False: the
        contributions are left out (only the kept rows' are ever gathered)."""
        size = POOL * k
        if len(rows) <= size:
            return self._rank_exact(v, rows, terms, k, explain)
        bound = self._cheap_bound(rows, terms)
        first = np.argpartition(-bound, size)[:size]
        ranked = self._rank_exact(v, rows[first], terms, k, explain)
        if self._count(ranked) < k:
            rows, bound = self._upper_bound(v, rows, terms)
            while True:
                if len(rows) <= size:
                    return self._rank_exact(v, rows, terms, k, explain)
                first = np.argpartition(-bound, size)[:size]
                ranked = self._rank_exact(v, rows[first], terms, k, explain)
                if self._count(ranked) == k:
                    break
                size *= 4
        rest = np.ones(len(rows), bool)
        rest[first] = False
        rest &= bound >= self._kth(ranked) - SLACK
        if not rest.any():
            return ranked
        return self._merge(ranked, self._rank_exact(v, rows[rest], terms, k, explain), k)

    def _merge(self, a: Ranked, b: Ranked, k: int) -> Ranked:
        """The k best of two rankings of different rows, by score, then id."""
        if self._count(b) == 0:
            return a
        rows = np.concatenate([a[0], b[0]])
        scores = np.concatenate([a[1], b[1]])
        order = np.lexsort((self.id_rank[rows], -scores))[:k]
        return (
            rows[order],
            scores[order],
            {name: np.concatenate([c, b[2][name]])[order] for name, c in a[2].items()},
        )

    def _rank_exact(
        self, v: Vacancy, rows: IntArray, terms: Terms, k: int, explain: bool = True
    ) -> Ranked:
        empty: Ranked = (np.zeros(0, np.int64), np.zeros(0), {})
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
            scores[sel[order]],
            # Only the kept rows', and only when they are shown (rounded then).
            {name: c[chosen] for name, c in contributions.items()} if explain else {},
        )

    @staticmethod
    def _count(ranked: Ranked) -> int:
        return len(ranked[0])

    @staticmethod
    def _kth(ranked: Ranked) -> float:
        return float(ranked[1][-1])

    def _ranked(self, v: Vacancy, k: int, explain: bool = True) -> tuple[Ranked, Terms]:
        if v.lat is None or v.lon is None or not (np.isfinite(v.lat) and np.isfinite(v.lon)):
            raise ValueError(f"vacancy {v.id}: no location")
        ranges = self._ranges_at(v.lat, v.lon)
        touched = None
        try:
            terms, touched = self._skill_scores(v, ranges)
            rows = touched[self.active[touched]]
            matches = self._rank(v, rows, terms, k, explain)
            bound = self._untouched_bound(terms.untouched_fit)
            if self._count(matches) < k:
                # Fewer than k reached by a skill or occupation: everyone else is a candidate.
                matches = self._rank(v, self._rows_in(ranges), terms, k, explain)
            elif self._kth(matches) <= bound + SLACK:
                # Someone no skill or occupation reached could still make the top k: only
                # those whose other criteria (priority included) can lift them to the k-th.
                need = self._kth(matches) - self.weights.essential_skills * terms.untouched_fit
                matches = self._rank(v, self._rows_in(ranges, need - SLACK), terms, k, explain)
        finally:
            if touched is not None:
                self._clear(touched)
        return matches, terms

    # -- answers -----------------------------------------------------------------------------
    def rank_for_vacancy(self, v: Vacancy, k: int = 50) -> list[tuple[str, float]]:
        """Only (id, score) of the k best: for batch runs that explain later."""
        if self._side_index is not None:
            return [(m.id, m.score) for m in self.top_for_vacancy(v, k)]
        (rows, scores, _c), _terms = self._ranked(v, k, explain=False)
        return list(zip(self.ids[rows].tolist(), np.round(scores, 6).tolist(), strict=True))

    def rank_many(
        self, vacancies: list[Vacancy], k: int = 50, workers: int = 1
    ) -> list[list[tuple[str, float]]]:
        """:meth:`rank_for_vacancy` for many places; ``workers`` > 1 splits them over forked
        processes that share the index (Linux; not inside a daemonic Celery worker — there,
        split the places over tasks instead). Places are ranked in blocks where that pays
        (:mod:`.candidate_batch`): the same answers, bit for bit."""
        return candidate_batch.rank_many(self, vacancies, k, workers)

    def top_many(
        self, vacancies: list[Vacancy], k: Sequence[int], explained: Sequence[int]
    ) -> list[candidate_batch.Top]:
        """:meth:`top_for_vacancy` for many places (``k[i]`` for the i-th), ranked in blocks
        as :meth:`rank_many` ranks them: each place's top k as (id, score), and the first
        ``explained[i]`` as its Match objects — the same, bit for bit."""
        return candidate_batch.top_places(self, vacancies, k, explained)

    def top_blocks(
        self, vacancies: list[Vacancy], k: Sequence[int], explained: Sequence[int]
    ) -> candidate_batch.Blocks:
        """:meth:`top_many` a block at a time: (position in ``vacancies``, its Top) of each
        place of a block (up to 64, not in the given order). Not thread-safe; the index
        must not change (no upsert or remove) until the last block is taken or it is closed."""
        return candidate_batch.top_blocks(self, vacancies, k, explained)

    def top_for_vacancy(self, v: Vacancy, k: int = 50) -> list[Match]:
        """The k best admissible candidates for the vacancy, ranked by score, then id,
        each with its contributions and skill gap."""
        matches, terms = self._ranked(v, k)
        results = self._matches(matches, terms)
        if self._side_index is not None:
            results = sorted(
                results + self._side_index.top_for_vacancy(v, k),
                key=lambda m: (-m.score, m.id),
            )[:k]
        return results

    def _matches(self, ranked: Ranked, terms: Terms) -> list[Match]:
        rows, scores, contributions = ranked
        if len(rows) == 0:
            return []
        scores = np.round(scores, 6)
        gaps = self._gaps(rows, terms)
        w = self.weights.occupation
        via = self._occupation_via(contributions["occupation"] / w if w else np.zeros(len(rows)))
        names = list(contributions)
        columns = [np.round(contributions[name], 6).tolist() for name in names]
        return [
            Match(
                id=str(self.ids[row]),
                score=score,
                contributions={name: col[i] for name, col in zip(names, columns, strict=True)},
                missing_essential=gaps[i][0],
                related_essential=gaps[i][1],
                occupation_via=via[i],
            )
            for i, (row, score) in enumerate(zip(rows.tolist(), scores.tolist(), strict=True))
        ]

    def _gaps(self, rows: IntArray, terms: Terms) -> list[Gap]:
        """Per row: the place's essential skills the person has no credit for, and those
        credited in part through a related skill (see :func:`.taxonomy.skill_gaps`)."""
        credit = np.zeros((len(rows), len(terms.essential)))
        for j, r in enumerate(terms.essential):
            idx, values = read_column(self.credits, r)
            if len(idx):
                pos = np.minimum(np.searchsorted(idx, rows), len(idx) - 1)
                credit[:, j] = np.where(idx[pos] == rows, values[pos] / self._weight[r], 0.0)
        held = self.held
        return skill_gaps(
            self.taxonomy,
            terms.essential,
            terms.teach,
            credit,
            lambda i: held.indices[held.indptr[rows[i]] : held.indptr[rows[i] + 1]].tolist(),
        )

    def _occupation_via(self, value: Any) -> list[str | None]:
        """Where the occupation credit comes from (see :class:`.records.Match`), from its
        value per row: the three sources give different values."""
        return [_VIA.get(round(float(v), 6)) for v in np.atleast_1d(value)]

    def explain(self, candidate_id: str, v: Vacancy) -> dict[str, Any]:
        """Every criterion's value and contribution for one pair, whether it is admissible,
        the essential skills the person misses and those credited through a related skill,
        and where the occupation credit comes from."""
        if self._side_index is not None and candidate_id in self._side:
            return self._side_index.explain(candidate_id, v)
        row = self.position.get(candidate_id)
        if row is None or not self.active[row]:
            raise KeyError(candidate_id)
        ranges = (np.array([row]), np.array([row + 1]))
        terms, touched = self._skill_scores(v, ranges)
        try:
            rows = np.array([row])
            side = self._inputs(v, rows, terms)
        finally:
            self._clear(touched)
        values, contributions, total, admissible = combine(self.weights, side)
        met = conditions(side, default_reach(side.reach))
        missing, related = self._gaps(rows, terms)[0]
        return {
            "candidate": candidate_id,
            "vacancy": v.id,
            "score": float(np.round(total[0], 6)),
            "admissible": bool(admissible[0]),
            "conditions": {name: bool(np.broadcast_to(m, (1,))[0]) for name, m in met.items()},
            "criteria": {
                name: {
                    "value": float(np.round(np.broadcast_to(values[name], (1,))[0], 6)),
                    "weight": self.weights.as_dict()[name],
                    "contribution": float(np.round(contributions[name][0], 6)),
                }
                for name in values
            },
            "missing_essential": missing,
            "related_essential": related,
            "occupation_via": self._occupation_via(values["occupation"])[0],
        }


#: The source of an occupation credit by its value (three different values).
_VIA = {1.0: "occupation", TYPICAL_SKILL: "skills", SAME_GROUP: "group"}
assert len(_VIA) == 3, "the occupation credits must differ to tell their source"
