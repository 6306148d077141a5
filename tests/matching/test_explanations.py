"""Explanations people read (#18 part 3): each criterion's points out of its maximum with one
plain sentence of the facts, consistent with the missing skills shown; "why is this person
not in the list?" in words, per hard condition, with the health condition hidden from users
without that permission; an employer variant without what an employer may not see; the
same words in the API."""

from datetime import date

import pytest
from django.utils import translation

from perspectief.matching.engine import conditions
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.records import Candidate, Match, Vacancy, Weights
from perspectief.matching.selectors.explanation import (
    EMPLOYER,
    EMPLOYER_HIDDEN,
    essential_counts,
    explain_criteria,
)

from .engine.test_engine import AMSTERDAM, TX, ZAANDAM

W = Weights().as_dict()
TODAY = date(2026, 12, 6)


class SoftWeights:
    """Weights with the soft-factor criteria #18 adds (as the engine's Weights will have)."""

    VALUES = {**W, "readiness": 0.05, "motivation": 0.03, "support": 0.04}

    def as_dict(self):
        return dict(self.VALUES)


@pytest.fixture(autouse=True)
def english(client):
    """Sentences are checked in English (the msgids), on the pages too; the Dutch ones are
    the translators'."""
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):
        yield


def person(**kw):
    return Candidate(id="c", lat=AMSTERDAM[0], lon=AMSTERDAM[1], **kw)


def place(at=ZAANDAM, **kw):
    return Vacancy(id="v", lat=at[0], lon=at[1], **kw)


def match(values: dict, weights=None, **kw) -> Match:
    """A match whose criteria have the given values (contribution = weight × value)."""
    w = (weights or Weights()).as_dict()
    contributions = {name: w[name] * value for name, value in values.items()}
    return Match("c", sum(contributions.values()), contributions, kw.pop("missing", []), **kw)


def text(criterion, values, c, v, weights=None, **kw) -> str:
    rows = explain_criteria(match(values, weights), c, v, weights=weights, today=TODAY, **kw)
    return next(r["text"] for r in rows if r["criterion"] == criterion)


# --- one sentence per criterion ------------------------------------------------------------


def test_distance_says_how_far_and_how_far_the_person_travels():
    km = round(conditions.pair_km(person(), place()))
    said = text("distance", {"distance": 0.3}, person(max_distance_km=15), place())
    assert said == f"lives {km} km from the place; will travel up to 15 km"
    said = text("distance", {"distance": 0.6}, person(), place())
    assert (
        said == f"lives {km} km from the place; gave no maximum travel distance (counts as 25 km)"
    )
    assert "less than 1 km" in text("distance", {"distance": 1}, person(), place(at=AMSTERDAM))
    assert text("distance", {"distance": 0}, Candidate(id="c"), place()).startswith(
        "distance unknown"
    )


def test_hours_wanted_against_the_place_and_unknown_counts_half():
    said = text("hours", {"hours": 0.75}, person(hours=24), place(hours=32))
    assert said == "wants to work 24 hours a week; the place is 32 hours a week"
    said = text(
        "hours", {"hours": 0.75}, person(hours=24, max_hours=28), place(hours=32, min_hours=20)
    )
    assert said == (
        "wants to work 24 hours a week; can carry 28 hours a week; "
        "the place is 32 hours a week, part time from 20 hours"
    )
    said = text("hours", {"hours": 0.5}, person(), place(hours=32))
    assert said == "hours wanted unknown; the place is 32 hours a week: counts half"
    assert text("hours", {"hours": 0.5}, person(hours=24), place()).endswith(
        "the place names no hours: counts half"
    )
    assert "8.5" in text("hours", {"hours": 0.3}, person(hours=8.5), place(hours=32))


def test_education_and_language_levels_in_words():
    said = text(
        "education", {"education": 1}, person(education_level=2), place(min_education_level=2)
    )
    assert said == "level 2 (mbo 2); the place asks level 2 (mbo 2) or higher"
    said = text("education", {"education": 0.5}, person(), place(min_education_level=3))
    assert said == "education level unknown; the place asks level 3 (mbo 3) or higher: counts half"
    assert text("education", {"education": 1}, person(), place()).endswith(
        "the place asks no education level"
    )
    said = text("language", {"language": 2 / 3}, person(dutch_level=3), place(dutch_level=4))
    assert said == "B1; the place asks B2"
    said = text("language", {"language": 0.5}, person(), place(dutch_level=4))
    assert said == "level of Dutch unknown; the place asks B2: counts half"


def test_occupation_same_group_or_not_given():
    c, v = person(occupations=["o1"]), place(occupation="o1")
    assert text("occupation", {"occupation": 1}, c, v) == "wants this occupation"
    said = text("occupation", {"occupation": 0.25}, c, place(occupation="o2"))
    assert said == "wants an occupation in the same occupational group"
    said = text("occupation", {"occupation": 0.5}, person(), place(occupation="o2"))
    assert said == (
        "did not give this occupation, but has skills the place asks that are typical of it"
    )
    assert text("occupation", {"occupation": 0}, c, place(occupation="o3")) == (
        "did not give this occupation"
    )
    assert text("occupation", {"occupation": 0}, c, place()) == "the place names no occupation"


def test_essential_skills_count_missing_related_and_taught():
    v = place(essential_skills=[f"s{i}" for i in range(6)], teachable_skills=["s5"])
    m = match(
        {"essential_skills": 0.6},
        missing=[{"skill": "s4", "teachable": False}, {"skill": "s5", "teachable": True}],
        related_essential=[{"skill": "s3", "via": "s7", "credit": 0.5}],
    )
    labels = {"s3": "orderpicken", "s7": "voorraad beheren"}
    [row] = [
        r
        for r in explain_criteria(m, person(), v, labels=labels)
        if r["criterion"] == "essential_skills"
    ]
    assert row["text"] == (
        "has 3 of the 6 essential skills; 1 in part through a related skill "
        "(orderpicken, via voorraad beheren); misses 2 (1 taught by the employer on the job)"
    )
    assert essential_counts(m, v) == (6, 3, 1, 2)
    said = text("essential_skills", {"essential_skills": 1}, person(), place())
    assert said == "the place names no essential skills: counts in full"


def test_optional_skills_and_related_credit():
    v = place(essential_skills=["s0"], optional_skills=["s0", "s1", "s2", "s3"])
    said = text("optional_skills", {"optional_skills": 1 / 3}, person(skills=["s1"]), v)
    assert said == "has 1 of the 3 optional skills"  # s0 is essential: not counted twice
    said = text("optional_skills", {"optional_skills": 0.5}, person(skills=["s1"]), v)
    assert said == "has 1 of the 3 optional skills; related skills count in part"
    assert text("optional_skills", {"optional_skills": 0}, person(), place()) == (
        "the place names no optional skills"
    )


def test_priority_only_where_shown():
    values = {"essential_skills": 1, "priority": 1}
    rows = explain_criteria(match(values), person(priority=1.0), place())
    assert [r["criterion"] for r in rows] == ["essential_skills", "priority"]
    assert rows[1]["text"] == "belongs to a group furthest from work: gets priority"
    hidden = explain_criteria(match(values), person(priority=1.0), place(), show_priority=False)
    assert [r["criterion"] for r in hidden] == ["essential_skills"]
    assert text("priority", {"priority": 0}, person(), place()) == "not in a priority group"


def test_readiness_with_its_dates_and_unknown():
    w = SoftWeights()
    ready = person(readiness=1.0, ready_from=date(2026, 11, 3))
    assert (
        text("readiness", {"readiness": 1}, ready, place(), w) == "work-ready since 3 November 2026"
    )
    later = person(readiness=1.0, ready_from=date(2027, 1, 4))
    said = text("readiness", {"readiness": 1}, later, place(start_date=date(2027, 2, 1)), w)
    assert said == "work-ready from 4 January 2027; the place starts on 1 February 2027"
    nearly = person(readiness=0.5)
    assert text("readiness", {"readiness": 0.5}, nearly, place(), w) == "nearly work-ready"
    not_yet = person(readiness=0.0, ready_from=date(2027, 3, 1))
    said = text("readiness", {"readiness": 0}, not_yet, place(), w)
    assert said == "not yet work-ready; expected work-ready on 1 March 2027"
    assert text("readiness", {"readiness": 0.5}, person(), place(), w) == (
        "work-readiness unknown: counts half"
    )


def test_the_dates_are_said_as_the_product_says_them_in_dutch():
    with translation.override("nl"):
        ready = person(readiness=1.0, ready_from=date(2026, 11, 3))
        said = text("readiness", {"readiness": 1}, ready, place(), SoftWeights())
    assert "3 november 2026" in said


def test_motivation_and_support():
    w = SoftWeights()
    assert text("motivation", {"motivation": 1}, person(motivation=1.0), place(), w) == (
        "motivation high"
    )
    assert text("motivation", {"motivation": 0.2}, person(motivation=0.2), place(), w) == (
        "motivation low"
    )
    assert text("motivation", {"motivation": 0.5}, person(), place(), w) == (
        "motivation unknown: counts half"
    )
    coached = person(needs=["jobcoach"])
    said = text("support", {"support": 1}, coached, place(offers=["jobcoach"]), w)
    assert said == "needs a jobcoach; the place offers job coaching"
    both = person(needs=["jobcoach", "flexible_hours"])
    said = text("support", {"support": 0.5}, both, place(offers=["jobcoach"]), w)
    assert said == (
        "needs a jobcoach and flexible working hours; "
        "the place offers job coaching, but not flexible working hours"
    )
    said = text("support", {"support": 0}, coached, place(), w)
    assert said == "needs a jobcoach; the place does not offer job coaching"
    assert text("support", {"support": 1}, person(), place(), w) == (
        "needs no support at work (as far as known)"
    )


# --- points and maxima ---------------------------------------------------------------------


def test_the_maximum_is_the_weight_used_and_new_criteria_do_not_break():
    values = {name: 0.5 for name in W}
    rows = explain_criteria(match(values), person(), place())
    assert {r["criterion"]: r["max"] for r in rows} == {n: round(100 * w) for n, w in W.items()}
    assert all(r["points"] == round(100 * W[r["criterion"]] * 0.5) for r in rows)
    assert all(set(r) == {"criterion", "label", "points", "max", "text"} for r in rows)
    # Other weights (a region's configuration): their maxima.
    other = Weights(essential_skills=0.5, optional_skills=0.0, occupation=0.2, distance=0.1,
                    hours=0.1, education=0.05, language=0.05, priority=0.0, readiness=0.0,
                    motivation=0.0, support=0.0)  # fmt: skip
    rows = explain_criteria(match(values, other), person(), place(), weights=other)
    assert {r["criterion"]: r["max"] for r in rows}["essential_skills"] == 50
    # A criterion the weights do not have (a run of a newer engine): points, no maximum.
    m = Match("c", 0.3, {"essential_skills": 0.3, "readiness": 0.05, "later": 0.02}, [])
    rows = explain_criteria(m, person(readiness=1.0), place(), today=TODAY)
    readiness = next(r for r in rows if r["criterion"] == "readiness")
    assert (readiness["points"], readiness["max"], readiness["text"]) == (5, 5, "work-ready")
    later = next(r for r in rows if r["criterion"] == "later")
    assert (later["points"], later["max"]) == (2, None)
    # And with weights that have them: the maximum.
    rows = explain_criteria(m, person(readiness=1.0), place(), weights=SoftWeights())
    assert next(r["max"] for r in rows if r["criterion"] == "readiness") == 5
    # Absent criteria are absent.
    assert [r["criterion"] for r in explain_criteria(match({}), person(), place())] == []


def test_missing_skills_are_exactly_those_without_credit():
    """The engine's missing essential skills are those that earn nothing; the sentence counts
    them and the rest, and a skill credited through a related one is not listed missing."""
    c = Candidate(id="c", lat=AMSTERDAM[0], lon=AMSTERDAM[1], skills=["s0", "s2", "s3"])
    essential = ["s0", "s1", "s4", "s5", "s6"]
    index = CandidateIndex(TX, [c])
    [m] = index.top_for_vacancy(place(at=AMSTERDAM, essential_skills=essential), 1)
    credited = {
        s
        for s in essential
        if index.explain("c", place(at=AMSTERDAM, essential_skills=[s]))["criteria"][
            "essential_skills"
        ]["value"]
        > 0
    }
    missing = {s["skill"] for s in m.missing_essential}
    assert missing == set(essential) - credited == {"s5", "s6"}
    assert not missing & {r["skill"] for r in m.related_essential}
    total, has, related, lacking = essential_counts(m, place(essential_skills=essential))
    assert (total, has + related, lacking) == (5, 3, 2)
    [row] = [
        r
        for r in explain_criteria(m, c, place(essential_skills=essential))
        if r["criterion"] == "essential_skills"
    ]
    assert row["text"].endswith("misses 2")
    assert 0 < row["points"] < row["max"]


# --- the employer's variant ----------------------------------------------------------------


def test_the_employer_variant_leaves_out_what_an_employer_may_not_see():
    w = SoftWeights()
    values = {name: 0.5 for name in w.VALUES} | {"occupation": 0.25}
    c = person(hours=24, max_hours=28, priority=1.0, motivation=0.2, needs=["jobcoach"],
               max_distance_km=15, readiness=1.0)  # fmt: skip
    v = place(hours=32, occupation="o1", start_date=date(2027, 1, 4))
    rows = explain_criteria(match(values, w), c, v, weights=w, audience=EMPLOYER, today=TODAY)
    shown = {r["criterion"] for r in rows}
    assert shown == set(w.VALUES) - EMPLOYER_HIDDEN
    assert not shown & {"priority", "motivation", "support"}
    said = {r["criterion"]: r["text"] for r in rows}
    # A band, never the exact distance or the person's reach; not what the person can carry.
    assert said["distance"] == "distance to your place: 5-15 km"
    assert said["hours"] == "wants to work 24 hours a week; your place is 32 hours a week"
    assert "carry" not in " ".join(said.values())
    assert said["occupation"] == (
        "wants an occupation in the same occupational group as your place"
    )
    assert said["readiness"] == "work-ready; your place starts on 4 January 2027"
