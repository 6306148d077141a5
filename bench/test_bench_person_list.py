"""Benchmark (issue #14 item 24): the person list against a person's page at 20,000 people.

Through the whole request (middleware, access log, template) with Django's test client, on
the database of the run (SQLite, or PostgreSQL when DATABASE_URL points at it). In the same
run, as baselines: a plain page that reads no people (the registration form), one database
round trip, and the list's former query (joins, DISTINCT over every column, sort of all rows
by surname) for one page. Results in bench/results/person_list.json."""

import json
import os
import platform
import time
from pathlib import Path

import pytest
from benchlib import caseload
from benchlib import timed as _timed

RESULTS = Path(__file__).resolve().parent / "results" / "person_list.json"
PEOPLE = 20_000


def _get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response


def _former_page(actor, offset=0):
    """The list's query before item 24: visible_to with an OR over two joins, DISTINCT,
    ordered by surname (as it was, one page)."""
    from django.db.models import Q

    from perspectief.candidates.models import Candidate

    current = Candidate.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    served = Q(servings__organisation_id=actor.organisation.pk, servings__is_active=True)
    consented = Q(
        region_id=actor.region_id,
        consents__scope="regional_profile",
        consents__approved_at__isnull=False,
        consents__revoked_at__isnull=True,
    )
    qs = current.filter(pk__in=current.filter(served | consented).values("pk"))
    qs = qs.select_related("postcode__municipality", "education_level").distinct()
    qs = qs.order_by("last_name", "first_name", "id")
    qs.count()
    return list(qs[offset : offset + 25])


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_person_list_against_detail(client):
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone
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

    from perspectief.accounts.actor import actor_for
    from perspectief.candidates.models import Consent

    region = RegionFactory(code="AM18", name="Groot Amsterdam")
    town = MunicipalityFactory(code="GM0363", name="Amsterdam", region=region)
    postcode = PostcodeFactory(code="1011", municipality=town)
    gemeente = OrganisationFactory(kind="gemeente", municipality=town, region=region)
    school = OrganisationFactory(kind="intermediary", municipality=town, region=region)
    km = MembershipFactory(user=UserFactory(), organisation=gemeente, role="klantmanager")
    partner = MembershipFactory(user=UserFactory(), organisation=school, role="intermediair")
    for member in (km, partner):
        TOTPDeviceFactory(user=member.user)

    start = time.perf_counter()
    people = caseload(
        region, postcode, gemeente, PEOPLE, surname=lambda i: f"{(i * 7919) % 100_003:06d}"
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        (
            Consent(
                candidate=p,
                scope="regional_profile",
                method="in_person",
                statement_version="1",
                granted_at=now,
                approved_at=now,
            )
            for p in people[::3]
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = round(time.perf_counter() - start, 1)

    list_url = reverse("candidates:list")
    detail_url = reverse("candidates:detail", args=[people[PEOPLE // 2].uuid])
    sign_in(client, km.user)
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _get(client, list_url)
    actor = actor_for(km)

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    result = {
        "people": PEOPLE,
        "database": connection.vendor,
        "setup_s": built,
        "baseline_select_1_ms": _timed(select_one),
        "baseline_plain_page_ms": _timed(lambda: _get(client, reverse("candidates:create"))),
        "detail_page_ms": _timed(lambda: _get(client, detail_url)),
        "list_page_first_ms": _timed(lambda: _get(client, list_url)),
        "list_page_middle_ms": _timed(lambda: _get(client, list_url, {"page": 400})),
        "list_page_queries": len(counted),
        "former_list_query_first_page_ms": _timed(lambda: _former_page(actor)),
        "former_list_query_middle_page_ms": _timed(lambda: _former_page(actor, 400 * 25)),
    }
    sign_in(client, partner.user)
    result["list_page_partner_first_ms"] = _timed(lambda: _get(client, list_url))
    result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[connection.vendor] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    # A list page costs about what a person's page costs (at most three times).
    assert result["list_page_first_ms"] < 3 * result["detail_page_ms"]
