"""Support at the workplace after a hire: the support plan with its jobcoach and check-ins,
durable placement once confirmed at or after six months, and a drop-out that sends the
person back to the route."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.constants import AT_WORK, JourneyStatus, TransitionCause
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import journey as candidate_journey
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.dates import add_months, short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import (
    CHECK_IN_MONTHS,
    CheckInChannel,
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
    HandOff,
    PlanStatus,
    StepKind,
    StepStatus,
)
from ..models import CheckIn, RouteStep, SupportPlan, WorkConfirmation


def _coach_organisation(candidate: Candidate, fallback):
    """Who supports the person at work: the organisation of the route's job-coaching step
    when one was handed off and not declined, else the organisation that proposed."""
    step = (
        RouteStep.objects.filter(
            route__candidate=candidate,
            kind=StepKind.JOB_COACHING,
            status__in=[StepStatus.PLANNED, StepStatus.STARTED],
        )
        .exclude(handoff=HandOff.DECLINED)
        .select_related("owner")
        .order_by("planned_start")
        .first()
    )
    return step.owner if step is not None else fallback


def plan_for_hire(*, actor: Actor, proposal) -> SupportPlan:
    """Called inside the outcome service when a hire is recorded: the support plan with its
    check-ins after 1, 3, 6 and 12 months from the start of work."""
    vacancy = proposal.vacancy
    return _start_plan(
        actor,
        proposal.candidate,
        fallback=proposal.proposed_for,
        started_on=proposal.start_date,
        job_title=vacancy.title,
        employer=vacancy.employer.organisation,
        proposal=proposal,
    )


def plan_for_outside_hire(*, actor: Actor, hire) -> SupportPlan:
    """The same support plan for a hire into a job found outside the platform."""
    return _start_plan(
        actor,
        hire.candidate,
        fallback=hire.recorded_for,
        started_on=hire.start_date,
        job_title=hire.job_title,
        employer=hire.employer.organisation if hire.employer_id else None,
        employer_name=hire.employer_name,
        outside_hire=hire,
    )


def _start_plan(
    actor: Actor,
    candidate,
    *,
    fallback,
    started_on,
    job_title,
    employer,
    employer_name="",
    proposal=None,
    outside_hire=None,
):
    """The plan behind a hire: through a ``proposal`` or an ``outside_hire``."""
    plan = SupportPlan.objects.create(
        candidate=candidate,
        employer=employer,
        employer_name=(employer.name if employer is not None else employer_name)[:200],
        job_title=job_title[:200],
        organisation=_coach_organisation(candidate, fallback),
        started_on=started_on,
        proposal=proposal,
        outside_hire=outside_hire,
    )
    CheckIn.objects.bulk_create(
        CheckIn(plan=plan, month=m, due_on=add_months(plan.started_on, m)) for m in CHECK_IN_MONTHS
    )
    _route_at_work(actor, plan)
    audit.record(
        "support.plan_created",
        actor=actor,
        target=plan,
        changes={
            "started_on": [None, str(plan.started_on)],
            "organisation": [None, str(plan.organisation.uuid)],
        },
    )
    return plan


#: Steps that lead to work and end when the person starts working.
BEFORE_WORK = (StepKind.INTAKE, StepKind.WORK_READY, StepKind.TRIAL, StepKind.MATCHING)


def _route_at_work(actor: Actor, plan: SupportPlan) -> None:
    """The route follows the hire: the job-coaching step (once its owner accepted it)
    starts with the work, moved to that date with its length; steps that led to work
    (intake, werkfit, trial placement, matching) end. Courses and workplace adjustments
    stay for the klantmanager to decide."""
    today = timezone.localdate()
    steps = RouteStep.objects.select_for_update().filter(
        route__candidate=plan.candidate, status__in=[StepStatus.PLANNED, StepStatus.STARTED]
    )
    for step in steps:
        old = step.status
        if (
            step.kind == StepKind.JOB_COACHING
            and old == StepStatus.PLANNED
            and step.handoff in (HandOff.NONE, HandOff.ACCEPTED)
            and plan.started_on <= today
        ):
            length = step.planned_end - step.planned_start
            step.status, step.actual_start = StepStatus.STARTED, plan.started_on
            step.planned_start, step.planned_end = plan.started_on, plan.started_on + length
        elif step.kind in BEFORE_WORK:
            end = min(plan.started_on, today)
            step.actual_end = max(end, step.actual_start) if step.actual_start else end
            step.actual_start = step.actual_start or step.actual_end
            step.status = StepStatus.STOPPED
            step.stop_reason = _("At work from %(date)s.") % {"date": short_date(plan.started_on)}
        else:
            continue
        step.save()
        audit.record(
            "route.step_started" if step.status == StepStatus.STARTED else "route.step_stopped",
            actor=actor,
            target=step.route,
            changes={"status": [old, step.status], "step": [None, step.title]},
        )


def _supporting(actor: Actor, plan: SupportPlan) -> SupportPlan:
    """The plan, locked, for its supporting organisation or one that serves the person."""
    if not actor.has_perm(Permission.RECORD_SUPPORT):
        raise PermissionDeniedError()
    found = (
        SupportPlan.objects.visible_to(actor)
        .select_for_update()
        .select_related("candidate")
        .filter(pk=plan.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Support plan not found."))
    return found


def _log(actor: Actor, plan: SupportPlan, operation=Operation.CHANGE):
    access.record_candidate(actor, plan.candidate, ProcessingActivity.SUPPORT_AT_WORK, operation)


@transaction.atomic
def jobcoach_assign(*, actor: Actor, plan: SupportPlan, jobcoach) -> SupportPlan:
    """Name the jobcoach: a user with the jobcoach role in the supporting organisation."""
    plan = _supporting(actor, plan)
    if (
        jobcoach is not None
        and not jobcoach.memberships.active()
        .filter(organisation_id=plan.organisation_id, role=Role.JOBCOACH)
        .exists()
    ):
        raise ValidationError(
            {"jobcoach": _("Choose a jobcoach of %(org)s.") % {"org": plan.organisation.name}}
        )
    old = plan.jobcoach
    plan.jobcoach = jobcoach
    plan.save(update_fields=["jobcoach", "updated_at"])
    audit.record(
        "support.jobcoach",
        actor=actor,
        target=plan,
        changes=audit.diff({"j": old}, {"j": jobcoach}),
    )
    _log(actor, plan)
    return plan


@transaction.atomic
def check_in_record(
    *,
    actor: Actor,
    plan: SupportPlan,
    month: int,
    held_on: date,
    with_person: bool,
    with_employer: bool,
    outcome: str,
    note: str = "",
    channel: str = CheckInChannel.IN_PERSON,
) -> CheckIn:
    """Record a check-in with the person and/or the employer, and how it was held: in
    person, or at a distance (by phone, video call or message: coaching at a distance)."""
    plan = _supporting(actor, plan)
    if plan.status == PlanStatus.DROPPED_OUT or plan.candidate.status not in AT_WORK:
        raise ValidationError(
            _(
                "This person is not at work through the programme (any more): a check-in "
                "is recorded only for someone placed."
            )
        )
    check_in = plan.check_ins.select_for_update().filter(month=month).first()
    if check_in is None:
        raise ValidationError({"month": _("Choose one of the planned check-ins.")})
    if check_in.held_on is not None:
        raise ValidationError(
            {
                "month": _("This check-in was recorded on %(date)s; choose the next one.")
                % {"date": short_date(check_in.held_on)}
            }
        )
    errors = {}
    earliest = check_in.due_on - timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    if held_on is None:
        errors["held_on"] = _("Give the date of the check-in.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("This date lies in the future.")
    elif held_on < plan.started_on:
        errors["held_on"] = _("The check-in cannot be before the person started work.")
    elif held_on < earliest:
        errors["held_on"] = _(
            "Too early for this check-in: it is due on %(due)s (from %(earliest)s)."
        ) % {"due": short_date(check_in.due_on), "earliest": short_date(earliest)}
    if not (with_person or with_employer):
        errors["with_person"] = _("Say whom you spoke: the person, the employer or both.")
    if outcome not in CheckInOutcome.values:
        errors["outcome"] = _("Say how it goes.")
    if channel not in CheckInChannel.values:
        errors["channel"] = _(
            "Say how the check-in was held: in person, by phone, video call or message."
        )
    if errors:
        raise ValidationError(errors)
    before = {"held_on": check_in.held_on, "outcome": check_in.outcome, "channel": ""}
    check_in.held_on, check_in.outcome, check_in.channel = held_on, outcome, channel
    check_in.with_person, check_in.with_employer = with_person, with_employer
    check_in.note, check_in.recorded_by = (note or "").strip(), actor.user
    check_in.save()
    audit.record(
        "support.check_in",
        actor=actor,
        target=plan,
        changes=audit.diff(before, {"held_on": held_on, "outcome": outcome, "channel": channel})
        | {"month": [None, month]},
    )
    _log(actor, plan)
    return check_in


@transaction.atomic
def drop_out_record(*, actor: Actor, plan: SupportPlan, on: date, reason: str) -> SupportPlan:
    """The person stopped working: the plan ends with the reason, the journey says
    *uitgevallen* with that reason, and the person is back on the route."""
    plan = _supporting(actor, plan)
    if plan.status == PlanStatus.DROPPED_OUT:
        raise ValidationError(_("The drop-out is already recorded."))
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason, so that the route can continue from it.")
    if on is None:
        errors["on"] = _("Give the last day of work.")
    elif on > timezone.localdate():
        errors["on"] = _("This date lies in the future.")
    elif on < plan.started_on:
        errors["on"] = _("The last day of work cannot be before the first.")
    if errors:
        raise ValidationError(errors)
    old = plan.status
    plan.status, plan.drop_out_reason = PlanStatus.DROPPED_OUT, reason[:300]
    if old == PlanStatus.ACTIVE:
        plan.ended_on = on
    plan.save()
    audit.record(
        "support.drop_out",
        actor=actor,
        target=plan,
        changes={"status": [old, plan.status], "reason": [None, plan.drop_out_reason]},
    )
    _log(actor, plan)
    if plan.candidate.status in AT_WORK:
        candidate_journey.journey_move(
            actor=actor,
            candidate=plan.candidate,
            status=JourneyStatus.DROPPED_OUT,
            cause=TransitionCause.DROP_OUT,
            occurred_on=on,
            reason=plan.drop_out_reason,
            reference=str(plan.uuid),
            activity=ProcessingActivity.SUPPORT_AT_WORK,
        )
    return plan


@transaction.atomic
def work_confirm(
    *,
    actor: Actor,
    plan: SupportPlan,
    confirmed_on: date,
    source: str,
    method: str,
    still_employed: bool,
    last_day: date | None = None,
    note: str = "",
) -> WorkConfirmation:
    """Record that someone who knows (the jobcoach, the employer, the person) confirmed, at
    or after six months in work, whether the person still works there: the evidence of
    durable work, recorded once per plan by the supporting or a serving organisation.

    Still at work: the placement is durable, dated the day the six months were full (that
    is what was confirmed). No longer at work: the last day of work is required and the
    drop-out is recorded as with :func:`drop_out_record` (the person is back on the route);
    when that last day lies on or after the six-month date the placement first reached
    durable work (the confirmation says so), otherwise it never did."""
    plan = _supporting(actor, plan)
    if plan.status != PlanStatus.ACTIVE or hasattr(plan, "confirmation"):
        raise ValidationError(
            _("This placement is already confirmed or ended: a confirmation is recorded once.")
        )
    due = plan.durable_due_on
    _check_confirmation(
        plan,
        due=due,
        confirmed_on=confirmed_on,
        source=source,
        method=method,
        still_employed=still_employed,
        last_day=last_day,
    )
    confirmation = WorkConfirmation.objects.create(
        plan=plan,
        confirmed_on=confirmed_on,
        source=source,
        method=method,
        still_employed=still_employed,
        last_day=None if still_employed else last_day,
        note=(note or "").strip(),
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    _confirmation_recorded(actor, plan, confirmation)
    if still_employed or last_day >= due:
        _make_durable(actor, plan, due)
    if not still_employed:
        assert last_day is not None  # _check_confirmation() refuses a leaver without one
        drop_out_record(actor=actor, plan=plan, on=last_day, reason=_left_reason(confirmation))
    return confirmation


def _check_confirmation(
    plan: SupportPlan, *, due: date, confirmed_on, source, method, still_employed, last_day
) -> None:
    """Refuse a confirmation before the six months are full (``due``) or in the future,
    without who confirmed it and how, or — when the person left — without a last day of
    work within the placement and not after the confirmation. All reasons at once."""
    errors = {}
    if confirmed_on is None:
        errors["confirmed_on"] = _("Give the date of the confirmation.")
    elif confirmed_on > timezone.localdate():
        errors["confirmed_on"] = _("This date lies in the future.")
    elif confirmed_on < due:
        errors["confirmed_on"] = _(
            "Durable work is confirmed at or after six months in work: from %(date)s."
        ) % {"date": short_date(due)}
    if source not in ConfirmationSource.values:
        errors["source"] = _("Say who confirmed it: the jobcoach, the employer or the person.")
    if method not in ConfirmationMethod.values:
        errors["method"] = _("Say how it was confirmed.")
    if not still_employed:
        if last_day is None:
            errors["last_day"] = _("Give the last day of work.")
        elif last_day < plan.started_on:
            errors["last_day"] = _("The last day of work cannot be before the first.")
        elif confirmed_on is not None and last_day > confirmed_on:
            errors["last_day"] = _("The last day of work lies after the confirmation.")
    if errors:
        raise ValidationError(errors)


def _confirmation_recorded(actor: Actor, plan: SupportPlan, confirmation: WorkConfirmation) -> None:
    """The audit trail (``support.work_confirmed``) and the access log of a confirmation."""
    changes: dict[str, list[object]] = {
        "confirmed_on": [None, str(confirmation.confirmed_on)],
        "source": [None, confirmation.source],
        "method": [None, confirmation.method],
        "still_employed": [None, confirmation.still_employed],
    }
    if not confirmation.still_employed:
        changes["last_day"] = [None, str(confirmation.last_day)]
    audit.record("support.work_confirmed", actor=actor, target=plan, changes=changes)
    _log(actor, plan)


def _left_reason(confirmation: WorkConfirmation) -> str:
    """The drop-out's reason when the confirmation says the person left: who confirmed it
    and when, with the confirmation's note."""
    reason = _("No longer works there (confirmed by %(source)s on %(date)s).") % {
        "source": ConfirmationSource(confirmation.source).label,
        "date": short_date(confirmation.confirmed_on),
    }
    return f"{reason} {confirmation.note}" if confirmation.note else reason


def _make_durable(actor: Actor, plan: SupportPlan, when: date) -> None:
    plan.status, plan.ended_on = PlanStatus.DURABLE, when
    plan.save(update_fields=["status", "ended_on", "updated_at"])
    audit.record(
        "support.durable",
        actor=actor,
        target=plan,
        changes={"status": [PlanStatus.ACTIVE, PlanStatus.DURABLE]},
    )
    if plan.candidate.status == JourneyStatus.PLACED:
        candidate_journey.journey_move(
            actor=actor,
            candidate=plan.candidate,
            status=JourneyStatus.DURABLE,
            cause=TransitionCause.DURABLE,
            occurred_on=when,
            reference=str(plan.uuid),
            activity=ProcessingActivity.SUPPORT_AT_WORK,
        )
