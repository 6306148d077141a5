"""Erasure on request: the klantmanager anonymises the person (AVG art. 17)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import requires

from ..selectors import people as selectors
from ..services.erasure import candidate_erase


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_erase_view(request, uuid):
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        candidate_erase(actor=request.actor, candidate=candidate)
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person's data have been anonymised."))
    return redirect("candidates:detail", uuid=candidate.uuid)
