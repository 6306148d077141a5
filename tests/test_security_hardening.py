"""Regression tests for the findings of the first security review (docs/privacy.md)."""

import logging
import re
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from perspectief.accounts import throttling
from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.accounts.services import users as services
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.core.exceptions import NotFoundError
from perspectief.core.logging import kv

from .conftest import sign_in
from .factories import PASSWORD, TOTPDeviceFactory


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("variant", [" {u}", "{u} ", "\u00a0{u}", "{U}"])
def test_account_lock_holds_for_every_spelling_of_the_username(
    client, make_member, settings, variant
):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_member("werkgever").user
    for _ in range(3):
        _login(client, user.username, "wrong-password-123")
    spelled = variant.format(u=user.username, U=user.username.upper())
    assert _login(client, spelled).status_code == 429
    assert "_auth_user_id" not in client.session


def test_client_address_is_taken_behind_the_declared_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttling.client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert throttling.client_ip(request) == "203.0.113.9"  # not the spoofable left-most hop


@pytest.mark.django_db
def test_admin_cannot_reset_an_account_that_is_active_in_another_region(make_member):
    admin = actor_for(make_member("functioneel_beheerder", "AM18"))
    employer = make_member("werkgever", "AM22")
    old_role = make_member("jobcoach", "AM18", user=employer.user)
    old_role.is_active = False
    old_role.save()
    with pytest.raises(NotFoundError):
        services.password_link_issue(actor=admin, user=employer.user)
    # A withdrawn role does not make the account visible to the region's administrator.
    from perspectief.accounts.models import User

    assert not User.objects.visible_to(admin).filter(pk=employer.user.pk).exists()


@pytest.mark.django_db
def test_anyone_who_enrolled_a_second_factor_must_use_it(client, make_member):
    employer = make_member("werkgever")
    TOTPDeviceFactory(user=employer.user)
    response = _login(client, employer.user.username)
    assert response["Location"].startswith(reverse("accounts:otp"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_role_changes_write_access_records(make_member):
    admin = actor_for(make_member("functioneel_beheerder"))
    colleague = make_member("klantmanager")
    services.membership_deactivate(actor=admin, membership=colleague)
    records = AccessRecord.objects.for_subject(SubjectType.USER, colleague.user.uuid)
    assert records.filter(activity=ProcessingActivity.ACCOUNT_MANAGE, operation="change").exists()


@pytest.mark.django_db
def test_a_withdrawn_role_can_be_given_again(make_member):
    admin = actor_for(make_member("functioneel_beheerder"))
    colleague = make_member("klantmanager")
    services.membership_deactivate(actor=admin, membership=colleague)
    again = services.membership_create(
        actor=admin, user=colleague.user, organisation=colleague.organisation, role="klantmanager"
    )
    assert again.pk == colleague.pk and again.is_active
    assert Membership.objects.filter(user=colleague.user).count() == 1


@pytest.mark.django_db
def test_tokens_stop_working_when_the_organisation_is_deactivated(client, make_member):
    member = make_member("klantmanager")
    _token, raw = services.token_create(actor=actor_for(member), membership=member, name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(reverse("api:me"), **auth).status_code == 200
    member.organisation.is_active = False
    member.organisation.save()
    assert client.get(reverse("api:me"), **auth).status_code == 401


@pytest.mark.django_db
def test_no_token_for_a_role_that_may_not_use_the_api(make_member):
    from django.core.exceptions import ValidationError

    member = make_member("klantmanager")
    seeker_role = make_member("werkzoekende", user=member.user)
    with pytest.raises(ValidationError):
        services.token_create(actor=actor_for(member), membership=seeker_role, name="x")


def test_security_log_values_cannot_forge_lines():
    line = kv("login_failed", account="x\n2026-01-01 INFO forged user=1", ip="1.2.3.4")
    assert "\n" not in line
    assert "ip=1.2.3.4" in line


@pytest.mark.django_db
def test_typed_usernames_are_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="perspectief.security"):
        _login(client, "111222333", "whatever-123")  # e.g. someone typing their BSN
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "111222333" not in text
    assert "account=" in text


@pytest.mark.django_db
def test_access_records_cannot_be_deleted_through_the_base_manager(actor_as):
    from perspectief.audit import access

    actor = actor_as("klantmanager")
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=actor.user.uuid,
    )
    with pytest.raises(PermissionError):
        AccessRecord._base_manager.all().delete()
    if connection.vendor == "postgresql":
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_accessrecord")
    assert AccessRecord.objects.count() == 1


@pytest.mark.django_db
def test_null_character_in_a_form_is_refused(client, make_member):
    member = make_member("analist_szw")
    sign_in(client, member.user)
    response = client.post(reverse("accounts:context"), {"region": "AM\x0018"})
    assert response.status_code == 400


# --- issue 14 item 23: a denied request is one line in the security log, no traceback ------


@pytest.fixture
def console():
    """What the platform's log handler writes during the test."""
    import io

    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/access-log/",  # a page whose policy denies the role
        "/api/v1/access-log",  # an API view whose permission denies the role
        "/api/v1/indicators",  # an API view that refuses inside (raise PermissionDenied)
        "/matching/runs/",  # a page that refuses inside
    ],
)
def test_a_denied_request_is_one_line_in_the_security_log(client_as, console, url):
    client, _membership = client_as("werkgever")
    response = client.get(url)
    assert response.status_code == 403, url
    # Besides the one line every request gets (perspectief.requests, with its status and
    # no path), the refusal is one line, in the security log.
    lines = console.getvalue().splitlines()
    assert "Traceback" not in console.getvalue(), console.getvalue()
    (request_line,) = [line for line in lines if " perspectief.requests " in line]
    assert "status=403" in request_line and url not in request_line
    refusals = [line for line in lines if line != request_line]
    assert len(refusals) == 1, lines
    assert " WARNING perspectief.security " in refusals[0]
    assert f"path={url}" in refusals[0]


@pytest.mark.django_db
def test_a_refused_oversized_body_logs_no_traceback(client_as, console, settings):
    client, _membership = client_as("klantmanager")
    body = "a=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/api/v1/no-such-thing", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Traceback" not in console.getvalue(), console.getvalue()
    assert len(console.getvalue().splitlines()) <= 2


# --- issue 14 item 23: a Content-Security-Policy on every answer ---------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/api/v1/docs", "/api/v1/schema", "/api/v1/regions", "/nope/"],
)
def test_every_answer_carries_a_strict_content_security_policy(client_as, url):
    client, _membership = client_as("klantmanager")
    response = client.get(url)
    policy = _csp(response)
    assert policy, f"{url} has no Content-Security-Policy"
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], (url, directive)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "src" / "perspectief" / "templates"


def test_no_template_needs_inline_script_or_style():
    """The policy allows no inline code: no <script> without src, no <style>, no style or
    on* attributes anywhere in the templates."""
    offenders = []
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style",
            r"\sstyle=",
            r"<[a-zA-Z][^>]*\son[a-z]+\s*=",
        ):
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(TEMPLATES_DIR)}: {pattern}")
    assert not offenders, offenders


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client_as):
    """htmx would otherwise add an inline <style> and may evaluate code."""
    client, _membership = client_as("klantmanager")
    body = client.get("/").content.decode()
    assert '<meta name="htmx-config"' in body
    assert '"includeIndicatorStyles": false' in body
    assert '"allowEval": false' in body


@pytest.mark.django_db
def test_the_api_documentation_loads_its_script_from_a_url(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    match = re.search(r'<script src="([^"]*script[^"]*)"', page.content.decode())
    assert match, "the Swagger UI set-up script must be a separate file"
    script = client.get(match.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
