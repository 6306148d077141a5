"""Ranking many places in blocks (:mod:`perspectief.matching.engine.candidate_batch`) gives
the one-place query's answers bit for bit: the same people, in the same order, with the
same scores — also with tombstoned rows, teachable skills, no optional skills, soft
factors and places the blocks leave to the one-place query."""

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.matching.engine.candidate_index import CandidateIndex

from .test_engine import BOTH, TODAY, TXW, _random_people, _random_place


def _index_and_places(tx, seed):
    rng = random.Random(seed)
    people = _random_people(rng, 120)
    index = CandidateIndex(tx, people, today=TODAY)
    for p in rng.sample(people, 10):
        index.remove(p.id)  # tombstoned rows: never ranked
    places = [_random_place(rng, f"v{i:02d}") for i in range(40)]
    return index, places


def _one_by_one(index, places, k):
    """The one-place query's answers, and a counter of the places the blocks hand to it."""
    expected = [index.rank_for_vacancy(v, k) for v in places]
    asked = []
    one = index.rank_for_vacancy

    def counted(v, k):
        asked.append(v.id)
        return one(v, k)

    index.rank_for_vacancy = counted
    return expected, asked


@BOTH
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.sampled_from([1, 3, 8]))
def test_blocks_give_the_one_place_answers_bit_for_bit(tx, seed, k):
    index, places = _index_and_places(tx, seed)
    expected, _asked = _one_by_one(index, places, k)
    assert index.rank_many(places, k) == expected


@pytest.mark.parametrize("k", [1, 3])
def test_blocks_settle_most_places_themselves(k):
    index, places = _index_and_places(TXW, 11)
    expected, asked = _one_by_one(index, places, k)
    assert index.rank_many(places, k) == expected
    # The places without an essential skill and those whose first round does not settle
    # them (few people in this small index) go to the one-place query; the others are
    # ranked in the block.
    assert len(asked) <= len(places) - 10


def test_an_index_whose_places_reach_few_of_its_rows_is_ranked_place_by_place():
    rng = random.Random(3)
    people = [
        replace(p, lat=50.8 + 2.7 * rng.random(), lon=3.4 + 3.8 * rng.random(), max_distance_km=10)
        for p in _random_people(rng, 150)
    ]
    index = CandidateIndex(TXW, people, today=TODAY)
    places = [_random_place(rng, f"v{i:02d}") for i in range(12)]
    expected, asked = _one_by_one(index, places, 3)
    assert index.rank_many(places, 3) == expected
    assert len(asked) == len(places)  # a national index: its columns are not read whole
