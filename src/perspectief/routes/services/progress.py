"""Progress on a route: the owner of a step (once accepted) or the planning organisation
records that it started, completed or stopped; the journey status follows the route."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.constants import ON_ROUTE as JOURNEY_ON_ROUTE
from perspectief.candidates.constants import JourneyStatus, TransitionCause
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import journey as candidate_journey
from perspectief.candidates.services import training as candidate_training
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError

from ..constants import OPEN_STEPS, READY_STEPS, TRAINING_STEPS, HandOff, StepKind, StepStatus
from ..models import RouteStep
from .steps import serves


def _progressing(actor: Actor, step: RouteStep, *, stopping: bool = False) -> tuple[RouteStep, str]:
    """The step, locked, for an actor who may record its progress: the owner once it
    accepted (or its own step), or an organisation that plans the person's route. A planner
    may stop a hand-off that was not accepted (withdraw it); nobody starts it."""
    found = (
        RouteStep.objects.select_for_update()
        .select_related("route__candidate", "owner")
        .filter(pk=step.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Step not found."))
    org = actor.organisation.pk
    if found.owner_id == org and actor.has_perm(Permission.VIEW_ROUTES):
        activity = (
            ProcessingActivity.ROUTE_PLAN
            if found.handoff == HandOff.NONE
            else ProcessingActivity.ROUTE_STEP
        )
    elif actor.has_perm(Permission.PLAN_ROUTES) and serves(actor, found.route.candidate):
        activity = ProcessingActivity.ROUTE_PLAN
        if stopping:
            return found, activity
    else:
        raise NotFoundError(_("Step not found."))
    if found.handoff in (HandOff.PENDING, HandOff.DECLINED) and not (
        stopping and found.owner_id != org
    ):
        raise ValidationError(
            _(
                "%(org)s has not accepted this step: it starts once the hand-off is accepted, "
                "or give the step another owner."
            )
            % {"org": found.owner.name}
        )
    return found, activity


def _on(value, step: RouteStep, *, not_before: date | None, field: str) -> date:
    value = value or timezone.localdate()
    if value > timezone.localdate():
        raise ValidationError({field: _("This date lies in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: _("This date lies before the step started (%(date)s).")
                % {"date": short_date(not_before)}
            }
        )
    return value


@transaction.atomic
def step_start(*, actor: Actor, step: RouteStep, on=None) -> RouteStep:
    step, activity = _progressing(actor, step)
    if step.status != StepStatus.PLANNED:
        raise ValidationError(_("Only a planned step can start."))
    step.actual_start = _on(on, step, not_before=None, field="actual_start")
    step.status = StepStatus.STARTED
    step.save()
    _progressed(actor, step, activity, "route.step_started", StepStatus.PLANNED)
    return step


@transaction.atomic
def step_complete(*, actor: Actor, step: RouteStep, on=None) -> RouteStep:
    step, activity = _progressing(actor, step)
    if step.status != StepStatus.STARTED:
        raise ValidationError(_("Only a started step can be completed."))
    step.actual_end = _on(on, step, not_before=step.actual_start, field="actual_end")
    step.status = StepStatus.COMPLETED
    step.save()
    _progressed(actor, step, activity, "route.step_completed", StepStatus.STARTED)
    _learned(actor, step, activity)
    return step


def _learned(actor: Actor, step: RouteStep, activity: str) -> None:
    """A completed course adds the ESCO skills it teaches to the person's profile (source
    *scholing*, dated by the day it ended), so that the route improves the match."""
    offer = step.offer
    if offer is None:
        return
    skills = [row.skill for row in offer.skills.select_related("skill")]
    if skills:
        candidate_training.skills_from_training(
            actor=actor,
            candidate=step.route.candidate,
            skills=skills,
            on=step.actual_end or timezone.localdate(),
            route_step=step.uuid,
            activity=activity,
        )


@transaction.atomic
def step_reopen(*, actor: Actor, step: RouteStep, reason: str) -> RouteStep:
    """Undo a completion recorded by mistake (the course was not finished, the wrong step
    was ticked): the step is *started* again, without an end date. The skills the
    completion added to the profile (source *scholing*, from this step) are removed again —
    not those the person had anyway — and a journey move the completion caused is undone
    while it is still the person's last. Who may do it: who may complete the step."""
    step, activity = _progressing(actor, step)
    if step.status != StepStatus.COMPLETED:
        raise ValidationError(_("Only a completed step can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the completion is undone.")})
    ended = step.actual_end
    step.status, step.actual_end = StepStatus.STARTED, None
    step.save()
    audit.record(
        "route.step_reopened",
        actor=actor,
        target=step.route,
        changes={
            "status": [StepStatus.COMPLETED, StepStatus.STARTED],
            "step": [None, step.title],
            "actual_end": [ended.isoformat() if ended else None, None],
            "reason": [None, reason[:300]],
        },
    )
    access.record_candidate(actor, step.route.candidate, activity, Operation.CHANGE)
    if step.offer_id is not None:
        candidate_training.skills_from_training_withdrawn(
            actor=actor,
            candidate=step.route.candidate,
            route_step=step.uuid,
            activity=activity,
        )
    _follow_back(actor, step, activity, reason, ended)
    return step


def _follow_back(actor: Actor, step: RouteStep, activity: str, reason: str, ended) -> None:
    """The journey move the completion caused (see :func:`_follow`) goes back, while it is
    the person's last (a later move — a hire, the klantmanager's own choice — is left as it
    is). The step's start moved to other statuses, so its move is never taken for this."""
    if step.kind == StepKind.WORK_READY:
        moved_to = JourneyStatus.WORK_READY
    elif step.kind in READY_STEPS:
        moved_to = JourneyStatus.PLACEABLE
    else:
        return
    candidate = Candidate.objects.select_for_update().get(pk=step.route.candidate_id)
    last = candidate.journey.order_by("-occurred_on", "-id").first()
    if (
        last is None
        or (last.reference, last.cause) != (str(step.uuid), TransitionCause.ROUTE)
        or last.to_status != moved_to
        or candidate.status != moved_to
        or last.occurred_on != ended
    ):
        return
    candidate_journey.journey_move(
        actor=actor,
        candidate=candidate,
        status=last.from_status,
        cause=TransitionCause.CORRECTION,
        reason=reason,
        reference=str(step.uuid),
        activity=activity,
    )


@transaction.atomic
def step_stop(*, actor: Actor, step: RouteStep, reason: str, on=None) -> RouteStep:
    step, activity = _progressing(actor, step, stopping=True)
    if step.status not in OPEN_STEPS:
        raise ValidationError(_("This step has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the step stops.")})
    old = step.status
    step.actual_end = _on(on, step, not_before=step.actual_start, field="actual_end")
    if step.actual_start is None:
        step.actual_start = step.actual_end
    step.status, step.stop_reason = StepStatus.STOPPED, reason[:300]
    step.save()
    _progressed(actor, step, activity, "route.step_stopped", old)
    return step


def _progressed(actor: Actor, step: RouteStep, activity: str, event: str, old: str) -> None:
    audit.record(
        event,
        actor=actor,
        target=step.route,
        changes={"status": [old, step.status], "step": [None, step.title]},
    )
    access.record_candidate(actor, step.route.candidate, activity, Operation.CHANGE)
    _follow(actor, step, activity)


def _follow(actor: Actor, step: RouteStep, activity: str) -> None:
    """The journey follows the route: a started course makes the person *in scholing*, a
    completed werkfit programme *werkfit*, a completed course or trial placement or a started
    matching step *bemiddelbaar*. Once at work or gone, the route no longer moves it."""
    candidate = Candidate.objects.select_for_update().get(pk=step.route.candidate_id)
    if candidate.status not in JOURNEY_ON_ROUTE:
        return
    target = None
    if step.status == StepStatus.STARTED:
        if step.kind in TRAINING_STEPS:
            target = JourneyStatus.IN_TRAINING
        elif step.kind == StepKind.MATCHING:
            target = JourneyStatus.PLACEABLE
        elif candidate.status in (JourneyStatus.REGISTERED, JourneyStatus.DROPPED_OUT):
            target = JourneyStatus.IN_VIEW
        when = step.actual_start
    elif step.status == StepStatus.COMPLETED:
        still_learning = step.route.steps.filter(
            status=StepStatus.STARTED, kind__in=list(TRAINING_STEPS)
        ).exists()
        if step.kind == StepKind.WORK_READY and not still_learning:
            target = JourneyStatus.WORK_READY
        elif step.kind in READY_STEPS and not still_learning:
            target = JourneyStatus.PLACEABLE
        when = step.actual_end
    else:
        return
    if target is None or target == candidate.status:
        return
    candidate_journey.journey_move(
        actor=actor,
        candidate=candidate,
        status=target,
        cause=TransitionCause.ROUTE,
        occurred_on=when,
        reference=str(step.uuid),
        activity=activity,
    )
