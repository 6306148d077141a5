"""The matching engine as a pure library: explainable scores, exact top-k with pruning,
masks for hard constraints, deterministic ties, updates, and an exact assignment checked
against an independent solver."""

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from perspectief.matching.engine.assign import InfeasibleError, assign
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.columns import UnknownConcept
from perspectief.matching.engine.records import DEMANDS, SUPPORT, Candidate, Vacancy, Weights
from perspectief.matching.engine.taxonomy import Taxonomy, specificity
from perspectief.matching.engine.vacancy_index import VacancyIndex

S = [f"s{i}" for i in range(8)]
TX = Taxonomy.build(
    skills=S,
    occupations=[("o1", "8321"), ("o2", "8321"), ("o3", "9000")],
    broader=[("s2", "s1")],
    related=[("s3", "s4")],
)
# The same with skills weighed unequally (as the platform weighs them by specificity).
TXW = Taxonomy.build(
    skills=S,
    occupations=[("o1", "8321"), ("o2", "8321"), ("o3", "9000")],
    broader=[("s2", "s1")],
    related=[("s3", "s4")],
    skill_weights={"s0": 3.0, "s1": 0.5, "s3": 1.7, "s5": 7.0},
)
# The same with the occupations' skill profiles: an occupation inferred from skills.
TXP = Taxonomy.build(
    skills=S,
    occupations=[("o1", "8321"), ("o2", "8321"), ("o3", "9000")],
    broader=[("s2", "s1")],
    related=[("s3", "s4")],
    skill_weights={"s0": 3.0, "s1": 0.5, "s3": 1.7, "s5": 7.0},
    occupation_skills={
        "o1": (["s0", "s1", "s2"], ["s5"]),
        "o2": (["s2", "s3", "s4"], []),
        "o3": (["s5", "s6", "s7"], ["s0"]),
    },
)
BOTH = pytest.mark.parametrize("tx", [TX, TXW, TXP], ids=["equal", "weighted", "profiles"])
TODAY = date(2027, 2, 1)
ESS = Weights().essential_skills
AMSTERDAM = (52.37, 4.90)
ZAANDAM = (52.44, 4.81)  # about 10 km
UTRECHT = (52.09, 5.12)  # about 35 km


def person(cid, at=AMSTERDAM, **kw):
    return Candidate(id=cid, lat=at[0], lon=at[1], **kw)


def place(vid="v", at=AMSTERDAM, **kw):
    return Vacancy(id=vid, lat=at[0], lon=at[1], **kw)


def test_exact_skill_beats_related_beats_none_and_teachable_counts():
    index = CandidateIndex(
        TX,
        [
            person("exact", skills=["s1"]),
            person("narrower", skills=["s2"]),
            person("none", skills=["s6"]),
        ],
    )
    ranked = index.top_for_vacancy(place(essential_skills=["s1"]), k=3)
    assert [m.id for m in ranked] == ["exact", "narrower", "none"]
    assert ranked[0].missing_essential == [] and ranked[2].missing_essential == [
        {"skill": "s1", "teachable": False}
    ]
    # The narrower skill earns part of the credit: named as such, not as missing.
    assert ranked[1].missing_essential == []
    assert ranked[1].related_essential == [{"skill": "s1", "via": "s2", "credit": 0.75}]
    teach = index.top_for_vacancy(place(essential_skills=["s1"], teachable_skills=["s1"]), k=3)
    by_id = {m.id: m for m in teach}
    # A skill the employer teaches is coverable: lacking it costs less.
    assert by_id["none"].contributions["essential_skills"] == pytest.approx(ESS * 0.75)
    assert by_id["none"].missing_essential == [{"skill": "s1", "teachable": True}]


def test_a_specific_skill_weighs_more_than_a_generic_one():
    people = [person("generic", skills=["s0"]), person("specific", skills=["s5"])]
    v = place(essential_skills=["s0", "s5"])
    # Equal weights: a tie, broken by id. Weighted: the specific skill (7) beats the
    # generic one (3), and the fit is the covered share of the weight.
    assert [m.id for m in CandidateIndex(TX, people).top_for_vacancy(v, 2)] == [
        "generic",
        "specific",
    ]
    ranked = CandidateIndex(TXW, people).top_for_vacancy(v, 2)
    assert [m.id for m in ranked] == ["specific", "generic"]
    assert ranked[0].contributions["essential_skills"] == pytest.approx(ESS * 7 / 10)
    assert ranked[1].contributions["essential_skills"] == pytest.approx(ESS * 3 / 10)


def test_specificity_is_inverse_document_frequency_over_occupations():
    weights = specificity({"o1": ["team", "forklift"], "o2": ["team"], "o3": ["team"]}, 3)
    assert weights["team"] == pytest.approx(1.0)  # every occupation asks it
    assert weights["forklift"] == pytest.approx(1 + np.log(4 / 2))
    with pytest.raises(ValueError):
        Taxonomy.build(skills=S, occupations=[], skill_weights={"s1": 0.0})


@pytest.mark.parametrize("margin, found", [(0.01, True), (-0.01, False)])
def test_reach_is_exact_at_the_edge_also_where_the_cheap_bound_prunes(margin, found):
    """The pruning's flat distance never drops someone the haversine puts within reach."""
    from perspectief.matching.engine.scoring import distance_km

    km = float(distance_km(*np.radians([*UTRECHT, *AMSTERDAM])))
    edge = person("edge", at=UTRECHT, skills=["s1"], max_distance_km=km + margin)
    others = [person(f"far{i}", at=UTRECHT, max_distance_km=1) for i in range(5)]
    ranked = CandidateIndex(TX, [edge, *others]).top_for_vacancy(place(essential_skills=["s1"]), 1)
    assert [m.id for m in ranked] == (["edge"] if found else [])


def test_hard_constraints_are_masks_not_low_scores():
    index = CandidateIndex(
        TX,
        [
            person("no-licence", skills=["s1"], driving_licence=False),
            person("far", at=UTRECHT, skills=["s1"], driving_licence=True, max_distance_km=20),
            person("later", skills=["s1"], driving_licence=True, available_from=date(2027, 6, 1)),
            person("ok", at=ZAANDAM, driving_licence=True, max_distance_km=20),
        ],
    )
    v = place(essential_skills=["s1"], driving_licence_required=True, start_date=date(2027, 3, 1))
    assert [m.id for m in index.top_for_vacancy(v, k=10)] == ["ok"]
    why = index.explain("far", v)
    assert why["admissible"] is False and why["criteria"]["essential_skills"]["value"] == 1.0


def test_explain_adds_up_and_ties_break_by_id():
    index = CandidateIndex(TX, [person("b", skills=["s1"]), person("a", skills=["s1"])])
    v = place(essential_skills=["s1"], hours=32)
    ranked = index.top_for_vacancy(v, k=2)
    assert [m.id for m in ranked] == ["a", "b"] and ranked[0].score == ranked[1].score
    why = index.explain("a", v)
    assert sum(c["contribution"] for c in why["criteria"].values()) == pytest.approx(why["score"])
    assert set(why["criteria"]) == set(Weights().as_dict())


def test_occupation_gives_full_and_group_credit():
    index = CandidateIndex(
        TX,
        [person("same", occupations=["o1"]), person("group", occupations=["o2"]), person("x")],
    )
    fit = {
        m.id: m.contributions["occupation"]
        for m in index.top_for_vacancy(place(occupation="o1"), 3)
    }
    occupation = Weights().occupation
    assert fit == {"same": occupation, "group": occupation / 4, "x": 0.0}


def test_unknown_concepts_duplicates_and_missing_location_are_refused():
    with pytest.raises(UnknownConcept, match="astronautics"):
        CandidateIndex(TX, [person("a", skills=["astronautics"])])
    with pytest.raises(ValueError, match="duplicate"):
        CandidateIndex(TX, [person("a"), person("a")])
    index = CandidateIndex(TX, [person("a")])
    with pytest.raises(UnknownConcept):
        index.top_for_vacancy(place(essential_skills=["nope"]))
    with pytest.raises(ValueError, match="no location"):
        index.top_for_vacancy(Vacancy(id="v"))
    # A person without a location is never in reach (not an error, not a match).
    index = CandidateIndex(TX, [Candidate(id="nowhere", skills=["s1"])])
    assert index.top_for_vacancy(place(essential_skills=["s1"])) == []


def _random_people(rng, n):
    return [
        person(
            f"c{i:03d}",
            at=(52.0 + rng.random(), 4.5 + rng.random()),
            skills=rng.sample(S, rng.randint(0, 4)),
            occupations=rng.sample(["o1", "o2", "o3"], rng.randint(0, 1)),
            hours=rng.choice([None, 16, 24, 32, 40]),
            max_distance_km=rng.choice([None, 10, 40, 80]),
            education_level=rng.choice([None, 1, 2, 3, 4]),
            driving_licence=rng.random() < 0.5,
            priority=rng.choice([0.0, 0.0, 1.0]),
            available_from=rng.choice([None, date(2027, 1, 1), date(2027, 6, 1)]),
            # Soft factors (#18): mostly unknown, as in the platform.
            readiness=rng.choice([None, None, 0.0, 0.5, 1.0]),
            ready_from=rng.choice([None, None, date(2027, 1, 15), date(2027, 4, 1)]),
            motivation=rng.choice([None, 0.2, 0.6, 1.0]),
            max_hours=rng.choice([None, None, 16, 24, 32, 40]),
            max_load=rng.choice([None, None, 1, 2, 3]),
            excluded_sectors=rng.sample(["C", "G", "Q"], rng.choice([0, 0, 1])),
            needs=rng.sample(SUPPORT, rng.choice([0, 0, 1, 2])),
            limitations=rng.sample(DEMANDS, rng.choice([0, 0, 0, 1])),
        )
        for i in range(n)
    ]


def _random_place(rng, vid="v"):
    ess = rng.sample(S, rng.randint(0, 3))
    return place(
        vid,
        at=(52.0 + rng.random(), 4.5 + rng.random()),
        essential_skills=ess,
        optional_skills=rng.sample(S, rng.randint(0, 2)),
        teachable_skills=ess[:1] if rng.random() < 0.3 else [],
        occupation=rng.choice([None, "o1", "o3"]),
        hours=rng.choice([None, 24, 32]),
        min_education_level=rng.choice([None, 2, 3]),
        driving_licence_required=rng.random() < 0.2,
        places=rng.randint(1, 3),
        start_date=rng.choice([None, date(2027, 3, 1)]),
        min_hours=rng.choice([None, None, 16, 24]),
        load=rng.choice([None, 1, 2, 3]),
        sector=rng.choice([None, "C", "G", "Q"]),
        offers=rng.sample(SUPPORT, rng.randint(0, 3)),
        demands=rng.sample(DEMANDS, rng.choice([0, 1, 2])),
    )


@BOTH
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 12))
def test_top_k_equals_brute_force(tx, seed, k):
    rng = random.Random(seed)
    people = _random_people(rng, 40)
    index = CandidateIndex(tx, people, today=TODAY)
    v = _random_place(rng)
    brute = []
    for p in people:
        why = index.explain(p.id, v)
        if why["admissible"]:
            brute.append((-round(why["score"], 6), p.id))
    expected = [cid for _s, cid in sorted(brute)[:k]]
    assert [m.id for m in index.top_for_vacancy(v, k)] == expected


@BOTH
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_metamorphic_a_relevant_skill_never_lowers_the_score_and_order_changes_nothing(tx, seed):
    rng = random.Random(seed)
    people = _random_people(rng, 15)
    v = _random_place(rng)
    index = CandidateIndex(tx, people)
    shuffled = people[:]
    rng.shuffle(shuffled)
    assert [(m.id, m.score) for m in CandidateIndex(tx, shuffled).top_for_vacancy(v, 15)] == [
        (m.id, m.score) for m in index.top_for_vacancy(v, 15)
    ]
    for p in people:
        for skill in v.essential_skills + v.optional_skills:
            richer = Candidate(**{**p.__dict__, "skills": [*p.skills, skill]})
            before = index.explain(p.id, v)["score"]
            after = CandidateIndex(tx, [richer]).explain(p.id, v)["score"]
            assert after >= before - 1e-9


def test_updates_answer_like_a_fresh_index_and_compact_keeps_them():
    rng = random.Random(7)
    people = _random_people(rng, 30)
    index = CandidateIndex(TX, people)
    changed = Candidate(**{**people[3].__dict__, "skills": ["s1", "s2", "s3"]})
    new = person("zz-new", skills=["s1"])
    index.upsert(changed)
    index.upsert(new)
    index.remove(people[5].id)
    expected_people = [changed if p.id == changed.id else p for p in people if p.id != people[5].id]
    fresh = CandidateIndex(TX, [*expected_people, new])
    v = place(essential_skills=["s1", "s3"], optional_skills=["s2"])
    want = [(m.id, m.score) for m in fresh.top_for_vacancy(v, 10)]
    assert [(m.id, m.score) for m in index.top_for_vacancy(v, 10)] == want
    index.compact()
    assert [(m.id, m.score) for m in index.top_for_vacancy(v, 10)] == want
    assert index.size == 30


@BOTH
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 12))
def test_reverse_top_k_equals_brute_force(tx, seed, k):
    """The best places for a person: only places in reach are scored, none is missed."""
    rng = random.Random(seed)
    places = [_random_place(rng, f"v{i:02d}") for i in range(30)]
    person_ = _random_people(rng, 1)[0]
    candidates = CandidateIndex(tx, [person_], today=TODAY)
    brute = []
    for v in places:
        why = candidates.explain(person_.id, v)
        if why["admissible"] and v.places > 0:
            brute.append((-round(why["score"], 6), v.id))
    expected = [vid for _s, vid in sorted(brute)[:k]]
    assert [
        m.id for m in VacancyIndex(tx, places, today=TODAY).top_for_candidate(person_, k)
    ] == expected


@BOTH
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_both_directions_name_the_same_skill_gaps(tx, seed):
    """The reverse direction works out the gaps of all places shown at once; they are the
    gaps the other direction names for each pair."""
    rng = random.Random(seed)
    places = [_random_place(rng, f"v{i:02d}") for i in range(20)]
    person_ = _random_people(rng, 1)[0]
    candidates = CandidateIndex(tx, [person_], today=TODAY)
    by_id = {v.id: v for v in places}
    for m in VacancyIndex(tx, places, today=TODAY).top_for_candidate(person_, 20):
        why = candidates.explain(person_.id, by_id[m.id])
        # (In the place's order of skills here, by skill id there.)
        assert _by_skill(m.missing_essential) == _by_skill(why["missing_essential"])
        assert _by_skill(m.related_essential) == _by_skill(why["related_essential"])


def _by_skill(gaps):
    return sorted(gaps, key=lambda gap: gap["skill"])


@BOTH
@settings(max_examples=50, deadline=None)
@given(held=st.lists(st.sampled_from(S), max_size=6))
def test_one_persons_credits_are_their_row_of_the_expanded_matrix(tx, held):
    ids = [tx.skills[s] for s in held]
    row = sparse.csr_matrix(
        (np.ones(len(ids), np.float32), ([0] * len(ids), ids)), shape=(1, tx.n_skills)
    )
    expected = tx.expanded(row).toarray().ravel()
    found = tx.expanded_one(ids)
    assert found.dtype == expected.dtype and found.tolist() == expected.tolist()


@BOTH
def test_both_directions_give_the_same_score_for_a_pair(tx):
    rng = random.Random(3)
    people = _random_people(rng, 10)
    places = [_random_place(rng, f"v{i}") for i in range(10)]
    candidates = CandidateIndex(tx, people, today=TODAY)
    vacancies = VacancyIndex(tx, places, today=TODAY)
    for p in people:
        for m in vacancies.top_for_candidate(p, k=10):
            v = next(x for x in places if x.id == m.id)
            assert candidates.explain(p.id, v)["score"] == pytest.approx(m.score, abs=1e-6)


def _exact_by_hungarian(nc, caps, edges):
    """Independent solver: expand places into slots, add a 'stay unassigned' slot per
    person, maximise with scipy's Hungarian algorithm."""
    slots = [v for v, cap in enumerate(caps) for _ in range(cap)]
    big = -1e9
    matrix = np.full((nc, len(slots) + nc), big)
    for c, v, s in edges:
        for j, slot in enumerate(slots):
            if slot == v:
                matrix[c, j] = max(matrix[c, j], s)
    for c in range(nc):
        matrix[c, len(slots) + c] = 0.0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return sum(max(matrix[r, c], 0.0) for r, c in zip(rows, cols, strict=True))


@settings(max_examples=60, deadline=None)
@given(
    nc=st.integers(1, 7),
    nv=st.integers(1, 4),
    data=st.data(),
)
def test_assignment_is_optimal_like_an_independent_exact_solver(nc, nv, data):
    caps = data.draw(st.lists(st.integers(0, 3), min_size=nv, max_size=nv))
    pairs = data.draw(
        st.lists(
            st.tuples(st.integers(0, nc - 1), st.integers(0, nv - 1)), unique=True, max_size=20
        )
    )
    scores = data.draw(st.lists(st.floats(0.01, 1.0), min_size=len(pairs), max_size=len(pairs)))
    edges = [(c, v, round(s, 6)) for (c, v), s in zip(pairs, scores, strict=True)]
    result = assign(
        [f"c{i}" for i in range(nc)],
        [f"v{j}" for j in range(nv)],
        caps,
        [e[0] for e in edges],
        [e[1] for e in edges],
        [e[2] for e in edges],
    )
    assert result.total_score == pytest.approx(_exact_by_hungarian(nc, caps, edges), abs=1e-5)
    used = {}
    for _c, v, _s in result.pairs:
        used[v] = used.get(v, 0) + 1
    assert all(used[v] <= caps[int(v[1:])] for v in used)
    assert len({c for c, _v, _s in result.pairs}) == len(result.pairs)
    assert {(int(c[1:]), int(v[1:])) for c, v, _s in result.pairs} <= set(pairs)


def test_priority_floor_is_met_or_refused():
    cands, vacs = ["a", "b", "p"], ["x"]
    edges = ([0, 1, 2], [0, 0, 0], [0.9, 0.8, 0.2])
    plain = assign(cands, vacs, [2], *edges)
    assert {c for c, _v, _s in plain.pairs} == {"a", "b"}
    floor = assign(cands, vacs, [2], *edges, priority=[False, False, True], min_priority=1)
    assert {c for c, _v, _s in floor.pairs} == {"a", "p"} and floor.priority_placed == 1
    assert floor.total_score == pytest.approx(1.1)
    with pytest.raises(InfeasibleError):
        assign(cands, vacs, [2], *edges, priority=[False, False, True], min_priority=2)


def test_ranking_many_places_in_parallel_gives_the_same_answers():
    rng = random.Random(5)
    index = CandidateIndex(TX, _random_people(rng, 60))
    places = [_random_place(rng, f"v{i}") for i in range(12)]
    one = index.rank_many(places, k=5)
    assert index.rank_many(places, k=5, workers=2) == one
    assert one[0] == [(m.id, m.score) for m in index.top_for_vacancy(places[0], 5)]


def test_offline_evaluation_is_deterministic_and_bounded():
    from perspectief.matching.engine.evaluation import evaluate

    essential = {
        "o1": ["s0", "s1", "s2", "s3"],
        "o2": ["s2", "s3", "s4", "s5"],
        "o3": ["s4", "s5", "s6", "s7"],
    }
    first = evaluate(TX, essential, {}, occupations=3, per_occupation=4, seed=1, soft=0.5)
    assert first == evaluate(TX, essential, {}, occupations=3, per_occupation=4, seed=1, soft=0.5)
    engines = {"engine", "engine_without_soft_factors", "jaccard"}
    for metric in ("recall_at_10", "ndcg_at_10"):
        assert set(first[metric]) == engines
        assert all(0.0 <= value <= 1.0 for value in first[metric].values())
    assert (first["people"], first["places"]) == (12, 3)
    # The engine never proposes someone who cannot take the place; without the soft
    # factors it does (a person who cannot carry the hours is proposed).
    assert first["infeasible_in_top_50"]["engine"] == 0
    assert first["infeasible_in_top_50"]["engine_without_soft_factors"] > 0
    assert first["own_occupation_infeasible"] > 0
