"""#20 item 2: the cost of a list page does not grow with its rows (no query per row).

Each list is read with a few rows and with many more; the number of queries must be the
same. (The person list has its own, stricter test: tests/candidates/test_person_list_cost.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import sign_in
from .matching.conftest import employer_with_place


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _places(world, n, start):
    for i in range(n):
        employer_with_place(world, f"{start + i:08d}", title=f"Plek {start + i}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("accountmanager", reverse("vacancies:list")),
        ("accountmanager", "/api/v1/vacancies"),
        ("accountmanager", reverse("organisations:employers")),
        ("klantmanager", reverse("vacancies:list")),
    ],
)
def test_a_list_of_places_and_employers_costs_the_same_for_more_rows(
    client, make_member, world, role, url
):
    member = make_member(role)
    sign_in(client, member.user)
    _places(world, 2, 10_000_000)
    client.get(url)  # warm: caches of the first view
    few = _queries(client, url)
    _places(world, 12, 20_000_000)
    assert _queries(client, url) == few
