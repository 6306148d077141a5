"""Reads on bulk requests: the cohort as the actor may see it, the plan per intake phase,
and the fill rate over time. The region plans training and job-coach capacity from the
phases and the cohort; the fill over time comes from the records: the hires against the
place (dated by their start of work) and the places filled outside the platform (dated by
when they were filled, with their reason)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import PREPARING, CohortStage
from ..models import CohortMember, IntakePhase, Vacancy
from .places import hires, shown_people


def cohort_access(actor: Actor, candidate, operation=Operation.READ):
    """Log that the actor read (or changed) a person through the cohort of a place."""
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_COHORT, operation)


def place_for_cohort(actor: Actor, vacancy: Vacancy) -> Vacancy:
    """The place, when the actor may see job seekers and the place."""
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        raise PermissionDeniedError()
    found = Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).first()
    if found is None:
        raise NotFoundError(_("Place not found."))
    return found


def cohort_visible(*, actor: Actor, vacancy: Vacancy) -> tuple[list[CohortMember], int]:
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
        cohort_access(actor, member.candidate)
    return shown, len(members) - len(shown)


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
    # (phase id, stage) → people; phase None: not in a phase.
    counts: Counter[tuple[int | None, str]] = Counter(
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
