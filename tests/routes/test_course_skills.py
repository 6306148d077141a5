"""The route improves the match (#18 part 4): a completed course adds the skills it teaches
to the person's profile (source "scholing", dated), the person rises for the place whose
gap it closed — with the real engine — and the place's ranking page says why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import CandidateSkill
from perspectief.candidates.services import people, training
from perspectief.catalogue import services as catalogue
from perspectief.matching.selectors import trained
from perspectief.matching.selectors.ranking import ranked_candidates
from perspectief.routes.services import courses, handoffs, progress
from tests.conftest import matchable_person, sign_in

TODAY = timezone.localdate


@pytest.fixture
def course(world, esco, make_member):
    """A school's course that teaches the place's second and third essential skill, and
    the first one too (which the person already has)."""
    _occupation, skills = esco
    school = actor_for(make_member("opleidingsadviseur"))
    offer = catalogue.offer_save(
        actor=school,
        data={
            "kind": "mbo",
            "title": "Logistiek medewerker",
            "funding": "regio",
            "postcode": world.amsterdam.postcodes.first(),
            "skills": skills,
            "duration_weeks": 8,
        },
    )
    start = TODAY() + timedelta(days=7)
    edition = catalogue.edition_add(
        actor=school, offer=offer, starts_on=start, ends_on=start + timedelta(weeks=8)
    )
    return school, edition


def _rank(actor, place, person):
    ranked = ranked_candidates(actor=actor, vacancy=place)
    position = next(i for i, (c, _m) in enumerate(ranked, start=1) if c.pk == person.pk)
    return position, ranked[position - 1][1].score


def _complete(km, school, person, edition):
    step = courses.course_add(actor=km, candidate=person, edition=edition)
    handoffs.handoff_answer(actor=school, step=step, accept=True)
    progress.step_start(actor=school, step=step)
    return progress.step_complete(actor=school, step=step)


@pytest.mark.django_db
def test_a_completed_course_adds_its_skills_and_the_person_rises(
    client, place, esco, course, make_member
):
    _occupation, skills = esco
    school, edition = course
    km_member = make_member("klantmanager")
    km = actor_for(km_member)
    person = matchable_person(km_member, skills[:1], last_name="Leergierig")
    matchable_person(km_member, skills[:2], last_name="Voorloper")
    rank_before, score_before = _rank(km, place, person)
    assert rank_before == 2

    step = _complete(km, school, person, edition)

    rows = {r.skill_id: r for r in CandidateSkill.objects.filter(candidate=person)}
    for skill in skills[1:]:
        assert rows[skill.pk].source == "scholing"
        assert rows[skill.pk].acquired_on == TODAY() and rows[skill.pk].route_step == step.uuid
    # A skill the person already had keeps its source; the course is noted on it.
    had = rows[skills[0].pk]
    assert had.source == "stated" and had.acquired_on is None
    assert had.route_step == step.uuid and had.trained_on == TODAY()
    # Audited and access-logged as a change of the profile, by the school that completed it.
    event = AuditEvent.objects.get(event="candidate.skills_from_training")
    assert event.target_id == str(person.uuid)
    assert sorted(event.changes["skills_added"][1]) == sorted(s.uri for s in skills[1:])
    assert (
        AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
        .filter(activity="route.step", operation="change")
        .exists()
    )

    # With the real engine: the gap is closed, the score and the rank go up.
    rank_after, score_after = _rank(km, place, person)
    assert score_after > score_before and rank_after == 1

    # The place's ranking page says why; the person's page says where the skill came from.
    sign_in(client, km_member.user)
    day = formats.date_format(TODAY(), "j F Y")
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    [row] = [r for r in page.context["rows"] if r["candidate"].pk == person.pk]
    assert row["rising"] == [
        {
            "course": "Logistiek medewerker",
            "on": TODAY(),
            "skills": sorted(s.label for s in skills[1:]),
        }
    ]
    html = page.content.decode()
    assert "Logistiek medewerker" in html and day in html
    [other] = [r for r in page.context["rows"] if r["candidate"].pk != person.pk]
    assert other["rising"] == []
    places = client.get(reverse("matching:places", kwargs={"uuid": person.uuid}))
    assert places.context["rows"][0]["rising"][0]["course"] == "Logistiek medewerker"
    detail = client.get(reverse("candidates:detail", kwargs={"uuid": person.uuid}))
    assert (
        f"{skills[1].label} ({CandidateSkill(source='scholing').get_source_display()}, {day})"
        in (detail.content.decode())
    )

    # Saving the profile form (which lists every skill as "stated") keeps how each is known.
    people.candidate_update(
        actor=km,
        candidate=person,
        data=people.input_from(person, skills=[(s, "stated") for s in skills]),
    )
    assert set(
        CandidateSkill.objects.filter(candidate=person).values_list("source", flat=True)
    ) == {"stated", "scholing"}


@pytest.mark.django_db
def test_undoing_a_course_removes_only_what_it_added(place, esco, course, make_member):
    _occupation, skills = esco
    school, edition = course
    km_member = make_member("klantmanager")
    km = actor_for(km_member)
    person = matchable_person(km_member, skills[:1])
    step = _complete(km, school, person, edition)
    assert CandidateSkill.objects.filter(candidate=person).count() == 3

    result = training.skills_from_training_withdrawn(
        actor=km, candidate=person, route_step=step.uuid, activity="route.plan"
    )

    assert result == {"removed": sorted(s.uri for s in skills[1:]), "unnoted": [skills[0].uri]}
    [kept] = CandidateSkill.objects.filter(candidate=person)
    assert (kept.skill_id, kept.source, kept.route_step) == (skills[0].pk, "stated", None)
    assert AuditEvent.objects.filter(event="candidate.skills_from_training_withdrawn").count() == 1


@pytest.mark.django_db
def test_a_step_without_a_course_adds_nothing_and_old_training_explains_no_rise(
    place, esco, course, make_member
):
    _occupation, skills = esco
    km_member = make_member("klantmanager")
    km = actor_for(km_member)
    person = matchable_person(km_member, [])
    training.skills_from_training(
        actor=km,
        candidate=person,
        skills=skills,
        on=TODAY() - timedelta(days=trained.RECENT_DAYS + 1),
        route_step=place.uuid,  # any reference
        activity="route.plan",
    )
    ranked = ranked_candidates(actor=km, vacancy=place)
    assert trained.for_place(km, place, ranked)[person.pk] == []


@pytest.mark.django_db
def test_the_klantmanager_undoes_a_completion_on_the_step_and_the_skills_go(
    client, place, esco, course, make_member
):
    """From review of #18: a completion recorded by mistake could not be undone, so the
    skills it added stayed. The klantmanager undoes it on the route's step (with a reason):
    the step is started again, the skills the course added are removed (not the one the
    person had), the journey move of the completion goes back, all audited; the person's
    rank for the place falls back."""
    from perspectief.candidates.models import Candidate
    from perspectief.routes.models import RouteStep

    _occupation, skills = esco
    school, edition = course
    km_member = make_member("klantmanager")
    km = actor_for(km_member)
    person = matchable_person(km_member, skills[:1], last_name="Leergierig")
    matchable_person(km_member, skills[:2], last_name="Voorloper")
    step = _complete(km, school, person, edition)
    assert _rank(km, place, person)[0] == 1
    status_after_completion = Candidate.objects.get(pk=person.pk).status

    sign_in(client, km_member.user)
    route_page = client.get(reverse("route:detail", kwargs={"uuid": step.route.uuid}))
    assert 'value="reopen"' in route_page.content.decode()
    url = reverse("route:step-action", kwargs={"uuid": step.uuid})
    client.post(url, {"action": "reopen", "reason": " "})  # no reason: refused
    assert RouteStep.objects.get(pk=step.pk).status == "completed"  # nothing half done

    client.post(url, {"action": "reopen", "reason": "Cursus niet afgerond"})

    step.refresh_from_db()
    assert (step.status, step.actual_end) == ("started", None)
    [kept] = CandidateSkill.objects.filter(candidate=person)
    assert (kept.skill_id, kept.source, kept.route_step) == (skills[0].pk, "stated", None)
    assert _rank(km, place, person)[0] == 2
    reopened = AuditEvent.objects.get(event="route.step_reopened")
    assert reopened.changes["reason"] == [None, "Cursus niet afgerond"]
    withdrawn = AuditEvent.objects.get(event="candidate.skills_from_training_withdrawn")
    assert sorted(withdrawn.changes["skills_removed"][0]) == sorted(s.uri for s in skills[1:])
    # The completion made the person ready for placement; back in training now.
    assert status_after_completion == "bemiddelbaar"
    person.refresh_from_db()
    last = person.journey.order_by("-occurred_on", "-id").first()
    assert (last.cause, last.from_status, last.to_status) == (
        "correction",
        "bemiddelbaar",
        "in_scholing",
    )
    assert person.status == "in_scholing"
    # Completed again: the skills come back.
    progress.step_complete(actor=school, step=step)
    assert CandidateSkill.objects.filter(candidate=person, source="scholing").count() == 2


@pytest.mark.django_db
def test_only_a_completed_step_is_reopened_and_only_by_who_may_complete_it(
    esco, course, make_member
):
    from django.core.exceptions import ValidationError

    from perspectief.core.exceptions import NotFoundError

    _occupation, skills = esco
    school, edition = course
    km_member = make_member("klantmanager")
    km = actor_for(km_member)
    person = matchable_person(km_member, skills[:1])
    step = courses.course_add(actor=km, candidate=person, edition=edition)
    handoffs.handoff_answer(actor=school, step=step, accept=True)
    progress.step_start(actor=school, step=step)
    with pytest.raises(ValidationError):
        progress.step_reopen(actor=km, step=step, reason="x")
    progress.step_complete(actor=school, step=step)
    with pytest.raises(NotFoundError):
        progress.step_reopen(actor=actor_for(make_member("accountmanager")), step=step, reason="x")
    assert progress.step_reopen(actor=school, step=step, reason="x").status == "started"
