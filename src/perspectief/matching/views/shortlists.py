"""Advisers' page action on a place's shortlist: take someone off it. People are put on a
shortlist from the person's page or the ranked list (:mod:`.proposals`, :mod:`.runs`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.vacancies.models import Vacancy

from ..models import ShortlistEntry
from ..services.shortlists import shortlist_remove


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def shortlist_entry_view(request, uuid):
    """Take someone off a shortlist (the organisation that added them, or a serving one)."""
    actor = request.actor
    entry = get_object_or_404(
        ShortlistEntry.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            vacancy__in=Vacancy.objects.visible_to(actor),
        ),
        uuid=uuid,
    )
    try:
        shortlist_remove(actor=actor, entry=entry)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Taken off the shortlist."))
    return redirect("vacancies:detail", uuid=entry.vacancy.uuid)
