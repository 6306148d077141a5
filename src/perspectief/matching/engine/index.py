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

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .records import TEACHABLE_CREDIT, Candidate, Vacancy, Weights
from .scoring import combine, distance_km
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
        self.position = {c.id: i for i, c in enumerate(candidates)}
        self.id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
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
        self.active = np.ones(n, dtype=bool)
        rows, cols = [], []
        occ_rows, occ_cols = [], []
        for i, c in enumerate(candidates):
            for s in _ids(tx.skills, c.skills, "skill", f"candidate {c.id}"):
                rows.append(i)
                cols.append(s)
            for o in _ids(tx.occupations, c.occupations, "occupation", f"candidate {c.id}"):
                occ_rows.append(i)
                occ_cols.append(o)
        held = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(n, tx.n_skills)
        )
        self.credits = tx.expanded(held).tocsc()
        n_occ = len(tx.occupations)
        self.occupations = sparse.csc_matrix(
            (np.ones(len(occ_rows), np.float32), (occ_rows, occ_cols)), shape=(n, n_occ)
        )
        groups = tx.occupation_group[np.array(occ_cols, dtype=np.int64)] if occ_cols else []
        keep = [j for j, g in enumerate(groups) if g >= 0]
        n_groups = int(tx.occupation_group.max(initial=-1)) + 1
        self.groups = sparse.csc_matrix(
            (
                np.ones(len(keep), np.float32),
                ([occ_rows[j] for j in keep], [int(groups[j]) for j in keep]),
            ),
            shape=(n, max(n_groups, 1)),
        )
        self.groups.sum_duplicates()
        self.max_priority = float(np.nanmax(self.priority, initial=0.0))

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
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        self.id_rank = np.argsort(np.argsort(self.ids.astype(str), kind="stable"), kind="stable")
        self.active = np.ones(len(self.ids), dtype=bool)
        self.max_priority = float(np.nanmax(self.priority, initial=0.0))
        self._side, self._side_index = {}, None

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

    def _column(self, matrix, j):
        start, end = matrix.indptr[j], matrix.indptr[j + 1]
        return matrix.indices[start:end], matrix.data[start:end]

    def _skill_scores(self, v: Vacancy, rows=None):
        """Essential and optional coverage, occupation fit and the touched rows."""
        essential, teach, optional, occupation = self._vacancy_terms(v)
        n = len(self.ids)
        ess = np.zeros(n, np.float32)
        opt = np.zeros(n, np.float32)
        occ = np.zeros(n, np.float32)
        touched = np.zeros(n, bool)
        base = 0.0
        for r in essential:
            idx, credit = self._column(self.credits, r)
            if r in teach:
                base += TEACHABLE_CREDIT
                credit = np.maximum(credit - TEACHABLE_CREDIT, 0.0)
            ess[idx] += credit
            touched[idx] = True
        for r in optional:
            idx, credit = self._column(self.credits, r)
            opt[idx] += credit
            touched[idx] = True
        if occupation is not None:
            group = self.taxonomy.occupation_group[occupation]
            if group >= 0 and group < self.groups.shape[1]:
                idx, _ = self._column(self.groups, group)
                occ[idx] = 0.5
                touched[idx] = True
            idx, _ = self._column(self.occupations, occupation)
            occ[idx] = 1.0
            touched[idx] = True
        n_ess, n_opt = len(essential), len(optional)
        ess_fit = (ess + base) / n_ess if n_ess else np.ones(n, np.float32)
        opt_fit = opt / n_opt if n_opt else opt
        # What someone no skill column reached gets for the essential skills.
        untouched_fit = base / n_ess if n_ess else 1.0
        return ess_fit, opt_fit, occ, touched, essential, teach, untouched_fit

    def _evaluate(self, v: Vacancy, rows, ess_fit, opt_fit, occ):
        vlat = np.radians(v.lat) if v.lat is not None else np.nan
        vlon = np.radians(v.lon) if v.lon is not None else np.nan
        km = distance_km(self.lat[rows], self.lon[rows], vlat, vlon)
        km = np.where(np.isnan(km), np.inf, km)
        return combine(
            self.weights,
            essential=ess_fit[rows],
            optional=opt_fit[rows],
            occupation=occ[rows],
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

    def _untouched_bound(self, base_fit: float) -> float:
        w = self.weights
        return (
            w.essential_skills * base_fit
            + w.distance
            + w.hours
            + w.education
            + w.language
            + w.priority * self.max_priority
        )

    def top_for_vacancy(self, v: Vacancy, k: int = 50) -> list[Match]:
        """The k best admissible candidates for the vacancy, ranked by score, then id."""
        if v.lat is None or v.lon is None or np.isnan(v.lat) or np.isnan(v.lon):
            raise ValueError(f"vacancy {v.id}: no location")
        ess_fit, opt_fit, occ, touched, essential, teach, base_fit = self._skill_scores(v)
        rows = np.flatnonzero(touched & self.active)
        matches = self._rank(v, rows, ess_fit, opt_fit, occ, k)
        if len(matches) < k or matches[-1][1] <= self._untouched_bound(base_fit):
            # Someone no skill or occupation reached could still make the top k: scan all.
            rows = np.flatnonzero(self.active)
            matches = self._rank(v, rows, ess_fit, opt_fit, occ, k)
        results = [
            self._match(v, row, score, parts, essential, teach) for row, score, parts in matches
        ]
        if self._side_index is not None:
            results = sorted(
                results + self._side_index.top_for_vacancy(v, k),
                key=lambda m: (-m.score, m.id),
            )[:k]
        return results

    def _rank(self, v, rows, ess_fit, opt_fit, occ, k):
        if len(rows) == 0:
            return []
        _values, contributions, total, admissible = self._evaluate(v, rows, ess_fit, opt_fit, occ)
        keep = np.flatnonzero(admissible)
        if len(keep) == 0:
            return []
        scores = np.round(total[keep], 9)
        if len(keep) > k:
            # The k-th best score, then everyone at least that good (ties complete).
            cut = np.partition(-scores, k - 1)[k - 1]
            sel = np.flatnonzero(-scores <= cut)
        else:
            sel = np.arange(len(keep))
        order = np.lexsort((self.id_rank[rows[keep[sel]]], -scores[sel]))[:k]
        chosen = keep[sel[order]]
        return [
            (
                int(rows[i]),
                float(np.round(total[i], 6)),
                {name: float(np.round(c[i], 6)) for name, c in contributions.items()},
            )
            for i in chosen
        ]

    def _missing(self, row: int, essential, teach) -> list[dict]:
        inv = {i: uri for uri, i in self.taxonomy.skills.items()}
        missing = []
        for r in essential:
            idx, _credit = self._column(self.credits, r)
            pos = np.searchsorted(idx, row)
            has = pos < len(idx) and idx[pos] == row
            if not has:
                missing.append({"skill": inv[r], "teachable": r in teach})
        return missing

    def _match(self, v, row, score, parts, essential, teach) -> Match:
        return Match(
            id=str(self.ids[row]),
            score=score,
            contributions=parts,
            missing_essential=self._missing(row, essential, teach),
        )

    def explain(self, candidate_id: str, v: Vacancy) -> dict:
        """Every criterion's value and contribution for one pair, whether it is admissible
        (and if not, why), and the essential skills the person misses."""
        if candidate_id in self._side:
            return self._side_index.explain(candidate_id, v)
        row = self.position.get(candidate_id)
        if row is None or not self.active[row]:
            raise KeyError(candidate_id)
        ess_fit, opt_fit, occ, _t, essential, teach, _b = self._skill_scores(v)
        rows = np.array([row])
        values, contributions, total, admissible = self._evaluate(v, rows, ess_fit, opt_fit, occ)
        return {
            "candidate": candidate_id,
            "vacancy": v.id,
            "score": float(np.round(total[0], 6)),
            "admissible": bool(admissible[0]),
            "criteria": {
                name: {
                    "value": float(np.round(values[name][0], 6)),
                    "weight": self.weights.as_dict()[name],
                    "contribution": float(np.round(contributions[name][0], 6)),
                }
                for name in values
            },
            "missing_essential": self._missing(row, essential, teach),
        }


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

        def matrix(r, c):
            return sparse.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(n, n_s))

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

    def top_for_candidate(self, c: Candidate, k: int = 50) -> list[Match]:
        tx = self.taxonomy
        held_ids = _ids(tx.skills, c.skills, "skill", f"candidate {c.id}")
        held = sparse.csr_matrix(
            (np.ones(len(held_ids), np.float32), ([0] * len(held_ids), held_ids)),
            shape=(1, tx.n_skills),
        )
        x = tx.expanded(held).toarray().ravel()
        lack = np.maximum(TEACHABLE_CREDIT - x, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ess = (self.essential @ x + self.teach @ lack) / self.n_ess
            opt = (self.optional @ x) / self.n_opt
        ess = np.where(self.n_ess == 0, 1.0, ess)
        opt = np.where(self.n_opt == 0, 0.0, opt)
        occ_ids = _ids(tx.occupations, c.occupations, "occupation", f"candidate {c.id}")
        occ = np.zeros(len(self.ids))
        if occ_ids:
            groups = {int(tx.occupation_group[o]) for o in occ_ids} - {-1}
            occ = np.where(np.isin(self.group, list(groups)), 0.5, 0.0)
            occ = np.where(np.isin(self.occupation, occ_ids), 1.0, occ)
        clat = np.radians(c.lat) if c.lat is not None else np.nan
        clon = np.radians(c.lon) if c.lon is not None else np.nan
        km = distance_km(clat, clon, self.lat, self.lon)
        km = np.where(np.isnan(km), np.inf, km)
        reach = np.nan if c.max_distance_km is None else float(c.max_distance_km)
        _values, contributions, total, admissible = combine(
            self.weights,
            essential=ess,
            optional=opt,
            occupation=occ,
            km=km,
            reach=np.full(len(self.ids), reach),
            candidate_hours=np.nan if c.hours is None else float(c.hours),
            vacancy_hours=self.hours,
            education=np.nan if c.education_level is None else float(c.education_level),
            min_education=self.min_education,
            language=np.nan if c.dutch_level is None else float(c.dutch_level),
            min_language=self.language,
            priority=float(c.priority or 0.0),
            licence=bool(c.driving_licence),
            licence_required=self.licence_required,
            available_from=_ordinal(c.available_from),
            start_date=self.start,
            located=c.lat is not None and c.lon is not None,
        )
        keep = np.flatnonzero(admissible & (self.places > 0))
        scores = np.round(total[keep], 9)
        order = np.lexsort((self.id_rank[keep], -scores))[:k]
        inv = {i: uri for uri, i in tx.skills.items()}
        teach = self.teach.tocsr()
        results = []
        for i in order:
            row = keep[i]
            start, end = self.essential.indptr[row], self.essential.indptr[row + 1]
            teachable = set(teach.indices[teach.indptr[row] : teach.indptr[row + 1]])
            results.append(
                Match(
                    id=str(self.ids[row]),
                    score=float(np.round(total[row], 6)),
                    contributions={
                        name: float(np.round(np.broadcast_to(v, total.shape)[row], 6))
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
