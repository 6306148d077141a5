"""Writes on bulk requests: a place with many positions, filled in intake phases, and the
cohort of people being prepared for it. Every change is audited; every change to a person in
the cohort is in the access log."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors.people import may_change
from perspectief.core.authz import Actor
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import CohortStage
from ..models import CohortMember, IntakePhase, Vacancy
from ..selectors.bulk import cohort_access, place_for_cohort
from .places import place_for_change


@transaction.atomic
def phase_add(*, actor: Actor, vacancy: Vacancy, starts_on: date, places: int, note: str = ""):
    """Add an intake moment. The phases together never ask more than the place's number."""
    vacancy = place_for_change(actor, vacancy)
    errors = {}
    if places is None or places < 1:
        errors["places"] = _("A phase has at least one place.")
    if vacancy.start_date and starts_on < vacancy.start_date:
        errors["starts_on"] = _("An intake cannot be before the place's start date (%(d)s).") % {
            "d": short_date(vacancy.start_date)
        }
    if vacancy.phases.filter(starts_on=starts_on).exists():
        errors["starts_on"] = _("There is already an intake on this date.")
    planned = vacancy.phases.aggregate(n=Sum("places"))["n"] or 0
    if not errors and planned + places > vacancy.places:
        errors["places"] = _(
            "The phases would ask %(n)d people, the place has %(total)d. "
            "Raise the number of places first."
        ) % {"n": planned + places, "total": vacancy.places}
    if errors:
        raise ValidationError(errors)
    phase = IntakePhase.objects.create(
        vacancy=vacancy, starts_on=starts_on, places=places, note=note.strip()[:200]
    )
    audit.record(
        "vacancy.phase_added",
        actor=actor,
        target=vacancy,
        changes={"phase": [None, f"{starts_on.isoformat()}: {places}"]},
    )
    return phase


@transaction.atomic
def phase_remove(*, actor: Actor, phase: IntakePhase) -> None:
    vacancy = place_for_change(actor, phase.vacancy)
    found = vacancy.phases.filter(pk=phase.pk).first()
    if found is None:
        raise NotFoundError(_("Intake phase not found."))
    phase = found
    audit.record(
        "vacancy.phase_removed",
        actor=actor,
        target=vacancy,
        changes={"phase": [f"{phase.starts_on.isoformat()}: {phase.places}", None]},
    )
    phase.delete()


def _phase_of(vacancy, phase):
    if phase is None:
        return None
    phase_id = getattr(phase, "pk", phase)
    found = vacancy.phases.filter(pk=phase_id).first() if isinstance(phase_id, int) else None
    if found is None:
        raise ValidationError({"phase": _("This intake phase belongs to another place.")})
    return found


@transaction.atomic
def cohort_add(
    *,
    actor: Actor,
    vacancy: Vacancy,
    candidate: Candidate,
    phase: IntakePhase | None = None,
    stage: str = CohortStage.WORK_READY,
    preparation: str = "",
) -> CohortMember:
    """Put a person the actor may see into the cohort of a bulk request."""
    vacancy = place_for_cohort(actor, vacancy)
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    if stage not in CohortStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if vacancy.cohort.filter(candidate=candidate).exists():
        raise ValidationError(
            {"candidate": _("This person is already in the cohort of this place.")}
        )
    member = CohortMember.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        phase=_phase_of(vacancy, phase),
        stage=stage,
        preparation=preparation.strip()[:200],
        added_by=actor.organisation,
    )
    audit.record(
        "vacancy.cohort_added", actor=actor, target=vacancy, changes={"stage": [None, stage]}
    )
    cohort_access(actor, candidate, Operation.CREATE)
    return member


def _member_for(actor: Actor, member: CohortMember) -> CohortMember:
    """A member the actor may change: added by the actor's organisation, or a person it
    serves. Others may see the member (as the visibility rule allows) but not change it."""
    vacancy = place_for_cohort(actor, member.vacancy)
    found = (
        CohortMember.objects.select_for_update()
        .filter(pk=member.pk, vacancy=vacancy)
        .filter(candidate__in=Candidate.objects.visible_to(actor))
        .first()
    )
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    if not may_change(actor, made_by_id=found.added_by_id, candidate_id=found.candidate_id):
        raise PermissionDeniedError(
            _(
                "Only the organisation that added this person, or one that serves them, "
                "can change it."
            )
        )
    return found


@transaction.atomic
def cohort_update(
    *, actor: Actor, member: CohortMember, stage: str, phase=None, preparation: str | None = None
) -> CohortMember:
    member = _member_for(actor, member)
    if stage not in CohortStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    before = {"stage": member.stage, "phase": member.phase_id, "preparation": member.preparation}
    member.stage = stage
    member.phase = _phase_of(member.vacancy, phase)
    if preparation is not None:
        member.preparation = preparation.strip()[:200]
    member.save()
    after = {"stage": member.stage, "phase": member.phase_id, "preparation": member.preparation}
    changes = audit.diff(before, after)
    if changes:
        audit.record("vacancy.cohort_changed", actor=actor, target=member.vacancy, changes=changes)
        cohort_access(actor, member.candidate, Operation.CHANGE)
    return member


@transaction.atomic
def cohort_remove(*, actor: Actor, member: CohortMember) -> None:
    member = _member_for(actor, member)
    audit.record(
        "vacancy.cohort_removed",
        actor=actor,
        target=member.vacancy,
        changes={"stage": [member.stage, None]},
    )
    cohort_access(actor, member.candidate, Operation.DELETE)
    member.delete()
