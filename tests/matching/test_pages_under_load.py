"""#20 item 2, matching on a place and the inbox under load: everyone the adviser may see is
read as plain values into the engine's records (the same records as the model path), only
the people shown as model instances — so the ranking's queries do not grow with the people,
and only the people shown are in the access log; the inbox's proposal sources read the
waiting proposals first and ask visibility only for them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import Candidate, HealthInformation
from perspectief.matching import engine_records
from perspectief.matching.inbox import advisers_proposals
from perspectief.matching.selectors import ranking
from perspectief.taxonomy.models import EducationLevel
from tests.conftest import matchable_person

pytestmark = pytest.mark.django_db


def _people(km, skills, occupation):
    level = EducationLevel.objects.create(
        code="mbo2-t", name="mbo 2", school_type="mbo", nlqf="2", cbs_level="middelbaar",
        startkwalificatie=True,
    )  # fmt: skip
    first = matchable_person(
        km,
        skills,
        education_level=level,
        dutch_level="B1",
        driving_licence=True,
        work_readiness="nearly",
        motivation="hoog",
        capacity="halve_dagen",
        max_physical_load="medium",
        excluded_sectors="G,Q",
        support_needs="jobcoach",
        ready_from=date(2026, 1, 5),
        available_from=date(2026, 1, 1),
    )
    first.occupations.add(occupation)
    first.target_group_rows.create(group="langdurig")
    HealthInformation.objects.create(candidate=first, limitations="noise,night_shifts")
    second = matchable_person(km, skills[:1], postcode=None, max_hours_per_week=12)
    third = matchable_person(km, [], regional_consent=True)
    return [first, second, third]


def test_the_columnar_records_are_the_model_records(world, esco, make_member):
    occupation, skills = esco
    km = make_member("klantmanager")
    _people(km, skills, occupation)
    # The klantmanager sees all three (and the limitations), an intermediary only the one
    # with a regional profile, a matching run (no actor) everyone, without limitations.
    for actor, seen in ((actor_for(km), 3), (actor_for(make_member("intermediair")), 1), (None, 3)):
        people = Candidate.objects.matchable()
        if actor is not None:
            people = people.visible_to(actor)
        expected = {
            p.pk: engine_records.candidate_record(p, health=getattr(p, "health_visible", False))
            for p in engine_records.people_for_engine(people, actor=actor)
        }
        found = dict(engine_records.people_records(people, actor=actor))
        assert found == expected
        assert len(found) == seen
    own = dict(engine_records.people_records(Candidate.objects.all(), actor=actor_for(km)))
    assert sorted(r.limitations for r in own.values()) == [[], [], ["noise", "night_shifts"]]
    [with_everything] = [r for r in own.values() if r.limitations]
    assert (with_everything.education_level, with_everything.priority) == (2, 1.0)
    assert with_everything.occupations == [occupation.uri]


def test_ranking_a_place_costs_the_same_for_more_people_and_logs_only_those_shown(
    place, esco, make_member
):
    occupation, skills = esco
    km = make_member("klantmanager")
    actor = actor_for(km)

    trace = []

    def ranked(k=50):
        with access.scope(), CaptureQueriesContext(connection) as queries:
            found = ranking.ranked_candidates(actor=actor, vacancy=place, k=k)
            trace.append(access.current_trace_id())
        return found, len(queries)

    _people(km, skills, occupation)
    few_people, few = ranked()
    for _ in range(6):
        matchable_person(km, skills[1:])
    many_people, many = ranked()
    assert len(many_people) > len(few_people) >= 1
    assert many == few
    [(shown, _match)] = ranked(k=1)[0]
    logged = AccessRecord.objects.filter(trace_id=trace[-1])
    assert logged.filter(activity="candidate.matching").count() == 1
    assert logged.for_subject("candidate", shown.uuid).exists()


def test_the_inbox_reads_the_waiting_proposals_before_asking_who_is_visible(region):
    """The plan starts from the proposals of the asked statuses (their index), not from a
    list of everyone the klantmanager may see."""
    if connection.vendor != "sqlite":
        pytest.skip("the plan's words are SQLite's")
    rows = advisers_proposals(actor_for(region.km), status__in=["proposed", "interested"])
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("matching_proposal USING INDEX proposal_status" in step for step in plan), plan
    assert not any(step.startswith("LIST SUBQUERY") for step in plan), plan
