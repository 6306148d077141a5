"""The job seeker's answer, on their own page, to meeting the employer of a place they were
proposed for (the panel is ``matching/panels/own_proposals.html`` on ``candidates:self``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..services.introductions import own_proposals, person_answer


@requires(Permission.VIEW_OWN_PROFILE)
@require_POST
def own_answer_view(request, uuid):
    """ "Yes, introduce me" or "No, rather not" for one of the person's own proposals;
    another person's proposal is not found (404)."""
    proposal = get_object_or_404(own_proposals(request.actor), uuid=uuid)
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
    else:
        try:
            person_answer(
                actor=request.actor,
                proposal=proposal,
                agree=answer == "yes",
                statement_version=request.POST.get("statement_version", ""),
            )
        except (ValidationError, DomainError) as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(
                request,
                _("Thank you. Your klantmanager will contact you about meeting the employer.")
                if answer == "yes"
                else _("Thank you. The employer will not get your name. This costs you nothing."),
            )
    return redirect(reverse("candidates:self") + "#proposals")
