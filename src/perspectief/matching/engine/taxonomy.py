"""What the engine knows of ESCO: skill and occupation ids, which skill counts for which
(partial credit through the skill hierarchy and skill–skill relations), each
occupation's ISCO unit group (partial credit for a related occupation) and the skills
typical of each occupation (partial credit for a place whose occupation a person's skills
point to).

Built from plain rows, so tests can make tiny taxonomies and the platform the real one
(:func:`load_esco` reads the official ESCO CSV export shipped in ``perspectief/data``).
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .columns import Float32Array, row_entries
from .records import TEACHABLE_CREDIT, MissingSkill, RelatedSkill

#: Credit a held skill earns towards a required one.
EXACT = 1.0
BROADER_OR_NARROWER = 0.75  # one is the other's direct broader skill
RELATED = 0.5  # an ESCO skill–skill relation
#: A credit only holding the skill itself earns (the others are at most 0.75).
HELD = 0.9

#: Occupation credit for a wanted occupation in the place's ISCO unit group, and for a
#: place whose occupation the person holds a typical skill of.
SAME_GROUP = 0.25
TYPICAL_SKILL = 0.5
#: A skill is typical of an occupation that lists it (essential or optional) when at most
#: this many of ESCO's occupations list it: "operate a reach truck" says which job someone
#: did, "work in a team" does not.
TYPICAL_MAX_OCCUPATIONS = 20


@dataclass
class Taxonomy:
    skills: dict[str, int] = field(default_factory=dict)
    occupations: dict[str, int] = field(default_factory=dict)
    #: ISCO unit group per occupation id (-1: unknown).
    occupation_group: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    #: credit[s, r]: what holding skill s earns towards requirement r (max over the rules);
    #: a scipy.sparse.csr_matrix.
    credit: Any = None
    #: How much each skill weighs in a place's skill fit (1 for all unless given): the
    #: platform weighs skills by how specific they are (see :func:`specificity`).
    skill_weight: npt.NDArray[np.float64] = field(default_factory=lambda: np.ones(0))
    #: Skills × occupations, 1 where the skill is typical of the occupation (see
    #: :data:`TYPICAL_MAX_OCCUPATIONS`); None when the occupations' skills were not given.
    #: A scipy.sparse.csr_matrix.
    typical: Any = None

    def __post_init__(self) -> None:
        if len(self.skill_weight) == 0:  # not given
            self.skill_weight = np.ones(len(self.skills), np.float64)

    @classmethod
    def build(
        cls,
        *,
        skills: Iterable[str],
        occupations: Iterable[tuple[str, str | None]],
        broader: Iterable[tuple[str, str]] = (),
        related: Iterable[tuple[str, str]] = (),
        skill_weights: dict[str, float] | None = None,
        occupation_skills: Mapping[str, tuple[Iterable[str], Iterable[str]]] | None = None,
    ) -> Taxonomy:
        """``occupations``: (uri, ISCO unit group code or None); ``broader``: (skill,
        broader skill) between skills; ``related``: skill–skill relations (either way);
        ``skill_weights``: weight per skill URI (1 for a skill not named);
        ``occupation_skills``: (essential, optional) skill URIs per occupation URI."""
        skill_ids = {uri: i for i, uri in enumerate(dict.fromkeys(skills))}
        occ = list(dict.fromkeys(occupations))
        occupation_ids = {uri: i for i, (uri, _g) in enumerate(occ)}
        groups: dict[str, int] = {}
        occupation_group = np.array(
            [groups.setdefault(g, len(groups)) if g else -1 for _uri, g in occ], np.int32
        )
        n = len(skill_ids)
        levels: dict[float, set[tuple[int, int]]] = {BROADER_OR_NARROWER: set(), RELATED: set()}
        # Siblings under one broader skill are not credited: broad skills have dozens of
        # children, and crediting them all blew the index up tenfold for weak evidence.
        for child, parent in broader:
            c, p = skill_ids.get(child), skill_ids.get(parent)
            if c is None or p is None or c == p:
                continue
            levels[BROADER_OR_NARROWER] |= {(c, p), (p, c)}
        for a, b in related:
            x, y = skill_ids.get(a), skill_ids.get(b)
            if x is not None and y is not None and x != y:
                levels[RELATED] |= {(x, y), (y, x)}
        credit = sparse.identity(n, dtype=np.float32, format="csr")
        for value, pairs in levels.items():
            if pairs:
                rows, cols = zip(*pairs, strict=True)
                level = sparse.csr_matrix(
                    (np.full(len(rows), value, np.float32), (rows, cols)), shape=(n, n)
                )
                credit = credit.maximum(level)
        weight = np.ones(n, np.float64)
        for uri, value in (skill_weights or {}).items():
            i = skill_ids.get(uri)
            if i is not None:
                if not (np.isfinite(value) and value > 0):
                    raise ValueError(f"skill weight of {uri} must be a positive number")
                weight[i] = value
        return cls(
            skills=skill_ids,
            occupations=occupation_ids,
            occupation_group=occupation_group,
            credit=credit.tocsr(),
            skill_weight=weight,
            typical=None
            if occupation_skills is None
            else _typical(skill_ids, occupation_ids, occupation_skills),
        )

    @property
    def n_skills(self) -> int:
        return len(self.skills)

    @property
    def skill_uris(self) -> list[str]:
        """Skill URI by id (cached)."""
        cached = getattr(self, "_skill_uris", None)
        if cached is None or len(cached) != len(self.skills):
            cached = [""] * len(self.skills)
            for uri, i in self.skills.items():
                cached[i] = uri
            self._skill_uris = cached
        return cached

    def _levels(self) -> list[tuple[float, Any]]:
        """The credit matrix split per credit value (0/1 masks), made once: the reverse
        direction expands one person per query."""
        cached = getattr(self, "_level_masks", None)
        if cached is None:
            cached = []
            for value in sorted({float(v) for v in self.credit.data}):
                mask = self.credit.copy()
                mask.data = (mask.data == value).astype(np.float32)
                mask.eliminate_zeros()
                cached.append((value, mask))
            self._level_masks = cached
        return cached

    def expanded(self, held: Any) -> Any:
        """Rows of held skills (0/1) → the best credit per required skill (the max, never a
        sum: two related skills do not make an exact one)."""
        held = held.tocsr().astype(np.float32)
        out: Any = None
        for value, mask in self._levels():
            reach = (held @ mask).astype(bool).astype(np.float32) * value
            out = reach if out is None else out.maximum(reach)
        out = out.tocsr()
        out.eliminate_zeros()
        return out

    def expanded_one(self, held: Sequence[int]) -> Float32Array:
        """One person's held skills (ids) → the best credit per required skill, as a dense
        vector: :meth:`expanded` of their row (the same values), read from the held skills'
        rows of the credit matrix instead of a sparse product per credit level."""
        out = np.zeros(self.n_skills, np.float32)
        _owner, required, credit = row_entries(self.credit, np.unique(np.asarray(held, np.int64)))
        np.maximum.at(out, required, credit.astype(np.float32))
        return out

    def is_typical(self, skills: Any, occupations: Any) -> npt.NDArray[np.bool_]:
        """Per (skill id, occupation id) pair: is the skill typical of the occupation (an
        occupation id below 0, none, never is; nothing is without the occupations'
        skills)."""
        skills = np.asarray(skills, np.int64)
        occupations = np.asarray(occupations, np.int64)
        keys = getattr(self, "_typical_keys", None)
        if keys is None:
            if self.typical is None:
                return np.zeros(skills.shape, bool)
            coo = self.typical.tocoo()
            keys = np.unique(coo.row.astype(np.int64) * len(self.occupations) + coo.col)
            self._typical_keys = keys
        found: npt.NDArray[np.bool_] = (occupations >= 0) & np.isin(
            skills * len(self.occupations) + occupations, keys
        )
        return found

    def typical_skills(self, occupation: int) -> npt.NDArray[np.int32]:
        """The skills (ids) typical of an occupation (none without the occupations'
        skills)."""
        matrix = getattr(self, "_typical_csc", None)
        if matrix is None:
            if self.typical is None:
                return np.zeros(0, np.int32)
            matrix = self._typical_csc = self.typical.tocsc()
        found: npt.NDArray[np.int32] = matrix.indices[
            matrix.indptr[occupation] : matrix.indptr[occupation + 1]
        ]
        return found

    def credit_source(self, held: Iterable[int], required: int) -> int:
        """The held skill (id) that earns the most towards skill ``required`` (ties: the
        lowest id); the required skill itself when none does."""
        sources = self._sources(required)
        best, value = required, 0.0
        for skill in held:
            credit = sources.get(skill, 0.0)
            if credit > value or (credit == value and credit > 0 and skill < best):
                best, value = skill, credit
        return best

    def _sources(self, required: int) -> dict[int, float]:
        """What each skill earns towards skill ``required`` (cached per skill)."""
        cache: dict[int, dict[int, float]] | None = getattr(self, "_source_cache", None)
        if cache is None:
            cache = {}
            self._source_cache = cache
            self._credit_csc = self.credit.tocsc()
        found = cache.get(required)
        if found is None:
            matrix = self._credit_csc
            start, end = matrix.indptr[required], matrix.indptr[required + 1]
            found = dict(
                zip(
                    matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True
                )
            )
            cache[required] = found
        return found


#: One person's skill gap: the essential skills missing, and those credited in part.
Gap = tuple[list[MissingSkill], list[RelatedSkill]]


def skill_gaps(
    taxonomy: Taxonomy,
    essential: Sequence[int],
    teach: Collection[int],
    credit: npt.NDArray[Any],
    held_of: Callable[[int], Sequence[int]],
) -> list[Gap]:
    """The skill gap of each of some people for one place's essential skills (ids), given
    their ``credit`` (people × essential skills, 0..1 before weights) and their held skills
    (``held_of(i)``): :func:`entry_gaps` with one entry per person and skill."""
    people, asked = credit.shape
    return entry_gaps(
        taxonomy,
        people,
        (
            np.repeat(np.arange(people), asked),
            np.tile(np.asarray(essential, np.int64), people),
            np.tile(np.array([r in teach for r in essential], bool), people),
            credit.ravel(),
        ),
        held_of,
    )


def entry_gaps(
    taxonomy: Taxonomy,
    pairs: int,
    entries: tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]],
    held_of: Callable[[int], Sequence[int]],
) -> list[Gap]:
    """The skill gap of each of ``pairs`` person–place pairs, from one entry per essential
    skill of a pair's place, in pair order: ``entries`` are the pair (0 .. pairs - 1), the
    skill (id), whether the place teaches it, and the person's credit for it (0..1 before
    weights); ``held_of(i)`` gives pair i's held skills, asked only of a pair with a partial
    credit. *Missing*: no credit, or a teachable skill whose related credit is below what
    teaching earns (the points then come from teaching, so it is named as missing and
    taught); *related*: credited in part, with the held skill that earns it. Consistent
    with the essential-skill fit; the checks run over all entries at once, Python only
    builds what is named."""
    owner, required, taught, credit = entries
    uris = taxonomy.skill_uris
    full = credit >= 1 - 1e-6
    none = ~full & ((credit <= 1e-6) | (taught & (credit < TEACHABLE_CREDIT - 1e-6)))
    gaps: list[Gap] = [([], []) for _ in range(pairs)]
    owners, skills = owner.tolist(), required.tolist()
    for e in np.flatnonzero(none).tolist():
        gaps[owners[e]][0].append({"skill": uris[skills[e]], "teachable": bool(taught[e])})
    held: dict[int, Sequence[int]] = {}
    for e in np.flatnonzero(~full & ~none).tolist():
        i = owners[e]
        if i not in held:
            held[i] = held_of(i)
        source = taxonomy.credit_source(held[i], skills[e])
        gaps[i][1].append(
            {"skill": uris[skills[e]], "via": uris[source], "credit": round(float(credit[e]), 4)}
        )
    return gaps


def _typical(
    skill_ids: Mapping[str, int],
    occupation_ids: Mapping[str, int],
    occupation_skills: Mapping[str, tuple[Iterable[str], Iterable[str]]],
) -> Any:
    """The skills × occupations matrix of :attr:`Taxonomy.typical` (concepts the taxonomy
    does not know are left out)."""
    pairs: set[tuple[int, int]] = set()
    for uri, (essential, optional) in occupation_skills.items():
        o = occupation_ids.get(uri)
        if o is not None:
            for skill in (*essential, *optional):
                s = skill_ids.get(skill)
                if s is not None:
                    pairs.add((s, o))
    shape = (len(skill_ids), len(occupation_ids))
    if not pairs:
        return sparse.csr_matrix(shape, dtype=np.float32)
    rows, cols = (np.array(a, np.int64) for a in zip(*sorted(pairs), strict=True))
    keep = np.bincount(rows, minlength=shape[0])[rows] <= TYPICAL_MAX_OCCUPATIONS
    return sparse.csr_matrix(
        (np.ones(int(keep.sum()), np.float32), (rows[keep], cols[keep])), shape=shape
    )


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def specificity(occupation_skills: dict[str, list[str]], n_occupations: int) -> dict[str, float]:
    """A weight per skill by how specific it is: the inverse document frequency over the
    occupations that list it, ``1 + ln((N + 1) / (n + 1))`` — about 1 for a skill nearly
    every occupation asks, about 8 for one a single occupation asks (of ESCO's 3,007). A
    generic skill ("work in a team") then counts for less in a place's skill fit than a
    specific one ("operate a reach truck"), both for having it and for missing it. A skill
    no occupation lists is not in the result: give it :func:`unlisted_weight`."""
    counts: dict[str, int] = {}
    for skills in occupation_skills.values():
        for uri in set(skills):
            counts[uri] = counts.get(uri, 0) + 1
    return {uri: 1.0 + float(np.log((n_occupations + 1) / (n + 1))) for uri, n in counts.items()}


def unlisted_weight(n_occupations: int) -> float:
    """The weight of a skill no occupation lists: the most specific there is (n = 0)."""
    return 1.0 + float(np.log(n_occupations + 1))


def load_esco(directory: Path, *, weigh_skills: bool = True) -> Taxonomy:
    """The taxonomy from an official ESCO CSV export (the files shipped in
    ``perspectief/data/esco/v1.1.1``), with the skills typical of each occupation; skills
    weighted by :func:`specificity` unless ``weigh_skills`` is false."""
    skills = [r["conceptUri"] for r in _rows(directory / "skills_en.csv.gz")]
    occupations = [
        (r["conceptUri"], r["iscoGroup"] or None)
        for r in _rows(directory / "occupations_en.csv.gz")
    ]
    broader = [
        (r["conceptUri"], r["broaderUri"])
        for r in _rows(directory / "broaderRelationsSkillPillar.csv.gz")
        if r["broaderType"] == "KnowledgeSkillCompetence"
    ]
    related = [
        (r["originalSkillUri"], r["relatedSkillUri"])
        for r in _rows(directory / "skillSkillRelations.csv.gz")
    ]
    essential, optional = load_occupation_skills(directory)
    weights = None
    if weigh_skills:
        merged = {o: essential.get(o, []) + optional.get(o, []) for o in {*essential, *optional}}
        listed = specificity(merged, len(occupations))
        rest = unlisted_weight(len(occupations))
        weights = {uri: listed.get(uri, rest) for uri in skills}
    return Taxonomy.build(
        skills=skills,
        occupations=occupations,
        broader=broader,
        related=related,
        skill_weights=weights,
        occupation_skills={
            o: (essential.get(o, []), optional.get(o, [])) for o in {*essential, *optional}
        },
    )


def load_occupation_skills(directory: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(essential, optional) skill URIs per occupation URI, from the ESCO export."""
    essential: dict[str, list[str]] = {}
    optional: dict[str, list[str]] = {}
    for r in _rows(directory / "occupationSkillRelations.csv.gz"):
        target = essential if r["relationType"] == "essential" else optional
        target.setdefault(r["occupationUri"], []).append(r["skillUri"])
    return essential, optional
