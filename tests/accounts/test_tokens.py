"""Personal API tokens: CLI and profile page, Bearer authentication, revocation."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from perspectief.accounts.models import ApiToken
from perspectief.audit.models import AuditEvent


def _create_via_cli(username, *extra):
    out = StringIO()
    call_command(
        "token", "create", "--user", username, "--json", *extra, stdout=out, stderr=StringIO()
    )
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_cli_token_authenticates_api_requests_as_the_membership(client, make_member):
    membership = make_member("accountmanager")
    created = _create_via_cli(membership.user.username, "--name", "CRM-koppeling")
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {created['token']}")
    assert response.status_code == 200
    assert response.json()["organisation"] == str(membership.organisation.uuid)
    assert response.json()["role"] == "accountmanager"
    token = ApiToken.objects.get()
    assert token.key_hash != created["token"]  # only the hash is stored
    assert created["token"] not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert AuditEvent.objects.filter(event="api_token.created", target_id=str(token.uuid)).exists()


@pytest.mark.django_db
def test_revoked_expired_or_unknown_tokens_are_refused(client, make_member):
    membership = make_member("klantmanager")
    raw = _create_via_cli(membership.user.username)["token"]
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(reverse("api:me"), **header).status_code == 200
    call_command(
        "token",
        "revoke",
        "--user",
        membership.user.username,
        str(ApiToken.objects.get().uuid),
        stdout=StringIO(),
    )
    refused = client.get(reverse("api:me"), **header)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"] == "Bearer"
    assert (
        client.get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer psp_nonsense").status_code == 401
    )
    assert client.get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer").status_code == 401


@pytest.mark.django_db
def test_withdrawn_membership_disables_its_tokens(client, make_member):
    membership = make_member("klantmanager")
    raw = _create_via_cli(membership.user.username)["token"]
    membership.is_active = False
    membership.save()
    assert client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_cli_asks_which_membership_when_there_are_several(make_member):
    first = make_member("intermediair", "AM18")
    make_member("intermediair", "AM22", user=first.user)
    with pytest.raises(CommandError, match="--membership"):
        _create_via_cli(first.user.username)
    created = _create_via_cli(first.user.username, "--membership", str(first.uuid))
    assert created["organisation"] == first.organisation.name


@pytest.mark.django_db
def test_cli_refuses_unknown_user():
    with pytest.raises(CommandError, match=r"onbekende gebruiker|unknown user"):
        _create_via_cli("nobody")


@pytest.mark.django_db
def test_profile_page_creates_shows_once_and_revokes(client_as):
    client, membership = client_as("jobcoach")
    response = client.post(
        reverse("accounts:token-create"), {"name": "rooster", "membership": str(membership.uuid)}
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    raw = response.context["new_token"]["raw"]
    assert raw.startswith("psp_")
    assert raw in response.content.decode()
    assert raw not in client.get(reverse("accounts:profile")).content.decode()  # shown once
    assert raw not in repr(dict(client.session))  # never stored in the session
    token = ApiToken.objects.get()
    client.post(reverse("accounts:token-revoke", args=[token.uuid]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_a_token_of_someone_else_cannot_be_revoked(client_as, make_member):
    client, _ = client_as("jobcoach")
    other = make_member("jobcoach")
    raw = _create_via_cli(other.user.username)["token"]
    token = ApiToken.objects.get()
    assert client.post(reverse("accounts:token-revoke", args=[token.uuid])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert raw
