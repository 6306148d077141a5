"""What accounts puts in the inbox (Mijn werkvoorraad):

- invitations of colleagues that expired without being accepted, for the functional
  administrator of the region, who sends them again (or withdraws them) on the users page.
  Sending again or withdrawing is what takes the item out;
- invitations accepted, for the membership that sent them, linking to the page where the
  inviter finds the new account (the purpose's ``page``: the new colleague's page, the
  employer's page, the job seeker's page). Opening that page takes the item out
  (``services.invitations.invitation_acceptances_seen``).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.dates import short_date
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import InvitationPurpose
from .hooks import INVITATION_PURPOSES
from .models import Invitation

#: At most this many items (the users page lists as many).
LIMIT = 100


def expired_invitations(actor: Actor) -> list[InboxItem]:
    if not actor.has_perm(Permission.MANAGE_USERS) or actor.membership is None:
        return []
    url = reverse("accounts:manage-users") + "#invitations"
    expired = (
        Invitation.objects.visible_to(actor)
        .expired()
        .filter(purpose=InvitationPurpose.STAFF)
        .select_related("organisation")
        .order_by("expires_at", "id")[:LIMIT]
    )
    return [
        InboxItem(
            kind=Kind.INVITATION,
            title=_("Invitation expired without being accepted: %(email)s")
            % {"email": invitation.email},
            url=url,
            due=timezone.localdate(invitation.expires_at),
            detail=f"{invitation.get_role_display()}, {invitation.organisation.name}",
            key=f"invitation:{invitation.uuid}",
        )
        for invitation in expired
    ]


#: Who sends invitations: administrators (colleagues), account owners (an employer's
#: users), klantmanagers (job seekers).
INVITING = (Permission.MANAGE_USERS, Permission.MANAGE_EMPLOYERS, Permission.MANAGE_CANDIDATES)


def _accepted_title(invitation: Invitation) -> str:
    """Names only whom the inviter sees on the linked page: a colleague by name (the
    administrator sees the region's users), an employer's user by the address the owner
    invited (the account owner does not see the employer's accounts), a job seeker not at
    all."""
    if invitation.purpose == InvitationPurpose.JOB_SEEKER:
        return _("A job seeker you invited now uses Mijn Perspectief")
    if invitation.purpose == InvitationPurpose.STAFF:
        user = invitation.accepted_user
        who = (user.get_full_name() or user.username) if user else invitation.email
    else:
        who = invitation.email
    return _("%(who)s accepted your invitation") % {"who": who}


def accepted_invitations(actor: Actor) -> list[InboxItem]:
    """The invitations this membership sent that were accepted and that it has not looked
    at yet, while it may open the page they lead to (each purpose's ``reachable``)."""
    if actor.membership is None or not any(actor.has_perm(p) for p in INVITING):
        return []
    purposes = dict(INVITATION_PURPOSES.items())
    reachable = Q(pk__in=[])
    for key, purpose in purposes.items():
        if purpose.reachable is not None:
            reachable |= Q(purpose=key) & purpose.reachable(actor)
    accepted = (
        Invitation.objects.visible_to(actor)
        .filter(
            reachable,
            invited_by=actor.membership,
            used_at__isnull=False,
            accepted_user__isnull=False,
            acceptance_seen_at=None,
        )
        .select_related("accepted_user", "organisation__employer_account")
        .order_by("-used_at", "-id")[:LIMIT]
    )
    items = []
    for invitation in accepted:
        detail = _("accepted on %(date)s") % {
            "date": short_date(timezone.localdate(invitation.used_at))
        }
        if invitation.purpose != InvitationPurpose.JOB_SEEKER:
            detail = f"{Role(invitation.role).label}, {invitation.organisation.name}; {detail}"
        items.append(
            InboxItem(
                kind=Kind.INVITATION_ACCEPTED,
                title=_accepted_title(invitation),
                url=purposes[invitation.purpose].page(invitation, invitation.accepted_user),
                detail=detail,
                key=f"invitation-accepted:{invitation.uuid}",
            )
        )
    return items


def register() -> None:
    SOURCES.register("accounts.expired_invitations", expired_invitations, order=90)
    SOURCES.register("accounts.accepted_invitations", accepted_invitations, order=91)
