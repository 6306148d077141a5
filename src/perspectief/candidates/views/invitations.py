"""The invitation to Mijn Perspectief on a person's page: its state (not invited, invited
until a date, expired, account linked) and the form to invite, for a klantmanager of an
organisation that serves the person. Sending again and withdrawing are accounts' pages
(``accounts.views.invitations``), which come back here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.accounts.constants import ROLE_ORGANISATION_KINDS, InvitationPurpose
from perspectief.accounts.models import Invitation
from perspectief.accounts.services.invitations import invitation_acceptances_seen
from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..models import Candidate
from ..selectors.people import FULL
from ..services.invitations import job_seeker_invite
from .people import person_or_404


def invitation_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """For who manages the person (the page shows this block only to them), in an
    organisation where job seekers can have an account (a gemeente or UWV)."""
    actor = request.actor
    if level != FULL or not actor.has_perm(Permission.MANAGE_CANDIDATES):
        return None
    if actor.organisation.kind not in ROLE_ORGANISATION_KINDS[Role.CANDIDATE]:
        return None
    latest = (
        Invitation.objects.filter(purpose=InvitationPurpose.JOB_SEEKER, subject_uuid=candidate.uuid)
        .order_by("-created_at", "-id")
        .first()
    )
    if candidate.user_id is not None:
        state = "linked"
        # The klantmanager who invited the person has seen that they accepted (inbox).
        invitation_acceptances_seen(
            actor=actor,
            invitations=Invitation.objects.filter(
                purpose=InvitationPurpose.JOB_SEEKER, subject_uuid=candidate.uuid
            ),
        )
    elif latest is not None and latest.state in ("open", "expired"):
        state = latest.state
    else:
        state = "none"
    manageable = (
        latest is not None
        and state == "open"
        and Invitation.objects.visible_to(actor).filter(pk=latest.pk).exists()
    )
    return {
        "candidate": candidate,
        "state": state,
        "invitation": latest if state in ("open", "expired") else None,
        "can_withdraw": manageable,
        "email": latest.email if state in ("open", "expired") and latest else candidate.email,
    }


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def invite_view(request, uuid):
    """Invite the person to Mijn Perspectief (or send a new link)."""
    candidate, level = person_or_404(request, uuid)
    if level != FULL:
        raise Http404
    try:
        invitation = job_seeker_invite(
            actor=request.actor, candidate=candidate, email=request.POST.get("email", "")
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link works for seven days.")
            % {"email": invitation.email},
        )
    return redirect(reverse("candidates:detail", args=[candidate.uuid]) + "#invitation")
