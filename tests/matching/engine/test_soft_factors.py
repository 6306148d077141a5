"""Soft factors in the engine (#18): readiness, motivation and support as criteria; the
hours and physical load a person can carry, excluded sectors and functional limitations as
hard conditions (unknown never excludes); occupation credit from a skill typical of the
place's occupation; and the skill gap that names partly credited skills apart from missing
ones — in both directions alike."""

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.evaluation import generate, without_soft_factors
from perspectief.matching.engine.records import (
    SOFT_CRITERIA,
    TEACHABLE_CREDIT,
    WEIGHT_BOUNDS,
    Candidate,
    Vacancy,
    Weights,
)
from perspectief.matching.engine.taxonomy import Taxonomy
from perspectief.matching.engine.vacancy_index import VacancyIndex

from .test_engine import TODAY, TXP, TXW, _random_people, _random_place, person, place

W = Weights()


def _both(people, v, today=TODAY):
    """The pair's result from the candidate index and from the vacancy index, per person
    (None where the pair is not ranked)."""
    forward = {m.id: m for m in CandidateIndex(TXW, people, today=today).top_for_vacancy(v, 50)}
    backward = {}
    for p in people:
        found = VacancyIndex(TXW, [v], today=today).top_for_candidate(p, 1)
        backward[p.id] = found[0] if found else None
    for p in people:
        there, back = forward.get(p.id), backward[p.id]
        assert (there is None) == (back is None), p.id
        if there is not None:
            assert there.contributions == pytest.approx(back.contributions, abs=1e-6)
            assert there.missing_essential == back.missing_essential
            assert there.related_essential == back.related_essential
            assert there.occupation_via == back.occupation_via
    return forward


def test_default_weights_are_the_documented_ones_and_within_the_platform_bounds():
    assert W.as_dict() == pytest.approx(
        {
            "essential_skills": 0.32,
            "optional_skills": 0.08,
            "occupation": 0.18,
            "distance": 0.09,
            "hours": 0.06,
            "education": 0.05,
            "language": 0.04,
            "priority": 0.06,
            "readiness": 0.05,
            "motivation": 0.03,
            "support": 0.04,
        }
    )
    assert set(WEIGHT_BOUNDS) == set(W.as_dict())
    for name, value in W.as_dict().items():
        low, high = WEIGHT_BOUNDS[name]
        assert low <= value <= high, name
    plain = without_soft_factors()
    assert all(getattr(plain, name) == 0 for name in SOFT_CRITERIA)
    assert sum(plain.as_dict().values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"readiness": -0.01, "essential_skills": 0.33}, "negative"),
        ({"motivation": float("nan")}, "finite"),
        ({"support": 0.05}, "add up to 1"),
    ],
)
def test_weights_refuse_negative_non_numbers_and_a_wrong_sum(change, message):
    with pytest.raises(ValueError, match=message):
        Weights(**{**W.as_dict(), **change})


def test_readiness_motivation_and_support_values():
    start = date(2027, 3, 1)
    people = [
        person("ready", readiness=1.0),
        person("nearly", readiness=0.5),
        person("not-yet", readiness=0.0),
        person("unknown"),
        person("ready-by-start", readiness=0.0, ready_from=date(2027, 2, 15)),
        person("ready-after-start", readiness=0.5, ready_from=date(2027, 4, 1)),
        person("keen", motivation=1.0),
        person("low", motivation=0.2),
        person("needs-two", needs=["adjusted", "jobcoach"]),
        person("needs-flex", needs=["flexible_hours"]),
    ]
    v = place(start_date=start, offers=["jobcoach"])
    by_id = _both(people, v)
    value = {
        cid: {k: m.contributions[k] / getattr(W, k) for k in SOFT_CRITERIA}
        for cid, m in by_id.items()
    }
    assert [value[c]["readiness"] for c in ("ready", "nearly", "not-yet", "unknown")] == (
        pytest.approx([1.0, 0.5, 0.0, 0.5])
    )
    assert value["ready-by-start"]["readiness"] == pytest.approx(1.0)
    assert value["ready-after-start"]["readiness"] == pytest.approx(0.5)
    assert [value[c]["motivation"] for c in ("keen", "low", "unknown")] == pytest.approx(
        [1.0, 0.2, 0.5]
    )
    # The share of the needs the place offers; no needs: 1; an offer not stated: not offered.
    assert [value[c]["support"] for c in ("needs-two", "needs-flex", "ready")] == pytest.approx(
        [0.5, 0.0, 1.0]
    )


def test_without_a_start_readiness_is_judged_today():
    p = person("soon", readiness=0.0, ready_from=date(2027, 2, 15))
    before = CandidateIndex(TXW, [p], today=date(2027, 2, 1)).explain("soon", place())
    after = CandidateIndex(TXW, [p], today=date(2027, 2, 15)).explain("soon", place())
    assert before["criteria"]["readiness"]["value"] == 0.0
    assert after["criteria"]["readiness"]["value"] == 1.0


@pytest.mark.parametrize(
    "who, where, ranked, condition",
    [
        # Hours: the place's fewest hours (part time), else its hours.
        ({"max_hours": 20}, {"hours": 38}, False, "hours"),
        ({"max_hours": 20}, {"hours": 38, "min_hours": 20}, True, "hours"),
        ({"max_hours": 20}, {"hours": 38, "min_hours": 24}, False, "hours"),
        ({"max_hours": 20}, {}, True, "hours"),  # the place's hours unknown
        ({}, {"hours": 38}, True, "hours"),  # what the person can carry unknown
        ({"max_load": 1}, {"load": 2}, False, "load"),
        ({"max_load": 2}, {"load": 2}, True, "load"),
        ({"max_load": 1}, {}, True, "load"),
        ({"excluded_sectors": ["Q", "G"]}, {"sector": "G"}, False, "sector"),
        ({"excluded_sectors": ["Q"]}, {"sector": "G"}, True, "sector"),
        ({"excluded_sectors": ["Q"]}, {}, True, "sector"),
        (
            {"limitations": ["night_shifts"]},
            {"demands": ["night_shifts", "noise"]},
            False,
            "limitations",
        ),
        ({"limitations": ["night_shifts"]}, {"demands": ["noise"]}, True, "limitations"),
        ({"limitations": ["night_shifts"]}, {}, True, "limitations"),
    ],
)
def test_hard_conditions_mask_and_unknown_never_excludes(who, where, ranked, condition):
    p = person("p", skills=["s1"], **who)
    v = place(essential_skills=["s1"], **where)
    assert bool(_both([p], v)) is ranked
    why = CandidateIndex(TXW, [p], today=TODAY).explain("p", v)
    assert why["admissible"] is ranked and why["conditions"][condition] is ranked
    assert why["admissible"] is all(why["conditions"].values())
    # A masked pair still has its criteria (the skills fit): a mask, not a low score.
    assert why["criteria"]["essential_skills"]["value"] == 1.0


def test_unknown_codes_and_out_of_range_values_are_refused_by_name():
    with pytest.raises(ValueError, match="candidate p: unknown sector 'Z'"):
        CandidateIndex(TXW, [person("p", excluded_sectors=["Z"])])
    with pytest.raises(ValueError, match="candidate p: unknown support 'coach'"):
        VacancyIndex(TXW, [place()]).top_for_candidate(person("p", needs=["coach"]))
    with pytest.raises(ValueError, match="vacancy v: unknown work demand"):
        VacancyIndex(TXW, [place(demands=["juggling"])])
    with pytest.raises(ValueError, match="vacancy v: unknown sector"):
        CandidateIndex(TXW, [person("p")]).top_for_vacancy(place(sector="AB"))
    with pytest.raises(ValueError, match=r"candidate p: readiness must be 0\.\.1"):
        CandidateIndex(TXW, [person("p", readiness=2.0)])


def test_related_skills_are_named_with_their_source_and_not_as_missing():
    # s2's broader skill is s1 (0.75); s3 and s4 are related (0.5).
    v = place(essential_skills=["s1", "s4", "s6"], teachable_skills=["s4"])
    by_id = _both(
        [person("partly", skills=["s2", "s3"]), person("none", skills=["s7"])],
        v,
    )
    partly = by_id["partly"]
    assert partly.related_essential == [{"skill": "s1", "via": "s2", "credit": 0.75}]
    # s4 is taught on the job, which earns more than the related s3 does: the points come
    # from teaching, so it is missing (and taught), as the page explains.
    assert partly.missing_essential == [
        {"skill": "s4", "teachable": True},
        {"skill": "s6", "teachable": False},
    ]
    assert [m["skill"] for m in by_id["none"].missing_essential] == ["s1", "s4", "s6"]
    assert by_id["none"].related_essential == []


def _essential_fit_from_the_gap(match, v, tx):
    """The essential-skill fit that the gap shown implies."""
    weight = {uri: tx.skill_weight[i] for uri, i in tx.skills.items()}
    missing = {m["skill"]: m["teachable"] for m in match.missing_essential}
    related = {r["skill"]: r["credit"] for r in match.related_essential}
    total = covered = 0.0
    for skill in dict.fromkeys(v.essential_skills):
        total += weight[skill]
        if skill in missing:
            covered += weight[skill] * (TEACHABLE_CREDIT if missing[skill] else 0.0)
        else:
            covered += weight[skill] * related.get(skill, 1.0)
    return covered / total if total else 1.0


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_skill_gap_shown_adds_up_to_the_essential_skill_points(seed):
    """Whatever the person holds: the skills named missing, related (with their credit) and
    the rest (full credit) give exactly the essential-skill contribution, both ways."""
    rng = random.Random(seed)
    people = _random_people(rng, 12)
    v = _random_place(rng)
    for m in CandidateIndex(TXW, people, today=TODAY).top_for_vacancy(v, 12):
        fit = _essential_fit_from_the_gap(m, v, TXW)
        assert m.contributions["essential_skills"] == pytest.approx(
            W.essential_skills * fit, abs=1e-5
        )
    for p in people:
        for m in VacancyIndex(TXW, [v], today=TODAY).top_for_candidate(p, 1):
            fit = _essential_fit_from_the_gap(m, v, TXW)
            assert m.contributions["essential_skills"] == pytest.approx(
                W.essential_skills * fit, abs=1e-5
            )


def test_a_typical_skill_the_place_asks_earns_occupation_credit():
    """TXP: every skill of its three occupations is typical (at most 20 occupations list
    it). A stated occupation counts 1, a skill the place asks that is typical of its
    occupation 0.5, a stated occupation in its ISCO unit group 0.25. A typical skill the
    place does not ask earns nothing, nor does a partial credit towards one it asks."""
    people = [
        Candidate(id="states", lat=52.37, lon=4.90, occupations=["o1"]),
        Candidate(id="typical", lat=52.37, lon=4.90, skills=["s0"]),
        Candidate(id="group", lat=52.37, lon=4.90, occupations=["o2"]),
        Candidate(id="group-and-typical", lat=52.37, lon=4.90, occupations=["o2"], skills=["s1"]),
        # s5 is typical of o1 (optional there) but this place does not ask it.
        Candidate(id="typical-not-asked", lat=52.37, lon=4.90, skills=["s5"]),
        # s2 (typical of o1, not asked) is s1's narrower skill: 0.75 of s1, not s1 itself.
        Candidate(id="only-related", lat=52.37, lon=4.90, skills=["s2"]),
        Candidate(id="other", lat=52.37, lon=4.90, skills=["s6"]),
    ]
    asks = {"essential_skills": ["s0"], "optional_skills": ["s1"]}
    v = Vacancy(id="v", lat=52.37, lon=4.90, occupation="o1", **asks)
    forward = {m.id: m for m in CandidateIndex(TXP, people, today=TODAY).top_for_vacancy(v, 9)}
    value = {cid: m.contributions["occupation"] / W.occupation for cid, m in forward.items()}
    via = {cid: m.occupation_via for cid, m in forward.items()}
    assert value == pytest.approx(
        {
            "states": 1.0,
            "typical": 0.5,
            "group": 0.25,
            "group-and-typical": 0.5,
            "typical-not-asked": 0.0,
            "only-related": 0.0,
            "other": 0.0,
        }
    )
    assert via == {
        "states": "occupation",
        "typical": "skills",
        "group": "group",
        "group-and-typical": "skills",
        "typical-not-asked": None,
        "only-related": None,
        "other": None,
    }
    backward = VacancyIndex(TXP, [v], today=TODAY)
    for p in people:
        (m,) = backward.top_for_candidate(p, 1)
        assert (m.contributions["occupation"], m.occupation_via) == (
            pytest.approx(forward[p.id].contributions["occupation"]),
            via[p.id],
        )
    # A place that asks none of the typical skills gives no typical-skill credit.
    bare = Vacancy(id="bare", lat=52.37, lon=4.90, occupation="o1")
    m = CandidateIndex(TXP, people[1:2]).top_for_vacancy(bare, 1)[0]
    assert m.contributions["occupation"] == 0.0 and m.occupation_via is None
    assert VacancyIndex(TXP, [bare]).top_for_candidate(people[1], 1)[0].occupation_via is None
    # Without the occupations' skills, no occupation is inferred.
    plain = Taxonomy.build(skills=list(TXP.skills), occupations=[("o1", "1"), ("o2", "1")])
    m = CandidateIndex(plain, people[1:2]).top_for_vacancy(v, 1)[0]
    assert m.contributions["occupation"] == 0.0 and m.occupation_via is None


def test_a_skill_typical_of_many_occupations_is_not_typical():
    occupations = [(f"o{i}", None) for i in range(25)]
    tx = Taxonomy.build(
        skills=["team", "forklift"],
        occupations=occupations,
        occupation_skills={
            f"o{i}": (["team"] + (["forklift"] if i == 0 else []), []) for i in range(25)
        },
    )
    team, forklift = tx.skills["team"], tx.skills["forklift"]
    # Only "forklift" for o0; "team" is listed by 25 occupations; no occupation (-1): none.
    assert tx.is_typical([team, forklift, forklift, forklift], [0, 0, 1, -1]).tolist() == [
        False,
        True,
        False,
        False,
    ]
    v = place(occupation="o0", essential_skills=["team", "forklift"])
    found = {
        m.id: m.occupation_via
        for m in CandidateIndex(
            tx, [person("a", skills=["team"]), person("b", skills=["forklift"])]
        ).top_for_vacancy(v, 2)
    }
    assert found == {"a": None, "b": "skills"}


def test_bounds_stay_exact_when_soft_factors_decide():
    """Many people alike in skills, told apart by soft factors only: the pruned top k is
    the brute-force one."""
    rng = random.Random(11)
    people = [
        person(
            f"c{i:03d}",
            skills=["s1"],
            priority=rng.choice([0.0, 1.0]),
            readiness=rng.choice([None, 0.0, 0.5, 1.0]),
            ready_from=rng.choice([None, date(2027, 1, 1), date(2027, 9, 1)]),
            motivation=rng.choice([None, 0.2, 0.6, 1.0]),
            needs=rng.sample(["adjusted", "jobcoach", "flexible_hours"], rng.randint(0, 2)),
        )
        for i in range(300)
    ] + [person(f"x{i:03d}", skills=["s6"], readiness=1.0, motivation=1.0) for i in range(200)]
    index = CandidateIndex(TXW, people, today=TODAY)
    for v in (
        place(essential_skills=["s1"], offers=["jobcoach"]),
        place(essential_skills=["s1"], start_date=date(2027, 6, 1)),
        place(essential_skills=["s5"]),  # nobody has it: the untouched bound decides
    ):
        brute = sorted(
            (-round(why["score"], 6), p.id)
            for p in people
            if (why := index.explain(p.id, v))["admissible"]
        )
        for k in (1, 7, 60):
            assert [m.id for m in index.top_for_vacancy(v, k)] == [cid for _s, cid in brute[:k]]


def test_soft_factors_of_the_evaluation_do_not_change_who_is_drawn():
    """The soft factors come from a stream of their own: with or without them, the
    evaluation's people have the same occupations and skills and the places ask the same
    skills, so the settings compare on the same people."""
    essential = {f"o{i}": [f"s{j}" for j in range(i, i + 4)] for i in range(1, 4)}
    tx = Taxonomy.build(
        skills=[f"s{j}" for j in range(8)],
        occupations=[(o, None) for o in essential],
    )
    kinds = {
        soft: generate(tx, essential, {}, occupations=3, per_occupation=5, seed=3, soft=soft)
        for soft in (0.0, 0.2, 0.9)
    }

    def drawn(generated):
        people, truth, places, chosen = generated
        return (
            [(p.id, p.occupations, p.skills) for p in people],
            truth,
            [(v.id, v.occupation, v.essential_skills, v.optional_skills) for v in places],
            chosen,
        )

    assert drawn(kinds[0.0]) == drawn(kinds[0.2]) == drawn(kinds[0.9])
    people = kinds[0.9][0]
    assert any(p.max_hours is not None for p in people)  # the soft factors are there
    assert all(p.max_hours is None and p.readiness is None for p in kinds[0.0][0])
