"""Routes tell people by e-mail that work waits (issue #16, item 2): a hand-off to the
organisation it was handed to, the answer to the planner, and — daily, once each —
check-ins that became missed to whoever supports the person and newly stuck steps to the
region's programme managers. Mail leaves after commit and names nobody."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.core.dates import add_months
from perspectief.notifications.constants import Kind, Status
from perspectief.notifications.models import Message
from perspectief.routes import tasks
from perspectief.routes.constants import MISSED_NOTICE_DAYS
from perspectief.routes.models import CheckIn, RouteStep, SupportPlan
from perspectief.routes.services import handoffs, progress
from perspectief.routes.services import routes as route_services
from perspectief.routes.services.steps import StepInput

from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory

TODAY = timezone.localdate


@pytest.fixture
def team(world, make_member):
    km = make_member("klantmanager")
    school = make_member("opleidingsadviseur")
    person = CandidateFactory(served_by=km.organisation, status="in_beeld", bsn="111222333")
    person.klantmanager = km.user
    person.save()
    return {
        "km": actor_for(km),
        "colleague": MembershipFactory(organisation=km.organisation, role="klantmanager"),
        "school": actor_for(school),
        "school_colleague": MembershipFactory(
            organisation=school.organisation, role="opleidingsadviseur"
        ),
        "other_school": make_member("opleidingsadviseur"),
        "manager": make_member("programmamanager"),
        "other_manager": make_member("programmamanager", region_code="AM22"),
        "person": person,
    }


def _step(owner, start, weeks=2, kind="mbo"):
    return StepInput(
        kind=kind,
        title="Stap",
        owner=owner,
        planned_start=start,
        planned_end=start + timedelta(weeks=weeks),
    )


def _recipients(kind) -> set[int]:
    return set(Message.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def _no_personal_data(person) -> None:
    for message in Message.objects.all():
        text = f"{message.subject}\n{message.body}\n{message.url}"
        assert person.last_name not in text and person.first_name not in text
        assert "111222333" not in text


@pytest.mark.django_db
def test_a_hand_off_is_mailed_to_those_who_may_answer_it(team, django_capture_on_commit_callbacks):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        route_services.step_add(
            actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=5))
        )
        assert mail.outbox == []  # nothing leaves before the hand-off has committed
    for callback in callbacks:
        callback()
    assert _recipients(Kind.HANDOFF) == {school.user.pk, team["school_colleague"].user_id}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [school.user.email, team["school_colleague"].user.email]
    )
    assert all(reverse("route:detail", args=[route.uuid]) in m.body for m in mail.outbox)
    # An own step is no hand-off: no mail.
    with django_capture_on_commit_callbacks(execute=True):
        route_services.step_add(
            actor=km,
            route=route,
            data=_step(km.organisation, TODAY() + timedelta(days=30), kind="werkfit"),
        )
    assert Message.objects.count() == 2
    _no_personal_data(person)


@pytest.mark.django_db
def test_a_refused_hand_off_sends_nothing(team, django_capture_on_commit_callbacks):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        route_services.step_add(
            actor=km,
            route=route,
            data=StepInput(
                kind="mbo",
                title="Stap",
                owner=school.organisation,
                planned_start=TODAY(),
                planned_end=TODAY() - timedelta(days=1),
            ),
        )
    assert not Message.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_the_answer_goes_to_the_planner(team, django_capture_on_commit_callbacks):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    step = route_services.step_add(
        actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=5))
    )
    with django_capture_on_commit_callbacks(execute=True):
        handoffs.handoff_answer(actor=school, step=step, accept=False, reason="Vol")
    # The person's klantmanager, not the colleague; in the daily overview (its default).
    [answer] = Message.objects.filter(kind=Kind.HANDOFF_ANSWERED)
    assert (answer.recipient, answer.status) == (km.user, Status.HELD)
    assert answer.url == reverse("route:detail", args=[route.uuid])
    _no_personal_data(person)


def _plan(person, organisation, started, jobcoach=None):
    plan = SupportPlan.objects.create(
        candidate=person,
        employer_name="Bakkerij",
        job_title="Inpakker",
        organisation=organisation,
        started_on=started,
        jobcoach=jobcoach,
    )
    for month in (1, 3, 6, 12):
        plan.check_ins.create(month=month, due_on=add_months(started, month))
    return plan


@pytest.mark.django_db
def test_the_daily_job_tells_of_missed_check_ins_once(
    team, world, settings, django_capture_on_commit_callbacks
):
    person = team["person"]
    person.status = "geplaatst"
    person.save()
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam)
    coach = MembershipFactory(organisation=sw, role="jobcoach")
    other_coach = MembershipFactory(organisation=sw, role="jobcoach")
    grace = settings.CHECK_IN_GRACE_DAYS
    # The 1-month check-in became missed yesterday.
    started = add_months(TODAY() - timedelta(days=grace + 1), -1)
    plan = _plan(person, sw, started, jobcoach=coach.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_due_work() == {"missed_check_ins": 1, "stuck_steps": 0}
    [message] = Message.objects.filter(kind=Kind.CHECKIN)
    assert message.recipient == coach.user  # the named jobcoach only
    assert message.url == reverse("route:support-plan", args=[plan.uuid])
    assert [m.to for m in mail.outbox] == [[coach.user.email]]
    assert CheckIn.objects.get(plan=plan, month=1).missed_notified_at is not None
    # Run again (or twice on one day): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_due_work() == {"missed_check_ins": 0, "stuck_steps": 0}
    assert Message.objects.count() == 1 and len(mail.outbox) == 1
    assert other_coach.user_id not in _recipients(Kind.CHECKIN)
    _no_personal_data(person)


@pytest.mark.django_db
def test_check_ins_missed_long_before_the_job_stay_in_the_inbox_only(team, world, settings):
    person = team["person"]
    person.status = "geplaatst"
    person.save()
    km = team["km"]
    started = add_months(TODAY(), -2) - timedelta(
        days=settings.CHECK_IN_GRACE_DAYS + MISSED_NOTICE_DAYS + 1
    )
    _plan(person, km.organisation, started)
    assert tasks.notify_due_work()["missed_check_ins"] == 0
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_daily_job_tells_the_regions_managers_of_newly_stuck_steps(
    team, settings, django_capture_on_commit_callbacks
):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    late = route_services.step_add(
        actor=km,
        route=route,
        data=_step(km.organisation, TODAY() - timedelta(days=30), kind="werkfit"),
    )
    handed = route_services.step_add(
        actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=5))
    )
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_due_work()["stuck_steps"] == 1
    # The region's programme manager (in the daily overview), not another region's.
    [message] = Message.objects.all()
    assert (message.kind, message.recipient_id) == (Kind.STUCK_STEP, team["manager"].user_id)
    assert message.url == reverse("route:stuck")
    late.refresh_from_db()
    assert late.stuck_notified_at is not None
    assert tasks.notify_due_work()["stuck_steps"] == 0
    # The hand-off gets stuck later: that is new, and told once.
    RouteStep.objects.filter(pk=handed.pk).update(
        handed_off_at=timezone.now() - timedelta(days=settings.HANDOFF_ACCEPT_DAYS + 1)
    )
    assert tasks.notify_due_work()["stuck_steps"] == 1
    assert tasks.notify_due_work()["stuck_steps"] == 0
    # Planned again, a step that gets stuck again is told again.
    progress.step_start(actor=km, step=late, on=TODAY() - timedelta(days=30))
    route_services.step_change(
        actor=km,
        step=late,
        data=StepInput(
            kind="werkfit",
            title="Stap",
            owner=km.organisation,
            planned_start=late.planned_start,
            planned_end=TODAY() - timedelta(days=1),
        ),
    )
    assert tasks.notify_due_work()["stuck_steps"] == 1
    assert team["other_manager"].user_id not in _recipients(Kind.STUCK_STEP)
    _no_personal_data(person)
