"""The API shell: reference data, organisations, problem+json errors."""

import pytest
from django.urls import reverse

from ..factories import OrganisationFactory


@pytest.fixture
def api(client_as):
    client, _membership = client_as("klantmanager")
    return client


@pytest.mark.django_db
def test_regions_list(api, world):
    body = api.get(reverse("api:region-list")).json()
    assert [r["code"] for r in body] == ["AM18", "AM22"]
    assert body[0]["municipalityCount"] == 1


@pytest.mark.django_db
def test_municipalities_filtered_by_region_and_search(api, world):
    body = api.get(reverse("api:municipality-list"), {"region": "AM22"}).json()
    assert [m["code"] for m in body["results"]] == ["GM0599"]
    body = api.get(reverse("api:municipality-list"), {"search": "amster"}).json()
    assert [m["code"] for m in body["results"]] == ["GM0363"]


@pytest.mark.django_db
def test_unknown_filter_value_is_a_problem_naming_the_parameter(api, world):
    response = api.get(reverse("api:municipality-list"), {"region": "AM99"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["invalidParams"][0]["name"] == "region"
    response = api.get(reverse("api:organisation-list"), {"kind": "bakery"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "kind"


@pytest.mark.django_db
def test_organisations_filtered_by_region_and_kind(api, world):
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam, name="UWV Groot Amsterdam")
    OrganisationFactory(kind="uwv", municipality=world.rotterdam, name="UWV Rijnmond")
    OrganisationFactory(kind="school", municipality=world.amsterdam, name="MBO")
    body = api.get(reverse("api:organisation-list"), {"region": "AM18", "kind": "uwv"}).json()
    assert [o["uuid"] for o in body["results"]] == [str(uwv.uuid)]
    assert body["results"][0]["region"] == "AM18"


@pytest.mark.django_db
def test_occupation_search_in_dutch_and_english_and_detail_with_skills(api, world):
    nl = api.get(reverse("api:occupation-list"), {"search": "orderpick"}).json()
    en = api.get(reverse("api:occupation-list"), {"search": "order pick"}).json()
    assert nl["count"] == en["count"] == 1
    occupation_id = nl["results"][0]["id"]
    detail = api.get(reverse("api:occupation-detail", args=[occupation_id])).json()
    assert detail["essentialSkills"][0]["labelEn"] == "operate forklift"
    assert detail["optionalSkills"] == []


@pytest.mark.django_db
def test_search_shorter_than_two_characters_is_refused(api, world):
    response = api.get(reverse("api:skill-list"), {"search": "a"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "search"


@pytest.mark.django_db
def test_skills_search(api, world):
    body = api.get(reverse("api:skill-list"), {"search": "forklift"}).json()
    assert body["results"][0]["uri"] == world.skill.uri


@pytest.mark.django_db
def test_postcode_detail_gives_coordinates_and_region(api, world):
    body = api.get(reverse("api:postcode-detail", args=["1011"])).json()
    assert body["municipality"] == "GM0363"
    assert body["region"] == "AM18"
    assert api.get(reverse("api:postcode-detail", args=["9999"])).status_code == 404


@pytest.mark.django_db
def test_unknown_api_route_is_problem_json(api):
    response = api.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.django_db
def test_errors_follow_the_request_language(client, world):
    nl = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="nl")
    en = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert nl.status_code == en.status_code == 401
    assert nl.json()["detail"] != en.json()["detail"]
    assert "credentials" in en.json()["detail"].lower()


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_external_assets(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    docs = client.get(reverse("api:docs")).content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


@pytest.mark.django_db
def test_the_app_serves_its_own_assets(client):
    """No CDN: the stylesheet, htmx and the icon come from the platform itself (every page
    names its icon, so browsers do not ask for a /favicon.ico that is not there)."""
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg"' in page
    for path in (
        "/static/css/perspectief.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/img/favicon.svg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page


@pytest.mark.django_db
def test_occupation_page_lists_its_skills(client_as, world):
    client, _ = client_as("klantmanager")
    results = client.get("/occupations/", {"q": "orderpick"}, HTTP_HX_REQUEST="true")
    assert f"/occupations/{world.occupation.esco_id}/" in results.content.decode()
    page = client.get(f"/occupations/{world.occupation.esco_id}/")
    assert page.context["essential"] == [world.skill]
    assert page.context["optional"] == []
    assert "operate forklift" in page.content.decode()
