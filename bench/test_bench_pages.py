"""Benchmark (issue #20 item 2): the PoW-dashboard and a person's page for a klantmanager of
Groot Amsterdam, through the whole request (middleware, access log, template) with Django's
test client, at 20,000 people served by her gemeente with 60,000 dated transitions, a plan
in force with an ambition per target group and an activity, and a person with hires and
instrument applications.

On the database of the run (SQLite, or PostgreSQL when DATABASE_URL points at it). In the
same run, as baselines: one database round trip and a plain page that reads no people (the
registration form). ``BENCH_LABEL`` names the figures (``before``/``after`` a change, run on
the same machine one after the other). Results in bench/results/pages.json."""

import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from benchlib import caseload, keep, timed

RESULTS = Path(__file__).resolve().parent / "results" / "pages.json"
PEOPLE = 20_000
TRANSITIONS = 60_000
STATUSES = ["in_beeld", "werkfit", "in_scholing", "bemiddelbaar", "geplaatst", "duurzaam"]


def _get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response


def _queries(client, url) -> tuple[int, float]:
    """The number of queries of a view and the time spent in them (ms, the least of 5)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spent = []
    for _i in range(5):
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        spent.append(sum(float(q["time"]) for q in queries.captured_queries))
    return len(queries), round(1000 * min(spent), 1)


def _people(region, postcode, gemeente, rng):
    from perspectief.candidates.models import (
        CandidateTargetGroup,
        JourneyTransition,
    )

    people = caseload(region, postcode, gemeente, PEOPLE)
    CandidateTargetGroup.objects.bulk_create(
        (CandidateTargetGroup(candidate=p, group="statushouder") for p in people[::4]),
        batch_size=5000,
    )
    first = date.today().replace(month=1, day=1) - timedelta(days=365)
    JourneyTransition.objects.bulk_create(
        (
            JourneyTransition(
                candidate=rng.choice(people),
                from_status="aangemeld",
                to_status=(status := rng.choice(STATUSES)),
                occurred_on=first + timedelta(days=rng.randint(0, 700)),
                cause={"geplaatst": "hire", "duurzaam": "durable"}.get(status, "route"),
            )
            for _i in range(TRANSITIONS)
        ),
        batch_size=5000,
    )
    return people


def _plan(region, gemeente, town):
    from tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        UserFactory,
        organisation_for_role,
    )

    from perspectief.accounts.actor import actor_for
    from perspectief.monitoring.services.activities import ActivityInput, activity_save
    from perspectief.monitoring.services.plans import PlanInput, plan_save, plan_set_status

    office = organisation_for_role("programmamanager", region, town)
    manager = actor_for(
        MembershipFactory(user=UserFactory(), organisation=office, role="programmamanager")
    )
    start = date.today().replace(month=1, day=1)
    plan = plan_save(
        actor=manager,
        data=PlanInput(
            title="Doe-agenda",
            period_start=start,
            period_end=start.replace(year=start.year + 1, month=12, day=31),
            lead=gemeente,
            employer_lead="Werkgevers",
            ambition=300,
            budget=Decimal("2000000"),
            ambitions=[("target_group", "statushouder", 40)],
        ),
    )
    owner = OrganisationFactory(kind="intermediary", municipality=town, region=region)
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("500000")),
    )
    plan_set_status(actor=manager, plan=plan, status="active")


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_dashboard_and_person_page(client):
    from django.db import connection
    from django.urls import reverse
    from tests.conftest import sign_in
    from tests.factories import (
        MembershipFactory,
        MunicipalityFactory,
        OrganisationFactory,
        PostcodeFactory,
        RegionFactory,
        TOTPDeviceFactory,
        UserFactory,
    )
    from tests.instruments.applications_world import hired, load_shipped, outside, record

    rng = random.Random(20261207)
    region = RegionFactory(code="AM18", name="Groot Amsterdam")
    town = MunicipalityFactory(code="GM0363", name="Amsterdam", region=region)
    postcode = PostcodeFactory(code="1011", municipality=town)
    gemeente = OrganisationFactory(kind="gemeente", municipality=town, region=region)
    km = MembershipFactory(user=UserFactory(), organisation=gemeente, role="klantmanager")
    TOTPDeviceFactory(user=km.user)
    start = time.perf_counter()
    people = _people(region, postcode, gemeente, rng)
    _plan(region, gemeente, town)
    load_shipped()
    person = people[PEOPLE // 2]
    world = type("World", (), {"amsterdam": town})
    for i in range(3):
        record(km, hired(world, person, gemeente, date.today() - timedelta(days=40 + i)), "LKS")
    record(km, outside(person, gemeente, date.today() - timedelta(days=50)), "LKS")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = round(time.perf_counter() - start, 1)

    sign_in(client, km.user)
    dashboard = reverse("monitoring:dashboard")
    detail = reverse("candidates:detail", args=[person.uuid])
    _get(client, dashboard)  # the settled quarters' tables published, as after the first view

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    result = {
        "people": PEOPLE,
        "transitions": TRANSITIONS,
        "database": connection.vendor,
        "setup_s": built,
        "baseline_select_1_ms": timed(select_one),
        "baseline_plain_page_ms": timed(lambda: _get(client, reverse("candidates:create"))),
        "dashboard_ms": timed(lambda: _get(client, dashboard)),
        "person_page_ms": timed(lambda: _get(client, detail)),
    }
    for name, url in (("dashboard", dashboard), ("person_page", detail)):
        result[f"{name}_queries"], result[f"{name}_sql_ms"] = _queries(client, url)
    keep(RESULTS, f"{connection.vendor}_{os.environ.get('BENCH_LABEL', 'latest')}", result)
    assert result["dashboard_queries"] > 0
