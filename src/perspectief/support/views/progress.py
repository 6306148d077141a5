"""Pages of the quarterly progress collection: the team's questionnaires (made, extended,
published) with the overview of which regions answered, a region's response as the team
reads it, the bottlenecks and good examples across regions, and the programme manager's
page to answer the questionnaire for the region."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.dates import day_month_year, quarter_label
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.monitoring.periods import completed_quarters

from ..constants import QuestionTag
from ..forms import LinkLessonForm, ProgressForm, QuestionForm
from ..models import Answer, Response
from ..selectors import progress as selectors
from ..services import questionnaires as services
from ..services import responses as answering
from .common import answer_form, errors_to_form, save_posted


@requires(Permission.SUPPORT_REGIONS)
@require_GET
def team_home_view(request):
    listed = selectors.questionnaires(request.actor)
    return render(
        request,
        "support/team.html",
        {
            "questionnaires": [(q, selectors.counts(selectors.overview(q))) for q in listed],
            "regions": selectors.regions_to_answer(),
        },
    )


@requires(Permission.SUPPORT_REGIONS)
def create_view(request):
    year, quarter = completed_quarters(1)[0]
    initial = {"year": year, "quarter": quarter}
    form = ProgressForm(request.POST or None, initial=initial)
    made = save_posted(
        request,
        form,
        lambda: services.progress_create(actor=request.actor, data=form.progress_input()),
    )
    if made is not None:
        messages.success(request, _("The questionnaire is made as a draft."))
        return redirect("support:questionnaire", uuid=made.uuid)
    return render(request, "support/questionnaire_form.html", {"form": form})


@requires(Permission.SUPPORT_REGIONS)
def questionnaire_view(request, uuid):
    """The questionnaire; a draft takes questions and is published here (``action``)."""
    questionnaire = get_object_or_404(selectors.questionnaires(request.actor), uuid=uuid)
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish(actor=request.actor, questionnaire=questionnaire)
                messages.success(request, _("Published: the regions find it in their inbox."))
                return redirect("support:questionnaire", uuid=uuid)
            if form.is_valid():
                services.question_add(
                    actor=request.actor, questionnaire=questionnaire, data=form.question_input()
                )
                messages.success(request, _("The question is added."))
                return redirect("support:questionnaire", uuid=uuid)
        except ValidationError as exc:
            if action == "publish":
                messages.error(request, user_message(exc))
                return redirect("support:questionnaire", uuid=uuid)
            errors_to_form(form, exc)
    rows = selectors.overview(questionnaire) if questionnaire.is_published else []
    return render(
        request,
        "support/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "questions": questionnaire.questions.order_by("order", "id"),
            "form": form,
            "rows": rows,
            "counts": selectors.counts(rows),
        },
    )


@requires(Permission.SUPPORT_REGIONS)
@require_GET
def team_response_view(request, uuid):
    response = get_object_or_404(
        Response.objects.visible_to(request.actor).select_related("questionnaire", "region"),
        uuid=uuid,
    )
    return render(
        request,
        "support/response.html",
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "lines": selectors.lines(response.questionnaire, response),
        },
    )


@requires(Permission.SUPPORT_REGIONS)
def findings_view(request):
    """Bottlenecks and good examples of every region; a lesson is linked per answer."""
    quarters = sorted(
        {(q.year, q.quarter) for q in selectors.questionnaires(request.actor)}, reverse=True
    )
    choices = {f"{y}-Q{q}": quarter_label(y, q) for y, q in quarters}
    chosen = params.choice(request, "quarter", list(choices))
    year, quarter = (int(chosen[:4]), int(chosen[-1])) if chosen else (None, None)
    if request.method == "POST":
        raw = request.POST.get("answer", "")
        answer = get_object_or_404(
            Answer.objects.filter(response__in=Response.objects.visible_to(request.actor)),
            pk=int(raw) if raw.isdigit() else 0,
        )
        link = LinkLessonForm(request.POST)
        if link.is_valid():
            try:
                services.link_lessons(
                    actor=request.actor, answer=answer, lessons=[link.cleaned_data["lesson"]]
                )
            except (ValidationError, DomainError) as exc:
                messages.error(request, user_message(exc))
            else:
                messages.success(request, _("The lesson is linked."))
        else:
            messages.error(request, _("Choose a shared lesson to link."))
        return redirect(request.get_full_path())
    found = selectors.findings(request.actor, year=year, quarter=quarter)
    return render(
        request,
        "support/findings.html",
        {
            "quarters": choices.items(),
            "chosen": chosen,
            "sections": [
                (QuestionTag.BOTTLENECKS.label, found[QuestionTag.BOTTLENECKS]),
                (QuestionTag.GOOD_EXAMPLES.label, found[QuestionTag.GOOD_EXAMPLES]),
            ],
            "link_form": LinkLessonForm(),
            "has_lessons": LinkLessonForm.base_fields["lesson"].queryset.exists(),
        },
    )


@requires(Permission.REPORT_PROGRESS)
def answer_view(request, uuid):
    """The programme manager answers the questionnaire for the region: the figures from
    the platform are filled in, the written part is typed; save as a draft or submit."""
    actor = request.actor
    questionnaire = get_object_or_404(selectors.questionnaires(actor), uuid=uuid)
    response = answering.response_of(actor, questionnaire)
    submit = request.POST.get("action") == "submit"
    form, saved = answer_form(request, questionnaire, response, submit=submit)
    if saved is not None:
        if submit and saved.late:
            messages.warning(
                request,
                _(
                    "Submitted after the deadline of %(deadline)s: the answers are "
                    "accepted and marked as submitted late."
                )
                % {"deadline": day_month_year(questionnaire.deadline)},
            )
        elif submit:
            messages.success(request, _("Submitted. The support team can read it now."))
        else:
            messages.success(request, _("Saved as a draft."))
        return redirect("support:progress", uuid=uuid)
    return render(
        request,
        "support/answer.html",
        {
            "questionnaire": questionnaire,
            "response": response,
            "form": form,
            "lines": selectors.lines(questionnaire, response, actor.region),
            "overdue": timezone.localdate() > questionnaire.deadline,
        },
    )
