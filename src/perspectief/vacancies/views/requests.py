"""The public request form for employers, the WSP queue, and one request's page with its
notes (turning it into an employer and a place is ``conversion.py``)."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.accounts.throttling import client_ip
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import public, requires

from ..forms.requests import SALT, RequestForm, fresh_form
from ..selectors.requests import queue_for
from ..services import requests as wsp


@public
def request_form_view(request):
    """Any employer asks the Werkgeversservicepunt for help; no account needed."""
    if request.method != "POST":
        return render(request, "vacancies/request_form.html", {"form": fresh_form()})
    form = RequestForm(request.POST)
    if wsp.flooding(client_ip(request)):
        return render(
            request, "vacancies/request_form.html", {"form": form, "flood": True}, status=429
        )
    if form.is_valid():
        if not form.cleaned_data["website"]:  # filled in: a bot; answered alike, not stored
            wsp.request_submit(data=form.cleaned_data)
        return render(
            request, "vacancies/request_thanks.html", {"days": settings.WSP_RESPONSE_DAYS}
        )
    # Keep what was typed, with a new moment for the next try.
    form.data = form.data.copy()
    form.data["shown"] = signing.TimestampSigner(salt=SALT).sign("form")
    return render(request, "vacancies/request_form.html", {"form": form})


@requires(Permission.MANAGE_EMPLOYERS)
@require_GET
def request_queue_view(request):
    queue = queue_for(request.actor)
    state = params.choice(request, "status", ["open", "all"], default="open")
    if state == "open":
        queue = queue.exclude(status="done")
    return render(
        request, "vacancies/request_queue.html", {"requests": queue[:200], "state": state}
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def request_action_view(request, uuid):
    item = get_object_or_404(queue_for(request.actor), uuid=uuid)
    action = request.POST.get("action")
    handlers = {
        "take": wsp.request_take,
        "contacted": wsp.request_contacted,
        "close": wsp.request_close,
    }
    if action in handlers:
        handlers[action](actor=request.actor, request=item)
        messages.success(request, _("Saved."))
    if request.POST.get("back") == "detail":
        return redirect("vacancies:request-detail", uuid=item.uuid)
    return redirect("vacancies:requests")


def render_request(request, item, *, status=200, **extra):
    """One request's page: what the employer asked, where it stands, the notes."""
    context = {
        "item": item,
        "notes": item.notes.select_related("author__user", "author__organisation")[:100],
        "note_length": wsp.NOTE_LENGTH,
        "can_convert": item.vacancy_id is None and request.actor.has_perm(Permission.MANAGE_PLACES),
        **extra,
    }
    return render(request, "vacancies/requests/detail.html", context, status=status)


def _item(request, uuid):
    return get_object_or_404(
        queue_for(request.actor).select_related("vacancy", "employer__organisation"), uuid=uuid
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_GET
def request_detail_view(request, uuid):
    return render_request(request, _item(request, uuid))


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def request_note_view(request, uuid):
    """Add a note; a refused one comes back beside the form with what was typed."""
    item = _item(request, uuid)
    text = request.POST.get("text", "")
    try:
        wsp.note_add(actor=request.actor, request=item, text=text)
    except ValidationError as exc:
        return render_request(
            request, item, status=400, note_error=" ".join(exc.messages), note_text=text
        )
    messages.success(request, _("Note saved."))
    return redirect(reverse("vacancies:request-detail", kwargs={"uuid": item.uuid}) + "#notes")
