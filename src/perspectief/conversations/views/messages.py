"""Messages: the job seeker's page with all their conversations (``/messages/``), and staff
answering on the person's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError, user_message
from perspectief.core.policies import requires

from ..constants import MESSAGE_MAX_LENGTH
from ..forms.messages import MessageForm
from ..selectors import messages as selectors
from ..services import messages as services


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _send(request, candidate: Candidate, form: MessageForm, organisation=None) -> bool:
    """Send the form's message; what went wrong is in the form's errors."""
    if not form.is_valid():
        return False
    try:
        services.message_send(
            actor=request.actor,
            candidate=candidate,
            text=form.cleaned_data["text"],
            organisation=organisation or form.chosen_organisation(),
        )
    except ValidationError as exc:
        form.add_error(None, user_message(exc))
        return False
    except NotFoundError:
        raise Http404 from None
    return True


@requires(Permission.VIEW_OWN_PROFILE)
@require_http_methods(["GET", "POST"])
def own_messages_view(request):
    """The job seeker's conversations with each organisation that supports them; opening
    the page reads them."""
    actor = request.actor
    candidate = selectors.own_record(actor)
    if candidate is None:
        return render(request, "conversations/messages/own.html", {"candidate": None})
    organisations = list(selectors.message_organisations(candidate))
    form = MessageForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if _send(request, candidate, form):
            messages.success(request, _("Your message has been sent."))
            return redirect("conversations:own")
    threads = selectors.own_threads(actor, candidate)
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_SELF)
    for thread in threads:
        services.conversation_read(actor=actor, conversation=thread.conversation)
    return render(
        request,
        "conversations/messages/own.html",
        {
            "candidate": candidate,
            "threads": threads,
            "form": form,
            "can_write": bool(organisations),
            "max_length": MESSAGE_MAX_LENGTH,
        },
    )


@requires(Permission.VIEW_CANDIDATES)
@require_POST
def reply_view(request, uuid):
    """Staff of an organisation serving the person (or messaging them as a partner) write
    to the person; back to where they read the conversation."""
    actor = request.actor
    candidate = selectors.answerable(actor).filter(uuid=uuid).first()
    if candidate is None:
        raise Http404
    form = MessageForm(request.POST)
    if _send(request, candidate, form, organisation=actor.organisation):
        messages.success(request, _("Your message has been sent."))
    else:
        _errors(request, form)
    return redirect(services.staff_url(candidate, actor.organisation))
