"""The signed-in user's profile: their memberships, their second factor, their personal
API tokens (a new token's secret shown once); and switching the context they act in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.core.authz import NATIONAL_ROLES, Permission
from perspectief.core.policies import requires, signed_in
from perspectief.regions.models import Region

from ..forms import TokenForm
from ..middleware import SESSION_MEMBERSHIP, SESSION_REGION
from ..models import ApiToken
from ..services import users as services
from .sign_in import confirmed_device, next_url


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
            "has_device": confirmed_device(request.user) is not None,
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
    return HttpResponseRedirect(next_url(request))
