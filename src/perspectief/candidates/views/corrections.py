"""Corrections of the profile: the person proposes one field at a time from "Mijn
gegevens"; a klantmanager of an organisation that serves them accepts or declines it on the
person's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import requires

from ..constants import CorrectionField, CorrectionStatus
from ..forms.corrections import CorrectionForm
from ..models import Candidate, ProfileCorrection
from ..selectors import people as selectors
from ..selectors.corrections import in_words, may_decide, stored_value
from ..services import corrections as services
from .own_page import own_or_404


@requires(Permission.VIEW_OWN_PROFILE)
def self_correction_view(request, field):
    """One question: the field's new value, and why (optional)."""
    if field not in CorrectionField.values:
        raise Http404
    candidate = own_or_404(request)
    form = CorrectionForm(request.POST or None, field=field)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_propose(
                actor=request.actor,
                candidate=candidate,
                field=field,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Thank you. Your klantmanager will look at it. You see the answer on this page."),
            )
            return redirect("candidates:self")
    # Showing the current value (again) is a read of the person's own data.
    selectors.log_read(request.actor, candidate, selectors.SELF)
    label = CorrectionField(field).label
    pending = candidate.corrections.filter(field=field, status=CorrectionStatus.PROPOSED).first()
    context = {
        "form": form,
        "field_label": label,
        "current": in_words(field, stored_value(candidate, field)),
        "pending": in_words(field, pending.proposed_value) if pending else None,
    }
    return render(request, "candidates/corrections/propose.html", context)


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def correction_decide_view(request, uuid):
    """Accept (the profile changes) or decline with a reason; back to the person's page."""
    correction = get_object_or_404(
        ProfileCorrection.objects.select_related("candidate").filter(
            candidate__in=Candidate.objects.visible_to(request.actor)
        ),
        uuid=uuid,
    )
    candidate = correction.candidate
    if not may_decide(request.actor, candidate):
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.correction_accept(actor=request.actor, correction=correction)
            messages.success(request, _("Accepted: the profile has been changed."))
        elif action == "decline":
            services.correction_decline(
                actor=request.actor, correction=correction, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Declined. The person sees your reason on their own page."))
        else:
            messages.error(request, _("Choose to accept or decline the correction."))
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("candidates:detail", kwargs={"uuid": candidate.uuid}) + "#corrections")
