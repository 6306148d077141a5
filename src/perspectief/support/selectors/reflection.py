"""Reads of the regions' reflection: a region's rounds, one round's answers per partner
organisation, and the rounds side by side over time (the standard questions in rows, the
rounds in columns), for the region and for the support team."""

from __future__ import annotations

from dataclasses import dataclass, field

from perspectief.core.authz import Actor

from ..constants import QuestionnaireKind, ResponseStatus
from ..models import Questionnaire, Response
from ..services.reflection import STANDARD


def rounds(actor: Actor, region_id):
    """The region's reflection rounds the actor sees, newest first."""
    return (
        Questionnaire.objects.visible_to(actor)
        .filter(kind=QuestionnaireKind.REFLECTION, region_id=region_id)
        .select_related("region")
        .order_by("-period_start", "-id")
    )


def answers_by_organisation(actor: Actor, questionnaire: Questionnaire) -> list[dict]:
    """The submitted responses of a round: organisation, when, and the answers in the
    order of the questions."""
    responses = (
        Response.objects.visible_to(actor)
        .filter(questionnaire=questionnaire, status=ResponseStatus.SUBMITTED)
        .select_related("organisation", "questionnaire")
        .prefetch_related("answers__question")
        .order_by("organisation__name")
    )
    return [
        {
            "response": response,
            "answers": sorted(response.answers.all(), key=lambda a: a.question.order),
        }
        for response in responses
    ]


@dataclass
class Comparison:
    rounds: list[Questionnaire]
    #: (row label, one cell per round: [(organisation, text), ...])
    rows: list[tuple[str, list[list[tuple[str, str]]]]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)


def comparison(actor: Actor, region_id, *, limit: int = 6) -> Comparison:
    """The last ``limit`` rounds of a region, oldest left, question by question: the
    three standard questions, then each round's own question."""
    chosen = list(rounds(actor, region_id)[:limit])[::-1]
    found = Comparison(rounds=chosen)
    per_round = [answers_by_organisation(actor, q) for q in chosen]
    found.answered = [len(entries) for entries in per_round]
    labels = [str(text) for text, _help in STANDARD]
    for order, label in enumerate(labels, start=1):
        cells = []
        for entries in per_round:
            cells.append(
                [
                    (e["response"].organisation.name, a.text)
                    for e in entries
                    for a in e["answers"]
                    if a.question.order == order and a.text
                ]
            )
        found.rows.append((label, cells))
    extra = []
    for entries in per_round:
        extra.append(
            [
                (e["response"].organisation.name, f"{a.question.text} — {a.text}")
                for e in entries
                for a in e["answers"]
                if a.question.order > len(labels) and a.text
            ]
        )
    if any(extra):
        found.rows.append(("", extra))
    return found
