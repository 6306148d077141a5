"""Issue #14 item 24: a page of the person list costs what one page costs, whatever the
caseload. The list used to join servings and consents, take DISTINCT over every column and
sort all rows (a 12 MB sort on disk per page view at 20,000 people).

Here: the number of queries of a list page does not grow with the number of people; no
query of the page takes DISTINCT; and on PostgreSQL the plan of every query of the page has
no Sort and no DISTINCT step (the page is read in index order and stops after one page)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateOrganisation, Consent
from perspectief.candidates.services.people import legal_basis_for

from ..conftest import sign_in


def _add_people(region, organisation, n, *, offset=0, consent_every=2):
    """``n`` people served by ``organisation``; every ``consent_every``-th shares a regional
    profile. Bulk inserts, as an import does."""
    people = Candidate.objects.bulk_create(
        Candidate(
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{(i * 7919) % 100003:06d}",
            region=region,
            status="werkfit",
        )
        for i in range(offset, offset + n)
    )
    CandidateOrganisation.objects.bulk_create(
        CandidateOrganisation(
            candidate=p, organisation=organisation, legal_basis=legal_basis_for(organisation)
        )
        for p in people
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            candidate=p,
            scope=ConsentScope.REGIONAL_PROFILE,
            method="in_person",
            statement_version="1",
            granted_at=now,
            approved_at=now,
        )
        for p in people[::consent_every]
    )
    return people


def _page_queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _person_queries(queries) -> list[str]:
    return [q for q in queries if re.search(r'FROM "candidates_candidate"', q)]


@pytest.fixture
def viewers(world, make_member):
    km = make_member("klantmanager")
    partner = make_member("intermediair")
    return km, partner


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["klantmanager", "intermediair"])
@pytest.mark.parametrize("name", ["candidates:list", "api:candidate-list"])
def test_a_list_page_costs_the_same_number_of_queries_for_30_or_300_people(
    client, world, viewers, role, name
):
    km, partner = viewers
    viewer = km if role == "klantmanager" else partner
    _add_people(world.am18, km.organisation, 30)
    sign_in(client, viewer.user)
    url = reverse(name)
    small = _page_queries(client, url)
    _add_people(world.am18, km.organisation, 270, offset=30)
    large = _page_queries(client, url)
    assert len(large) == len(small)
    # The second page costs no more than the first.
    assert len(_page_queries(client, url, {"page": 2})) == len(small)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["klantmanager", "intermediair"])
def test_no_query_of_a_list_page_takes_distinct(client, world, viewers, role):
    km, partner = viewers
    _add_people(world.am18, km.organisation, 40)
    sign_in(client, km.user if role == "klantmanager" else partner.user)
    for params in ({}, {"target_group": "banenafspraak"}, {"occupation": world.occupation.label}):
        queries = _person_queries(_page_queries(client, reverse("candidates:list"), params))
        assert queries
        for sql in queries:
            assert "DISTINCT" not in sql.upper(), sql


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["klantmanager", "intermediair"])
def test_on_postgresql_the_list_is_read_in_index_order_without_a_sort(client, world, viewers, role):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    km, partner = viewers
    # Enough people that the planner weighs a sort against reading in index order.
    _add_people(world.am18, km.organisation, 4000, consent_every=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sign_in(client, km.user if role == "klantmanager" else partner.user)
    queries = _person_queries(_page_queries(client, reverse("candidates:list"), {"page": 2}))
    pages = [q for q in queries if " LIMIT " in q]
    assert pages, queries
    for sql in queries:
        plan = _plan(sql)
        assert "Sort" not in plan, plan
        assert "Unique" not in plan and "DISTINCT" not in sql.upper(), plan
