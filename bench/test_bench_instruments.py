"""Benchmark (issue #17): "what can this employer get?" for many cases.

Three measurements in one run, each against a plain baseline measured in the same run
(these machines are shared and noisy):

* the rules alone: every shipped instrument's ``answer()`` for 2,000 random cases (ages,
  benefits, target groups, hours, wages, unknown facts), per case in µs, against a plain
  Python function that hard-codes LKV's four categories and the no-riskpolis (what a
  developer would write without a rule language);
* with the database: ``instruments.check.check`` (picks the published versions and the
  region's variations valid on the date, then evaluates) per case in ms and queries,
  against one ``SELECT 1``;
* the whole request: ``POST /api/v1/instruments/check`` and the public Regelingenwijzer
  page through Django's test client, when those routes exist.

    PYTHONPATH=src .venv/bin/pytest -m bench -s bench/test_bench_instruments.py -p no:cacheprovider

Results in bench/results/instruments.json, one entry per database vendor."""

import datetime
import json
import platform
import random
import time
from pathlib import Path

import pytest
from benchlib import timed
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from tests.conftest import sign_in
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    RegionFactory,
    organisation_for_role,
)

from perspectief.candidates.constants import Benefit, TargetGroup
from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.check import check
from perspectief.instruments.evaluate import answer
from perspectief.instruments.loaders import INSTRUMENTS_FILE, load_instruments

RESULTS = Path(__file__).resolve().parent / "results" / "instruments.json"
CASES = 2_000
SHIPPED = json.loads((DEFAULT_DATA_DIR / INSTRUMENTS_FILE).read_text())["instruments"]


def _cases(seed=17):
    rng = random.Random(seed)
    for _i in range(CASES):
        yield {
            "person.age": rng.choice([None, *range(18, 68)]),
            "person.benefit": rng.choice([None, *Benefit.values]),
            "person.targetGroups": rng.sample(TargetGroup.values, rng.randint(0, 2)),
            "person.structuralFunctionalLimitation": rng.choice([None, True, False]),
            "person.wageValuePercent": rng.choice([None, 30, 50, 80, 100]),
            "person.employedByThisEmployerInLast6Months": rng.choice([None, False, False, True]),
            "person.weeksOnBenefit": rng.choice([None, 10, 60]),
            "job.hoursPerWeek": rng.randint(8, 40),
            "job.contractMonths": rng.choice([None, 3, 6, 12]),
            "job.permanent": rng.choice([False, True]),
            "job.hourlyWage": rng.choice([None, 14.4, 16.0]),
            "job.bbl": rng.choice([False, True]),
            "job.shelteredWork": False,
            "job.reinstatement": False,
            "employer.recognisedTrainingCompany": rng.choice([None, True, False]),
            "employer.intendsContractMonths": rng.choice([None, 6, 12]),
        }


def _plain_lkv_and_no_risk(facts):
    """The baseline: LKV's categories and the no-riskpolis hard-coded, no explanation."""
    age, benefit, groups = (
        facts["person.age"],
        facts["person.benefit"],
        facts["person.targetGroups"],
    )
    hours = facts["job.hoursPerWeek"]
    best = 0.0
    if facts["person.employedByThisEmployerInLast6Months"] is False:
        if (
            age is not None
            and 56 <= age < 67
            and benefit in ("ww", "iow", "wia", "wao", "waz", "wajong")
        ):
            best = max(best, min(hours * 52 * 3.05, 6000))
        if benefit in ("wia", "wao", "waz", "wajong"):
            best = max(best, min(hours * 52 * 3.05, 6000))
        if {"banenafspraak", "scholingsbelemmerd"} & set(groups):
            best = max(best, min(hours * 52 * 1.01, 2000))
    no_risk = benefit in ("wia", "wao", "waz", "wajong") or "banenafspraak" in groups
    return best, no_risk


def _per_case(fn, cases) -> float:
    start = time.perf_counter()
    for case in cases:
        fn(case)
    return (time.perf_counter() - start) / len(cases)


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_what_an_employer_can_get(client):
    cases = list(_cases())
    load_instruments(force=True)
    rules = [item["rules"] for item in SHIPPED]

    rules_us = min(_per_case(lambda c: [answer(r, c) for r in rules], cases) for _ in range(3))
    plain_us = min(_per_case(_plain_lkv_and_no_risk, cases) for _ in range(3))

    on = datetime.date(2027, 1, 1)
    sample = cases[:200]
    with CaptureQueriesContext(connection) as queries:
        check(sample[0], region_id=None, municipality_code="GM0363", on=on)
    check_ms = _per_case(
        lambda c: check(c, region_id=None, municipality_code="GM0363", on=on), sample
    )

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    result = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "cases": CASES,
        "instruments": len(rules),
        "rules_all_instruments_per_case_us": round(rules_us * 1e6, 1),
        "baseline_plain_lkv_no_risk_per_case_us": round(plain_us * 1e6, 2),
        "check_with_database_per_case_ms": round(check_ms * 1000, 2),
        "check_queries": len(queries),
        "baseline_select_1_ms": timed(select_one, repeat=21),
    }
    api = _url("api:instrument-check")
    if api:
        region = RegionFactory(code="AM18")
        amsterdam = MunicipalityFactory(code="GM0363", region=region)
        employer = organisation_for_role("werkgever", region, amsterdam)
        sign_in(client, MembershipFactory(role="werkgever", organisation=employer).user)
        body = {
            "region": "AM18",
            "municipality": "GM0363",
            "date": "2027-01-01",
            "person": {"age": 57, "benefit": "ww", "targetGroups": ["banenafspraak"]},
            "job": {"hoursPerWeek": 32, "contractMonths": 12, "hourlyWage": 15.0, "bbl": False},
            "employer": {"recognisedTrainingCompany": False, "intendsContractMonths": 6},
        }
        response = client.post(api, body, content_type="application/json")
        assert response.status_code == 200, response.content
        result["api_check_ms"] = timed(
            lambda: client.post(api, body, content_type="application/json")
        )
        result["baseline_api_me_ms"] = timed(lambda: client.get(_url("api:me")))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[connection.vendor] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))
