"""Action plans and monitoring (issue #7, part 1): the doe-agenda with its ambition, budget
and revisions; indicators counted from the platform's own records; small numbers
suppressed for those who see aggregates only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import JourneyTransition
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.monitoring import disclosure, indicators, plans
from perspectief.monitoring.models import ActionPlan, PlanRevision

from .conftest import sign_in
from .factories import CandidateFactory, OrganisationFactory

START, END = date(2026, 1, 1), date(2027, 12, 31)


@pytest.fixture
def manager(world, make_member):
    return actor_for(make_member("programmamanager"))


@pytest.fixture
def gemeente(world):
    return OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)


def _input(gemeente, **changes):
    data = {
        "title": "Doe-agenda Groot Amsterdam 2026-2027",
        "period_start": START,
        "period_end": END,
        "lead": gemeente,
        "employer_lead": "Werkgeversvereniging Amsterdam",
        "ambition": 300,
        "budget": Decimal("2000000"),
    }
    data.update(changes)
    return plans.PlanInput(**data)


@pytest.mark.django_db
def test_bad_plans_are_refused_with_every_reason(manager, gemeente, world, make_member):
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(
            actor=manager,
            data=_input(
                gemeente,
                ambition=0,
                period_end=START - timedelta(days=1),
                budget=Decimal("-1"),
                employer_lead=" ",
                ambitions=[("target_group", "statushouder", 400), ("target_group", "nope", 5)],
            ),
        )
    assert set(exc.value.message_dict) == {
        "ambition",
        "period_end",
        "budget",
        "employer_lead",
        "ambitions",
    }
    # The lead is a gemeente of the region.
    other = OrganisationFactory(kind="gemeente", municipality=world.rotterdam)
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(actor=manager, data=_input(other))
    assert set(exc.value.message_dict) == {"lead"}
    assert not ActionPlan.objects.exists()
    # Only the programme manager records it.
    with pytest.raises(PermissionDeniedError):
        plans.plan_save(actor=actor_for(make_member("klantmanager")), data=_input(gemeente))
    plan = plans.plan_save(actor=manager, data=_input(gemeente))
    # A second plan overlapping the first is refused.
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(
            actor=manager,
            data=_input(gemeente, period_start=date(2027, 6, 1), period_end=date(2028, 6, 1)),
        )
    assert "overlaps" in " ".join(exc.value.messages) or "overlapt" in " ".join(exc.value.messages)
    # Budgets that do not add up.
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    plans.activity_save(
        actor=manager,
        plan=plan,
        data=plans.ActivityInput("Basisbanen", "basisbanen", owner, Decimal("1500000")),
    )
    with pytest.raises(ValidationError) as exc:
        plans.activity_save(
            actor=manager,
            plan=plan,
            data=plans.ActivityInput("Praktijkleren", "praktijkleren", owner, Decimal("600000")),
        )
    assert set(exc.value.message_dict) == {"budget"}
    with pytest.raises(ValidationError):  # nor can the plan's budget drop below the activities'
        plans.plan_save(actor=manager, data=_input(gemeente, budget=Decimal("1000000")), plan=plan)
    assert plan.activities.count() == 1


@pytest.mark.django_db
def test_a_plan_in_force_is_revised_with_a_reason_and_its_history_kept(manager, gemeente):
    plan = plans.plan_save(actor=manager, data=_input(gemeente))
    plans.plan_set_status(actor=manager, plan=plan, status="active")
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(actor=manager, data=_input(gemeente, ambition=250), plan=plan)
    assert set(exc.value.message_dict) == {"reason"}
    plans.plan_save(
        actor=manager,
        data=_input(gemeente, ambition=250),
        plan=plan,
        reason="Crisis in de logistiek: minder vacatures",
    )
    plan.refresh_from_db()
    assert (plan.ambition, plan.version) == (250, 3)
    history = list(PlanRevision.objects.filter(plan=plan).order_by("version"))
    assert [r.version for r in history] == [1, 2, 3]
    assert history[-1].reason == "Crisis in de logistiek: minder vacatures"
    assert history[-1].changes == {"ambition": [300, 250]}
    assert history[0].snapshot["ambition"] == 300  # the first version can be read back


def _transition(person, to, on, cause="route", reference=""):
    return JourneyTransition.objects.create(
        candidate=person,
        from_status="in_beeld",
        to_status=to,
        occurred_on=on,
        cause=cause,
        reference=reference,
    )


@pytest.mark.django_db
def test_every_number_is_a_count_of_the_records_behind_it(world, manager, gemeente):
    people = [CandidateFactory(served_by=gemeente) for _ in range(8)]
    for person in people[:6]:
        _transition(person, "geplaatst", date(2026, 3, 10))
    _transition(people[6], "geplaatst", date(2025, 6, 1))  # before the period
    _transition(people[7], "in_beeld", date(2026, 2, 1))
    _transition(people[7], "uitgevallen", date(2026, 4, 1))
    f = indicators.Filters(date(2026, 1, 1), date(2026, 12, 31), region_id=world.am18.pk)
    counts = indicators.counts(f)
    assert (counts["matches"], counts["in_view"], counts["dropped_out"]) == (6, 1, 1)
    assert counts["matches"] == indicators.transitions(f, "matches").count()
    assert dict((m.month, n) for m, n in indicators.by_month(f))[3] == 6
    # Another region counts nothing of these.
    assert (
        indicators.counts(indicators.Filters(f.start, f.end, region_id=world.am22.pk))["matches"]
        == 0
    )
    # The plan: baseline counted from the year before (1), additional against the ambition.
    plan = plans.plan_save(
        actor=manager, data=_input(gemeente, ambition=10, period_end=date(2026, 12, 31))
    )
    progress = indicators.progress(plan, today=date(2026, 12, 31))
    assert (progress.matches, progress.baseline_per_year, progress.baseline_counted) == (6, 1, True)
    assert progress.additional == pytest.approx(6 - 1 * 365 / 365.25, abs=0.1)
    assert progress.ambition_to_date == pytest.approx(10 * 365 / 365.25, abs=0.1)


def test_small_cells_are_suppressed_and_cannot_be_worked_out():
    rows = {
        "AM01": {"matches": 3, "durable": 0},
        "AM02": {"matches": 7, "durable": 0},
        "AM03": {"matches": 12, "durable": 0},
    }
    shown, totals = disclosure.suppress_columns(rows, ["matches", "durable"])
    assert shown["AM01"]["matches"] is None  # primary
    assert shown["AM02"]["matches"] is None  # secondary: the total would give AM01 away
    assert shown["AM03"]["matches"] == 12 and totals["matches"] == 22
    assert [shown[r]["durable"] for r in rows] == [0, 0, 0] and totals["durable"] == 0
    # No other cell to hide: the total goes instead.
    shown, totals = disclosure.suppress_columns({"A": {"m": 2}, "B": {"m": 0}}, ["m"])
    assert (shown["A"]["m"], totals["m"]) == (None, None)


@pytest.mark.django_db
def test_dashboard_drill_down_and_the_national_view(client, world, make_member, gemeente):
    km = make_member("klantmanager")
    ours = [CandidateFactory(served_by=km.organisation, last_name=f"Oost{i}") for i in range(3)]
    theirs = CandidateFactory(served_by=OrganisationFactory(kind="uwv", region=world.am18))
    for person in [*ours, theirs]:
        _transition(person, "geplaatst", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "PoW-dashboard" in body and ">4<" in body  # region level: exact
    narrowed = client.get(
        reverse("monitoring:dashboard"), {"municipality": world.amsterdam.pk}
    ).content.decode()
    assert "&lt; 5" in narrowed  # below the region: small numbers hidden
    # The klantmanager drills down to the people her gemeente serves, not UWV's.
    sign_in(client, km.user)
    response = client.get(reverse("monitoring:drill", kwargs={"key": "matches"}))
    drill = response.content.decode()
    assert all(p.full_name in drill for p in ours) and theirs.last_name not in drill
    assert response.context["hidden"] == 1  # counted, served by UWV: not shown
    # The ministry compares the regions, aggregates only.
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get(reverse("monitoring:national")).content.decode()
    assert "Oost0" not in national and "&lt; 5" in national


@pytest.mark.django_db
def test_indicators_over_the_api(client, world, make_member):
    km = make_member("klantmanager")
    for _i in range(6):
        _transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get("/api/v1/indicators").json()
    assert (body["region"], body["counts"]["matches"], body["suppressed"]) == ("AM18", 6, False)
    assert client.get("/api/v1/indicators", {"region": "AM22"}).status_code == 404
    assert client.get("/api/v1/indicators", {"from": "gisteren"}).status_code == 400
    group = client.get("/api/v1/indicators", {"targetGroup": "statushouder"}).json()
    assert group["suppressed"] and group["counts"]["matches"] == 0
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get("/api/v1/indicators", {"region": "AM18"}).json()
    assert national["suppressed"] and national["counts"]["matches"] == 6
    assert client.get("/api/v1/indicators").status_code == 400  # which region?
