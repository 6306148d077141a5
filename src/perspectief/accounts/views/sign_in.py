"""Signing in: a password, then a second factor (an authenticator app) for staff, with
throttling and the security log; signing out; a new user's first password."""

from __future__ import annotations

import base64
import io
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit import services as audit
from perspectief.core.logging import kv
from perspectief.core.policies import public

from .. import throttling
from ..forms import LoginForm, OtpForm

security_log = logging.getLogger("perspectief.security")


def next_url(request, default="home"):
    """Where to go after this step: the ``next`` asked for, when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@public
def login_view(request):
    if request.user.is_authenticated and getattr(request, "actor", None) is not None:
        return redirect(next_url(request))
    form = LoginForm(request.POST or None, request=request)
    locked = busy = False
    if request.method == "POST":
        username = throttling.normalise_username(request.POST.get("username", ""))
        ip = throttling.client_ip(request)
        if throttling.is_locked(username=username, ip=ip):
            locked = True
            security_log.warning(
                kv("login_refused_locked", account=throttling.username_ref(username), ip=ip)
            )
        else:
            with throttling.password_check_slot() as free:
                if free:
                    response = _check_password(request, form, username, ip)
                    if response is not None:
                        return response
                else:
                    busy = True
                    security_log.info(kv("login_busy", ip=ip))
    if locked or busy:
        # Not checked: the form is shown again without errors (its errors would check the
        # password after all), with the name as typed.
        form = LoginForm(initial={"username": request.POST.get("username", "")}, request=request)
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "locked": locked, "busy": busy, "next": request.GET.get("next", "")},
        status=429 if locked else 503 if busy else 200,
    )
    if busy:
        response["Retry-After"] = "5"
    return _retry_later(response) if locked else response


def _check_password(request, form, username: str, ip: str):
    """The password form checked: a redirect when it is right, else None (counted)."""
    if form.is_valid():
        login(request, form.user)
        security_log.info(kv("login_password_ok", user=form.user.pk, ip=ip))
        if form.user.needs_second_factor:
            # The failure counter is reset only after the second factor as well.
            url = reverse("accounts:otp")
            return redirect(f"{url}?{urlencode({'next': next_url(request)})}")
        throttling.reset(username=username)
        return redirect(next_url(request))
    throttling.register_failure(username=username, ip=ip)
    security_log.info(kv("login_failed", account=throttling.username_ref(username), ip=ip))
    return None


def _retry_later(response):
    """A locked login (password or second factor) says when to try again: at the latest
    when the lock's window has passed."""
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
    return response


@public
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have been signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def confirmed_device(user):
    """The user's confirmed authenticator, or ``None``."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _demo_hint(device):
    """In the demo environment only: the current code, so testers need no app."""
    if not settings.DEMO_MODE or device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        # This step's code was used (signing in twice within 30 s): give the next one, which
        # the device accepts within its tolerance.
        totp.time += device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"


@public
def otp_view(request):
    """Second step of signing in: the code of the user's authenticator app."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(
            reverse("accounts:otp-setup") + "?" + urlencode({"next": next_url(request)})
        )
    form = OtpForm(request.POST or None)
    ip = throttling.client_ip(request)
    locked = False
    if request.method == "POST":
        username = request.user.username
        if throttling.is_locked(username=username, ip=ip):
            locked = True
            security_log.warning(kv("second_factor_refused_locked", user=request.user.pk, ip=ip))
            form.add_error(None, _("Too many attempts. Try again later."))
        elif form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            throttling.reset(username=username)
            otp_login(request, device)
            security_log.info(kv("login_second_factor_ok", user=request.user.pk, ip=ip))
            return redirect(next_url(request))
        else:
            throttling.register_failure(username=username, ip=ip)
            security_log.info(kv("login_second_factor_failed", user=request.user.pk, ip=ip))
            if form.is_valid():
                form.add_error("token", _("This code is not correct or has expired."))
    response = render(
        request,
        "accounts/otp.html",
        {"form": form, "demo_code": _demo_hint(device), "next": next_url(request)},
        status=429 if locked else 200,
    )
    return _retry_later(response) if locked else response


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@public
def otp_setup_view(request):
    """Enrol an authenticator app: scan the code, confirm with a first code."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if confirmed_device(request.user) is not None:
        return redirect("accounts:otp")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="authenticator")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            security_log.info(kv("second_factor_enrolled", user=request.user.pk))
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(next_url(request))
        form.add_error("token", _("This code is not correct. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "demo_code": _demo_hint(device),
            "next": next_url(request),
        },
    )


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """A new user's first password, through the one-time link their administrator gave."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("user.password_set", actor=None, target=self.user)
        security_log.info(kv("password_set_by_link", user=self.user.pk))
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return response


password_set_view = public(PasswordSetView.as_view())
