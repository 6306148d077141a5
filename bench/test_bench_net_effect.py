"""Benchmark: the plan's net effect (#19, item 6) for a region of national scale, on the
embedded SQLite database — 60,000 people in view in the region (6,000 of them in the plan's
activities), 34 other regions of 1,000 people, 100,000 dated transitions. Measures
``net_effect()`` whole (its strata in one grouped query, the regions' matches in another),
as the dashboard computes it. Results in bench/results/monitoring.json."""

import json
import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from benchlib import timed

RESULTS = Path(__file__).resolve().parent / "results" / "monitoring.json"
REGION_PEOPLE = int(os.environ.get("NET_EFFECT_PEOPLE", "60000"))
OTHER_PEOPLE = 1_000
REACHED = REGION_PEOPLE // 10
GROUPS = ["statushouder", "50plus", "langdurig", "jongere_zonder_sk"]
READY = ["", "ready", "nearly", "not_yet"]


def _people(Candidate, rng, region, n, start):
    return Candidate.objects.bulk_create(
        (
            Candidate(
                first_name="Test",
                last_name=f"Persoon {i}",
                region=region,
                date_of_birth=start - timedelta(days=rng.randint(18 * 365, 64 * 365)),
                work_readiness=rng.choice(READY),
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def _journeys(JourneyTransition, rng, people, start):
    rows = []
    for person in people:
        seen = start - timedelta(days=rng.randint(-200, 1500))
        rows.append(
            JourneyTransition(
                candidate=person,
                from_status="aangemeld",
                to_status="in_beeld",
                occurred_on=seen,
                cause="route",
            )
        )
        if rng.random() < 0.25:
            rows.append(
                JourneyTransition(
                    candidate=person,
                    from_status="in_beeld",
                    to_status="geplaatst",
                    occurred_on=start + timedelta(days=rng.randint(-270, 270)),
                    cause="hire",
                )
            )
    JourneyTransition.objects.bulk_create(rows, batch_size=5000)


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_net_effect_national_scale():
    from perspectief.candidates.models import Candidate, CandidateTargetGroup, JourneyTransition
    from perspectief.catalogue.models import Offer
    from perspectief.monitoring.models import ActionPlan, PlanActivity
    from perspectief.monitoring.selectors.net_effect import net_effect
    from perspectief.organisations.models import Organisation
    from perspectief.regions.models import Municipality, Region
    from perspectief.routes.models import Route, RouteStep

    rng = random.Random(20261207)
    start = date(2026, 1, 1)
    regions = [Region.objects.create(code=f"AM{i:02d}", name=f"Regio {i}") for i in range(1, 36)]
    region = regions[17]
    began = time.perf_counter()
    town = Municipality.objects.create(
        code="GM9999", name="Gemeente", province="Utrecht", region=region, latitude=52, longitude=5
    )
    gemeente = Organisation.objects.create(
        name="Gemeente", kind="gemeente", region=region, municipality=town
    )
    course = Offer.objects.create(
        provider=gemeente, region=region, kind="nt2", title="Taal", funding="regio"
    )
    plan = ActionPlan.objects.create(
        region=region,
        title="Plan",
        period_start=start,
        period_end=date(2027, 12, 31),
        lead=gemeente,
        employer_lead="Werkgevers",
        ambition=100,
        budget=Decimal(1000),
        status="active",
    )
    activity = PlanActivity.objects.create(
        plan=plan, name="Taal", kind="statushouders", owner=gemeente, budget=Decimal(0)
    )
    activity.offers.add(course)
    people = _people(Candidate, rng, region, REGION_PEOPLE, start)
    for other in regions:
        if other != region:
            _journeys(
                JourneyTransition, rng, _people(Candidate, rng, other, OTHER_PEOPLE, start), start
            )
    _journeys(JourneyTransition, rng, people, start)
    CandidateTargetGroup.objects.bulk_create(
        (CandidateTargetGroup(candidate=p, group=rng.choice(GROUPS)) for p in people[::3]),
        batch_size=5000,
    )
    routes = Route.objects.bulk_create(
        (Route(candidate=p, organisation=gemeente) for p in people[:REACHED]), batch_size=5000
    )
    RouteStep.objects.bulk_create(
        (
            RouteStep(
                route=r,
                kind="nt2",
                title="Taal",
                owner=gemeente,
                offer=course,
                status="started",
                planned_start=start + timedelta(days=rng.randint(0, 200)),
                planned_end=start + timedelta(days=300),
            )
            for r in routes
        ),
        batch_size=5000,
    )
    built = round(time.perf_counter() - began, 1)
    today = date(2026, 10, 15)
    if os.environ.get("NET_EFFECT_EXPLAIN"):
        from perspectief.monitoring.selectors import net_effect as ne

        print(ne.strata_query(plan, date(2026, 9, 30), [course.pk]).explain())
    result = {
        "region_people": REGION_PEOPLE,
        "reached": REACHED,
        "other_regions": len(regions) - 1,
        "setup_s": built,
        "net_effect_ms": timed(lambda: net_effect(plan, today=today), repeat=3),
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["net_effect_national_scale"] = result
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    shown = net_effect(plan, today=today)
    assert shown.matched.state == "shown" and shown.did.state == "shown"
