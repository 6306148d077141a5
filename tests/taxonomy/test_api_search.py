"""GET /api/v1/occupations?q= and /api/v1/skills?q=: the ranked suggestions, documented."""

import pytest
from django.urls import reverse

from tests.api.test_api_contract import schema_mismatch
from tests.factories import OccupationFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_as):
    client, _membership = client_as("klantmanager")
    return client


@pytest.fixture
def occupations(world):
    return {
        "warehouse": OccupationFactory(
            label_nl="magazijnmedewerker",
            label_en="warehouse worker",
            alt_labels_nl="magazijnier\nmagazijnbediende",
        ),
        "night": OccupationFactory(label_nl="nachtportier", label_en="night porter"),
        "picker": OccupationFactory(
            label_nl="orderpicker", label_en="order picker", alt_labels_nl="orderverzamelaar"
        ),
    }


def test_a_warehouse_occupation_comes_first_for_a_title_with_a_shift(api, occupations):
    url = reverse("api:occupation-list")
    response = api.get(url, {"q": "magazijnmedewerker nachtdienst"})
    assert response.status_code == 200
    assert schema_mismatch("GET", url, response) is None
    first = response.json()["results"][0]
    assert first["uri"] == occupations["warehouse"].uri
    assert first["matched"] == "magazijnmedewerker"
    assert first["englishOnly"] is False
    assert first["score"] > 0


def test_typo_finds_the_order_picker(api, occupations):
    body = api.get(reverse("api:occupation-list"), {"q": "orderpiker"}).json()
    assert body["results"][0]["labelNl"] == "orderpicker"


def test_without_q_the_list_is_as_before(api, occupations):
    url = reverse("api:occupation-list")
    response = api.get(url, {"search": "magazijn"})
    assert schema_mismatch("GET", url, response) is None
    results = response.json()["results"]
    assert [r["labelNl"] for r in results] == ["magazijnmedewerker"]
    assert "matched" not in results[0] and "score" not in results[0]


def test_skills_answer_q_and_mark_english_only_labels(api, world):
    SkillFactory(label_en="operate forklift", label_nl="")
    SkillFactory(label_en="drive a truck", label_nl="vrachtwagen rijden")
    url = reverse("api:skill-list")
    response = api.get(url, {"q": "forklift"})
    assert schema_mismatch("GET", url, response) is None
    first = response.json()["results"][0]
    assert first["labelEn"] == "operate forklift" and first["englishOnly"] is True
    second = api.get(url, {"q": "vrachtwagen"}).json()["results"][0]
    assert second["label"] == "vrachtwagen rijden" and second["englishOnly"] is False


def test_empty_q_answers_nothing(api, occupations):
    body = api.get(reverse("api:occupation-list"), {"q": ""}).json()
    assert body["results"] == []


@pytest.mark.parametrize("q", ["x" * 10_000, "?!...", "--"])
def test_bad_q_is_a_400_naming_it(api, occupations, q):
    url = reverse("api:occupation-list")
    response = api.get(url, {"q": q})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert schema_mismatch("GET", url, response) is None
    problem = response.json()["invalidParams"][0]
    assert problem["name"] == "q" and problem["reason"]


def test_q_and_search_together_are_refused(api, occupations):
    response = api.get(reverse("api:skill-list"), {"q": "kok", "search": "kok"})
    assert response.status_code == 400


def test_q_needs_the_same_permission_as_the_list(client, occupations):
    response = client.get(reverse("api:occupation-list"), {"q": "magazijn"})
    assert response.status_code in (401, 403)
