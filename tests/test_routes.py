"""Routes across organisations (issue #6, parts 2-5): a route from a template, hand-offs a
partner must accept, the doorbraak list, a course for a skill gap or a cohort, the journey
that follows the route, and support at work until the placement is durable."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import JourneyTransition
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.matching.services import outcomes, proposals
from perspectief.organisations.models import EmployerAccount
from perspectief.routes import planning, route_selectors, services, support
from perspectief.routes.models import Route, RouteStep, RouteTemplate, SupportPlan
from perspectief.routes.planning import StepInput, TemplateStepInput
from perspectief.vacancies.models import Vacancy

from .factories import CandidateFactory, MembershipFactory, OrganisationFactory

TODAY = timezone.localdate


@pytest.fixture
def team(world, make_member, esco):
    """A klantmanager of the gemeente, a school with an MBO course (12 seats) and its
    adviser, a jobcoach of an SW company, and a person the gemeente serves."""
    _occupation, skills = esco
    km = actor_for(make_member("klantmanager"))
    school = actor_for(make_member("opleidingsadviseur"))
    course = services.offer_save(
        actor=school,
        data={
            "kind": "mbo",
            "title": "Logistiek medewerker",
            "funding": "regio",
            "postcode": world.amsterdam.postcodes.first(),
            "skills": skills[:2],
            "duration_weeks": 8,
        },
    )
    start = TODAY() + timedelta(days=21)
    edition = services.edition_add(
        actor=school, offer=course, starts_on=start, ends_on=start + timedelta(weeks=8), seats=2
    )
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam)
    coach = actor_for(MembershipFactory(organisation=sw, role="jobcoach"))
    person = CandidateFactory(served_by=km.organisation, status="aangemeld")
    return {
        "km": km,
        "school": school,
        "course": course,
        "edition": edition,
        "coach": coach,
        "person": person,
    }


def _template(km, course):
    return planning.template_save(
        actor=km,
        name="Logistiek",
        description="werkfit → logistiek → proefplaatsing",
        steps=[
            TemplateStepInput(kind="werkfit", title="Werkfit", weeks=3),
            TemplateStepInput(kind="mbo", title="Logistiek", weeks=8, offer=course),
            TemplateStepInput(kind="proefplaatsing", title="Proefplaatsing", weeks=4),
        ],
    )


def _step(route, owner, start, weeks=2, **extra):
    return StepInput(
        kind=extra.pop("kind", "werkfit"),
        title=extra.pop("title", "Stap"),
        owner=owner,
        planned_start=start,
        planned_end=start + timedelta(weeks=weeks),
        **extra,
    )


@pytest.mark.django_db
def test_a_route_from_a_template_hands_the_course_to_the_school(team):
    km, school, course, edition = team["km"], team["school"], team["course"], team["edition"]
    template = _template(km, course)
    route = planning.route_start(actor=km, candidate=team["person"], template=template)
    steps = list(route.steps.order_by("planned_start"))
    assert [s.title for s in steps] == ["Werkfit", "Logistiek", "Proefplaatsing"]
    werkfit, mbo, trial = steps
    # Own steps need no acceptance; the course is the school's, on its first start that fits.
    assert (werkfit.owner, werkfit.handoff) == (km.organisation, "")
    assert (mbo.owner, mbo.handoff, mbo.edition) == (course.provider, "pending", edition)
    assert mbo.planned_start == edition.starts_on
    assert trial.planned_start == mbo.planned_end  # the wagons follow each other
    # A route brings the person in view, dated and audited.
    team["person"].refresh_from_db()
    assert team["person"].status == "in_beeld"
    transition = JourneyTransition.objects.get(candidate=team["person"])
    assert (transition.from_status, transition.cause) == ("aangemeld", "route")
    assert AuditEvent.objects.filter(event="route.created", target_id=str(route.uuid)).exists()
    # The school cannot start it before it accepted; then it can.
    with pytest.raises(ValidationError, match="niet geaccepteerd"):
        planning.step_start(actor=school, step=mbo)
    planning.handoff_answer(actor=school, step=mbo, accept=True)
    mbo.refresh_from_db()
    assert (mbo.handoff, mbo.handoff_decided_by) == ("accepted", school.user)


@pytest.mark.django_db
def test_a_declined_hand_off_needs_a_reason_and_another_owner(team, make_member):
    km, school = team["km"], team["school"]
    route = planning.route_start(actor=km, candidate=team["person"])
    step = planning.step_add(
        actor=km, route=route, data=_step(route, school.organisation, TODAY(), kind="mbo")
    )
    with pytest.raises(ValidationError):
        planning.handoff_answer(actor=school, step=step, accept=False)
    planning.handoff_answer(actor=school, step=step, accept=False, reason="vol dit jaar")
    step.refresh_from_db()
    assert (step.handoff, step.decline_reason) == ("declined", "vol dit jaar")
    with pytest.raises(ValidationError):  # answered already
        planning.handoff_answer(actor=school, step=step, accept=True)
    # Another owner: a new hand-off, waiting for that organisation.
    other = actor_for(make_member("opleidingsadviseur"))
    planning.step_change(
        actor=km, step=step, data=_step(route, other.organisation, TODAY(), kind="mbo")
    )
    step.refresh_from_db()
    assert (step.owner, step.handoff, step.decline_reason) == (
        other.organisation,
        "pending",
        "",
    )
    # Only the owner answers; only a serving organisation plans.
    with pytest.raises(NotFoundError):
        planning.handoff_answer(actor=school, step=step, accept=True)
    with pytest.raises(NotFoundError):
        planning.step_add(
            actor=actor_for(make_member("klantmanager", region_code="AM22")),
            route=route,
            data=_step(route, school.organisation, TODAY()),
        )
    with pytest.raises(PermissionDeniedError):
        planning.step_add(
            actor=school, route=route, data=_step(route, school.organisation, TODAY())
        )


@pytest.mark.django_db
def test_bad_steps_are_refused_and_nothing_is_stored(team, world):
    km, school, edition = team["km"], team["school"], team["edition"]
    route = planning.route_start(actor=km, candidate=team["person"])
    first = planning.step_add(actor=km, route=route, data=_step(route, km.organisation, TODAY()))
    before = RouteStep.objects.count()
    # Overlapping steps.
    with pytest.raises(ValidationError, match="overlapt"):
        planning.step_add(
            actor=km, route=route, data=_step(route, km.organisation, TODAY() + timedelta(days=3))
        )
    # Dates in the wrong order.
    with pytest.raises(ValidationError) as exc:
        planning.step_add(
            actor=km,
            route=route,
            data=StepInput(
                kind="werkfit",
                title="x",
                owner=km.organisation,
                planned_start=TODAY() + timedelta(days=40),
                planned_end=TODAY() + timedelta(days=30),
            ),
        )
    assert "planned_end" in exc.value.message_dict
    # An employer never owns a step.
    employer = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    with pytest.raises(ValidationError) as exc:
        planning.step_add(
            actor=km,
            route=route,
            data=_step(route, employer, TODAY() + timedelta(days=60)),
        )
    assert "owner" in exc.value.message_dict
    # A start belongs to its own offer.
    other = services.offer_save(
        actor=school,
        data={"kind": "nt2", "title": "NT2", "funding": "regio", "online": True},
    )
    with pytest.raises(ValidationError) as exc:
        planning.step_add(
            actor=km,
            route=route,
            data=_step(
                route,
                school.organisation,
                edition.starts_on,
                offer=other,
                edition=edition,
                kind="nt2",
            ),
        )
    assert "edition" in exc.value.message_dict
    assert RouteStep.objects.count() == before
    # A step that ended cannot be changed or removed; it is stopped with a reason.
    planning.step_start(actor=km, step=first)
    with pytest.raises(ValidationError):
        planning.step_remove(actor=km, step=first)
    with pytest.raises(ValidationError):
        planning.step_stop(actor=km, step=first, reason=" ")
    with pytest.raises(ValidationError):  # the future is not a date of what happened
        planning.step_complete(actor=km, step=first, on=TODAY() + timedelta(days=1))
    planning.step_stop(actor=km, step=first, reason="verhuisd")
    first.refresh_from_db()
    assert (first.status, first.stop_reason, first.actual_end) == ("stopped", "verhuisd", TODAY())
    # A stopped step no longer blocks its period.
    planning.step_add(actor=km, route=route, data=_step(route, km.organisation, TODAY()))


@pytest.mark.django_db
def test_a_course_over_capacity_is_refused(team, make_member):
    km, edition, course = team["km"], team["edition"], team["course"]
    people = [CandidateFactory(served_by=km.organisation) for _ in range(3)]
    planning.course_add(actor=km, candidate=people[0], edition=edition)
    planning.course_add(actor=km, candidate=people[1], edition=edition)
    assert planning.seats_taken(edition) == 2
    with pytest.raises(ValidationError, match="is vol"):
        planning.course_add(actor=km, candidate=people[2], edition=edition)
    # The failed attempt left no route behind either.
    assert not Route.objects.filter(candidate=people[2]).exists()
    # A stopped step frees its seat.
    step = RouteStep.objects.get(route__candidate=people[0])
    planning.step_stop(actor=km, step=step, reason="andere keuze")
    planning.course_add(actor=km, candidate=people[2], edition=edition)
    assert course.provider == step.owner


@pytest.mark.django_db
def test_the_journey_follows_the_route(team):
    km, school, edition = team["km"], team["school"], team["edition"]
    person = team["person"]
    route = planning.route_start(actor=km, candidate=person)
    past = TODAY() - timedelta(days=30)
    werkfit = planning.step_add(
        actor=km, route=route, data=_step(route, km.organisation, past, weeks=2)
    )
    planning.step_start(actor=km, step=werkfit, on=past)
    planning.step_complete(actor=km, step=werkfit, on=past + timedelta(days=13))
    person.refresh_from_db()
    assert person.status == "werkfit"
    mbo = planning.course_add(actor=km, candidate=person, edition=edition)
    planning.handoff_answer(actor=school, step=mbo, accept=True)
    planning.step_start(actor=school, step=mbo)
    person.refresh_from_db()
    assert person.status == "in_scholing"
    planning.step_complete(actor=school, step=mbo)
    person.refresh_from_db()
    assert person.status == "bemiddelbaar"
    journey = list(
        JourneyTransition.objects.filter(candidate=person)
        .order_by("id")
        .values_list("to_status", "occurred_on", "cause")
    )
    assert journey == [
        ("in_beeld", TODAY(), "route"),
        ("werkfit", past + timedelta(days=13), "route"),
        ("in_scholing", TODAY(), "route"),
        ("bemiddelbaar", TODAY(), "route"),
    ]
    # Each is in the audit log.
    assert (
        AuditEvent.objects.filter(
            event="candidate.status_changed", target_id=str(person.uuid)
        ).count()
        == 4
    )
    # The manual path writes a dated transition too, with its cause.
    from perspectief.candidates.services.journey import candidate_change_status

    candidate_change_status(actor=km, candidate=person, status="werkfit")
    assert JourneyTransition.objects.filter(candidate=person).last().cause == "manual"


@pytest.mark.django_db
def test_who_sees_a_route(team, make_member):
    km, school = team["km"], team["school"]
    person = team["person"]
    route = planning.route_start(actor=km, candidate=person)
    step = planning.step_add(
        actor=km, route=route, data=_step(route, school.organisation, TODAY(), kind="mbo")
    )
    stranger = actor_for(make_member("opleidingsadviseur"))
    assert not Route.objects.visible_to(stranger).exists()
    with pytest.raises(NotFoundError):
        route_selectors.route_get_for_actor(actor=stranger, uuid=route.uuid)
    # Waiting for its answer, the school sees the route by the partner code, not the name.
    _route, level = route_selectors.route_get_for_actor(actor=school, uuid=route.uuid)
    assert level == route_selectors.PENDING
    planning.handoff_answer(actor=school, step=step, accept=True)
    assert route_selectors.route_get_for_actor(actor=school, uuid=route.uuid)[1] == "step"
    assert route_selectors.route_get_for_actor(actor=km, uuid=route.uuid)[1] == "plan"
    # After the step ended, access lasts ROUTE_STEP_ACCESS_DAYS.
    planning.step_start(actor=school, step=step, on=TODAY() - timedelta(days=60))
    planning.step_complete(actor=school, step=step, on=TODAY() - timedelta(days=31))
    assert not Route.objects.visible_to(school).exists()
    # A programme manager sees no route, only the doorbraak list.
    manager = actor_for(make_member("programmamanager"))
    assert not Route.objects.visible_to(manager).exists()
    # The person sees their own.
    user = MembershipFactory(organisation=km.organisation, role="werkzoekende").user
    person.user = user
    person.save()
    own = actor_for(user.memberships.get())
    assert list(Route.objects.visible_to(own)) == [route]


@pytest.mark.django_db
def test_stuck_steps_reach_the_region_coordinator(team, make_member, settings):
    km, school = team["km"], team["school"]
    person = team["person"]
    route = planning.route_start(actor=km, candidate=person)
    late = planning.step_add(
        actor=km,
        route=route,
        data=_step(route, km.organisation, TODAY() - timedelta(days=30), weeks=2),
    )
    handed = planning.step_add(
        actor=km, route=route, data=_step(route, school.organisation, TODAY(), kind="mbo")
    )
    manager = actor_for(make_member("programmamanager"))
    rows, regional = route_selectors.stuck_steps(actor=manager)
    assert regional and [r.step for r in rows] == [late]  # the hand-off is still fresh
    RouteStep.objects.filter(pk=handed.pk).update(
        handed_off_at=timezone.now() - timedelta(days=settings.HANDOFF_ACCEPT_DAYS + 1)
    )
    rows, _ = route_selectors.stuck_steps(actor=manager)
    assert {(r.step, r.why) for r in rows} == {(late, "due"), (handed, "handoff")}
    # The klantmanager sees the stuck steps of the people the gemeente serves; another
    # region's coordinator none.
    assert {r.step for r in route_selectors.stuck_steps(actor=km)[0]} == {late, handed}
    other = actor_for(make_member("programmamanager", region_code="AM22"))
    assert route_selectors.stuck_steps(actor=other)[0] == []
    # Answered and progressing, they leave the list.
    planning.handoff_answer(actor=school, step=handed, accept=True)
    planning.step_start(actor=km, step=late, on=TODAY() - timedelta(days=30))
    planning.step_complete(actor=km, step=late, on=TODAY() - timedelta(days=2))
    assert route_selectors.stuck_steps(actor=manager)[0] == []


@pytest.mark.django_db
def test_a_cohort_is_planned_on_one_course_or_not_at_all(team, world, make_member):
    km, edition = team["km"], team["edition"]
    from perspectief.vacancies.models import CohortMember

    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="31313131",
    )
    bulk = Vacancy.objects.create(
        employer=employer,
        title="100 orderpickers",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=100,
        status="open",
    )
    ours = [CandidateFactory(served_by=km.organisation) for _ in range(3)]
    theirs = CandidateFactory(served_by=OrganisationFactory(kind="uwv", region=world.am18))
    for person in [*ours, theirs]:
        CohortMember.objects.create(vacancy=bulk, candidate=person, added_by=km.organisation)
    with pytest.raises(ValidationError, match="is vol"):  # 3 people, 2 seats
        planning.cohort_course(actor=km, vacancy=bulk, edition=edition)
    assert not RouteStep.objects.exists() and not Route.objects.exists()
    edition.seats = 10
    edition.save()
    result = planning.cohort_course(actor=km, vacancy=bulk, edition=edition)
    assert result == {"planned": 3, "already": 0, "others": 1}
    assert RouteStep.objects.filter(edition=edition).count() == 3
    assert planning.cohort_course(actor=km, vacancy=bulk, edition=edition)["already"] == 3


def _check_in(actor, plan, month, *, outcome="well", note="", person=True, employer=True):
    """Record a check-in held today."""
    return support.check_in_record(
        actor=actor,
        plan=plan,
        month=month,
        held_on=TODAY(),
        with_person=person,
        with_employer=employer,
        outcome=outcome,
        note=note,
    )


def _hire(team, world, start):
    """Propose, introduce and hire the person, starting work on ``start``."""
    km, person = team["km"], team["person"]
    person.status = "bemiddelbaar"
    person.availability_confirmed_at = timezone.now()
    person.save()
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    employer = EmployerAccount.objects.create(organisation=organisation, kvk_number="42424242")
    boss = MembershipFactory(organisation=organisation, role="werkgever")
    place = Vacancy.objects.create(
        employer=employer,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=1,
        status="open",
    )
    proposal = proposals.proposal_create(actor=km, vacancy=place, candidate=person)
    proposals.introduction_record(method="in_person", actor=km, proposal=proposal)
    from perspectief.matching.models import Proposal

    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - timedelta(days=(TODAY() - start).days + 10)
    )
    proposal.refresh_from_db()
    outcomes.outcome_record(
        actor=actor_for(boss), proposal=proposal, hired=True, start_date=start, contract="tijdelijk"
    )
    return SupportPlan.objects.get(candidate=person)


@pytest.mark.django_db
def test_support_after_a_hire_until_durable(team, world):
    km, coach = team["km"], team["coach"]
    start = TODAY() - timedelta(days=20)
    plan = _hire(team, world, start)
    assert [c.month for c in plan.check_ins.all()] == [1, 3, 6, 12]
    assert plan.check_ins.get(month=1).due_on == support.add_months(start, 1)
    assert plan.organisation == km.organisation  # no job-coaching step: the proposer
    hired = JourneyTransition.objects.filter(candidate=team["person"]).last()
    assert (hired.to_status, hired.occurred_on, hired.cause) == ("geplaatst", start, "hire")
    # The SW company's jobcoach does not support this person: not this plan's.
    with pytest.raises(NotFoundError):
        _check_in(coach, plan, 1)
    with pytest.raises(ValidationError) as exc:
        support.check_in_record(
            actor=km,
            plan=plan,
            month=1,
            held_on=start - timedelta(days=1),
            with_person=False,
            with_employer=False,
            outcome="maybe",
        )
    assert set(exc.value.message_dict) == {"held_on", "with_person", "outcome"}
    _check_in(km, plan, 1, note="Gaat goed")
    # Recorded once; the 12-month check-in is not due yet.
    for month, problem in ((1, "month"), (12, "held_on")):
        with pytest.raises(ValidationError) as exc:
            support.check_in_record(
                actor=km,
                plan=plan,
                month=month,
                held_on=TODAY(),
                with_person=True,
                with_employer=False,
                outcome="well",
            )
        assert set(exc.value.message_dict) == {problem}
    assert plan.check_ins.get(month=1).note == "Gaat goed"
    # Not durable before six months in work, nor without someone who confirms it (the
    # confirmation itself: test_durable_and_hires.py).
    with pytest.raises(ValidationError) as exc:
        support.work_confirm(
            actor=km,
            plan=plan,
            confirmed_on=TODAY(),
            source="employer",
            method="phone",
            still_employed=True,
        )
    assert set(exc.value.message_dict) == {"confirmed_on"}
    plan.refresh_from_db()
    assert plan.status == "active" and not plan.not_confirmed


@pytest.mark.django_db
def test_a_drop_out_sends_the_person_back_to_the_route(team, world, settings):
    km = team["km"]
    start = TODAY() - timedelta(days=100)
    plan = _hire(team, world, start)
    # Missed: the 1-month check-in is long past; at risk after a worrying check-in.
    rows = route_selectors.support_plans(actor=km)
    assert rows[0].missed and not rows[0].at_risk
    _check_in(km, plan, 3, outcome="at_risk", employer=False)
    assert route_selectors.support_plans(actor=km)[0].at_risk
    with pytest.raises(ValidationError):
        support.drop_out_record(actor=km, plan=plan, on=TODAY(), reason="")
    support.drop_out_record(actor=km, plan=plan, on=TODAY(), reason="te zwaar werk")
    person = team["person"]
    person.refresh_from_db()
    plan.refresh_from_db()
    assert (plan.status, person.status) == ("dropped_out", "uitgevallen")
    last = JourneyTransition.objects.filter(candidate=person).last()
    assert (last.to_status, last.reason, last.cause) == ("uitgevallen", "te zwaar werk", "drop_out")
    # No check-in for someone no longer at work.
    with pytest.raises(ValidationError, match="geplaatst"):
        _check_in(km, plan, 6)
    # Back on the route: a new route step brings the person in view again, and matching
    # sees them.
    route = planning.route_start(actor=km, candidate=person)
    person.refresh_from_db()
    assert person.status == "in_beeld"
    assert route.candidate == person
    from perspectief.candidates.models import Candidate

    assert Candidate.objects.matchable().filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_the_jobcoach_of_the_coaching_step_supports_the_person(team, world, make_member):
    km, coach = team["km"], team["coach"]
    route = planning.route_start(actor=km, candidate=team["person"])
    coaching = planning.step_add(
        actor=km,
        route=route,
        data=_step(route, coach.organisation, TODAY(), weeks=26, kind="jobcoaching"),
    )
    planning.handoff_answer(actor=coach, step=coaching, accept=True)
    plan = _hire(team, world, TODAY() - timedelta(days=3))
    assert plan.organisation == coach.organisation
    # The coaching step starts with the work, moved to its first day with its length.
    coaching.refresh_from_db()
    started = TODAY() - timedelta(days=3)
    assert (coaching.status, coaching.actual_start) == ("started", started)
    assert (coaching.planned_start, coaching.planned_end) == (
        started,
        started + timedelta(weeks=26),
    )
    support.jobcoach_assign(actor=coach, plan=plan, jobcoach=coach.user)
    with pytest.raises(ValidationError):  # a jobcoach of the supporting organisation only
        support.jobcoach_assign(actor=coach, plan=plan, jobcoach=km.user)
    assert [p.pk for p in route_selectors.support_plans(actor=coach)] == [plan.pk]
    stranger = actor_for(
        MembershipFactory(
            organisation=OrganisationFactory(kind="intermediary", municipality=world.amsterdam),
            role="jobcoach",
        )
    )
    assert route_selectors.support_plans(actor=stranger) == []


@pytest.mark.django_db
def test_template_bad_input(team, make_member):
    km = team["km"]
    with pytest.raises(ValidationError) as exc:
        planning.template_save(
            actor=km,
            name="",
            description="",
            steps=[TemplateStepInput(kind="raar", title="x", weeks=0)],
        )
    assert set(exc.value.message_dict) == {"name", "steps"}
    with pytest.raises(PermissionDeniedError):
        planning.template_save(
            actor=team["school"],
            name="x",
            description="",
            steps=[TemplateStepInput(kind="werkfit", title="x", weeks=1)],
        )
    template = _template(km, team["course"])
    planning.template_retire(actor=km, template=template)
    with pytest.raises(ValidationError):
        planning.route_start(actor=km, candidate=team["person"], template=template)
    assert RouteTemplate.objects.get().is_active is False


@pytest.mark.django_db
def test_erasure_removes_the_route_and_the_words_but_keeps_the_counts(team, world):
    from perspectief.candidates.services.erasure import candidate_erase
    from perspectief.candidates.services.journey import candidate_change_status

    km, person = team["km"], team["person"]
    plan = _hire(team, world, TODAY() - timedelta(days=40))
    route = planning.route_start(actor=km, candidate=person)
    _check_in(km, plan, 1, outcome="concerns", note="Vertelde over schulden")
    support.drop_out_record(actor=km, plan=plan, on=TODAY(), reason="Ruzie met collega")
    candidate_change_status(actor=km, candidate=person, status="uitgestroomd")
    candidate_erase(actor=km, candidate=person)
    assert not Route.objects.filter(pk=route.pk).exists()
    plan.refresh_from_db()
    assert (plan.status, plan.drop_out_reason) == ("dropped_out", "")
    assert plan.check_ins.get(month=1).note == ""
    journey = JourneyTransition.objects.filter(candidate=person)
    assert journey.filter(to_status="uitgevallen").exists()
    assert not journey.exclude(reason="").exists()


@pytest.mark.django_db
def test_a_hire_ends_the_steps_that_led_to_work_and_partners_see_only_their_steps(team, world):
    km, school = team["km"], team["school"]
    route = planning.route_start(actor=km, candidate=team["person"])
    werkfit = planning.step_add(
        actor=km, route=route, data=_step(route, km.organisation, TODAY() - timedelta(days=10))
    )
    planning.step_start(actor=km, step=werkfit, on=TODAY() - timedelta(days=10))
    course = planning.course_add(actor=km, candidate=team["person"], edition=team["edition"])
    # The school sees its own step of the route, not the gemeente's werkfit.
    seen, level = route_selectors.route_get_for_actor(actor=school, uuid=route.uuid)
    assert [s.pk for s in route_selectors.shown_steps(school, seen, level)] == [course.pk]
    assert len(route_selectors.shown_steps(km, seen, "plan")) == 2
    _hire(team, world, TODAY() - timedelta(days=2))
    werkfit.refresh_from_db()
    course.refresh_from_db()
    assert (werkfit.status, werkfit.actual_end) == ("stopped", TODAY() - timedelta(days=2))
    assert werkfit.stop_reason.startswith("Aan het werk vanaf")
    assert course.status == "planned"  # courses stay for the klantmanager to decide
