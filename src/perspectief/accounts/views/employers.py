"""The account owner hands an employer over to a colleague or partner of the region.

The employer pages are in ``organisations``; the hand-over is here because it picks a
membership. Its URL keeps its place and name in the ``organisations`` namespace (the root
urls.py adds :data:`perspectief.accounts.urls.employer_urlpatterns` there).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.organisations.services import employers
from perspectief.organisations.views.employers import account_action

from ..models import Membership


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_handover_view(request, uuid):
    def handover(account):
        to = Membership.objects.filter(uuid=parse_uuid(request.POST.get("to"))).first()
        if to is None:
            raise ValidationError(_("Choose to whom."))
        employers.employer_handover(actor=request.actor, account=account, to=to)

    return account_action(request, uuid, handover, _("Handed over."))
