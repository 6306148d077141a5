"""The person's data for the person (AVG art. 15 and 20): the readable document and the
file for a computer, on the person's own page or printed by their klantmanager."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import requires

from ..selectors import people as selectors
from ..services.export import candidate_document, candidate_export


def json_download(data: dict, name: str) -> HttpResponse:
    """The file for a computer, as a download nobody caches."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


def document_response(request, candidate, *, own: bool) -> HttpResponse:
    """The readable document of the person's data, a page nobody caches."""
    document = candidate_document(actor=request.actor, candidate=candidate)
    response = render(
        request,
        "candidates/data_document.html",
        {
            "candidate": candidate,
            "sections": document,
            "own": own,
            "made_on": timezone.localdate(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def candidate_document_view(request, uuid):
    """The same document, printed by the klantmanager for a person who asks for it."""
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        return document_response(request, candidate, own=False)
    except NotFoundError:
        raise Http404 from None


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def candidate_export_view(request, uuid):
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        data = candidate_export(actor=request.actor, candidate=candidate)
    except NotFoundError:
        raise Http404 from None
    return json_download(data, f"gegevens-{candidate.uuid}")
