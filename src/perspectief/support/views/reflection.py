"""Pages of the regions' reflection: the region's page (its rounds, and for the programme
manager the progress questionnaires and support requests), opening a round, answering it
for one's organisation, and the rounds side by side — for the region, and for the support
team per region."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.regions.models import Region

from ..constants import QuestionnaireKind, RequestStatus
from ..forms import RoundForm
from ..models import Questionnaire, Response, SupportRequest
from ..selectors import progress as progress_selectors
from ..selectors import reflection as selectors
from ..services import reflection as services
from ..services import responses as answering
from .common import answer_form, save_posted


@requires(Permission.REFLECT)
@require_GET
def region_view(request):
    actor = request.actor
    context = {"rounds": selectors.rounds(actor, actor.region_id), "region": actor.region}
    if actor.has_perm(Permission.REPORT_PROGRESS) and actor.region_id:
        submitted = {
            r.questionnaire_id: r
            for r in Response.objects.visible_to(actor).filter(
                questionnaire__kind=QuestionnaireKind.PROGRESS
            )
        }
        context["progress"] = [
            (q, submitted.get(q.pk)) for q in progress_selectors.questionnaires(actor)
        ]
        context["open_requests"] = (
            SupportRequest.objects.visible_to(actor).filter(status=RequestStatus.OPEN).count()
        )
    return render(request, "support/region.html", context)


@requires(Permission.REPORT_PROGRESS)
def create_view(request):
    today = timezone.localdate()
    initial = {
        "period_start": today - timedelta(days=90),
        "period_end": today,
        "deadline": today + timedelta(days=14),
    }
    form = RoundForm(request.POST or None, initial=initial)
    made = save_posted(
        request, form, lambda: services.round_open(actor=request.actor, data=form.round_input())
    )
    if made is not None:
        messages.success(request, _("The round is open; the region's partners are asked."))
        return redirect("support:reflection", uuid=made.uuid)
    return render(request, "support/round_form.html", {"form": form})


@requires(Permission.REFLECT)
def round_view(request, uuid):
    """A round and its answers; a partner of the region answers it here once for their
    organisation. A round of another region is refused in words (nothing is saved)."""
    actor = request.actor
    questionnaire = get_object_or_404(
        Questionnaire.objects.filter(kind=QuestionnaireKind.REFLECTION).select_related("region"),
        uuid=uuid,
    )
    try:
        answering.check_may_answer(actor, questionnaire)
    except DomainError as exc:
        return render(request, "support/refused.html", {"message": user_message(exc)}, status=403)
    response = answering.response_of(actor, questionnaire)
    form, saved = answer_form(request, questionnaire, response, submit=True)
    if saved is not None:
        messages.success(request, _("Thank you: your organisation's answers are in."))
        return redirect("support:reflection", uuid=uuid)
    return render(
        request,
        "support/round.html",
        {
            "questionnaire": questionnaire,
            "response": response,
            "form": form,
            "entries": selectors.answers_by_organisation(actor, questionnaire),
            "may_answer": response is None or not response.is_submitted,
        },
    )


@requires(Permission.REFLECT)
@require_GET
def compare_view(request):
    actor = request.actor
    return render(
        request,
        "support/compare.html",
        {"region": actor.region, "comparison": selectors.comparison(actor, actor.region_id)},
    )


@requires(Permission.SUPPORT_REGIONS)
@require_GET
def team_region_view(request, code):
    """One region as the team sees it: its reflection rounds side by side and its progress
    responses (its plan and numbers are on the monitoring's pages)."""
    actor = request.actor
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "support/team_region.html",
        {
            "region": region,
            "comparison": selectors.comparison(actor, region.pk),
            "responses": Response.objects.visible_to(actor)
            .filter(region=region, questionnaire__kind=QuestionnaireKind.PROGRESS)
            .select_related("questionnaire")
            .order_by("-questionnaire__period_start"),
            "requests": SupportRequest.objects.visible_to(actor).filter(region=region),
        },
    )
