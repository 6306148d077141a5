"""Advisers' page for a hire into a job the person found outside the platform."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..forms.hires import OutsideHireForm
from ..services.hires import outside_hire_record


@requires(Permission.MANAGE_CANDIDATES)
def outside_hire_view(request, uuid):
    """From the person's page: record a hire into a job the person found outside the
    platform (no place, no proposal). The person becomes *geplaatst* and the support plan
    starts, as with any hire."""
    actor = request.actor
    try:
        candidate, level = candidate_selectors.candidate_get_for_actor(actor=actor, uuid=uuid)
    except DomainError:
        raise Http404() from None
    if (
        level != candidate_selectors.FULL
        or not Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    ):
        raise Http404()
    form = OutsideHireForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            hire = outside_hire_record(actor=actor, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(
                request,
                _("The hire is recorded: %(name)s is placed and the support at work has started.")
                % {"name": candidate.full_name},
            )
            return redirect("route:support-plan", uuid=hire.support_plan.uuid)
    return render(
        request, "matching/hires/outside_hire.html", {"candidate": candidate, "form": form}
    )
