"""Deactivating a user or withdrawing a role takes effect at once (issue #16 item 3): the
user's open session acts in that role no more from the next request on, and the API
tokens stop working."""

import pytest
from django.contrib.auth import get_backends
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import ApiToken, Membership
from perspectief.accounts.services.users import (
    membership_deactivate,
    token_create,
    user_set_active,
)
from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError

from ..conftest import sign_in
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _token(membership) -> str:
    _token, raw = token_create(actor=actor_for(membership), membership=membership, name="koppeling")
    return raw


def _me(client, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return client.get(reverse("api:me"), **headers)


@pytest.fixture
def admin(make_member):
    return make_member(Role.FUNCTIONAL_ADMIN)


def test_a_withdrawn_role_stops_the_open_session_and_its_tokens(client, make_member, admin):
    km = make_member(Role.KLANTMANAGER)
    raw = _token(km)
    sign_in(client, km.user)
    assert client.get(reverse("candidates:list")).status_code == 200
    assert _me(client, raw).status_code == 200
    membership_deactivate(actor=actor_for(admin), membership=km)
    # The very next request: no role to act in, and the token is refused.
    assert client.get(reverse("candidates:list")).status_code == 403
    assert _me(client).status_code == 401  # the API sees no one to act for
    assert _me(client, raw).status_code == 401


def test_a_session_in_a_withdrawn_role_does_not_act_in_it_any_more(client, make_member, admin):
    km = make_member(Role.KLANTMANAGER)
    coach = make_member(Role.JOBCOACH, user=km.user)
    sign_in(client, km.user)
    client.post(reverse("accounts:context"), {"membership": str(km.uuid)})
    assert _me(client).json()["role"] == Role.KLANTMANAGER
    membership_deactivate(actor=actor_for(admin), membership=km)
    assert _me(client).json()["role"] == Role.JOBCOACH
    assert client.get(reverse("candidates:list")).status_code == 200  # as job coach
    assert "perspectief_membership" not in client.session
    assert coach.is_active


def test_a_deactivated_user_is_signed_out_everywhere_and_the_tokens_are_revoked(
    client, make_member, admin
):
    colleague = make_member(Role.KLANTMANAGER)
    raw = _token(colleague)
    other = client.__class__()
    sign_in(other, colleague.user)
    assert other.get(reverse("home")).status_code == 200
    sign_in(client, admin.user)
    response = client.post(
        reverse("accounts:manage-user-active", args=[colleague.user.uuid]), {"active": "0"}
    )
    assert response.status_code == 302
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active
    # The colleague's open session: signed out on the next request.
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    assert _me(other).status_code in (401, 403)
    assert _me(other, raw).status_code == 401
    assert not ApiToken.objects.filter(membership__user=colleague.user, revoked_at=None)
    assert (
        other.post(
            reverse("accounts:login"), {"username": colleague.user.username, "password": PASSWORD}
        ).status_code
        == 200
    )  # the form again: the password no longer signs in
    event = AuditEvent.objects.get(event="user.deactivated")
    assert event.actor_user == admin.user and event.changes == {"is_active": [True, False]}
    # Activated again, the account signs in; the revoked tokens stay revoked.
    client.post(reverse("accounts:manage-user-active", args=[colleague.user.uuid]), {"active": "1"})
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
    assert _me(other, raw).status_code == 401
    assert AuditEvent.objects.filter(event="user.reactivated").exists()


def test_every_authentication_backend_refuses_an_inactive_user(make_member):
    """What makes deactivation immediate: each request reloads the session's user through
    the backend, which gives nobody for an inactive account."""
    user = make_member(Role.KLANTMANAGER).user
    user.is_active = False
    user.save()
    for backend in get_backends():
        assert backend.get_user(user.pk) is None


def test_only_the_administrator_of_the_region_deactivates_and_not_themself(make_member, admin):
    colleague = make_member(Role.KLANTMANAGER)
    with pytest.raises(NotFoundError):
        user_set_active(
            actor=actor_for(make_member(Role.FUNCTIONAL_ADMIN, "AM22")),
            user=colleague.user,
            active=False,
        )
    with pytest.raises(NotFoundError):
        user_set_active(
            actor=actor_for(make_member(Role.KLANTMANAGER)), user=colleague.user, active=False
        )
    with pytest.raises(ValidationError, match="your own account"):
        user_set_active(actor=actor_for(admin), user=admin.user, active=False)
    # Active in another region too: not this administrator's call alone.
    Membership.objects.create(
        user=colleague.user,
        organisation=make_member(Role.KLANTMANAGER, "AM22").organisation,
        role=Role.KLANTMANAGER,
    )
    with pytest.raises(NotFoundError):
        user_set_active(actor=actor_for(admin), user=colleague.user, active=False)
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
