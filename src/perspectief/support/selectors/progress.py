"""Reads of the quarterly progress collection: which regions answered (on time, late, not
yet), a response's answers with the platform's figures marked, and the bottlenecks and good
examples across regions. Aggregates and the regions' own words only — never a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from perspectief.core.authz import Actor
from perspectief.regions.models import Region

from ..constants import QuestionKind, QuestionnaireKind, QuestionTag, ResponseStatus
from ..models import Answer, Question, Questionnaire, Response
from ..services.reminders import regions_to_answer
from .figures import figures

ANSWERED, LATE, WAITING, OVERDUE = "answered", "late", "waiting", "overdue"
#: A region's state for a questionnaire, in the overview's order.
STATES = (ANSWERED, LATE, WAITING, OVERDUE)


@dataclass
class RegionRow:
    region: Region
    response: Response | None
    state: str


def overview(questionnaire: Questionnaire, *, today: date | None = None) -> list[RegionRow]:
    """Per region that answers (a programme manager, or a response already): answered,
    answered late, not yet, or not yet and past the deadline."""
    today = today or timezone.localdate()
    responses = {
        r.region_id: r
        for r in Response.objects.filter(
            questionnaire=questionnaire, status=ResponseStatus.SUBMITTED
        ).select_related("questionnaire", "submitted_by")
    }
    regions = Region.objects.filter(pk__in=list(responses)) | regions_to_answer()
    rows = []
    for region in regions.distinct().order_by("code"):
        response = responses.get(region.pk)
        if response is not None:
            state = LATE if response.late else ANSWERED
        else:
            state = OVERDUE if today > questionnaire.deadline else WAITING
        rows.append(RegionRow(region, response, state))
    return rows


def counts(rows: list[RegionRow]) -> dict[str, int]:
    out = dict.fromkeys((ANSWERED, LATE, WAITING, OVERDUE), 0)
    for row in rows:
        out[row.state] += 1
    return out


@dataclass
class Line:
    """A question with its answer: typed, or the platform's figure (``from_platform``)."""

    question: Question
    answer: Answer | None
    #: For a response not yet saved: the figure as the platform has it now.
    preview: object = None


def lines(questionnaire: Questionnaire, response: Response | None, region=None) -> list[Line]:
    """The questionnaire's questions with the response's answers; before anything is
    saved, the platform's figures as of today (they are stored on saving)."""
    questions = list(questionnaire.questions.order_by("order", "id"))
    answers = (
        {a.question_id: a for a in response.answers.prefetch_related("lessons")} if response else {}
    )
    previews = {}
    wanted = {q.figure for q in questions if q.kind == QuestionKind.FIGURE}
    if wanted and region is not None and (response is None or response.figures_on is None):
        previews = figures(region, questionnaire.period_start, questionnaire.period_end, wanted)
    return [Line(q, answers.get(q.pk), previews.get(q.figure)) for q in questions]


def questionnaires(actor: Actor):
    return Questionnaire.objects.visible_to(actor).filter(kind=QuestionnaireKind.PROGRESS)


@dataclass
class Finding:
    answer: Answer
    region: Region
    questionnaire: Questionnaire


def findings(
    actor: Actor, *, year: int | None = None, quarter: int | None = None
) -> dict[str, list[Finding]]:
    """Bottlenecks and good examples from the submitted progress responses of every
    region (of one quarter when given), with the lessons linked to each."""
    answers = (
        Answer.objects.filter(
            response__in=Response.objects.visible_to(actor),
            response__questionnaire__kind=QuestionnaireKind.PROGRESS,
            question__tag__in=[QuestionTag.BOTTLENECKS, QuestionTag.GOOD_EXAMPLES],
        )
        .exclude(text="")
        .select_related("question", "response__region", "response__questionnaire")
        .prefetch_related("lessons")
        .order_by("-response__questionnaire__period_start", "response__region__code", "id")
    )
    if year is not None and quarter is not None:
        answers = answers.filter(
            response__questionnaire__year=year, response__questionnaire__quarter=quarter
        )
    out: dict[str, list[Finding]] = {QuestionTag.BOTTLENECKS: [], QuestionTag.GOOD_EXAMPLES: []}
    for answer in answers:
        out[answer.question.tag].append(
            Finding(answer, answer.response.region, answer.response.questionnaire)
        )
    return out
