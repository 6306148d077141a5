from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.accounts.constants import Permission
from perspectief.accounts.policies import requires
from perspectief.core import params
from perspectief.core.exceptions import NotFoundError

from .selectors import access_records_for_person


@requires(Permission.VIEW_ACCESS_LOG)
@require_GET
def access_log_view(request):
    """A privacy officer looks up every processing of one person (AVG inzage)."""
    person = (request.GET.get("person") or "").strip()
    page, error, status = None, None, 200
    if person:
        try:
            records = access_records_for_person(actor=request.actor, person=person)
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        except NotFoundError as exc:
            error, status = str(exc.message), 404
        else:
            page = params.page(request, records, 100)
    return render(
        request,
        "audit/access_log.html",
        {"person": person, "page": page, "error": error},
        status=status,
    )
