"""Possible duplicates: look at both, merge them or keep them apart; undo a merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..selectors.duplicates import merges_for, pairs_for
from ..services import duplicates


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def duplicate_list_view(request):
    pairs = list(pairs_for(request.actor)[:100])
    for pair in pairs:
        for candidate in (pair.first, pair.second):
            access.record_candidate(request.actor, candidate, ProcessingActivity.CANDIDATE_SERVICE)
    return render(request, "candidates/duplicates.html", {"pairs": pairs})


def _pair(request, uuid):
    return get_object_or_404(pairs_for(request.actor), uuid=uuid)


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def duplicate_merge_view(request, uuid):
    try:
        record = duplicates.merge(actor=request.actor, pair=_pair(request, uuid))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:duplicates")
    messages.success(request, _("Merged into one record. You can undo this on the profile."))
    return redirect("candidates:detail", uuid=record.survivor.uuid)


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def duplicate_keep_view(request, uuid):
    duplicates.keep_apart(actor=request.actor, pair=_pair(request, uuid))
    messages.success(request, _("Marked as two different people."))
    return redirect("candidates:duplicates")


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def merge_undo_view(request, uuid):
    record = get_object_or_404(merges_for(request.actor), uuid=uuid)
    duplicates.unmerge(actor=request.actor, merge_record=record)
    messages.success(request, _("The merge has been undone: there are two records again."))
    return redirect("candidates:detail", uuid=record.survivor.uuid)
