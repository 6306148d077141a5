"""Signing in: password, second factor for staff, throttling, security log (promise 11)."""

import logging
import threading

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import TOTP

from perspectief.accounts import throttling
from perspectief.accounts.views.sign_in import _demo_hint

from ..conftest import sign_in
from ..factories import PASSWORD, UserFactory


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_staff_must_pass_the_second_factor_before_any_page(client, make_member):
    membership = make_member("klantmanager")
    response = _login(client, membership.user.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp"))
    # Password alone does not open the platform.
    assert client.get(reverse("home"))["Location"] == reverse("accounts:otp")
    assert client.get(reverse("api:me")).status_code in (401, 403)
    device = membership.user.totpdevice_set.get()
    response = client.post(reverse("accounts:otp"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api:me")).json()["role"] == "klantmanager"


@pytest.mark.django_db
def test_staff_without_a_device_must_enrol_first(client, make_member):
    membership = make_member("accountmanager")
    membership.user.totpdevice_set.all().delete()
    response = _login(client, membership.user.username)
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("accounts:otp-setup"))
    page = client.get(follow["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code is rendered by the app itself
    device = membership.user.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:otp-setup"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_employer_signs_in_with_password_only(client, make_member):
    membership = make_member("werkgever")
    response = _login(client, membership.user.username)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_message(client, make_member):
    membership = make_member("werkgever")
    response = _login(client, membership.user.username, "wrong-password-123")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures_and_logged(client, make_member, caplog, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    membership = make_member("werkgever")
    username = membership.user.username
    with caplog.at_level(logging.INFO, logger="perspectief.security"):
        for _ in range(3):
            assert _login(client, username, "wrong-password-123").status_code == 200
        # Locked now: even the right password is refused.
        response = _login(client, username)
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_LOCKOUT_SECONDS)
    assert "_auth_user_id" not in client.session
    messages = [r.getMessage() for r in caplog.records if r.name == "perspectief.security"]
    assert any(m.startswith("login_locked") for m in messages)
    assert any(m.startswith("login_refused_locked") for m in messages)
    assert not any("wrong-password" in m or PASSWORD in m for m in messages)


@pytest.mark.django_db
def test_second_factor_attempts_are_throttled_too(client, make_member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    membership = make_member("jobcoach")
    _login(client, membership.user.username)
    for _ in range(2):
        client.post(reverse("accounts:otp"), {"token": "000000"})
    device = membership.user.totpdevice_set.get()
    response = client.post(reverse("accounts:otp"), {"token": _code(device)})
    # Locked: even the right code is refused, with 429 and when to try again.
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_LOCKOUT_SECONDS)
    assert (
        "Too many attempts" in response.content.decode() or "Te veel" in response.content.decode()
    )
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_demo_code_is_shown_only_in_demo_mode(client, make_member, settings):
    membership = make_member("klantmanager")
    _login(client, membership.user.username)
    settings.DEMO_MODE = False
    assert client.get(reverse("accounts:otp")).context["demo_code"] is None
    settings.DEMO_MODE = True
    assert client.get(reverse("accounts:otp")).context["demo_code"] == _code(
        membership.user.totpdevice_set.get()
    )


@pytest.mark.django_db
def test_next_parameter_cannot_redirect_off_site(client, make_member):
    membership = make_member("werkgever")
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {
            "username": membership.user.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_denied_authorisation_is_in_the_security_log(client_as, caplog):
    client, membership = client_as("werkgever")
    with caplog.at_level(logging.INFO, logger="perspectief.security"):
        assert client.get(reverse("accounts:manage-users")).status_code == 403
    line = next(r.getMessage() for r in caplog.records if r.name == "perspectief.security")
    assert line.startswith("authorisation_denied")
    assert "permission=users.manage" in line
    assert f"user={membership.user.pk}" in line


@pytest.mark.django_db
def test_user_without_membership_is_refused(client, make_member):
    user = UserFactory()
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_demo_code_shown_is_never_one_already_used(settings, make_member):
    """Signing in twice within one 30-second step: the demo shows the next code, which the
    device accepts, instead of the used one it would refuse."""
    settings.DEMO_MODE = True
    device = make_member("klantmanager").user.totpdevice_set.get()
    first = _demo_hint(device)
    assert device.verify_token(first)
    second = _demo_hint(device)
    assert second != first
    assert device.verify_token(second)


@pytest.fixture
def busy_checks(monkeypatch):
    """Every place of the sign-in gate taken, as by a crowd of sign-ins at once."""
    monkeypatch.setattr(throttling, "PASSWORD_CHECK_WAIT", 0.05)
    keys = [throttling._slot_key(n) for n in range(throttling.checks_at_once())]
    for key in keys:
        assert cache.add(key, "held elsewhere", timeout=60)
    yield
    cache.delete_many(keys)


@pytest.mark.django_db
def test_a_crowd_of_sign_ins_is_asked_to_wait_not_failed(client, make_member, busy_checks):
    """#20 "200 concurrent sign-ins (throttled, no errors)": over the checks the platform
    runs at once, a sign-in is answered at once with "try again in a few seconds" (503,
    Retry-After), the password unchecked and not counted as a failure."""
    membership = make_member("klantmanager")
    username = membership.user.username
    response = _login(client, username)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Wacht een paar seconden" in page
    assert f'value="{username}"' in page  # the name stays as typed
    assert not response.context["form"].is_bound  # nothing checked for the page either
    assert "_auth_user_id" not in client.session
    assert not throttling.is_locked(username=username, ip="127.0.0.1")


def test_the_checks_at_once_are_bounded_and_given_back():
    held = threading.Event()
    release = threading.Event()

    def hold():
        with throttling.password_check_slot(wait=1) as free:
            assert free
            held.set()
            release.wait(5)

    threads = [threading.Thread(target=hold) for _ in range(throttling.checks_at_once())]
    for thread in threads:
        thread.start()
        assert held.wait(5)
        held.clear()
    with throttling.password_check_slot(wait=0.05) as free:
        assert not free  # all taken: this one is asked to wait
    release.set()
    for thread in threads:
        thread.join(5)
    with throttling.password_check_slot(wait=0.05) as free:
        assert free  # given back
