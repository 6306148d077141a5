"""Bulk requests: a place with many positions, filled in intake phases, and the cohort of
people being prepared for it. The region plans training and job-coach capacity from the
phases and the cohort; the fill rate over time comes from the records: the hires against the
place (dated by their start of work) and the places filled outside the platform (dated by
when they were filled, with their reason)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import may_change
from perspectief.core.authz import Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from .constants import PREPARING, CohortStage
from .models import CohortMember, IntakePhase, Vacancy
from .services import _editable, hires


def _log(actor, candidate, operation=Operation.READ):
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_COHORT, operation)


# --- intake phases ---------------------------------------------------------------------------


@transaction.atomic
def phase_add(*, actor, vacancy: Vacancy, starts_on: date, places: int, note: str = ""):
    """Add an intake moment. The phases together never ask more than the place's number."""
    vacancy = _editable(actor, vacancy)
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
def phase_remove(*, actor, phase: IntakePhase) -> None:
    vacancy = _editable(actor, phase.vacancy)
    phase = vacancy.phases.filter(pk=phase.pk).first()
    if phase is None:
        raise NotFoundError(_("Intake phase not found."))
    audit.record(
        "vacancy.phase_removed",
        actor=actor,
        target=vacancy,
        changes={"phase": [f"{phase.starts_on.isoformat()}: {phase.places}", None]},
    )
    phase.delete()


# --- the cohort ------------------------------------------------------------------------------


def _cohort_actor(actor, vacancy: Vacancy) -> Vacancy:
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        raise PermissionDeniedError()
    found = Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).first()
    if found is None:
        raise NotFoundError(_("Place not found."))
    return found


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
    actor,
    vacancy: Vacancy,
    candidate: Candidate,
    phase: IntakePhase | None = None,
    stage: str = CohortStage.WORK_READY,
    preparation: str = "",
) -> CohortMember:
    """Put a person the actor may see into the cohort of a bulk request."""
    vacancy = _cohort_actor(actor, vacancy)
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
    _log(actor, candidate, Operation.CREATE)
    return member


def _member_for(actor, member: CohortMember) -> CohortMember:
    """A member the actor may change: added by the actor's organisation, or a person it
    serves. Others may see the member (as the visibility rule allows) but not change it."""
    vacancy = _cohort_actor(actor, member.vacancy)
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
    *, actor, member: CohortMember, stage: str, phase=None, preparation: str | None = None
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
        _log(actor, member.candidate, Operation.CHANGE)
    return member


@transaction.atomic
def cohort_remove(*, actor, member: CohortMember) -> None:
    member = _member_for(actor, member)
    audit.record(
        "vacancy.cohort_removed",
        actor=actor,
        target=member.vacancy,
        changes={"stage": [member.stage, None]},
    )
    _log(actor, member.candidate, Operation.DELETE)
    member.delete()


def cohort_visible(*, actor, vacancy: Vacancy) -> tuple[list[CohortMember], int]:
    """The cohort members the actor may see (logged), and how many others there are.

    Each shown member carries ``shown_name``: the name for an organisation that serves the
    person, the partner label (no name) for one that sees them through regional consent;
    and ``can_change``: whether the actor's organisation added them or serves them."""
    members = list(vacancy.cohort.select_related("candidate", "phase", "added_by"))
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        return [], len(members)
    shown = shown_people(actor, members)
    for member in shown:
        member.can_change = member.served or member.added_by_id == actor.organisation.pk
        _log(actor, member.candidate)
    return shown, len(members) - len(shown)


def shown_people(actor, rows) -> list:
    """Rows (with a ``candidate``) whose person the actor may see, each with ``shown_name``
    (name only for a serving organisation) and ``served``."""
    ids = [r.candidate_id for r in rows]
    visible = set(
        Candidate.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True)
    )
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    shown = []
    for row in rows:
        if row.candidate_id not in visible:
            continue
        row.served = row.candidate_id in served
        row.shown_name = row.candidate.full_name if row.served else row.candidate.partner_label
        shown.append(row)
    return shown


# --- planning and fill rate ------------------------------------------------------------------


@dataclass
class PhasePlan:
    phase: IntakePhase | None
    places: int
    planned_total: int
    preparing: int
    ready: int
    started: int

    @property
    def gap(self) -> int:
        """People still to be found for this phase (nobody yet preparing or ready)."""
        return max(self.places - self.preparing - self.ready - self.started, 0)


def _phase_for_start(phases, day) -> int | None:
    """The intake phase a start date belongs to: the last that starts on or before it (the
    first when it is earlier than all)."""
    if not phases:
        return None
    if day is None:
        return phases[0].pk
    started = [p for p in phases if p.starts_on <= day]
    return (started[-1] if started else phases[0]).pk


def planning(vacancy: Vacancy) -> list[PhasePlan]:
    """Per intake phase: places, cumulative plan, and the cohort by stage (counts only).
    People hired through a proposal who are not in the cohort count as started in the
    phase of their start date."""
    counts = Counter(
        (phase_id, stage) for phase_id, stage in vacancy.cohort.values_list("phase_id", "stage")
    )
    phases = list(vacancy.phases.all())
    in_cohort = set(vacancy.cohort.values_list("candidate_id", flat=True))
    for hire in hires(vacancy):
        if hire.candidate_id not in in_cohort:
            counts[(_phase_for_start(phases, hire.start_date), CohortStage.STARTED)] += 1
    rows, total = [], 0
    for phase in phases:
        total += phase.places
        rows.append(
            PhasePlan(
                phase=phase,
                places=phase.places,
                planned_total=total,
                preparing=sum(counts[(phase.pk, s)] for s in PREPARING),
                ready=counts[(phase.pk, CohortStage.READY)],
                started=counts[(phase.pk, CohortStage.STARTED)],
            )
        )
    unphased = {s: counts[(None, s)] for s in CohortStage.values}
    if any(unphased.values()) or not rows:
        rows.append(
            PhasePlan(
                phase=None,
                places=max(vacancy.places - total, 0),
                planned_total=vacancy.places,
                preparing=sum(unphased[s] for s in PREPARING),
                ready=unphased[CohortStage.READY],
                started=unphased[CohortStage.STARTED],
            )
        )
    return rows


@dataclass
class FillPoint:
    day: date
    planned: int
    via_platform: int
    outside: int

    @property
    def filled(self) -> int:
        return self.via_platform + self.outside

    def rate(self, places: int) -> int:
        return round(100 * self.filled / places) if places else 0


def fill_series(vacancy: Vacancy) -> list[FillPoint]:
    """The fill on each day it changed, beside the places planned to have started by then
    (cumulative phases): the hires recorded against the place by their start of work, and
    apart the places filled outside the platform by the day they were filled."""
    via: Counter = Counter()
    for hire in hires(vacancy):
        via[hire.start_date or timezone.localtime(hire.recorded_at).date()] += 1
    outside: Counter = Counter()
    for day, places in vacancy.outside_fills.values_list("filled_on", "places"):
        outside[day] += places
    phases = list(vacancy.phases.all())
    points, n_via, n_outside = [], 0, 0
    for day in sorted(set(via) | set(outside) | {p.starts_on for p in phases}):
        n_via += via[day]
        n_outside += outside[day]
        planned = sum(p.places for p in phases if p.starts_on <= day)
        points.append(FillPoint(day=day, planned=planned, via_platform=n_via, outside=n_outside))
    return points


def outside_fills(vacancy: Vacancy) -> list:
    """The places filled outside the platform, with who recorded them (organisation)."""
    return list(vacancy.outside_fills.select_related("recorded_for", "recorded_by"))


def chart(points: list[FillPoint], places: int, width=600, height=200) -> dict:
    """Coordinates for an SVG line chart of planned and filled (rendered by the app)."""
    if not points or not places:
        return {}
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def xy(day, value):
        x = 40 + (width - 60) * (day - first).days / span
        y = height - 20 - (height - 40) * value / places
        return f"{x:.1f},{y:.1f}"

    def steps(attr):
        coords, previous = [], None
        for point in points:
            value = getattr(point, attr)
            if previous is not None:
                coords.append(xy(point.day, previous))
            coords.append(xy(point.day, value))
            previous = value
        return " ".join(coords)

    return {
        "width": width,
        "height": height,
        "planned": steps("planned"),
        "filled": steps("filled"),
        "top": places,
        "first": first,
        "last": last,
    }
