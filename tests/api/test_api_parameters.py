"""Parameters and fields are refused with a 400 problem+json when they are not what the
committed schema declares, instead of being ignored (an unknown filter returning everyone)
or coerced (a number stored as the text "inf")."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("/api/v1/candidates", {"search": "x"}, "search"),
        ("/api/v1/candidates", {"status": "aangemeld", "statuss": "x"}, "statuss"),
        ("/api/v1/skills", {"zoek": "forklift"}, "zoek"),
        ("/api/v1/regions", {"page": "1"}, "page"),
        ("/api/v1/me", {"x": ""}, "x"),
    ],
)
def test_unknown_query_parameters_are_refused(client_as, url, params, name):
    client, _membership = client_as("klantmanager")
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["-5", "0", "NaN", "1e3", "201", "abc", "٣"])
def test_bad_page_sizes_are_refused(client_as, value):
    client, _membership = client_as("klantmanager")
    response = client.get("/api/v1/candidates", {"page_size": value})
    assert response.status_code == 400, response.content
    assert response.json()["invalidParams"][0]["name"] == "page_size"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "abc", "NaN"])
def test_bad_page_numbers_are_refused(client_as, value):
    client, _membership = client_as("klantmanager")
    response = client.get("/api/v1/candidates", {"page": value})
    assert response.status_code == 400, response.content
    assert response.json()["invalidParams"][0]["name"] == "page"


@pytest.mark.django_db
def test_good_page_parameters_still_work(client_as):
    client, _membership = client_as("klantmanager")
    response = client.get("/api/v1/skills", {"page": "1", "page_size": "200"})
    assert response.status_code == 200
    assert client.get("/api/v1/skills", {"page": "99"}).status_code == 404  # past the end


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1e999", "12", "true", '["Jan"]', '{"a": 1}'])
def test_strings_must_be_strings(client_as, value):
    client, _membership = client_as("klantmanager")
    body = f'{{"firstName": {value}, "lastName": "Jansen"}}'
    response = client.post("/api/v1/candidates", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    if value != "1e999":  # that one is no valid number at all: the body is refused whole
        assert response.json()["invalidParams"][0]["name"] == "firstName"
    from perspectief.candidates.models import Candidate

    assert not Candidate.objects.filter(last_name="Jansen").exists()


@pytest.mark.django_db
def test_nested_strings_and_numbers_keep_their_rules(client_as, world):
    client, _membership = client_as("klantmanager")
    body = '{"firstName": "Jan", "lastName": "Jansen", "occupations": [5]}'
    response = client.post("/api/v1/candidates", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "occupations.0"
    ok = '{"firstName": "Jan", "lastName": "Jansen", "hoursPerWeek": 24}'
    assert client.post("/api/v1/candidates", ok, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_non_finite_numbers_are_refused(client_as, world):
    client, _membership = client_as("klantmanager")
    body = '{"firstName": "Jan", "lastName": "Jansen", "hoursPerWeek": 1e999}'
    response = client.post("/api/v1/candidates", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_head_request_keeps_the_contract_of_its_get(client_as):
    """HEAD runs the GET handler (Django), so it is held to the GET's declared parameters:
    an unknown filter is refused rather than ignored, reading (and logging) everyone
    (#14 review)."""
    client, _membership = client_as("klantmanager")
    assert client.head("/api/v1/candidates", {"search": "x"}).status_code == 400
    assert client.head("/api/v1/candidates", {"page_size": "-5"}).status_code == 400
    assert client.head("/api/v1/candidates", {"status": "aangemeld"}).status_code == 200


@pytest.mark.django_db
def test_who_is_asking_is_checked_before_what_is_asked(client):
    """Without credentials the answer is 401 (and the refusal is logged as such), not a 400
    that describes the operation's parameters to someone who may not call it (#14 review)."""
    response = client.get("/api/v1/candidates", {"search": "x"})
    assert response.status_code == 401
    assert "invalidParams" not in response.json()
    bad_token = client.get(
        "/api/v1/candidates", {"search": "x"}, HTTP_AUTHORIZATION="Token not-a-token"
    )
    assert bad_token.status_code == 401
