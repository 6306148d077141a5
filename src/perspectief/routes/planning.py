"""A person's route across organisations: plan it (from a template), hand steps to partners
who accept them, record progress; the journey status follows from it.

Every service runs in one transaction, checks the actor, writes the mutation audit and the
access log; a refused request stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.constants import ON_ROUTE as JOURNEY_ON_ROUTE
from perspectief.candidates.constants import JourneyStatus, TransitionCause
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import journey as candidate_journey
from perspectief.core.authz import Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation

from .constants import (
    OPEN_STEPS,
    READY_STEPS,
    TRAINING_STEPS,
    HandOff,
    OfferStatus,
    StepKind,
    StepStatus,
)
from .models import Offer, OfferEdition, Route, RouteStep, RouteTemplate

#: Organisations that can own a step of a route. Employers never do: they see people only
#: through the matching's projection and the person's consent.
STEP_OWNER_KINDS = frozenset(
    {
        OrganisationKind.GEMEENTE,
        OrganisationKind.UWV,
        OrganisationKind.SCHOOL,
        OrganisationKind.INTERMEDIARY,
        OrganisationKind.SW_BEDRIJF,
    }
)


@dataclass
class StepInput:
    kind: str
    title: str
    owner: Organisation
    planned_start: date
    planned_end: date
    offer: Offer | None = None
    edition: OfferEdition | None = None


# --- who may do what --------------------------------------------------------------------------


def _serves(actor, candidate: Candidate) -> bool:
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()


def _planner(actor, candidate: Candidate) -> None:
    """Routes are planned by an organisation that serves the person (its legal task)."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        raise PermissionDeniedError()
    if not _serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))


def _locked_route(actor, route: Route) -> Route:
    found = Route.objects.select_for_update().filter(pk=route.pk).first()
    if found is None:
        raise NotFoundError(_("Route not found."))
    _planner(actor, found.candidate)
    return found


def _log(actor, candidate, activity=ProcessingActivity.ROUTE_PLAN, operation=Operation.CHANGE):
    access.record_candidate(actor, candidate, activity, operation)


# --- checks on a step -------------------------------------------------------------------------


def _check_owner(owner: Organisation) -> None:
    if not owner.is_active or owner.kind not in STEP_OWNER_KINDS:
        raise ValidationError(
            {
                "owner": _(
                    "%(org)s cannot own a step of a route: choose a gemeente, UWV, school, "
                    "intermediary or SW company that takes part."
                )
                % {"org": owner.name}
            }
        )


def _check_dates(start: date | None, end: date | None, *, start_field: str, end_field: str):
    if start is None:
        raise ValidationError({start_field: _("Give the start date.")})
    if end is None:
        raise ValidationError({end_field: _("Give the date the step is due to end.")})
    if end < start:
        raise ValidationError({end_field: _("The end date cannot be before the start date.")})


def _check_overlap(route: Route, start: date, end: date, *, exclude: RouteStep | None = None):
    """The wagons follow each other: a step's planned period may not overlap another open
    or completed step of the route (a step may start on the day the previous one ends)."""
    others = route.steps.exclude(status=StepStatus.STOPPED)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.filter(planned_start__lt=end, planned_end__gt=start).first()
    if clash is None:
        clash = others.filter(planned_start=start, planned_end=end).first()
    if clash is not None:
        raise ValidationError(
            {
                "planned_start": _(
                    "This step overlaps “%(title)s” (%(start)s – %(end)s). Steps of a route "
                    "follow each other: move the dates or stop the other step first."
                )
                % {
                    "title": clash.title,
                    "start": short_date(clash.planned_start),
                    "end": short_date(clash.planned_end),
                }
            }
        )


def _check_offer(route: Route, offer: Offer | None, edition: OfferEdition | None) -> None:
    if offer is None:
        if edition is not None:
            raise ValidationError({"edition": _("A start belongs to a service or training.")})
        return
    if offer.region_id != route.candidate.region_id or offer.status != OfferStatus.ACTIVE:
        raise ValidationError(
            {"offer": _("This service or training is not offered in the person's region.")}
        )
    if edition is not None and edition.offer_id != offer.pk:
        raise ValidationError({"edition": _("This start belongs to another offer.")})


def seats_taken(edition: OfferEdition, *, exclude: RouteStep | None = None) -> int:
    taken = edition.steps.exclude(status=StepStatus.STOPPED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.count()


def _reserve(edition: OfferEdition | None, count: int = 1, *, exclude=None) -> None:
    """Check the seats of a start, holding its row until the transaction ends, so two
    advisers cannot both take the last seat."""
    if edition is None:
        return
    edition = OfferEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.seats is None:
        return
    free = edition.seats - seats_taken(edition, exclude=exclude)
    if count > free:
        raise ValidationError(
            {
                "edition": _(
                    "The start of %(date)s is full: %(seats)s seats, %(free)s free, %(asked)s "
                    "asked. Choose another start or ask the provider for more seats."
                )
                % {
                    "date": short_date(edition.starts_on),
                    "seats": edition.seats,
                    "free": max(free, 0),
                    "asked": count,
                }
            }
        )


def step_dates(offer: Offer | None, edition: OfferEdition | None, start: date):
    """Dates of a step on a start of an offer: the start's own dates, else the offer's
    duration from ``start``."""
    if edition is not None:
        weeks = (offer.duration_weeks if offer else None) or 4
        return edition.starts_on, edition.ends_on or edition.starts_on + timedelta(weeks=weeks)
    weeks = (offer.duration_weeks if offer else None) or 4
    return start, start + timedelta(weeks=weeks)


def step_input(
    *,
    kind: str,
    own: Organisation,
    title: str = "",
    owner: Organisation | None = None,
    offer: Offer | None = None,
    edition: OfferEdition | None = None,
    planned_start: date | None = None,
    planned_end: date | None = None,
) -> StepInput:
    """A step as the pages and the API give it, with the defaults filled in: a start of an
    offer brings its offer and dates, an offer its title and its provider as owner (a
    hand-off), and a step without an owner is the planning organisation's own."""
    if edition is not None:
        offer = edition.offer
        planned_start = planned_start or edition.starts_on
        planned_end = planned_end or step_dates(offer, edition, edition.starts_on)[1]
    elif offer is not None and planned_start is not None and planned_end is None:
        planned_end = step_dates(offer, None, planned_start)[1]
    return StepInput(
        kind=kind,
        title=title or (offer.title if offer is not None else ""),
        owner=owner or (offer.provider if offer is not None else own),
        planned_start=planned_start,
        planned_end=planned_end,
        offer=offer,
        edition=edition,
    )


def _snapshot(step: RouteStep) -> dict:
    return {
        "kind": step.kind,
        "title": step.title,
        "owner": step.owner,
        "offer": step.offer,
        "edition": step.edition,
        "planned_start": step.planned_start,
        "planned_end": step.planned_end,
        "status": step.status,
        "handoff": step.handoff,
    }


def _place(route: Route, data: StepInput, *, step: RouteStep | None = None) -> RouteStep:
    """Validate and store one step (new or changed); the caller audits."""
    if data.kind not in StepKind.values:
        raise ValidationError({"kind": _("Unknown kind of step.")})
    if not (data.title or "").strip():
        raise ValidationError({"title": _("Give the step a title.")})
    _check_owner(data.owner)
    _check_dates(
        data.planned_start, data.planned_end, start_field="planned_start", end_field="planned_end"
    )
    _check_offer(route, data.offer, data.edition)
    _check_overlap(route, data.planned_start, data.planned_end, exclude=step)
    if data.edition is not None and (step is None or step.edition_id != data.edition.pk):
        _reserve(data.edition, exclude=step)
    new = step is None
    if new:
        step = RouteStep(route=route)
    owner_changed = new or step.owner_id != data.owner.pk
    step.kind, step.title = data.kind, data.title.strip()[:200]
    step.owner, step.offer, step.edition = data.owner, data.offer, data.edition
    step.planned_start, step.planned_end = data.planned_start, data.planned_end
    if owner_changed:
        # A step of another organisation than the route's is a hand-off it must accept.
        if data.owner.pk == route.organisation_id:
            step.handoff, step.handed_off_at = HandOff.NONE, None
        else:
            step.handoff, step.handed_off_at = HandOff.PENDING, timezone.now()
        step.handoff_decided_at, step.handoff_decided_by, step.decline_reason = None, None, ""
    step.full_clean(exclude=["route", "owner", "offer", "edition", "handoff_decided_by"])
    step.save()
    return step


# --- routes ---------------------------------------------------------------------------------


@transaction.atomic
def route_start(
    *, actor, candidate: Candidate, template: RouteTemplate | None = None, start_on=None
) -> Route:
    """A new route for a person the actor's organisation serves, from a template or empty.
    A template's steps follow each other from ``start_on``; a step on an offer becomes a
    hand-off to its provider, on the first start of the offer that fits."""
    _planner(actor, candidate)
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
            _place(
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
    _log(actor, candidate, operation=Operation.CREATE)
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
def step_add(*, actor, route: Route, data: StepInput) -> RouteStep:
    route = _locked_route(actor, route)
    step = _place(route, data)
    audit.record(
        "route.step_added",
        actor=actor,
        target=route,
        changes=audit.diff({}, {f"step.{k}": v for k, v in _snapshot(step).items()}),
    )
    _log(actor, route.candidate)
    return step


@transaction.atomic
def step_change(*, actor, step: RouteStep, data: StepInput) -> RouteStep:
    """Change a step that has not ended. A new owner is a new hand-off."""
    route = _locked_route(actor, step.route)
    step = RouteStep.objects.select_for_update().get(pk=step.pk)
    if step.status not in OPEN_STEPS:
        raise ValidationError(_("A step that has ended cannot be changed."))
    if step.status == StepStatus.STARTED and data.planned_start != step.planned_start:
        raise ValidationError(
            {"planned_start": _("The step has started: only its end date can move.")}
        )
    before = _snapshot(step)
    step = _place(route, data, step=step)
    audit.record(
        "route.step_changed", actor=actor, target=route, changes=audit.diff(before, _snapshot(step))
    )
    _log(actor, route.candidate)
    return step


@transaction.atomic
def step_remove(*, actor, step: RouteStep) -> None:
    """Take a planned step out of the route (a started one is stopped, with a reason)."""
    route = _locked_route(actor, step.route)
    step = RouteStep.objects.select_for_update().get(pk=step.pk)
    if step.status != StepStatus.PLANNED:
        raise ValidationError(
            _("Only a step that has not started can be removed; stop it with a reason.")
        )
    audit.record(
        "route.step_removed",
        actor=actor,
        target=route,
        changes=audit.diff({f"step.{k}": v for k, v in _snapshot(step).items()}, {}),
    )
    step.delete()
    _log(actor, route.candidate)


# --- hand-offs ------------------------------------------------------------------------------


def _owned(actor, step: RouteStep) -> RouteStep:
    """A step the actor's organisation owns, locked."""
    if not actor.has_perm(Permission.VIEW_ROUTES):
        raise PermissionDeniedError()
    found = (
        RouteStep.objects.select_for_update()
        .select_related("route__candidate")
        .filter(pk=step.pk, owner_id=actor.organisation.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Step not found."))
    return found


@transaction.atomic
def handoff_answer(*, actor, step: RouteStep, accept: bool, reason: str = "") -> RouteStep:
    """The organisation a step was handed to accepts it, or declines it with the reason
    (the planning organisation then finds another owner)."""
    step = _owned(actor, step)
    if step.handoff != HandOff.PENDING:
        raise ValidationError(_("This step is not waiting for your answer."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": _("Say why you decline, so that the klantmanager finds another way.")}
        )
    step.handoff = HandOff.ACCEPTED if accept else HandOff.DECLINED
    step.handoff_decided_at, step.handoff_decided_by = timezone.now(), actor.user
    step.decline_reason = "" if accept else reason[:300]
    step.save()
    audit.record(
        "route.handoff_accepted" if accept else "route.handoff_declined",
        actor=actor,
        target=step.route,
        changes={"handoff": [HandOff.PENDING, step.handoff], "step": [None, step.title]},
    )
    _log(actor, step.route.candidate, ProcessingActivity.ROUTE_STEP)
    return step


# --- progress -------------------------------------------------------------------------------


def _progressing(actor, step: RouteStep, *, stopping: bool = False) -> tuple[RouteStep, str]:
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
    elif actor.has_perm(Permission.PLAN_ROUTES) and _serves(actor, found.route.candidate):
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
def step_start(*, actor, step: RouteStep, on=None) -> RouteStep:
    step, activity = _progressing(actor, step)
    if step.status != StepStatus.PLANNED:
        raise ValidationError(_("Only a planned step can start."))
    step.actual_start = _on(on, step, not_before=None, field="actual_start")
    step.status = StepStatus.STARTED
    step.save()
    _progressed(actor, step, activity, "route.step_started", StepStatus.PLANNED)
    return step


@transaction.atomic
def step_complete(*, actor, step: RouteStep, on=None) -> RouteStep:
    step, activity = _progressing(actor, step)
    if step.status != StepStatus.STARTED:
        raise ValidationError(_("Only a started step can be completed."))
    step.actual_end = _on(on, step, not_before=step.actual_start, field="actual_end")
    step.status = StepStatus.COMPLETED
    step.save()
    _progressed(actor, step, activity, "route.step_completed", StepStatus.STARTED)
    return step


@transaction.atomic
def step_stop(*, actor, step: RouteStep, reason: str, on=None) -> RouteStep:
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


def _progressed(actor, step: RouteStep, activity: str, event: str, old: str) -> None:
    audit.record(
        event,
        actor=actor,
        target=step.route,
        changes={"status": [old, step.status], "step": [None, step.title]},
    )
    access.record_candidate(actor, step.route.candidate, activity, Operation.CHANGE)
    _follow(actor, step, activity)


def _follow(actor, step: RouteStep, activity: str) -> None:
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


# --- from a skill gap or a bulk request to a course -------------------------------------------


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
def course_add(*, actor, candidate: Candidate, edition: OfferEdition) -> RouteStep:
    """Add a start of a course to the person's route in one action (the route is made if
    the person has none): a hand-off to the provider, on the start's dates."""
    _planner(actor, candidate)
    route = Route.objects.filter(candidate=candidate).first() or route_start(
        actor=actor, candidate=candidate
    )
    route = _locked_route(actor, route)
    offer = edition.offer
    step = _place(route, _offer_step(offer, edition, edition.starts_on))
    audit.record(
        "route.step_added",
        actor=actor,
        target=route,
        changes=audit.diff({}, {f"step.{k}": v for k, v in _snapshot(step).items()}),
    )
    _log(actor, candidate)
    return step


@transaction.atomic
def cohort_course(*, actor, vacancy, edition: OfferEdition) -> dict:
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
    _reserve(edition, len(todo))
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


# --- stuck: the doorbraak list ----------------------------------------------------------------


def stuck_filter(today: date | None = None) -> Q:
    """Steps that are stuck: open past their due date, or handed off and not answered
    within ``HANDOFF_ACCEPT_DAYS``."""
    from django.conf import settings

    today = today or timezone.localdate()
    waited = timezone.now() - timedelta(days=settings.HANDOFF_ACCEPT_DAYS)
    return (
        Q(status__in=OPEN_STEPS)
        & ~Q(route__candidate__status=JourneyStatus.LEFT)
        & (Q(planned_end__lt=today) | Q(handoff=HandOff.PENDING, handed_off_at__lt=waited))
    )


# --- route templates ------------------------------------------------------------------------


@dataclass
class TemplateStepInput:
    kind: str
    title: str
    weeks: int
    offer: Offer | None = None


@transaction.atomic
def template_save(
    *,
    actor,
    name: str,
    description: str,
    steps: list[TemplateStepInput],
    template: RouteTemplate | None = None,
) -> RouteTemplate:
    """Create or change one of the region's route templates (steps replace the old ones)."""
    from .models import RouteTemplateStep

    if not actor.has_perm(Permission.MANAGE_ROUTE_TEMPLATES) or not actor.region_id:
        raise PermissionDeniedError()
    if template is not None:
        template = (
            RouteTemplate.objects.select_for_update()
            .filter(pk=template.pk, region_id=actor.region_id)
            .first()
        )
        if template is None:
            raise NotFoundError(_("Route template not found."))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the template a name.")
    if not steps:
        errors["steps"] = _("A route has at least one step.")
    for number, item in enumerate(steps, start=1):
        problem = None
        if item.kind not in StepKind.values:
            problem = _("unknown kind of step")
        elif not (item.title or "").strip():
            problem = _("no title")
        elif not item.weeks or item.weeks < 1:
            problem = _("a duration of at least one week")
        elif item.offer is not None and (
            item.offer.region_id != actor.region_id or item.offer.status != OfferStatus.ACTIVE
        ):
            problem = _("the service or training is not offered in the region")
        if problem:
            errors.setdefault("steps", [])
            errors["steps"].append(
                _("Step %(n)s: %(problem)s.") % {"n": number, "problem": problem}
            )
    if errors:
        raise ValidationError(errors)
    created = template is None
    if created:
        template = RouteTemplate(region_id=actor.region_id, made_by=actor.organisation)
    before = (
        {"name": template.name, "steps": [s.title for s in template.steps.all()]}
        if not created
        else {}
    )
    template.name, template.description = name.strip()[:150], (description or "").strip()
    template.save()
    template.steps.all().delete()
    RouteTemplateStep.objects.bulk_create(
        RouteTemplateStep(
            template=template,
            position=position,
            kind=item.kind,
            title=item.title.strip()[:200],
            weeks=item.weeks,
            offer=item.offer,
        )
        for position, item in enumerate(steps, start=1)
    )
    audit.record(
        "route_template.created" if created else "route_template.changed",
        actor=actor,
        target=template,
        changes=audit.diff(before, {"name": template.name, "steps": [i.title for i in steps]}),
    )
    return template


@transaction.atomic
def template_retire(*, actor, template: RouteTemplate) -> RouteTemplate:
    """Take a template out of use (routes made from it keep their steps)."""
    if not actor.has_perm(Permission.MANAGE_ROUTE_TEMPLATES):
        raise PermissionDeniedError()
    found = (
        RouteTemplate.objects.select_for_update()
        .filter(pk=template.pk, region_id=actor.region_id)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Route template not found."))
    if found.is_active:
        found.is_active = False
        found.save(update_fields=["is_active", "updated_at"])
        audit.record(
            "route_template.retired", actor=actor, target=found, changes={"active": [True, False]}
        )
    return found
