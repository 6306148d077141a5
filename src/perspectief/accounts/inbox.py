"""What accounts puts in the inbox (Mijn werkvoorraad): invitations of colleagues that
expired without being accepted, for the functional administrator of the region, who sends
them again (or withdraws them) on the users page. Sending again or withdrawing is what
takes the item out."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import InvitationPurpose
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


def register() -> None:
    SOURCES.register("accounts.expired_invitations", expired_invitations, order=90)
