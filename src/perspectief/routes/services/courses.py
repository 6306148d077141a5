"""From a skill gap or a bulk request to a course: one action puts a start of a course on
a person's route (handed to its provider), or on the route of every member of a bulk
request's cohort that the organisation serves — all of them or nobody."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.candidates.models import Candidate
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import PermissionDeniedError

from ..constants import StepKind, StepStatus
from ..models import Route, RouteStep
from .routes import route_start
from .steps import (
    StepInput,
    check_planner,
    locked_route,
    log_change,
    place_step,
    reserve_seats,
    snapshot,
    step_dates,
)


def _offer_step(offer: Offer, edition: OfferEdition | None, start: date) -> StepInput:
    planned_start, planned_end = step_dates(offer, edition, start)
    return StepInput(
        kind=offer.kind if offer.kind in StepKind.values else StepKind.OTHER,
        title=offer.title,
        owner=offer.provider,
        planned_start=planned_start,
        planned_end=planned_end,
        offer=offer,
        edition=edition,
    )


@transaction.atomic
def course_add(*, actor: Actor, candidate: Candidate, edition: OfferEdition) -> RouteStep:
    """Add a start of a course to the person's route in one action (the route is made if
    the person has none): a hand-off to the provider, on the start's dates."""
    check_planner(actor, candidate)
    route = Route.objects.filter(candidate=candidate).first() or route_start(
        actor=actor, candidate=candidate
    )
    route = locked_route(actor, route)
    offer = edition.offer
    step = place_step(route, _offer_step(offer, edition, edition.starts_on))
    audit.record(
        "route.step_added",
        actor=actor,
        target=route,
        changes=audit.diff({}, {f"step.{k}": v for k, v in snapshot(step).items()}),
    )
    log_change(actor, candidate)
    return step


@transaction.atomic
def cohort_course(*, actor: Actor, vacancy, edition: OfferEdition) -> dict:
    """Plan the cohort of a bulk request on one start of a course: a step on that start in
    the route of every member the actor's organisation serves, or none at all (seats,
    overlaps). Members served by other organisations are left to their klantmanagers."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        raise PermissionDeniedError()
    served = set(Candidate.objects.served_by(actor.organisation).values_list("pk", flat=True))
    members = list(vacancy.cohort.select_related("candidate").order_by("id"))
    mine = [m.candidate for m in members if m.candidate_id in served]
    if not mine:
        raise ValidationError(
            _("Nobody in this cohort is served by your organisation: nothing was planned.")
        )
    already = set(
        RouteStep.objects.filter(edition=edition, route__candidate__in=mine)
        .exclude(status=StepStatus.STOPPED)
        .values_list("route__candidate_id", flat=True)
    )
    todo = [c for c in mine if c.pk not in already]
    reserve_seats(edition, len(todo))
    problems = []
    for candidate in todo:
        try:
            with transaction.atomic():
                course_add(actor=actor, candidate=candidate, edition=edition)
        except ValidationError as exc:
            problems.append(f"{candidate.partner_label}: {' '.join(exc.messages)}")
    if problems:
        intro = _("Nothing was planned, because for some people the course does not fit:")
        raise ValidationError([intro, *problems])
    audit.record(
        "vacancy.cohort_course",
        actor=actor,
        target=vacancy,
        changes={"edition": [None, str(edition.uuid)], "planned": [None, len(todo)]},
    )
    return {
        "planned": len(todo),
        "already": len(already),
        "others": len(members) - len(mine),
    }
