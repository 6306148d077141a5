"""The fairness report of the matching: per target group and age band, how much *exposure*
people get in the region's latest matching run compared with their share of the people who
can be matched, and how their proposals *end* (hired or not) compared with everyone's.

Aggregates only. A count under the threshold (``PERSPECTIEF_DISCLOSURE_MIN_CELL``) is
suppressed (shown as "< 5"), with other cells of the column until none can be worked out
from the others and the total, even by someone who knows the rule
(:mod:`perspectief.core.disclosure`, as for the monitoring); totals are not published.
Ratios and rates are given only from unsuppressed counts. A ratio under
:data:`FOUR_FIFTHS` is flagged for attention (the "four-fifths rule" used to spot adverse
impact) — a signal for people to look into, not a verdict.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.candidates.models import Candidate, CandidateTargetGroup
from perspectief.core import disclosure

from ..constants import ProposalStatus, RunStatus
from ..models import MatchRun, MatchSuggestion, Proposal

FOUR_FIFTHS = 0.8

NO_GROUP = "none"
AGE_BANDS = [
    ("15-26", _("up to 26"), 0, 26),
    ("27-49", _("27 to 49"), 27, 49),
    ("50+", _("50 and older"), 50, 200),
]
UNKNOWN = "unknown"

#: Proposals that reached an outcome (the denominator of the hire rate).
DECIDED = (ProposalStatus.HIRED, ProposalStatus.REJECTED, ProposalStatus.NOT_INTERESTED)
COUNTS = ("population", "suggested", "assigned", "proposed", "decided", "hired")


def age_band(born: date | None, today: date) -> str:
    if born is None:
        return UNKNOWN
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for key, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return UNKNOWN  # under 15: a data error, not a band


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int | None] = field(default_factory=dict)
    exposure: float = 0.0
    exposure_ratio: float | None = None
    hire_rate: float | None = None
    hire_ratio: float | None = None

    @property
    def flagged(self) -> bool:
        return any(
            r is not None and r < FOUR_FIFTHS for r in (self.exposure_ratio, self.hire_ratio)
        )


@dataclass
class Report:
    region: str
    run: MatchRun | None
    since: date
    dimensions: dict[str, list[Row]]
    min_cell: int = field(default_factory=lambda: disclosure.min_cell())


def _suppress(rows: list[Row]) -> None:
    """Primary and secondary suppression per count column, in place (core.disclosure). The
    groups' counts add up to the region's own (the people who can be matched, the run's
    suggestions): as if that total were published, so that no small cell can be worked out
    from it, even by someone who knows the rule."""
    shown, _totals = disclosure.suppress_columns(
        {r.key: {c: r.counts.get(c, 0) or 0 for c in COUNTS} for r in rows},
        COUNTS,
        total_published=True,
    )
    for r in rows:
        r.counts = shown[r.key]


def tabulate(
    members: dict[int, set[str]],
    labels: dict[str, str],
    *,
    population: set[int],
    exposure: dict[int, float],
    assigned: set[int],
    proposals: list[tuple[int, str]],
) -> tuple[list[Row], dict[str, int]]:
    """Rows per group from plain data: ``members`` maps a person to their groups in this
    dimension; ``exposure`` is each person's position-weighted presence in the run."""
    rows = {key: Row(key=key, label=str(label)) for key, label in labels.items()}
    for row in rows.values():
        row.counts = dict.fromkeys(COUNTS, 0)
    suggested = set(exposure)
    for person in population | suggested | {p for p, _s in proposals}:
        for key in members.get(person, ()):
            c = rows[key].counts
            c["population"] += person in population
            c["suggested"] += person in suggested
            c["assigned"] += person in assigned
            rows[key].exposure += exposure.get(person, 0.0)
    for person, status in proposals:
        for key in members.get(person, ()):
            c = rows[key].counts
            c["proposed"] += 1
            c["decided"] += status in DECIDED
            c["hired"] += status == ProposalStatus.HIRED
    totals = {
        "population": len(population),
        "suggested": len(suggested),
        "assigned": len(assigned),
        "proposed": len(proposals),
        "decided": sum(s in DECIDED for _p, s in proposals),
        "hired": sum(s == ProposalStatus.HIRED for _p, s in proposals),
    }
    result = [r for r in rows.values() if any(r.counts.values())]
    _suppress(result)
    # Ratios and rates only from counts that are shown, so they reveal no hidden cell.
    total_exposure = sum(exposure.values())
    overall_rate = totals["hired"] / totals["decided"] if totals["decided"] else None
    for row in result:
        c = row.counts
        if c["population"] and total_exposure:
            share_pop = c["population"] / totals["population"]
            row.exposure_ratio = round((row.exposure / total_exposure) / share_pop, 3)
        if (
            c["decided"]
            and c["hired"] is not None
            and (
                c["hired"] in (0, c["decided"])
                or (c["decided"] - c["hired"] >= disclosure.min_cell())
            )
        ):
            row.hire_rate = round(c["hired"] / c["decided"], 3)
            if overall_rate:
                row.hire_ratio = round(row.hire_rate / overall_rate, 3)
    return result, totals


def report(region, *, since: date | None = None, today: date | None = None) -> Report:
    """The report for a region: exposure in its latest finished run, outcomes of the
    proposals for its places since ``since`` (default: twelve months back)."""
    today = today or timezone.localdate()
    since = since or today - timedelta(days=365)
    run = MatchRun.objects.filter(region=region, status=RunStatus.DONE).order_by("-created_at")
    run = run.first()
    exposure: dict[int, float] = defaultdict(float)
    assigned: set[int] = set()
    if run is not None:
        for person, rank, chosen in MatchSuggestion.objects.filter(run=run).values_list(
            "candidate_id", "rank", "assigned"
        ):
            exposure[person] += 1.0 / math.log2(rank + 1)
            if chosen:
                assigned.add(person)
    population = set(
        Candidate.objects.matchable().filter(region=region).values_list("pk", flat=True)
    )
    proposals = list(
        Proposal.objects.filter(
            vacancy__employer__organisation__region=region, created_at__date__gte=since
        ).values_list("candidate_id", "status")
    )
    everyone = population | set(exposure) | {p for p, _s in proposals}
    groups: dict[int, set[str]] = defaultdict(set)
    for person, group in CandidateTargetGroup.objects.filter(candidate_id__in=everyone).values_list(
        "candidate_id", "group"
    ):
        groups[person].add(group)
    for person in everyone:
        groups[person] = groups[person] or {NO_GROUP}
    bands = {
        pk: {age_band(born, today)}
        for pk, born in Candidate.objects.filter(pk__in=everyone).values_list("pk", "date_of_birth")
    }
    data = {
        "population": population,
        "exposure": dict(exposure),
        "assigned": assigned,
        "proposals": proposals,
    }
    target_labels = {**dict(TargetGroup.choices), NO_GROUP: _("no target group")}
    age_labels = {**{k: label for k, label, _lo, _hi in AGE_BANDS}, UNKNOWN: _("unknown")}
    by_group, _totals = tabulate(groups, target_labels, **data)
    by_age, _totals = tabulate(bands, age_labels, **data)
    return Report(
        region=str(region),
        run=run,
        since=since,
        dimensions={"target_group": by_group, "age_band": by_age},
    )


def as_json(result: Report) -> dict:
    return {
        "region": result.region,
        "run": str(result.run.uuid) if result.run else None,
        "runDate": result.run.created_at.isoformat() if result.run else None,
        "since": result.since.isoformat(),
        "minCell": result.min_cell,
        "dimensions": {
            name: [
                {
                    "group": r.key,
                    "label": r.label,
                    **r.counts,
                    "exposureRatio": r.exposure_ratio,
                    "hireRate": r.hire_rate,
                    "hireRatio": r.hire_ratio,
                    "flagged": r.flagged,
                }
                for r in rows
            ]
            for name, rows in result.dimensions.items()
        },
    }
