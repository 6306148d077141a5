"""Property-based fuzzing of the API against its committed OpenAPI schema (issue #20).

Schemathesis reads docs/api/openapi.yaml and generates, for every operation and with a token
of each of several roles, requests that keep to the schema (positive) and requests that
break it (negative: wrong types, missing or extra fields, values out of range), with the
path pointing at the world's objects or at generated ones. It sends them to the app
in-process (Django's WSGI application: no server) and checks every answer: no server error,
a status the operation declares, the declared content type, a body and headers as the
declared response says.

Bounded and reproducible: a few examples per operation and role (FUZZ_EXAMPLES
to fuzz deeper by hand), derandomised, so CI sends the same requests every run.
"""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from perspectief.accounts.models import ApiToken, hash_token
from perspectief.organisations.models import EmployerAccount
from perspectief.routes.models import CheckIn

from ..authz_matrix import MATRIX
from ..factories import MembershipFactory, OrganisationFactory
from ..test_authorisation_matrix import MatrixWorld

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
#: Who fuzzes: a visitor without a token, a municipality's client manager, a WSP account
#: manager, the region's programme manager, an employer, the ministry's analyst, the
#: platform's functional administrator and the national support team — each sees another
#: part of the API (and is refused the rest).
ANONYMOUS = "anonymous"
ROLES = (
    ANONYMOUS,
    "klantmanager",
    "accountmanager",
    "programmamanager",
    "werkgever",
    "analist_szw",
    "functioneel_beheerder",
    "ondersteuningsteam",
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
#: Examples per operation and role: about two minutes in all on SQLite on a busy 2-core
#: machine. FUZZ_EXAMPLES=50 fuzzes deeper, by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
#: A value for each path parameter, only to find the route (and so the world's object). The
#: identifiers are pinned to the world's objects; the others (an action) are generated.
_SAMPLE = {"uuid": "00000000-0000-0000-0000-000000000000", "code": "AM18", "id": "1"}
_GENERATED = {"action": "start"}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Django's WSGI handler closes the database connection when a request starts or ends
    outside autocommit — the test's transaction, on PostgreSQL. Django's test client holds
    these signals back around its requests; so does this file around the in-process app."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _token(membership) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        membership=membership, name="fuzz", prefix=raw[:8], key_hash=hash_token(raw)
    )
    return raw


def _member(matrix_world, make_member, role: str):
    """A member in ``role`` in AM18; the employer in the world's employer account (its
    places, proposals and searches), not in an organisation without one."""
    if role == "werkgever":
        return MembershipFactory(organisation=matrix_world.employer.organisation, role=role)
    return make_member(role, "AM18")


def _known_path_parameters(world, membership, path: str) -> dict[str, str] | None:
    """The path parameters of the world's objects for this schema path (the authorisation
    matrix knows which object each route points at), or None when the path has none."""
    if "{" not in path:
        return None
    sample = re.sub(r"\{(\w+)\}", lambda m: {**_SAMPLE, **_GENERATED}[m[1]], path)
    builder, _methods = MATRIX[resolve(sample).view_name]
    kwargs = builder(world, membership) if callable(builder) else {}
    return {key: str(value) for key, value in kwargs.items() if key in _SAMPLE}


def _strategy(operation, known):
    """Valid and invalid requests at the world's objects, and valid ones at generated paths
    (mostly unknown objects: a 404)."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=known),
    ]
    if known:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE))
    return st.one_of(strategies)


def _fuzz(strategy, headers, label, failures, statuses, examples=EXAMPLES):
    """Send ``examples`` generated requests; every failed check goes into ``failures``
    (so one run reports them all), every answer's status into ``statuses``."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case):
        # The rate limits (cache-based) count per actor: a fuzzer is no abuse, and a 429
        # would hide the answer under test.
        cache.clear()
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:  # one failed check, or several
            failures.append(f"{label}: {failure}")
        else:
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    fuzz()


def _in_process(schema):
    schema.app = get_wsgi_application()
    return schema


@pytest.mark.django_db
def test_every_operation_answers_generated_requests_of_every_role_as_the_schema_says(
    world, make_member
):
    schema = _in_process(schemathesis.openapi.from_path(SCHEMA_FILE))
    matrix_world = MatrixWorld(world, make_member)
    # A check-in without an outcome: a nullable field that once differed from the schema.
    CheckIn.objects.create(
        plan=matrix_world.support_plan, due_on=date(2026, 11, 1), month=1, outcome=""
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for role in ROLES:
        if role == ANONYMOUS:
            membership, headers = make_member("klantmanager"), {}
        else:
            membership = _member(matrix_world, make_member, role)
            headers = {"Authorization": f"Bearer {_token(membership)}"}
        for operation in operations:
            known = _known_path_parameters(matrix_world, membership, operation.path)
            label = f"[{role}] {operation.label}"
            _fuzz(_strategy(operation, known), headers, label, failures, statuses)
    print(f"\nfuzzed {len(operations)} operations × {len(ROLES)} roles: {statuses}")
    assert not failures, "\n\n".join(failures)
    # Not only refusals: every kind of answer came back.
    assert {200, 201, 400, 401, 403, 404} <= set(statuses), statuses


# --- the fuzzer finds what it should ------------------------------------------------------


def _schema_with(change):
    raw = yaml.safe_load(SCHEMA_FILE.read_text())
    changed = copy.deepcopy(raw)
    change(changed["paths"]["/api/v1/me"]["get"]["responses"])
    return _in_process(schemathesis.openapi.from_dict(changed))


def _findings(schema, headers) -> str:
    failures: list[str] = []
    operation = schema["/api/v1/me"]["GET"]
    _fuzz(operation.as_strategy(), headers, "me", failures, {}, examples=1)
    return "\n".join(failures)


@pytest.mark.django_db
def test_the_fuzzer_reports_an_answer_the_schema_does_not_declare(make_member):
    headers = {"Authorization": f"Bearer {_token(make_member('klantmanager'))}"}

    def require_a_field_the_answer_lacks(responses):
        responses["200"]["content"]["application/json"]["schema"] = {
            "type": "object",
            "required": ["notAField"],
        }

    assert not _findings(_schema_with(lambda responses: None), headers)
    assert "notAField" in _findings(_schema_with(require_a_field_the_answer_lacks), headers)
    undeclared = _findings(_schema_with(lambda responses: responses.pop("401")), {})
    assert "401" in undeclared


@pytest.mark.django_db
def test_the_employer_search_over_its_limit_answers_as_the_schema_says(world, settings):
    """The rate limit the fuzz clears: a 429 problem, declared (it once was not)."""
    settings.EMPLOYER_SEARCHES_PER_HOUR = 0
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="12345678",
    )
    membership = MembershipFactory(organisation=employer.organisation, role="werkgever")
    headers = {"Authorization": f"Bearer {_token(membership)}"}
    operation = _in_process(schemathesis.openapi.from_path(SCHEMA_FILE))[
        "/api/v1/employer/candidates"
    ]["GET"]
    failures: list[str] = []
    statuses: dict[int, int] = {}
    _fuzz(operation.as_strategy(), headers, "search", failures, statuses, examples=5)
    assert not failures, "\n\n".join(failures)
    assert 429 in statuses, statuses
