"""The API answers what its committed OpenAPI schema (docs/api/openapi.yaml) says: every
answer of every role validates against the declared response of its status, errors included;
every operation declares its problem+json errors."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.urls import resolve, reverse

from perspectief.routes.models import CheckIn

from ..authz_matrix import MATRIX, ROLES
from ..conftest import sign_in
from ..test_authorisation_matrix import MatrixWorld

SCHEMA = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml").read_text()
)
#: Routes outside the schema: the schema itself, its documentation page, the catch-all.
NOT_IN_SCHEMA = {"api:schema", "api:docs", "api:not-found"}
ERRORS = ("400", "401", "403", "404")


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable`` becomes a null alternative, and objects
    with declared properties allow no others (an undeclared field is a mismatch too)."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


COMPONENTS = _json_schema(copy.deepcopy(SCHEMA["components"]))


def _schema_path(url: str) -> str:
    route = resolve(url).route
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def schema_mismatch(method: str, url: str, response) -> str | None:
    """Why the response is not what the schema declares for its status, or None."""
    operation = SCHEMA["paths"][_schema_path(url)][method.lower()]
    status = str(response.status_code)
    if status not in operation["responses"]:
        return f"{method} {url}: {status} is not declared"
    content = operation["responses"][status].get("content")
    if content is None:
        return f"{method} {url}: {status} declares no body" if response.content else None
    (media_type, spec), *_ = content.items()
    if response["Content-Type"].split(";")[0] != media_type:
        return f"{method} {url}: {status} is {response['Content-Type']}, not {media_type}"
    schema = {"components": COMPONENTS, **_json_schema(copy.deepcopy(spec["schema"]))}
    try:
        jsonschema.validate(response.json(), schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as exc:
        path = "/".join(str(p) for p in exc.absolute_path)
        return f"{method} {url} ({status}) differs from the schema at {path}: {exc.message}"
    return None


def assert_matches_schema(method: str, url: str, response):
    mismatch = schema_mismatch(method, url, response)
    assert mismatch is None, mismatch


def test_every_operation_declares_its_problem_answers():
    missing = []
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            for status in ERRORS:
                answer = operation["responses"].get(status, {})
                if "application/problem+json" not in answer.get("content", {}):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, missing


def _api_routes():
    return sorted(name for name in MATRIX if name.startswith("api:") and name not in NOT_IN_SCHEMA)


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_of_every_role_matches_the_committed_schema(client, world, make_member, role):
    matrix_world = MatrixWorld(world, make_member)
    # What made answers differ from the schema: a check-in without an outcome, a step
    # without actual dates (the world's), a person without a postcode (the world's).
    CheckIn.objects.create(
        plan=matrix_world.support_plan, due_on=date(2026, 11, 1), month=1, outcome=""
    )
    membership = make_member(role, "AM18")
    sign_in(client, membership.user)
    urls = []
    for name in _api_routes():
        kwargs_builder, _methods = MATRIX[name]
        kwargs = kwargs_builder(matrix_world, membership) if callable(kwargs_builder) else {}
        urls.append(reverse(name, kwargs=kwargs or None))
    checked, mismatches = 0, []
    for method in ("GET", "POST"):  # reads first: the commands change the world
        for url in urls:
            if method.lower() not in SCHEMA["paths"][_schema_path(url)]:
                continue
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {}, content_type="application/json")
            mismatches.append(schema_mismatch(method, url, response))
            checked += 1
    assert checked > 40
    mismatches = [m for m in mismatches if m]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_a_partner_sees_items_the_schema_declares(client_as, world):
    """Partners get the allowlisted view of a person: no name, and the schema says so."""
    from ..factories import CandidateFactory

    client, _membership = client_as("intermediair")
    CandidateFactory(regional_consent=True, region=world.am18)
    url = reverse("api:candidate-list")
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["results"], "the partner should see the person"
    assert "firstName" not in response.json()["results"][0]
    assert_matches_schema("GET", url, response)
