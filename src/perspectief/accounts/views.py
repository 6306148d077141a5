"""Sign-in (password, then a second factor for staff), profile, API tokens, context."""

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
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.core.authz import NATIONAL_ROLES, Permission
from perspectief.core.logging import kv
from perspectief.core.policies import public, requires, signed_in
from perspectief.regions.models import Region

from . import services, throttling
from .forms import LoginForm, OtpForm, TokenForm
from .middleware import SESSION_MEMBERSHIP, SESSION_REGION
from .models import ApiToken

security_log = logging.getLogger("perspectief.security")


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@public
def login_view(request):
    if request.user.is_authenticated and getattr(request, "actor", None) is not None:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None, request=request)
    locked = False
    if request.method == "POST":
        username = throttling.normalise_username(request.POST.get("username", ""))
        ip = throttling.client_ip(request)
        if throttling.is_locked(username=username, ip=ip):
            locked = True
            security_log.warning(
                kv("login_refused_locked", account=throttling.username_ref(username), ip=ip)
            )
        elif form.is_valid():
            login(request, form.user)
            security_log.info(kv("login_password_ok", user=form.user.pk, ip=ip))
            if form.user.needs_second_factor:
                # The failure counter is reset only after the second factor as well.
                url = reverse("accounts:otp")
                return redirect(f"{url}?{urlencode({'next': _next_url(request)})}")
            throttling.reset(username=username)
            return redirect(_next_url(request))
        else:
            throttling.register_failure(username=username, ip=ip)
            security_log.info(kv("login_failed", account=throttling.username_ref(username), ip=ip))
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "locked": locked, "next": request.GET.get("next", "")},
        status=429 if locked else 200,
    )
    return _retry_later(response) if locked else response


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


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _demo_hint(device):
    """In the demo environment only: the current code, so testers need no app."""
    if not settings.DEMO_MODE or device is None:
        return None
    from django_otp.oath import TOTP

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
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(
            reverse("accounts:otp-setup") + "?" + urlencode({"next": _next_url(request)})
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
            return redirect(_next_url(request))
        else:
            throttling.register_failure(username=username, ip=ip)
            security_log.info(kv("login_second_factor_failed", user=request.user.pk, ip=ip))
            if form.is_valid():
                form.add_error("token", _("This code is not correct or has expired."))
    response = render(
        request,
        "accounts/otp.html",
        {"form": form, "demo_code": _demo_hint(device), "next": _next_url(request)},
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
    if _confirmed_device(request.user) is not None:
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
            return redirect(_next_url(request))
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
            "next": _next_url(request),
        },
    )


@signed_in
@require_GET
def profile_view(request):
    return _render_profile(request)


def _render_profile(request, *, new_token: dict | None = None, status: int = 200):
    """The profile page; a new token's secret is shown in this one response only."""
    actor = request.actor
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=actor.user.uuid,
    )
    memberships = list(request.user.memberships.active().select_related("organisation__region"))
    tokens = ApiToken.objects.filter(membership__user=request.user).select_related(
        "membership__organisation"
    )
    form = TokenForm(memberships=memberships, initial={"membership": str(actor.membership.uuid)})
    response = render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "tokens": tokens,
            "form": form,
            "new_token": new_token,
            "has_device": _confirmed_device(request.user) is not None,
            "can_manage_tokens": actor.has_perm(Permission.MANAGE_OWN_TOKENS),
        },
        status=status,
    )
    if new_token:
        add_never_cache_headers(response)
    return response


@requires(Permission.MANAGE_OWN_TOKENS)
@require_POST
def token_create_view(request):
    memberships = list(request.user.memberships.active())
    form = TokenForm(request.POST, memberships=memberships)
    if form.is_valid():
        membership = next(m for m in memberships if str(m.uuid) == form.cleaned_data["membership"])
        try:
            token, raw = services.token_create(
                actor=request.actor, membership=membership, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return _render_profile(request, new_token={"name": token.name, "raw": raw}, status=201)
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@requires(Permission.MANAGE_OWN_TOKENS)
@require_POST
def token_revoke_view(request, uuid):
    token = get_object_or_404(
        ApiToken.objects.select_related("membership"), uuid=uuid, membership__user=request.user
    )
    services.token_revoke(actor=request.actor, token=token)
    messages.success(request, _("The token %(name)s has been revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@signed_in
@require_POST
def context_view(request):
    """Switch the membership (organisation and role) or, for national roles, the region."""
    memberships = {str(m.uuid): m for m in request.user.memberships.active()}
    chosen = request.POST.get("membership")
    if chosen:
        if chosen not in memberships:
            messages.error(request, _("Unknown choice."))
        else:
            request.session[SESSION_MEMBERSHIP] = chosen
            request.session.pop(SESSION_REGION, None)
    region = request.POST.get("region")
    if region is not None:
        current = memberships.get(
            request.session.get(SESSION_MEMBERSHIP, ""), request.actor.membership
        )
        if current.role in NATIONAL_ROLES:
            if region == "" or Region.objects.filter(code=region).exists():
                request.session[SESSION_REGION] = region
    return HttpResponseRedirect(_next_url(request))


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
