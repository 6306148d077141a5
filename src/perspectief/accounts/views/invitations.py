"""Invitations: the invitee's page (public; the link from the e-mail), and sending again
and withdrawing an invitation for whoever manages it.

The e-mail's link carries the raw token. Its page puts the token's hash in the session
and sends the browser on to a page without it (as Django's password reset does), so the
token does not stay in the address bar, in the browser's history or in what the
platform writes about later requests (the access log keeps the path)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.logging import kv
from perspectief.core.policies import public, requires, signed_in

from ..constants import InvitationPurpose
from ..forms import AcceptForm, InvitationForm
from ..hooks import purpose_for
from ..middleware import SESSION_MEMBERSHIP
from ..models import Invitation
from ..selectors import (
    account_for_address,
    invitation_by_hash,
    invitation_by_token,
    suggest_username,
)
from ..services import invitations as services
from .manage import region_organisations, render_user_list

security_log = logging.getLogger("perspectief.security")

#: The session key that holds the hash of the invitation being accepted.
SESSION_INVITATION = "perspectief_invitation"

#: What a link that does not work answers: unknown is "not found", the others "gone".
UNUSABLE_STATUS = {"unknown": 404}


def _unusable(request, state: str):
    request.session.pop(SESSION_INVITATION, None)
    security_log.info(kv("invitation_link_unusable", state=state))
    return render(
        request,
        "accounts/invitations/unusable.html",
        {"state": state},
        status=UNUSABLE_STATUS.get(state, 410),
    )


@public
@require_GET
def invitation_link_view(request, token):
    """The link in the e-mail: remember which invitation (its hash), then show it."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return _unusable(request, "unknown")
    state = services.invitation_state(invitation)
    if state != "open":
        return _unusable(request, state)
    request.session[SESSION_INVITATION] = invitation.token_hash
    return redirect("accounts:invitation")


def _is_invitee(user, invitation: Invitation) -> bool:
    return (user.email or "").strip().lower() == invitation.email


def _mode(request, invitation: Invitation) -> str:
    """``new`` (choose an account), ``sign_in`` (the address has an account: sign in with
    it), ``existing`` (signed in with that account: accept) or ``other`` (signed in with
    another account: sign out first)."""
    if request.user.is_authenticated:
        return "existing" if _is_invitee(request.user, invitation) else "other"
    return "sign_in" if account_for_address(invitation.email) is not None else "new"


@public
@require_http_methods(["GET", "POST"])
def invitation_view(request):
    """What the invitation is for, and accepting it: a new account with a password, or
    the invitee's existing account, signed in."""
    token_hash = request.session.get(SESSION_INVITATION)
    invitation = invitation_by_hash(token_hash) if token_hash else None
    if invitation is None:
        return _unusable(request, "unknown")
    state = services.invitation_state(invitation)
    if state != "open":
        return _unusable(request, state)
    mode = _mode(request, invitation)
    job_seeker = invitation.purpose == InvitationPurpose.JOB_SEEKER
    form = None
    if mode == "new":
        form = AcceptForm(
            request.POST or None,
            with_names=not job_seeker,
            initial={"username": suggest_username(invitation.email)},
        )
    if (
        request.method == "POST"
        and mode in ("new", "existing")
        and (form is None or form.is_valid())
    ):
        try:
            return _accept(request, invitation, form)
        except services.InvitationUnusable as exc:
            return _unusable(request, exc.state)
        except ValidationError as exc:
            _show_errors(request, form, exc)
    return render(
        request,
        "accounts/invitations/accept.html",
        {
            "invitation": invitation,
            "mode": mode,
            "form": form,
            "job_seeker": job_seeker,
            "staff": invitation.role not in (Role.EMPLOYER, Role.CANDIDATE),
            "sign_in_url": reverse("accounts:login")
            + "?"
            + urlencode({"next": reverse("accounts:invitation")}),
        },
    )


def _show_errors(request, form, exc: ValidationError) -> None:
    if form is None:
        messages.error(request, " ".join(exc.messages))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _accept(request, invitation: Invitation, form):
    """Accept (the service does it all in one transaction), sign in, and go on: staff to
    set up their second factor, everyone else to the home page."""
    if form is not None:
        data = form.cleaned_data
        _invitation, membership = services.invitation_accept(
            token_hash=invitation.token_hash,
            username=data["username"],
            password=data["password"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        login(request, membership.user)
        security_log.info(kv("login_by_invitation", user=membership.user.pk))
        messages.success(request, _("The account is ready."))
        verified = False  # a new account has no second factor yet
    else:
        _invitation, membership = services.invitation_accept(
            token_hash=invitation.token_hash, user=request.user
        )
        messages.success(request, _("The invitation is accepted: the new role is added."))
        verified = request.user.is_verified()
    request.session.pop(SESSION_INVITATION, None)
    request.session[SESSION_MEMBERSHIP] = str(membership.uuid)
    if membership.user.needs_second_factor and not verified:
        return redirect(reverse("accounts:otp-setup") + "?" + urlencode({"next": reverse("home")}))
    return redirect("home")


@requires(Permission.MANAGE_USERS)
@require_POST
def invite_view(request):
    """The functional administrator invites a colleague (the users page's form)."""
    actor = request.actor
    form = InvitationForm(request.POST, organisations=region_organisations(actor))
    if form.is_valid():
        try:
            services.invitation_create(
                actor=actor,
                purpose=InvitationPurpose.STAFF,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _show_errors(request, form, exc)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect(reverse("accounts:manage-users") + "#invitations")
    return render_user_list(request, invite_form=form)


def _managed(request, uuid) -> Invitation:
    return get_object_or_404(
        Invitation.objects.visible_to(request.actor).select_related("organisation"), uuid=uuid
    )


@signed_in
@require_POST
def invitation_resend_view(request, uuid):
    invitation = _managed(request, uuid)
    try:
        services.invitation_resend(actor=request.actor, invitation=invitation)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect(purpose_for(invitation.purpose).page(invitation))


@signed_in
@require_POST
def invitation_revoke_view(request, uuid):
    invitation = _managed(request, uuid)
    try:
        services.invitation_revoke(actor=request.actor, invitation=invitation)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect(purpose_for(invitation.purpose).page(invitation))
