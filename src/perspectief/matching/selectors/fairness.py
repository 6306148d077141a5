"""The fairness report of the matching: per target group and age band, how much *exposure*
people get in the region's latest matching run compared with their share of the people who
can be matched, how their proposals *end* (hired or not) compared with everyone's — and
whether people with *similar scores* are seen as often whatever their group.

**At similar scores.** A group can be seen less simply because its members score lower (they
miss skills a place asks): the raw comparison cannot tell that from unequal treatment. So
the report also compares exposure among people with similar scores. A person's score in the
run is their best score at the places where the run ranked them in the first
:data:`RANKED` (``RunScore``); people it ranked nowhere that high have no score in the run
and are left out of this comparison (the raw one counts them). Scores fall in fixed bands of
:data:`BAND_WIDTH` points (0–20, 20–40, … — the same bands in every run and region, so a
band means the same people over time; quantiles would move with each population and split
equal scores across bands). A person is *seen* (exposed) when the run ranked them in the top
:data:`TOP` at a place, or they were proposed for a place of the region in the twelve months
up to the run. Per band, everyone's share seen is the band's rate; a group's *expected*
number seen is the sum of its members' band rates, and the band-adjusted ratio is the number
seen divided by that expectation (indirect standardisation, as a standardised mortality
ratio: with one band it is the raw ratio). 1 is as often as others with similar scores.

Aggregates only. A count under the threshold (``PERSPECTIEF_DISCLOSURE_MIN_CELL``) is
suppressed (shown as "x"), with other cells of the column until none can be worked out
from the others and the total, even by someone who knows the rule
(:mod:`perspectief.core.disclosure`, as for the monitoring); totals are not published.
Ratios and rates are given only from unsuppressed counts — the exposure ratio only when the
people and the number suggested are shown, a rate only when the count and its complement
(not hired, not seen) are shown or zero — and a band-adjusted ratio only when
the group's expected number seen is at least the threshold too; the counts per band are not
published. A ratio under :data:`FOUR_FIFTHS` or over :data:`UPPER` is flagged for
attention (the "four-fifths rule" used to spot adverse impact, both ways) — a signal for
people to look into, not a verdict.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import AGE_BANDS, TargetGroup
from perspectief.candidates.models import Candidate, CandidateTargetGroup
from perspectief.core import disclosure

from ..constants import ProposalStatus, RunStatus
from ..models import MatchRun, MatchSuggestion, Proposal, RunScore

FOUR_FIFTHS = 0.8
#: A ratio over this is flagged too: a group seen a quarter more than others (1 / 0.8).
UPPER = 1.25

#: Seen (exposed): ranked in this top at a place of the run.
TOP = 10
#: A run scores people for the report up to this rank at each place (``RunScore``).
RANKED = 50
#: Score bands of this many points (of 100).
BAND_WIDTH = 20
SCORE_BANDS = [(low, low + BAND_WIDTH) for low in range(0, 100, BAND_WIDTH)]
#: Proposals up to the run that count as being seen.
SEEN_PROPOSALS_DAYS = 365

NO_GROUP = "none"
UNKNOWN = "unknown"

#: Proposals that reached an outcome (the denominator of the hire rate).
DECIDED = (ProposalStatus.HIRED, ProposalStatus.REJECTED, ProposalStatus.NOT_INTERESTED)
COUNTS = (
    "population",
    "suggested",
    "assigned",
    "proposed",
    "decided",
    "hired",
    "scored",
    "seen",
)


def outside(ratio: float | None) -> bool:
    """A ratio to look into: under four fifths, or over its inverse."""
    return ratio is not None and not FOUR_FIFTHS <= ratio <= UPPER


def score_band(score: float) -> int:
    """The band of a score (0-1): 0 for 0-20 points, … 4 for 80-100."""
    return min(max(int(100 * score) // BAND_WIDTH, 0), len(SCORE_BANDS) - 1)


def band_label(band: int) -> str:
    low, high = SCORE_BANDS[band]
    return f"{low}–{high}"


def shown_rate(count: int | None, part: int | None) -> float | None:
    """``part`` out of ``count``, when both are shown and what is left (``count - part``) is
    zero or not small: else the rate would give a hidden number away."""
    if not count or part is None:
        return None
    if part in (0, count) or count - part >= disclosure.min_cell():
        return part / count
    return None


def age_band(born: date | None, today: date) -> str:
    if born is None:
        return UNKNOWN
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for key, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return UNKNOWN  # beyond the last band: a data error, not a band


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int | None] = field(default_factory=dict)
    exposure: float = 0.0
    exposure_ratio: float | None = None
    hire_rate: float | None = None
    hire_ratio: float | None = None
    #: Seen (top 10 or proposed) among the people with a score in the run, against
    #: everyone's share: raw, and among people with similar scores (band-adjusted).
    seen_ratio: float | None = None
    adjusted_ratio: float | None = None
    #: The number seen if the group were seen as often as everyone in each score band.
    expected: float = 0.0

    @property
    def flags(self) -> list[str]:
        """Which of the row's ratios are outside 0.8-1.25."""
        names = ("exposure_ratio", "hire_ratio", "seen_ratio", "adjusted_ratio")
        return [n for n in names if outside(getattr(self, n))]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flagged_at_similar_scores(self) -> bool:
        return outside(self.adjusted_ratio)


@dataclass
class Report:
    region: str
    run: MatchRun | None
    since: date
    dimensions: dict[str, list[Row]]
    min_cell: int = field(default_factory=lambda: disclosure.min_cell())
    #: Per score band (everyone with a score in the run): the people and how many were seen.
    bands: list[dict] = field(default_factory=list)

    @property
    def flags(self) -> list[dict]:
        """The groups seen more or less often than others with similar scores."""
        return [
            {"dimension": name, "group": row.key}
            for name, rows in self.dimensions.items()
            for row in rows
            if row.flagged_at_similar_scores
        ]


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


@dataclass
class Scored:
    """The people with a score in the run (their best, 0-1) and who of them were seen."""

    scores: Mapping[int, float] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)

    def counts(self) -> dict[int, dict[str, int]]:
        """Per score band: the people with a score there and how many were seen."""
        counts = {band: {"scored": 0, "seen": 0} for band in range(len(SCORE_BANDS))}
        for person, score in self.scores.items():
            tally = counts[score_band(score)]
            tally["scored"] += 1
            tally["seen"] += person in self.seen
        return counts

    def rates(self) -> dict[int, float]:
        """Per score band: the share of its people that were seen."""
        return {
            b: c["seen"] / c["scored"] if c["scored"] else 0.0 for b, c in self.counts().items()
        }


def tabulate(
    members: dict[int, set[str]],
    labels: Mapping[str, object],
    *,
    population: set[int],
    exposure: dict[int, float],
    assigned: set[int],
    proposals: list[tuple[int, str]],
    scored: Scored | None = None,
) -> tuple[list[Row], dict[str, int]]:
    """Rows per group from plain data: ``members`` maps a person to their groups in this
    dimension; ``exposure`` is each person's position-weighted presence in the run;
    ``scored`` the people with a score in the run, for the comparison at similar scores."""
    scored = scored or Scored()
    rates = scored.rates()
    rows = {key: Row(key=key, label=str(label)) for key, label in labels.items()}
    # Whole numbers while counting; the disclosure control may hide some (None) below.
    tallies: dict[str, dict[str, int]] = {key: dict.fromkeys(COUNTS, 0) for key in rows}
    suggested = set(exposure)
    for person in population | suggested | {p for p, _s in proposals} | set(scored.scores):
        score = scored.scores.get(person)
        for key in members.get(person, ()):
            tally = tallies[key]
            tally["population"] += person in population
            tally["suggested"] += person in suggested
            tally["assigned"] += person in assigned
            rows[key].exposure += exposure.get(person, 0.0)
            if score is not None:
                tally["scored"] += 1
                tally["seen"] += person in scored.seen
                rows[key].expected += rates[score_band(score)]
    for person, status in proposals:
        for key in members.get(person, ()):
            tally = tallies[key]
            tally["proposed"] += 1
            tally["decided"] += status in DECIDED
            tally["hired"] += status == ProposalStatus.HIRED
    for key, row in rows.items():
        row.counts = dict(tallies[key])
    totals = {
        "population": len(population),
        "suggested": len(suggested),
        "assigned": len(assigned),
        "proposed": len(proposals),
        "decided": sum(s in DECIDED for _p, s in proposals),
        "hired": sum(s == ProposalStatus.HIRED for _p, s in proposals),
        "scored": len(scored.scores),
        "seen": len(scored.seen & set(scored.scores)),
    }
    result = [r for r in rows.values() if any(r.counts.values())]
    _suppress(result)
    _ratios(result, totals, sum(exposure.values()))
    return result, totals


def _ratios(rows: list[Row], totals: dict[str, int], total_exposure: float) -> None:
    """Ratios and rates only from counts that are shown, so they reveal no hidden cell."""
    overall_hired = totals["hired"] / totals["decided"] if totals["decided"] else None
    overall_seen = totals["seen"] / totals["scored"] if totals["scored"] else None
    for row in rows:
        c = row.counts
        # The exposure comes from the group's suggestions: no ratio beside a hidden number
        # suggested (a 0.0 would say it is zero, and the column's total give the rest away).
        if c["population"] and c["suggested"] is not None and total_exposure:
            share_pop = c["population"] / totals["population"]
            row.exposure_ratio = round((row.exposure / total_exposure) / share_pop, 3)
        hire_rate = shown_rate(c["decided"], c["hired"])
        if hire_rate is not None:
            row.hire_rate = round(hire_rate, 3)
            if overall_hired:
                row.hire_ratio = round(row.hire_rate / overall_hired, 3)
        seen_rate = shown_rate(c["scored"], c["seen"])
        if seen_rate is not None and overall_seen:
            row.seen_ratio = round(seen_rate / overall_seen, 3)
        # Too few expected to compare (and it would tell about small cells of the bands).
        seen = c["seen"]
        if seen is not None and seen_rate is not None and row.expected >= disclosure.min_cell():
            row.adjusted_ratio = round(seen / row.expected, 3)


def band_rows(scored: Scored) -> list[dict]:
    """Everyone with a score in the run, per score band: how many, how many seen, and the
    share seen (from shown counts only)."""
    table = cast(disclosure.Table, scored.counts())
    shown, _totals = disclosure.suppress_columns(table, ("scored", "seen"), total_published=True)
    rows = []
    for band, counts in shown.items():
        rate = shown_rate(counts["scored"], counts["seen"])
        rows.append(
            {
                "band": band_label(cast(int, band)),
                **counts,
                "rate": None if rate is None else round(rate, 3),
            }
        )
    return rows


def _latest_run(region, run: MatchRun | None) -> MatchRun | None:
    if run is not None:
        return run
    return (
        MatchRun.objects.filter(region=region, status=RunStatus.DONE)
        .order_by("-created_at")
        .first()
    )


def _run_data(region, run: MatchRun | None) -> tuple[dict[int, float], set[int], Scored]:
    """From the run: each person's position-weighted exposure, who is in the optimal
    distribution, and the people with a score in the run with who of them were seen."""
    exposure: dict[int, float] = defaultdict(float)
    assigned: set[int] = set()
    if run is None:
        return exposure, assigned, Scored()
    for person, rank, chosen in MatchSuggestion.objects.filter(run=run).values_list(
        "candidate_id", "rank", "assigned"
    ):
        exposure[person] += 1.0 / math.log2(rank + 1)
        if chosen:
            assigned.add(person)
    scores, seen = {}, set()
    for person, score, rank in RunScore.objects.filter(run=run).values_list(
        "candidate_id", "score", "best_rank"
    ):
        scores[person] = score
        if rank <= TOP:
            seen.add(person)
    until = run.finished_at or run.created_at
    seen |= set(
        Proposal.objects.filter(
            vacancy__employer__organisation__region=region,
            created_at__lte=until,
            created_at__gte=until - timedelta(days=SEEN_PROPOSALS_DAYS),
        ).values_list("candidate_id", flat=True)
    )
    return exposure, assigned, Scored(scores=scores, seen=seen & set(scores))


def _groups(everyone: set[int], today: date) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Each person's target groups ("none" without one) and age band."""
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
    return groups, bands


def report(
    region,
    *,
    since: date | None = None,
    today: date | None = None,
    run: MatchRun | None = None,
) -> Report:
    """The report for a region: exposure in its latest finished run (or ``run``), at
    similar scores too, and outcomes of the proposals for its places since ``since``
    (default: twelve months back)."""
    today = today or timezone.localdate()
    since = since or today - timedelta(days=365)
    run = _latest_run(region, run)
    exposure, assigned, scored = _run_data(region, run)
    population = set(
        Candidate.objects.matchable().filter(region=region).values_list("pk", flat=True)
    )
    proposals = list(
        Proposal.objects.filter(
            vacancy__employer__organisation__region=region, created_at__date__gte=since
        ).values_list("candidate_id", "status")
    )
    everyone = population | set(exposure) | {p for p, _s in proposals} | set(scored.scores)
    groups, bands = _groups(everyone, today)
    target_labels = {**dict(TargetGroup.choices), NO_GROUP: _("no target group")}
    age_labels = {**{k: label for k, label, _lo, _hi in AGE_BANDS}, UNKNOWN: _("unknown")}
    dimensions = {}
    for name, members, labels in (
        ("target_group", groups, target_labels),
        ("age_band", bands, age_labels),
    ):
        dimensions[name], _totals = tabulate(
            members,
            labels,
            population=population,
            exposure=dict(exposure),
            assigned=assigned,
            proposals=proposals,
            scored=scored,
        )
    return Report(
        region=str(region),
        run=run,
        since=since,
        dimensions=dimensions,
        bands=band_rows(scored) if scored.scores else [],
    )


def as_json(result: Report) -> dict:
    return {
        "region": result.region,
        "run": str(result.run.uuid) if result.run else None,
        "runDate": result.run.created_at.isoformat() if result.run else None,
        "since": result.since.isoformat(),
        "minCell": result.min_cell,
        "bounds": [FOUR_FIFTHS, UPPER],
        "scoreBands": result.bands,
        "dimensions": {
            name: [
                {
                    "group": r.key,
                    "label": r.label,
                    **r.counts,
                    "exposureRatio": r.exposure_ratio,
                    "hireRate": r.hire_rate,
                    "hireRatio": r.hire_ratio,
                    "seenRatio": r.seen_ratio,
                    "adjustedRatio": r.adjusted_ratio,
                    "flags": r.flags,
                    "flagged": r.flagged,
                }
                for r in rows
            ]
            for name, rows in result.dimensions.items()
        },
        "flaggedAtSimilarScores": result.flags,
    }
