"""The support team's questionnaires: made as a draft with the standard questions of the
quarterly progress collection, extended with the team's own, and published — after which
the questions are fixed and every region with a programme manager is told. Bottlenecks and
good examples are linked to shared lessons of the leeragenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.audit import services as audit
from perspectief.core.authz import Actor
from perspectief.core.dates import day_month_year
from perspectief.lessons.constants import Visibility
from perspectief.lessons.models import Lesson
from perspectief.monitoring.periods import quarter_bounds

from ..constants import (
    Figure,
    QuestionKind,
    QuestionnaireKind,
    QuestionnaireStatus,
    QuestionTag,
    ReminderStage,
)
from ..models import Answer, Question, Questionnaire
from . import reminders
from .access import require_team

K, T = QuestionKind, QuestionTag

#: The quarterly progress collection's standard questions: the quantitative part from the
#: platform, the qualitative part written by the region.
STANDARD_PROGRESS = (
    (gettext_lazy("Matches in the quarter"), K.FIGURE, Figure.MATCHES, T.NONE),
    (gettext_lazy("People in view in the quarter"), K.FIGURE, Figure.IN_VIEW, T.NONE),
    (gettext_lazy("Durable placements in the quarter"), K.FIGURE, Figure.DURABLE, T.NONE),
    (gettext_lazy("Ambition of the action plan"), K.FIGURE, Figure.AMBITION, T.NONE),
    (gettext_lazy("Spend on the plan's activities"), K.FIGURE, Figure.SPEND, T.NONE),
    (
        gettext_lazy("Which initiatives started this quarter, and how did they turn out?"),
        K.TEXT,
        "",
        T.NONE,
    ),
    (gettext_lazy("Bottlenecks (knelpunten)"), K.TEXT, "", T.BOTTLENECKS),
    (gettext_lazy("Good examples"), K.TEXT, "", T.GOOD_EXAMPLES),
)


@dataclass
class ProgressInput:
    year: int
    quarter: int
    deadline: date
    title: str = ""
    intro: str = ""


@transaction.atomic
def progress_create(*, actor: Actor, data: ProgressInput) -> Questionnaire:
    """A draft progress questionnaire for a quarter, with the standard questions."""
    require_team(actor)
    try:
        start, end = quarter_bounds(data.year, data.quarter)
    except ValueError:
        raise ValidationError({"quarter": [_("Choose a quarter from 1 to 4.")]}) from None
    if data.deadline <= end:  # the quarter's figures are complete only after it
        raise ValidationError(
            {
                "deadline": [
                    _(
                        "Choose a deadline after the quarter ends on %(end)s: only then are "
                        "the quarter's figures complete."
                    )
                    % {"end": day_month_year(end)}
                ]
            }
        )
    if Questionnaire.objects.filter(
        kind=QuestionnaireKind.PROGRESS, year=data.year, quarter=data.quarter
    ).exists():
        raise ValidationError(
            {"quarter": [_("There is already a questionnaire for this quarter.")]}
        )
    questionnaire = Questionnaire(
        kind=QuestionnaireKind.PROGRESS,
        title=data.title.strip(),  # empty: said from the quarter in the reader's language
        intro=data.intro.strip(),
        year=data.year,
        quarter=data.quarter,
        period_start=start,
        period_end=end,
        deadline=data.deadline,
        created_by=actor.user,
    )
    questionnaire.full_clean(exclude=["created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError:  # made by a colleague at the same moment
        raise ValidationError(
            {"quarter": [_("There is already a questionnaire for this quarter.")]}
        ) from None
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            order=number,
            text=str(text),
            kind=kind,
            figure=figure,
            tag=tag,
            required=kind != K.FIGURE,
        )
        for number, (text, kind, figure, tag) in enumerate(STANDARD_PROGRESS, start=1)
    )
    audit.record(
        "support.questionnaire_created",
        actor=actor,
        target=questionnaire,
        changes={"quarter": [None, f"{data.year}-Q{data.quarter}"]},
    )
    return questionnaire


@dataclass
class QuestionInput:
    text: str
    kind: str
    help: str = ""
    figure: str = ""
    tag: str = ""
    required: bool = True


def _check_question(data: QuestionInput) -> None:
    errors: dict[str, list] = {}
    if not data.text.strip():
        errors["text"] = [_("Write the question.")]
    if data.kind not in QuestionKind.values:
        errors["kind"] = [_("Choose how the question is answered.")]
    if data.kind == QuestionKind.FIGURE and data.figure not in Figure.values:
        errors["figure"] = [_("Choose the figure the platform fills in.")]
    if data.kind != QuestionKind.FIGURE and data.figure:
        errors["figure"] = [_("Only a figure from the platform names a figure.")]
    if data.tag and (data.tag not in QuestionTag.values or data.kind != QuestionKind.TEXT):
        errors["tag"] = [_("Only a written question can collect bottlenecks or good examples.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_add(*, actor: Actor, questionnaire: Questionnaire, data: QuestionInput) -> Question:
    """Add a question to a draft; a published questionnaire's questions are fixed."""
    require_team(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_published:
        raise ValidationError(_("The questions are fixed once the questionnaire is published."))
    _check_question(data)
    last = locked.questions.aggregate(m=Max("order"))["m"] or 0
    question = Question(
        questionnaire=locked,
        order=last + 1,
        text=data.text.strip(),
        help=data.help.strip(),
        kind=data.kind,
        figure=data.figure if data.kind == QuestionKind.FIGURE else "",
        tag=data.tag,
        required=data.required and data.kind != QuestionKind.FIGURE,
    )
    question.full_clean(exclude=["questionnaire"])
    question.save()
    audit.record(
        "support.question_added",
        actor=actor,
        target=locked,
        changes={"question": [None, question.text]},
    )
    return question


@transaction.atomic
def publish(*, actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft: its questions are fixed from now on, and every region with a
    programme manager finds it in the inbox (and by e-mail as each prefers)."""
    require_team(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_published:
        raise ValidationError(_("This questionnaire is already published."))
    if not locked.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    locked.status = QuestionnaireStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor.user
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(
        "support.questionnaire_published",
        actor=actor,
        target=locked,
        changes={"status": [QuestionnaireStatus.DRAFT, QuestionnaireStatus.PUBLISHED]},
    )
    reminders.tell(locked, ReminderStage.PUBLISHED, reminders.regions_to_answer())
    return locked


@transaction.atomic
def link_lessons(*, actor: Actor, answer: Answer, lessons: list[Lesson]) -> Answer:
    """Link shared lessons of the leeragenda to a bottleneck or good example (an internal
    lesson is its region's own and cannot be linked)."""
    require_team(actor)
    if not answer.question.tag or not answer.response.is_submitted:
        raise ValidationError(_("Only bottlenecks and good examples are linked to lessons."))
    if any(lesson.visibility != Visibility.SHARED for lesson in lessons):
        raise ValidationError(_("Only lessons shared with all regions can be linked."))
    before = sorted(str(lesson.uuid) for lesson in answer.lessons.all())
    answer.lessons.add(*lessons)
    after = sorted(str(lesson.uuid) for lesson in answer.lessons.all())
    audit.record(
        "support.answer_lessons_linked",
        actor=actor,
        target=answer.response,
        changes={"lessons": [before, after]},
    )
    return answer
