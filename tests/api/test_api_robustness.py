"""No input makes the API fail with a server error (security promise 13): every GET endpoint
in the committed OpenAPI schema is called, by every role, with generated values for the query
parameters it declares (and an undeclared one now and then) and for its path segments."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Role

from ..conftest import sign_in

TARGET_GROUP = TargetGroup.values[0]

SCHEMA = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml").read_text()
)
GET_PATHS = sorted(path for path, item in SCHEMA["paths"].items() if "get" in item)

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=40,
)
dates = st.dates().map(lambda d: d.isoformat())
values = st.one_of(
    text,
    st.integers(-(10**12), 10**12).map(str),
    st.just(""),
    st.just("AM18"),
    dates,
    st.sampled_from(["true", "NaN", "-5", "1e999", "1900-01-01", "2100-12-31", "GM0363"]),
)
DECLARED = {
    path: sorted(
        {
            p["name"]
            for p in SCHEMA["paths"][path]["get"].get("parameters", [])
            if p["in"] == "query"
        }
        | {"x"}  # an undeclared name: a 400, never ignored
    )
    for path in GET_PATHS
}
ROLES = [str(role) for role in Role]


@st.composite
def requests(draw):
    path = draw(st.sampled_from(GET_PATHS))
    params = draw(st.dictionaries(st.sampled_from(DECLARED[path]), values, max_size=4))
    return path, params


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(call=requests(), segment=values, role=st.sampled_from(ROLES))
@example(call=("/api/v1/skills", {"search": "ab\x00c"}), segment="", role="klantmanager")
@example(call=("/api/v1/postcodes/{code}", {}), segment="10\x001", role="klantmanager")
@example(call=("/api/v1/access-log", {"person": "\x00"}), segment="", role="functioneel_beheerder")
@example(
    call=("/api/v1/indicators", {"region": "AM18", "from": "1900-01-01", "until": "2100-12-31"}),
    segment="",
    role="analist_szw",
)
def test_no_server_error_on_any_input(client, make_member, call, segment, role):
    path, params = call
    membership = make_member(role)
    sign_in(client, membership.user)
    url = re.sub(r"\{[^}]+\}", quote(segment, safe="") or "x", path)
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.content[:300])
    if response.status_code >= 400 and url.startswith("/api/v1/") and "docs" not in url:
        assert response["Content-Type"] == "application/problem+json"


# --- issue 14 item 20: inputs that used to give a 500 -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [33, 5000, 100_000])
def test_a_deeply_nested_json_body_is_a_400_problem(client_as, depth):
    client, _membership = client_as("klantmanager")
    body = '{"firstName": ' + "[" * depth + "]" * depth + ', "lastName": "Jansen"}'
    response = client.post("/api/v1/candidates", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [
        {"from": "1900-01-01", "until": "2100-12-31"},
        {"from": "1900-01-01", "until": "1900-03-31"},
        {"from": "2101-01-01", "until": "2101-03-31"},
        {"from": "0001-01-01", "until": "9999-12-31"},
    ],
)
def test_the_ministry_asking_a_century_gets_a_400(client_as, world, period):
    client, _membership = client_as("analist_szw")
    response = client.get("/api/v1/indicators", {"region": "AM18", **period})
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "from"


@pytest.mark.django_db
def test_a_century_below_region_level_is_a_400_for_regional_staff(client_as, world):
    client, _membership = client_as("programmamanager")
    response = client.get(
        "/api/v1/indicators",
        {"from": "1900-01-01", "until": "1900-03-31", "targetGroup": TARGET_GROUP},
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"


# --- issue 14 item 23: errors outside the views are problem+json too -----------------------


@pytest.fixture
def csrf_client(make_member):
    """A browser session: Django's test client skips CSRF checks unless asked."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    return sign_in(client, make_member("klantmanager").user)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False])
def test_a_post_to_an_unknown_api_url_is_a_404_problem(csrf_client, signed_in):
    from django.test import Client

    client = csrf_client if signed_in else Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/no-such-thing", {"a": "1"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_failed_csrf_check_on_the_api_is_a_403_problem(csrf_client):
    response = csrf_client.post("/api/v1/candidates", {"firstName": "Jan"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    # A page keeps Django's own CSRF page.
    page = csrf_client.post("/accounts/logout/")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/candidates", "application/json"),
        ("/api/v1/candidates", "application/x-www-form-urlencoded"),
        ("/api/v1/no-such-thing", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_over_the_limit_is_a_413_problem(client_as, settings, url, content_type):
    client, _membership = client_as("klantmanager")
    body = "firstName=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if content_type == "application/json":
        body = '{"firstName": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = client.post(url, body, content_type=content_type)
    assert response.status_code == 413, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413
