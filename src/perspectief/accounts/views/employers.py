"""The account owner hands an employer over to a colleague or partner of the region, and
invites the employer's users.

The employer pages are in ``organisations``; the hand-over and the invitations are here
because they pick or make a membership. Their URLs keep their place and name in the
``organisations`` namespace (the root urls.py adds
:data:`perspectief.accounts.urls.employer_urlpatterns` there).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission, Role
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.organisations.services import employers
from perspectief.organisations.views.employers import account_action

from ..constants import InvitationPurpose
from ..models import Membership
from ..services import invitations


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_handover_view(request, uuid):
    def handover(account):
        to = Membership.objects.filter(uuid=parse_uuid(request.POST.get("to"))).first()
        if to is None:
            raise ValidationError(_("Choose to whom."))
        employers.employer_handover(actor=request.actor, account=account, to=to)

    return account_action(request, uuid, handover, _("Handed over."))


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_invite_view(request, uuid):
    """The account owner invites a user of the employer (the refusal is the message)."""

    def invite(account):
        try:
            invitations.invitation_create(
                actor=request.actor,
                email=request.POST.get("email", ""),
                organisation=account.organisation,
                role=Role.EMPLOYER,
                purpose=InvitationPurpose.EMPLOYER_USER,
            )
        except DomainError as exc:
            raise ValidationError(user_message(exc)) from None

    return account_action(request, uuid, invite, _("Invitation sent."))
