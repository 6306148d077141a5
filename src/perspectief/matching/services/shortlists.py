"""Shortlists: advisers of every partner put people on a place's shortlist and take them
off. The engine's verdict is computed on the server when someone is added; a person it does
not rank for the place is added only with a reason. Reading a shortlist is in
:mod:`perspectief.matching.selectors.shortlists`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors.people import may_change
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.vacancies.models import Vacancy

from ..engine.candidate_index import CandidateIndex
from ..engine_records import candidate_record, people_for_engine, taxonomy, vacancy_record
from ..models import ShortlistEntry
from ..selectors.configuration import Setting, for_place
from .proposals import log_access, open_vacancy


def _engine_verdict(
    actor: Actor, vacancy: Vacancy, candidate: Candidate, setting: Setting
) -> tuple[float | None, float]:
    """The engine's score of the person for the place and its priority part, under the
    place's region's configuration; no score when the engine would not rank them (out of
    reach, missing a required licence, not available in time, a hard condition of #18, or
    not matchable now). Functional limitations count only where the actor may see them, as
    in the rankings."""
    person = people_for_engine(
        Candidate.objects.matchable().filter(pk=candidate.pk), actor=actor
    ).first()
    if person is None:
        return None, 0.0
    index = CandidateIndex(
        taxonomy(), [candidate_record(person, health=person.health_visible)], setting.weights
    )
    verdict = index.explain(str(person.uuid), vacancy_record(vacancy))
    score = verdict["score"] if verdict["admissible"] else None
    priority = verdict["criteria"]["priority"]["contribution"] if score is not None else 0.0
    return score, priority


@transaction.atomic
def shortlist_add(*, actor: Actor, vacancy: Vacancy, candidate: Candidate, reason: str = ""):
    """Put a person on a place's shortlist. The engine's verdict is computed here, on the
    server: a person it would not rank (out of reach, missing a required licence, not
    available, or not matchable now) needs a reason, which is recorded."""
    if not (
        actor.has_perm(Permission.VIEW_CANDIDATES) and actor.has_perm(Permission.VIEW_EMPLOYERS)
    ):
        raise PermissionDeniedError()
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    vacancy = open_vacancy(actor, vacancy)
    if ShortlistEntry.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise ValidationError({"candidate": _("This person is already on the shortlist.")})
    setting = for_place(vacancy)
    score, priority = _engine_verdict(actor, vacancy, candidate, setting)
    reason = (reason or "").strip()[:300]
    if score is None and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The matching does not rank this person for this place: say why you add them."
                )
            }
        )
    try:
        with transaction.atomic():
            entry = ShortlistEntry.objects.create(
                vacancy=vacancy,
                candidate=candidate,
                added_by=actor.user,
                added_for=actor.organisation,
                engine_score=score,
                engine_priority=priority,
                configuration=setting.configuration,
                reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            {"candidate": _("This person is already on the shortlist.")}
        ) from None
    audit.record(
        "shortlist.added",
        actor=actor,
        target=vacancy,
        changes={"ranked": [None, score is not None]},
    )
    log_access(actor, candidate, Operation.CREATE, ProcessingActivity.CANDIDATE_MATCHING)
    return entry


@transaction.atomic
def shortlist_remove(*, actor: Actor, entry) -> None:
    """Take a person off a place's shortlist: the organisation that added them, or one that
    serves them."""
    found = (
        ShortlistEntry.objects.select_for_update()
        .filter(pk=entry.pk, vacancy__in=Vacancy.objects.visible_to(actor))
        .filter(candidate__in=Candidate.objects.visible_to(actor))
        .first()
    )
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    if not may_change(actor, made_by_id=found.added_for_id, candidate_id=found.candidate_id):
        raise PermissionDeniedError(
            _(
                "Only the organisation that added this person, or one that serves them, "
                "can change it."
            )
        )
    audit.record(
        "shortlist.removed", actor=actor, target=found.vacancy, changes={"entry": [1, None]}
    )
    log_access(actor, found.candidate, Operation.DELETE, ProcessingActivity.CANDIDATE_MATCHING)
    found.delete()
