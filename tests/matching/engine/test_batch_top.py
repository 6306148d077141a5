"""``CandidateIndex.top_many`` — what a matching run ranks its places with — gives each
place exactly what ``top_for_vacancy`` gives it: the same people in the same order with the
same scores, and for those asked explained the same Match objects (contributions, skill
gaps, where the occupation credit comes from), bit for bit; for places the blocks settle
themselves and for those they leave to the one-place query alike."""

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.taxonomy import Taxonomy

from .test_engine import BOTH, TODAY, TXW, _random_people, _random_place, person, place


def _expected(index, places, ks, explained):
    """Per place: the one-place query's (id, score) list, and its first Match objects."""
    out = []
    for v, k, e in zip(places, ks, explained, strict=True):
        found = index.top_for_vacancy(v, k)
        out.append(([(m.id, m.score) for m in found], found[:e]))
    return out


def _same(tops, expected):
    for top, (ranking, matches) in zip(tops, expected, strict=True):
        assert top.ranking == ranking
        assert top.matches == matches
        # repr tells every float apart (-0.0 from 0.0 too): bit for bit.
        assert repr(top.matches) == repr(matches)


def _counting(index):
    """The places the blocks leave to the one-place query (``_ranked``, which the blocks'
    fallback calls), as they are asked."""
    asked = []
    one = index._ranked

    def counted(v, k, *args, **kwargs):
        asked.append(v.id)
        return one(v, k, *args, **kwargs)

    index._ranked = counted
    return asked


@BOTH
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_top_many_is_top_for_vacancy_on_random_indexes(tx, seed):
    rng = random.Random(seed)
    people = _random_people(rng, 120)
    index = CandidateIndex(tx, people, today=TODAY)
    for p in rng.sample(people, 10):
        index.remove(p.id)  # tombstoned rows: never ranked
    places = [_random_place(rng, f"v{i:02d}") for i in range(30)]
    ks = [rng.choice([1, 3, 8, 12]) for _ in places]
    explained = [rng.randint(0, k) for k in ks]
    expected = _expected(index, places, ks, explained)
    _same(index.top_many(places, ks, explained), expected)


def _region(seed, people=2000, places=160):
    """A region's index: 60 weighted skills, occupations in unit groups with typical
    skills, everyone within 0.3° (so the places' ranges reach most rows)."""
    rng = random.Random(seed)
    skills = [f"k{i:02d}" for i in range(60)]
    occupations = [f"o{i}" for i in range(12)]
    tx = Taxonomy.build(
        skills=skills,
        occupations=[(o, f"{8000 + i // 3}") for i, o in enumerate(occupations)],
        broader=[(skills[i + 1], skills[i]) for i in range(0, 20, 2)],
        related=[(skills[i], skills[i + 1]) for i in range(30, 50, 2)],
        skill_weights={s: 0.5 + 3 * rng.random() for s in skills},
        occupation_skills={o: (rng.sample(skills, 4), rng.sample(skills, 2)) for o in occupations},
    )

    def near(x):
        return replace(x, lat=52.0 + 0.3 * rng.random(), lon=4.5 + 0.3 * rng.random())

    read = [
        near(
            replace(
                p,
                skills=rng.sample(skills, rng.randint(0, 8)),
                occupations=rng.sample(occupations, rng.randint(0, 1)),
            )
        )
        for p in _random_people(rng, people)
    ]
    index = CandidateIndex(tx, read, today=TODAY)
    for p in rng.sample(read, 40):
        index.remove(p.id)
    asked = []
    for i in range(places):
        essential = rng.sample(skills, rng.randint(1, 4))
        v = _random_place(rng, f"v{i:03d}")
        asked.append(
            near(
                replace(
                    v,
                    essential_skills=essential,
                    optional_skills=rng.sample(skills, rng.randint(0, 3)),
                    teachable_skills=essential[:1] if rng.random() < 0.3 else [],
                    occupation=rng.choice([None, *occupations]),
                )
            )
        )
    return index, asked, rng


def test_top_many_is_top_for_vacancy_on_a_region():
    index, places, rng = _region(5)
    # As a run asks: the top 50 at least (the fairness report's), more for many positions;
    # explained only the suggestions it keeps.
    ks = [rng.choice([50, 50, 50, 60]) for _ in places]
    explained = [rng.choice([5, 9, 15, 50, 60]) if k == 60 else rng.randint(0, 50) for k in ks]
    expected = _expected(index, places, ks, explained)
    asked = _counting(index)
    _same(index.top_many(places, ks, explained), expected)
    # Most places of this region are settled by the blocks themselves, some by the one-place
    # query: the comparison checks both paths.
    assert 0 < len(asked) < len(places) / 2


def test_top_many_merges_the_side_index_as_top_for_vacancy_does():
    index, places, _rng = _region(8, people=600, places=20)
    index.upsert(person("new", at=(52.1, 4.6), skills=["k01", "k02"]))  # a side index
    ks, explained = [12] * len(places), [4] * len(places)
    _same(index.top_many(places, ks, explained), _expected(index, places, ks, explained))


def test_a_place_without_location_is_refused_as_by_top_for_vacancy():
    index = CandidateIndex(TXW, _random_people(random.Random(1), 30), today=TODAY)
    places = [place("v1", essential_skills=["s1"]), replace(place("v2"), lat=None)]
    with pytest.raises(ValueError, match="vacancy v2: no location"):
        index.top_for_vacancy(places[1], 5)
    with pytest.raises(ValueError, match="vacancy v2: no location"):
        index.top_many(places, [5, 5], [5, 5])


def test_top_blocks_gives_each_place_once_a_block_at_a_time():
    index, places, _rng = _region(9, people=800, places=150)
    ks, explained = [20] * 100 + [30] * 50, [5] * 150
    expected = _expected(index, places, ks, explained)
    blocks = list(index.top_blocks(places, ks, explained))
    assert [len(b) for b in blocks] == [64, 36, 50]  # blocks of places with the same k
    seen = sorted((i, top) for block in blocks for i, top in block)
    assert [i for i, _top in seen] == list(range(150))
    _same([top for _i, top in seen], expected)
    # Left after its first block (a cancelled run): the index forgets the batch's ranges.
    first = index.top_blocks(places, ks, explained)
    next(first)
    assert index._range_memo is not None
    first.close()
    assert index._range_memo is None
