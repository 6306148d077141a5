"""What accounts shows on lower apps' pages (registered in ``AccountsConfig.ready()``).

The account owner of an employer (``organisations.panels.EMPLOYER_OWNER``) may hand it over to
a colleague or partner of the region: choosing whom needs the region's memberships. The owner
also invites the employer's users, and sees the invitations still open or expired, and
those accepted since they last looked.
"""

from perspectief.core.contributions import Panel
from perspectief.organisations.panels import EMPLOYER_OWNER

from .constants import InvitationPurpose
from .inbox import LIMIT
from .models import Invitation
from .selectors import handover_candidates, invitations_to_manage
from .services.invitations import invitation_acceptances_seen


def employer_handover(request, *, account, **_objects):
    """The hand-over form, when there is someone to hand over to."""
    colleagues = list(handover_candidates(actor=request.actor, account=account))
    if not colleagues:
        return None
    return {"account": account, "colleagues": colleagues}


def employer_invitations(request, *, account, **_objects):
    """Invite a user of the employer; its invitations that are open or expired, and those
    the owner sent that were accepted since they last looked (which leave their inbox now)."""
    actor = request.actor
    mine = Invitation.objects.filter(
        purpose=InvitationPurpose.EMPLOYER_USER, organisation=account.organisation
    )
    accepted = []
    if actor.membership is not None:
        accepted = list(
            mine.filter(
                invited_by=actor.membership, used_at__isnull=False, acceptance_seen_at=None
            ).order_by("-used_at", "-id")[:LIMIT]
        )
    if accepted:
        invitation_acceptances_seen(actor=actor, invitations=mine)
    return {
        "account": account,
        "invitations": invitations_to_manage(
            actor, purpose=InvitationPurpose.EMPLOYER_USER, organisation=account.organisation
        ),
        "accepted": accepted,
    }


def register_employer_panels() -> None:
    EMPLOYER_OWNER.register(
        "accounts.handover", Panel("accounts/panels/employer_handover.html", employer_handover)
    )
    EMPLOYER_OWNER.register(
        "accounts.invitations",
        Panel("accounts/panels/employer_invitations.html", employer_invitations),
        order=110,
    )
