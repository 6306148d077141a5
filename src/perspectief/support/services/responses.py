"""Answering a questionnaire: the region's programme manager the quarterly progress one
(one response per region), a partner organisation of the region a reflection round (one
response per organisation). The platform's figures are filled in when the response is
saved and again when it is submitted, marked as from the platform; a value typed for them
is ignored. A submission after the deadline is accepted and marked late; a submitted
response is final. Someone outside the round's region is refused, a written answer naming
one of the region's people or holding a BSN is refused (also in a draft), and nothing is
saved unless everything is valid."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.candidates import personal_data
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import PermissionDeniedError

from ..constants import QuestionKind, ResponseStatus
from ..models import Answer, Question, Questionnaire, Response
from ..selectors.figures import figures
from .access import require_region_manager

#: The largest number a typed answer may hold.
MAX_NUMBER = Decimal("1e11")


def field_name(question: Question) -> str:
    """The form field (and error key) of a question's answer."""
    return f"q{question.pk}"


def check_may_answer(actor: Actor, questionnaire: Questionnaire) -> None:
    """Refuse, in words, whoever may not answer this questionnaire."""
    if not questionnaire.is_published:
        raise PermissionDeniedError(_("This questionnaire is not published yet."))
    if questionnaire.is_progress:
        require_region_manager(
            actor, _("Only a region's programme manager answers the progress questionnaire.")
        )
        return
    if not actor.has_perm(Permission.REFLECT):
        raise PermissionDeniedError(_("Only the region's partners answer its reflection."))
    if actor.region_id != questionnaire.region_id:
        raise PermissionDeniedError(
            _(
                "This reflection is for the partners of %(region)s; your organisation is not "
                "one of them, so you cannot answer it."
            )
            % {"region": questionnaire.region.name if questionnaire.region else ""}
        )


def response_of(actor: Actor, questionnaire: Questionnaire) -> Response | None:
    """The actor's response so far: the region's (progress) or the organisation's
    (reflection)."""
    found = Response.objects.filter(questionnaire=questionnaire)
    if questionnaire.is_progress:
        return found.filter(region_id=actor.region_id).first()
    return found.filter(organisation_id=actor.organisation.pk).first()


def _number(raw: str) -> Decimal:
    value = Decimal(raw.strip().replace(".", "").replace(",", ".") if "," in raw else raw.strip())
    if not value.is_finite() or abs(value) >= MAX_NUMBER:
        raise InvalidOperation
    return value


def _parsed(
    questions: list[Question], raw: Mapping[str, str], *, submit: bool
) -> dict[int, tuple[str, Decimal | None]]:
    """The typed answers by question, checked; a figure's typed value is ignored."""
    errors: dict[str, list] = {}
    out: dict[int, tuple[str, Decimal | None]] = {}
    for question in questions:
        if question.kind == QuestionKind.FIGURE:
            continue
        value = (raw.get(field_name(question)) or "").strip()
        if submit and question.required and not value:
            errors[field_name(question)] = [_("Answer this question before submitting.")]
            continue
        if question.kind == QuestionKind.NUMBER and value:
            try:
                out[question.pk] = ("", _number(value))
            except (InvalidOperation, ValueError):
                errors[field_name(question)] = [_("Give a number, such as 12 or 3,5.")]
            continue
        out[question.pk] = (value[:5000], None)
    if errors:
        raise ValidationError(errors)
    return out


def _check_personal_data(
    actor: Actor, questions: list[Question], parsed: dict[int, tuple[str, Decimal | None]]
) -> None:
    """The written answers hold no personal data (the region's people, a BSN): refused
    naming the question."""
    written = {q: parsed[q.pk][0] for q in questions if q.pk in parsed and parsed[q.pk][0]}
    personal_data.check(
        {field_name(q): text for q, text in written.items()},
        labels={field_name(q): q.text for q in written},
        region_ids=[actor.region_id],
    )


def _fill_figures(response: Response, questions: list[Question]) -> None:
    """The platform's figures as of today, stored as from the platform."""
    wanted = {q.figure for q in questions if q.kind == QuestionKind.FIGURE}
    if not wanted:
        return
    questionnaire = response.questionnaire
    today = timezone.localdate()
    values = figures(response.region, questionnaire.period_start, questionnaire.period_end, wanted)
    for question in questions:
        if question.kind != QuestionKind.FIGURE:
            continue
        value = values[question.figure]
        Answer.objects.update_or_create(
            response=response,
            question=question,
            defaults={
                "text": "",
                "number": value.number,
                "suppressed": value.suppressed,
                "from_platform": True,
                "computed_on": today,
            },
        )
    response.figures_on = today


@transaction.atomic
def response_save(
    *, actor: Actor, questionnaire: Questionnaire, answers: Mapping[str, str], submit: bool
) -> Response:
    """Save the actor's answers as a draft, or submit them (then they are final)."""
    check_may_answer(actor, questionnaire)
    questions = list(questionnaire.questions.order_by("order", "id"))
    parsed = _parsed(questions, answers, submit=submit)
    _check_personal_data(actor, questions, parsed)
    response = response_of(actor, questionnaire)
    if response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.is_submitted:
            raise ValidationError(_("These answers were submitted and can no longer be changed."))
    else:
        response = Response.objects.create(
            questionnaire=questionnaire,
            region_id=actor.region_id,
            organisation=actor.organisation,
        )
    for question in questions:
        if question.pk in parsed:
            text, number = parsed[question.pk]
            Answer.objects.update_or_create(
                response=response,
                question=question,
                defaults={"text": text, "number": number, "from_platform": False},
            )
    _fill_figures(response, questions)
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = actor.user
    response.save()
    audit.record(
        "support.response_submitted" if submit else "support.response_saved",
        actor=actor,
        target=response,
        changes={"status": [None, response.status]}
        | ({"late": [None, True]} if submit and response.late else {}),
    )
    return response
