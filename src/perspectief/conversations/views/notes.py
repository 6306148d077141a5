"""Adding a note about a person (the notes are read in their section of the person's page,
``panels.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError, user_message
from perspectief.core.policies import requires

from ..forms.notes import NoteForm
from ..selectors.notes import addressable, person_for_notes
from ..services import notes as services


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def note_add_view(request, uuid):
    """Write a note about the person; back to the person's notes, with what went wrong."""
    try:
        candidate, _level = person_for_notes(actor=request.actor, uuid=uuid)
    except NotFoundError:
        raise Http404 from None
    form = NoteForm(request.POST, organisations=addressable(candidate))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.note_add(
                actor=request.actor,
                candidate=candidate,
                text=form.cleaned_data["text"],
                addressed_to=form.cleaned_data["to"],
            )
        except ValidationError as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(request, _("Your note has been added."))
    return redirect(services.notes_url(candidate))
