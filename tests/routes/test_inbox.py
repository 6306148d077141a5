"""What routes put in the inbox (issue #16, item 1): each source shows its work exactly to
those who may see the page the item links to — another organisation or region sees
nothing — and the item leaves once the work is done on that page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.core.dates import add_months
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES
from perspectief.routes import inbox
from perspectief.routes.models import RouteStep, SupportPlan
from perspectief.routes.selectors import stuck
from perspectief.routes.selectors.waiting import planners, supporters
from perspectief.routes.services import handoffs, progress, support
from perspectief.routes.services import routes as route_services
from perspectief.routes.services.steps import StepInput

from ..conftest import sign_in
from ..factories import (
    CandidateFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)

TODAY = timezone.localdate


@pytest.fixture
def team(world, make_member):
    """A klantmanager and a colleague of the gemeente, a school with two advisers, a
    person the gemeente serves (the klantmanager's), another school, and the region's
    and another region's programme managers."""
    km = make_member("klantmanager")
    school = make_member("opleidingsadviseur")
    person = CandidateFactory(served_by=km.organisation, status="in_beeld")
    person.klantmanager = km.user
    person.save()
    return {
        "km": actor_for(km),
        "colleague": actor_for(
            MembershipFactory(organisation=km.organisation, role="klantmanager")
        ),
        "school": actor_for(school),
        "school_colleague": actor_for(
            MembershipFactory(organisation=school.organisation, role="opleidingsadviseur")
        ),
        "other_school": actor_for(make_member("opleidingsadviseur")),
        "manager": actor_for(make_member("programmamanager")),
        "other_manager": actor_for(make_member("programmamanager", region_code="AM22")),
        "person": person,
    }


def _step(owner, start, weeks=2, kind="mbo", **extra):
    return StepInput(
        kind=kind,
        title=extra.pop("title", "Logistiek"),
        owner=owner,
        planned_start=start,
        planned_end=start + timedelta(weeks=weeks),
        **extra,
    )


def _routes_inbox(actor):
    """What the routes' own sources put in the actor's inbox (other apps add their work to
    the same inbox, e.g. the people whose availability is to be reconfirmed)."""
    return [
        item
        for name, source in SOURCES.items()
        if name.startswith("routes.")
        for item in source(actor)
    ]


def _items(actor, kind=None):
    """The actor's routes work (in English: the words are checked, not their translation)."""
    with translation.override("en"):
        return [i for i in _routes_inbox(actor) if kind is None or i.kind == kind]


def _opens(client, actor, url) -> int:
    """The status of the page an item links to, for the actor."""
    if not actor.user.totpdevice_set.exists():
        TOTPDeviceFactory(user=actor.user)
    client.logout()
    sign_in(client, actor.user)
    return client.get(url.split("#")[0]).status_code


def test_the_sources_are_registered():
    keys = [key for key, _source in SOURCES.items()]
    for key in ("routes.handoffs", "routes.stuck_region", "routes.planning", "routes.support"):
        assert key in keys


@pytest.mark.django_db
def test_a_hand_off_waits_for_the_organisation_it_was_handed_to(team, client, settings):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    step = route_services.step_add(
        actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=10))
    )
    [item] = _items(school, Kind.HANDOFF)
    assert item.url == reverse("route:detail", args=[route.uuid]) + f"#step-{step.uuid}"
    # By the code, as the route's page shows the person until the school accepts.
    assert person.partner_label in item.title and person.last_name not in item.title
    assert item.due == TODAY() + timedelta(days=settings.HANDOFF_ACCEPT_DAYS)
    assert _items(team["school_colleague"], Kind.HANDOFF) == [item]
    # Exactly those who may open the page: another school, the planner (nothing to answer)
    # and the coordinators see no such item; the other school gets a 404 on the page.
    for other in ("other_school", "km", "manager", "other_manager"):
        assert _items(team[other], Kind.HANDOFF) == []
    assert _opens(client, school, item.url) == 200
    assert _opens(client, team["other_school"], item.url) == 404
    # Answered on the page, it leaves the inbox.
    client.logout()
    sign_in(client, school.user)
    client.post(reverse("route:step-action", args=[step.uuid]), {"action": "accept"})
    step.refresh_from_db()
    assert step.handoff == "accepted"
    assert _items(school, Kind.HANDOFF) == []
    assert _items(team["school_colleague"]) == []


@pytest.mark.django_db
def test_a_declined_hand_off_and_stuck_steps_wait_for_the_planner(team, client, settings):
    km, school, person = team["km"], team["school"], team["person"]
    route = route_services.route_start(actor=km, candidate=person)
    late = route_services.step_add(
        actor=km,
        route=route,
        data=_step(km.organisation, TODAY() - timedelta(days=30), kind="werkfit", title="Werkfit"),
    )
    handed = route_services.step_add(
        actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=7))
    )
    [stuck_item] = _items(km, Kind.STUCK_STEP)
    assert stuck_item.title == f"Stuck: Werkfit of {person.full_name}"
    assert stuck_item.due == late.planned_end and stuck_item.overdue
    # The person's klantmanager, not every klantmanager of the gemeente; nobody elsewhere.
    assert _items(team["colleague"]) == []
    assert _items(team["school"], Kind.STUCK_STEP) == []
    assert _opens(client, km, stuck_item.url) == 200
    handoffs.handoff_answer(actor=school, step=handed, accept=False, reason="Vol dit jaar")
    [declined] = _items(km, Kind.HANDOFF_ANSWERED)
    assert "Vol dit jaar" in declined.detail and declined.due == handed.planned_start
    # Done on the route's page: the late step moves on, the declined one gets another owner
    # (a new hand-off, now waiting for the other school).
    progress.step_start(actor=km, step=late, on=TODAY() - timedelta(days=30))
    progress.step_complete(actor=km, step=late, on=TODAY() - timedelta(days=1))
    route_services.step_change(
        actor=km,
        step=handed,
        data=_step(team["other_school"].organisation, handed.planned_start),
    )
    assert _items(km) == []
    assert len(_items(team["other_school"], Kind.HANDOFF)) == 1
    # Without a klantmanager of their own, the person's route waits for every planner.
    person.klantmanager = None
    person.save()
    RouteStep.objects.filter(pk=handed.pk).update(
        handed_off_at=timezone.now() - timedelta(days=settings.HANDOFF_ACCEPT_DAYS + 2)
    )
    assert len(_items(km, Kind.STUCK_STEP)) == len(_items(team["colleague"], Kind.STUCK_STEP)) == 1


@pytest.mark.django_db
def test_the_coordinator_gets_one_item_for_the_doorbraak_list(team, client, settings):
    km, school, person = team["km"], team["school"], team["person"]
    manager, other = team["manager"], team["other_manager"]
    assert _items(manager) == []
    route = route_services.route_start(actor=km, candidate=person)
    late = route_services.step_add(
        actor=km,
        route=route,
        data=_step(km.organisation, TODAY() - timedelta(days=30), kind="werkfit"),
    )
    handed = route_services.step_add(
        actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=3))
    )
    second = CandidateFactory(served_by=km.organisation)
    other_route = route_services.route_start(actor=km, candidate=second)
    route_services.step_add(
        actor=km, route=other_route, data=_step(school.organisation, TODAY() + timedelta(days=3))
    )
    # The hand-offs count from the day after HANDOFF_ACCEPT_DAYS, as on the list.
    wait = settings.HANDOFF_ACCEPT_DAYS
    RouteStep.objects.filter(pk=handed.pk).update(
        handed_off_at=timezone.now() - timedelta(days=wait + 3)
    )
    RouteStep.objects.filter(route=other_route).update(
        handed_off_at=timezone.now() - timedelta(days=wait)
    )
    rows, _regional = stuck.stuck_steps(actor=manager)
    [item] = _items(manager)
    assert (item.kind, item.url) == (Kind.STUCK_STEP, reverse("route:stuck"))
    assert item.title == f"{len(rows)} steps of routes in the region are stuck"
    assert len(rows) == 2 and item.due == min(r.since for r in rows) == late.planned_end
    assert person.last_name not in item.title + item.detail
    # Another region's coordinator opens the list too, but none of these steps is on it.
    assert _items(other) == []
    assert stuck.stuck_steps(actor=other)[0] == []
    assert _opens(client, manager, item.url) == 200
    # Moving again, the steps leave the list and the item with them.
    handoffs.handoff_answer(actor=school, step=handed, accept=True)
    progress.step_start(actor=km, step=late, on=TODAY() - timedelta(days=30))
    progress.step_complete(actor=km, step=late, on=TODAY())
    assert _items(manager) == []


@pytest.fixture
def at_work(team, world):
    """The person at work for four months, supported by an SW company with two jobcoaches;
    the 1-month check-in was held, the 3-month one is missed, the 6-month one due in 2 months."""
    person = team["person"]
    person.status = "geplaatst"
    person.save()
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam)
    coach = actor_for(MembershipFactory(organisation=sw, role="jobcoach"))
    colleague = actor_for(MembershipFactory(organisation=sw, role="jobcoach"))
    stranger = actor_for(
        MembershipFactory(
            organisation=OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam),
            role="jobcoach",
        )
    )
    started = add_months(TODAY(), -4)
    plan = SupportPlan.objects.create(
        candidate=person,
        employer_name="Bakkerij",
        job_title="Inpakker",
        organisation=sw,
        started_on=started,
    )
    for month in (1, 3, 6, 12):
        held = add_months(started, month) if month == 1 else None
        plan.check_ins.create(month=month, due_on=add_months(started, month), held_on=held)
    return {"plan": plan, "coach": coach, "colleague": colleague, "stranger": stranger}


def _check_in(actor, plan, month, channel="in_person"):
    return support.check_in_record(
        actor=actor,
        plan=plan,
        month=month,
        held_on=TODAY(),
        with_person=True,
        with_employer=False,
        outcome="well",
        channel=channel,
    )


@pytest.mark.django_db
def test_check_ins_wait_for_whoever_supports_the_person(team, at_work, client):
    plan, coach, colleague = at_work["plan"], at_work["coach"], at_work["colleague"]
    person = team["person"]
    # Nobody named: every jobcoach of the supporting organisation.
    [item] = _items(coach, Kind.CHECKIN)
    assert _items(colleague, Kind.CHECKIN) == [item]
    assert item.url == reverse("route:support-plan", args=[plan.uuid])
    assert item.title == f"Check-in with {person.full_name} after 3 months"
    assert item.detail.startswith("Missed") and item.overdue
    # Not the gemeente that serves the person (it may open the page, but does not support
    # the person at work), nor another SW company (which may not).
    assert _items(team["km"], Kind.CHECKIN) == []
    assert _items(at_work["stranger"], Kind.CHECKIN) == []
    assert _opens(client, coach, item.url) == 200
    assert _opens(client, at_work["stranger"], item.url) == 404
    # Once a jobcoach is named, theirs only.
    support.jobcoach_assign(actor=coach, plan=plan, jobcoach=colleague.user)
    assert _items(coach, Kind.CHECKIN) == []
    assert _items(colleague, Kind.CHECKIN) == [item]
    # Recorded on the page, it leaves; the 6-month one shows a week before it is due.
    _check_in(colleague, plan, 3)
    assert _items(colleague, Kind.CHECKIN) == []
    plan.check_ins.filter(month=6).update(due_on=TODAY() + timedelta(days=7))
    [due] = _items(colleague, Kind.CHECKIN)
    assert due.detail.startswith("Due on") and not due.overdue
    plan.check_ins.filter(month=6).update(due_on=TODAY() + timedelta(days=8))
    assert _items(colleague, Kind.CHECKIN) == []


@pytest.mark.django_db
def test_the_rule_for_the_inbox_and_for_the_mail_is_the_same(team, at_work):
    """``supporters(plan)`` (whom the mail goes to) and ``supported_by`` (whose inbox shows
    it) pick the same people, whoever is named."""
    plan, coach, colleague = at_work["plan"], at_work["coach"], at_work["colleague"]
    km_at_sw = actor_for(MembershipFactory(organisation=plan.organisation, role="intermediair"))
    everyone = [coach, colleague, km_at_sw, team["km"], at_work["stranger"]]

    def inboxes():
        return {a.user.pk for a in everyone if inbox.support(a)}

    def mails():
        plan.refresh_from_db()
        return {m.user_id for m in supporters(plan)}

    assert inboxes() == mails() == {coach.user.pk, colleague.user.pk, km_at_sw.user.pk}
    team["person"].klantmanager = km_at_sw.user
    team["person"].save()
    assert inboxes() == mails() == {km_at_sw.user.pk}
    support.jobcoach_assign(actor=coach, plan=plan, jobcoach=coach.user)
    assert inboxes() == mails() == {coach.user.pk}
    # A jobcoach who left the organisation is nobody's excuse: the rule falls back.
    coach.membership.is_active = False
    coach.membership.save()
    assert inboxes() - {coach.user.pk} == mails() == {km_at_sw.user.pk}
    # The planner's rule, the same way.
    route = route_services.route_start(actor=team["km"], candidate=team["person"])
    assert {m.user_id for m in planners(route)} == {team["km"].user.pk, team["colleague"].user.pk}


@pytest.mark.django_db
def test_durable_work_to_confirm_waits_for_the_supporter(team, at_work):
    plan, coach = at_work["plan"], at_work["coach"]
    assert not [i for i in _items(coach) if i.key.startswith("routes.confirm")]
    SupportPlan.objects.filter(pk=plan.pk).update(started_on=add_months(TODAY(), -7))
    plan.refresh_from_db()
    [item] = [i for i in _items(coach) if i.key.startswith("routes.confirm")]
    assert item.due == plan.durable_due_on and item.overdue
    # Said as what it is, not as the check-in whose e-mail setting it shares.
    assert item.kind_label == "durable work to be confirmed"
    with translation.override("nl"):
        [item] = [i for i in _routes_inbox(coach) if i.key.startswith("routes.confirm")]
        assert item.kind_label == "duurzaam werk te bevestigen"
    assert _items(at_work["stranger"]) == []
    support.work_confirm(
        actor=coach,
        plan=plan,
        confirmed_on=TODAY(),
        source="employer",
        method="phone",
        still_employed=True,
    )
    assert not [i for i in _items(coach) if i.key.startswith("routes.confirm")]


@pytest.mark.parametrize(
    "today",
    [date(2027, 2, 28), date(2028, 2, 29), date(2027, 8, 31), date(2027, 3, 1), date(2027, 6, 15)],
)
@pytest.mark.django_db
def test_the_count_of_work_to_confirm_is_the_propertys_count(team, at_work, monkeypatch, today):
    """The "more to confirm" count is made in SQL for whoever is surely past six months and
    by ``not_confirmed`` for the last few days: the same number as asking every placement,
    also at a month's end and in a leap year (where six months back clamps the day)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    org, person = at_work["plan"].organisation, team["person"]
    SupportPlan.objects.all().delete()
    surely = add_months(today, -6)
    for shift in range(-5, 8):
        SupportPlan.objects.create(
            candidate=person,
            organisation=org,
            employer_name="B",
            job_title="I",
            started_on=surely + timedelta(days=shift),
        )
    SupportPlan.objects.create(  # ended: never counted
        candidate=person,
        organisation=org,
        employer_name="B",
        job_title="I",
        started_on=surely - timedelta(days=30),
        status="ended",
    )
    plans = SupportPlan.objects.filter(status="active", confirmation__isnull=True).order_by("id")
    expected = sum(1 for plan in SupportPlan.objects.all() if plan.not_confirmed)
    assert 6 <= expected < 13
    assert inbox._not_confirmed_count(plans, today) == expected


@pytest.mark.django_db
def test_a_long_list_ends_in_one_item_that_counts_the_rest(team, monkeypatch):
    monkeypatch.setattr(inbox, "INBOX_LIMIT", 2)
    km, school = team["km"], team["school"]
    for _ in range(4):
        person = CandidateFactory(served_by=km.organisation)
        route = route_services.route_start(actor=km, candidate=person)
        route_services.step_add(
            actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=5))
        )
    with translation.override("en"):
        items = inbox.handoffs(school)
    assert len(items) == 3
    assert items[-1].title.startswith("2 more steps")
    assert items[-1].url == reverse("route:home") + "#handed"


@pytest.mark.django_db
def test_sources_ask_nothing_of_who_they_do_not_apply_to(make_member, django_assert_num_queries):
    seeker = actor_for(make_member("werkzoekende"))
    employer = actor_for(make_member("werkgever"))
    analyst = actor_for(make_member("analist_szw"))
    for actor in (seeker, employer, analyst):
        with django_assert_num_queries(0):
            for source in (inbox.handoffs, inbox.stuck_region, inbox.planning, inbox.support):
                assert source(actor) == []


@pytest.mark.django_db
def test_the_sources_cost_the_same_for_more_work(team, world):
    """No query per item: the inbox is read on every page (the count in the header)."""
    km, school = team["km"], team["school"]
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam)
    coach = actor_for(MembershipFactory(organisation=sw, role="jobcoach"))

    def more_work():
        person = CandidateFactory(served_by=km.organisation, status="geplaatst")
        person.klantmanager = km.user
        person.save()
        route = route_services.route_start(actor=km, candidate=person)
        route_services.step_add(
            actor=km,
            route=route,
            data=_step(km.organisation, TODAY() - timedelta(days=30), kind="werkfit"),
        )
        step = route_services.step_add(
            actor=km, route=route, data=_step(school.organisation, TODAY() + timedelta(days=3))
        )
        declined = route_services.step_add(
            actor=km,
            route=route,
            data=_step(team["other_school"].organisation, TODAY() + timedelta(days=30)),
        )
        handoffs.handoff_answer(actor=team["other_school"], step=declined, accept=False, reason="x")
        started = add_months(TODAY(), -7)
        plan = SupportPlan.objects.create(
            candidate=person, employer_name="B", job_title="W", organisation=sw, started_on=started
        )
        plan.check_ins.create(month=1, due_on=add_months(started, 1))
        return step

    def cost(actor):
        with CaptureQueriesContext(connection) as queries:
            items = _routes_inbox(actor)
        return len(queries), len(items)

    more_work()
    before = {name: cost(a) for name, a in (("km", km), ("school", school), ("coach", coach))}
    for _ in range(3):
        more_work()
    after = {name: cost(a) for name, a in (("km", km), ("school", school), ("coach", coach))}
    assert after["km"][1] == 4 * before["km"][1] == 8  # a stuck and a declined step each
    assert after["school"][1] == 4 and after["coach"][1] == 8  # a check-in, a confirmation
    assert {name: q for name, (q, _n) in after.items()} == {
        name: q for name, (q, _n) in before.items()
    }
