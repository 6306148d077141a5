"""A person's route across organisations: start it (empty or from a template), add, change
and remove its steps. The journey status follows (see :mod:`.progress`).

Every service runs in one transaction, checks the actor, writes the mutation audit and the
access log; a refused request stores nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.constants import JourneyStatus, TransitionCause
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import journey as candidate_journey
from perspectief.catalogue.constants import OfferStatus
from perspectief.core.authz import Actor

from ..constants import OPEN_STEPS, StepStatus
from ..models import Route, RouteStep, RouteTemplate
from .steps import (
    StepInput,
    check_planner,
    locked_route,
    log_change,
    place_step,
    snapshot,
    step_dates,
)


@transaction.atomic
def route_start(
    *, actor: Actor, candidate: Candidate, template: RouteTemplate | None = None, start_on=None
) -> Route:
    """A new route for a person the actor's organisation serves, from a template or empty.
    A template's steps follow each other from ``start_on``; a step on an offer becomes a
    hand-off to its provider, on the first start of the offer that fits."""
    check_planner(actor, candidate)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if Route.objects.filter(candidate=candidate).exists():
        raise ValidationError(_("This person already has a route: add steps to it."))
    if template is not None:
        template = RouteTemplate.objects.filter(
            pk=template.pk, region_id=candidate.region_id, is_active=True
        ).first()
        if template is None:
            raise ValidationError(
                {"template": _("Choose a template in use in the person's region.")}
            )
    route = Route.objects.create(
        candidate=candidate, organisation=actor.organisation, template=template
    )
    at = start_on or timezone.localdate()
    if template is not None:
        for tstep in template.steps.select_related("offer__provider"):
            offer = tstep.offer
            if offer is not None and offer.status != OfferStatus.ACTIVE:
                offer = None
            edition = None
            if offer is not None:
                edition = offer.editions.filter(starts_on__gte=at).order_by("starts_on").first()
            if edition is not None:
                start, end = step_dates(offer, edition, at)
            else:
                start, end = at, at + timedelta(weeks=tstep.weeks)
            place_step(
                route,
                StepInput(
                    kind=tstep.kind,
                    title=tstep.title,
                    owner=offer.provider if offer is not None else actor.organisation,
                    planned_start=start,
                    planned_end=end,
                    offer=offer,
                    edition=edition,
                ),
            )
            at = end
    audit.record(
        "route.created",
        actor=actor,
        target=route,
        changes={"template": [None, template.name if template else None]},
    )
    log_change(actor, candidate, operation=Operation.CREATE)
    if candidate.status in (JourneyStatus.REGISTERED, JourneyStatus.DROPPED_OUT):
        route.candidate = candidate_journey.journey_move(
            actor=actor,
            candidate=candidate,
            status=JourneyStatus.IN_VIEW,
            cause=TransitionCause.ROUTE,
            reference=str(route.uuid),
            activity=ProcessingActivity.ROUTE_PLAN,
        )
    return route


@transaction.atomic
def step_add(*, actor: Actor, route: Route, data: StepInput) -> RouteStep:
    route = locked_route(actor, route)
    step = place_step(route, data)
    audit.record(
        "route.step_added",
        actor=actor,
        target=route,
        changes=audit.diff({}, {f"step.{k}": v for k, v in snapshot(step).items()}),
    )
    log_change(actor, route.candidate)
    return step


@transaction.atomic
def step_change(*, actor: Actor, step: RouteStep, data: StepInput) -> RouteStep:
    """Change a step that has not ended. A new owner is a new hand-off."""
    route = locked_route(actor, step.route)
    step = RouteStep.objects.select_for_update().get(pk=step.pk)
    if step.status not in OPEN_STEPS:
        raise ValidationError(_("A step that has ended cannot be changed."))
    if step.status == StepStatus.STARTED and data.planned_start != step.planned_start:
        raise ValidationError(
            {"planned_start": _("The step has started: only its end date can move.")}
        )
    before = snapshot(step)
    step = place_step(route, data, step=step)
    audit.record(
        "route.step_changed", actor=actor, target=route, changes=audit.diff(before, snapshot(step))
    )
    log_change(actor, route.candidate)
    return step


@transaction.atomic
def step_remove(*, actor: Actor, step: RouteStep) -> None:
    """Take a planned step out of the route (a started one is stopped, with a reason)."""
    route = locked_route(actor, step.route)
    step = RouteStep.objects.select_for_update().get(pk=step.pk)
    if step.status != StepStatus.PLANNED:
        raise ValidationError(
            _("Only a step that has not started can be removed; stop it with a reason.")
        )
    audit.record(
        "route.step_removed",
        actor=actor,
        target=route,
        changes=audit.diff({f"step.{k}": v for k, v in snapshot(step).items()}, {}),
    )
    step.delete()
    log_change(actor, route.candidate)
