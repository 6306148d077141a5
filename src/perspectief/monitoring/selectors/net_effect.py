"""The plan's net effect (issue #19, item 6): beside the additional matches over the baseline,
two comparisons the evaluation literature accepts, each with its method, its assumptions and
a 95% interval (see docs/monitoring.md, "Net effect").

1. **Comparison group** (primary): the people in view in the region during the plan who took
   part in its activities (*reached*, :func:`indicators.took_part`, the link the dashboard's
   matches per activity follow) against those who did not, matched exactly on target group,
   age band, distance to work (work-readiness) and time in view at the plan's start. Per
   stratum the placement rate of the people not reached gives what the reached would have
   had without the plan; the net effect is the placed among the reached minus that. Its
   interval is analytic: binomial variances summed over the strata.
2. **Difference-in-differences** (second): the region's matches during the plan against the
   same length of time before it, set against the other regions' change over the same two
   periods; the interval is a t-based prediction interval from the spread of the other
   regions' changes.

A match is counted as everywhere else (:func:`indicators.transitions`, key ``matches``).
Both are counted up to the end of the last completed calendar quarter of the plan (never a
running period below the region), and shown only where the groups behind them are large
enough (:mod:`perspectief.core.disclosure`). The estimators themselves
(:func:`stratified_estimate`, :func:`did_estimate`) are pure: testable without a database.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.candidates.constants import AGE_BANDS, JourneyStatus, TargetGroup
from perspectief.candidates.models import Candidate, CandidateTargetGroup, JourneyTransition
from perspectief.core.dates import add_months
from perspectief.core.disclosure import hide, min_cell
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.periods import previous_quarter, quarter_bounds, quarter_containing
from perspectief.monitoring.selectors.indicators import Filters, took_part, transitions

S = JourneyStatus

#: The two-sided 95% interval of the normal distribution.
Z95 = 1.96
#: Other regions with matches in both periods needed for the difference-in-differences.
MIN_OTHER_REGIONS = 5
#: A person's status at the plan's start that puts them outside the people who could be
#: placed during it: at work already, or gone.
NOT_AVAILABLE = (S.PLACED, S.DURABLE, S.LEFT)
#: Age at the plan's start, in the bands every report uses (``candidates.constants``):
#: (the band's first age after it, key) from the youngest, and the oldest band's key.
AGE_BOUNDS = [(high + 1, key) for key, _label, _low, high in AGE_BANDS[:-1]]
OLDEST = AGE_BANDS[-1][0]
#: Months in view at the plan's start: came into view during the plan, under 6, 6 to 24,
#: more than 24.
VIEW_BANDS = ((6, "<6"), (24, "6-24"))


# --- The estimators (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """People of one stratum on one side, and how many of them were placed."""

    people: int
    placed: int

    @property
    def rate(self) -> float:
        return self.placed / self.people if self.people else 0.0


@dataclass
class Matched:
    """The comparison-group estimate before disclosure control."""

    reached: int  # reached people with a comparable person not reached
    unmatched: int  # reached people in a stratum without anyone to compare with
    comparison: int  # people not reached in the strata of the reached
    comparison_placed: int
    observed: int  # reached people placed (of those with a comparison)
    expected: float  # what they would have had at the comparison's rates
    effect: float
    low: float
    high: float


def _variance_rate(group: Group) -> float:
    """p(1-p) with p = (placed + ½)/(people + 1): a stratum where nobody or everybody was
    placed still carries uncertainty (with the plain rate it would carry none)."""
    p = (group.placed + 0.5) / (group.people + 1)
    return p * (1 - p)


def stratified_estimate(strata: Mapping[Any, tuple[Group, Group]]) -> Matched:
    """Exact matching on strata: ``{stratum: (reached, not reached)}``. The reached of a
    stratum without people not reached have nobody to compare with and are left out (and
    counted). Effect = Σ placed of the reached − Σ reached × the comparison's rate; its
    variance Σ n_r p_r(1-p_r) + n_r² p_c(1-p_c)/n_c (binomial, strata independent)."""
    reached = unmatched = comparison = comparison_placed = observed = 0
    expected = variance = 0.0
    for treated, control in strata.values():
        if not treated.people:
            continue
        if not control.people:
            unmatched += treated.people
            continue
        reached += treated.people
        observed += treated.placed
        comparison += control.people
        comparison_placed += control.placed
        expected += treated.people * control.rate
        variance += treated.people * _variance_rate(treated)
        variance += treated.people**2 * _variance_rate(control) / control.people
    effect = observed - expected
    spread = Z95 * math.sqrt(variance)
    return Matched(
        reached=reached,
        unmatched=unmatched,
        comparison=comparison,
        comparison_placed=comparison_placed,
        observed=observed,
        expected=expected,
        effect=effect,
        low=effect - spread,
        high=effect + spread,
    )


def t95(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (a table up to 30,
    then Cornish-Fisher's z + (z³ + z)/(4 df) + (5z⁵ + 16z³ + 3z)/(96 df²), within 0.001)."""
    table = (
        *(12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228),
        *(2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086),
        *(2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042),
    )
    if df < 1:
        raise ValueError(df)
    if df <= len(table):
        return table[df - 1]
    z = Z95
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass
class DiD:
    """The difference-in-differences estimate (``effect`` None: too few other regions)."""

    before: int  # the region's matches in the period before the plan
    during: int  # and during the plan (so far)
    regions: int  # other regions with matches in both periods
    change: float | None = None  # the other regions' typical change (a factor, 1.1 = +10%)
    expected: float | None = None
    effect: float | None = None
    low: float | None = None
    high: float | None = None


def did_estimate(before: int, during: int, others: Iterable[tuple[int, int]]) -> DiD:
    """The region's matches ``during`` the plan against ``before`` it (a period as long),
    with the other regions' (before, during). Without the plan the region would have
    changed as the others typically did: the mean of their log changes, so expected =
    before × exp(mean). The interval is the prediction interval for one more region's
    change, exp(mean ± t·sd·√(1 + 1/k)), applied to ``before``: it shows how differently
    regions change anyway. Other regions count when they had matches in both periods."""
    logs = [math.log(d / b) for b, d in others if b > 0 and d > 0]
    out = DiD(before=before, during=during, regions=len(logs))
    if len(logs) < MIN_OTHER_REGIONS or before <= 0:
        return out
    mean, sd = statistics.fmean(logs), statistics.stdev(logs)
    margin = t95(len(logs) - 1) * sd * math.sqrt(1 + 1 / len(logs))
    out.change = math.exp(mean)
    out.expected = before * out.change
    out.effect = during - out.expected
    out.low = during - before * math.exp(mean + margin)
    out.high = during - before * math.exp(mean - margin)
    return out


# --- What is shown -------------------------------------------------------------------------


@dataclass
class Shown:
    """One estimate as a page shows it: ``state`` "shown" (with ``effect``, ``low`` and
    ``high`` rounded to whole matches), "too_small" (the groups are under the threshold: no
    number), "no_evidence" (nothing to compare) or "too_few_regions" (DiD only)."""

    state: str
    effect: int | None = None
    low: int | None = None
    high: int | None = None
    #: Counts said beside it, each suppressed on its own (None: x).
    counts: Mapping[str, int | None] | None = None

    @property
    def signed(self) -> str:
        """The effect with its sign: +12, -3, 0."""
        return "0" if not self.effect else f"{self.effect:+d}"

    def text(self) -> str:
        """The number with its interval, "+12 (95%: 4 to 20)", or why there is none."""
        if self.state == "shown":
            return _("%(effect)s (95%%: %(low)s to %(high)s)") % {
                "effect": self.signed,
                "low": self.low,
                "high": self.high,
            }
        counts = self.counts or {}
        if self.state == "too_small" and "before" in counts:
            return _("Too few matches before the plan (under %(n)s) to measure a change from.") % {
                "n": min_cell()
            }
        if self.state == "too_small":
            return _(
                "Too few people to show a number (a group under %(n)s): the evidence is too small."
            ) % {"n": min_cell()}
        if self.state == "too_few_regions":
            return _(
                "Not enough other regions with matches before and during the plan "
                "(%(n)s of the %(needed)s needed)."
            ) % {"n": counts.get("regions", 0), "needed": MIN_OTHER_REGIONS}
        return _("No evidence: nobody took part in services or training of the plan's activities.")


#: One plain sentence per method, as the dashboard and the report say it.
def matched_method() -> str:
    return _(
        "People placed among those who took part in the plan's activities, minus what "
        "comparable people who did not take part (same target group, age, distance to work "
        "and time in view) achieved."
    )


def did_method() -> str:
    return _(
        "The region's matches during the plan against an equally long period before it, "
        "corrected for how the matches of the other regions changed over the same periods."
    )


def unmatched_text(shown: Shown) -> str:
    """How many reached people had nobody comparable (x when under the threshold); nothing
    when there is no estimate to speak of (no evidence) or everyone had someone."""
    if not shown.counts:
        return ""
    n = shown.counts.get("unmatched")
    if n == 0:
        return ""
    return _("%(n)s reached people had no comparable person and are left out.") % {
        "n": "x" if n is None else n
    }


def _rounded(effect: float, low: float, high: float) -> dict:
    return {"effect": round(effect), "low": math.floor(low), "high": math.ceil(high)}


def show_matched(m: Matched | None) -> Shown:
    """The comparison group's estimate under the disclosure rules: no number at all when the
    reached or the comparison people, or the placed among either, are from 1 to under the
    threshold (the estimate and its interval would narrow them down); the counts said
    beside it (the reached with and without a comparable person) suppressed each."""
    if m is None or (m.reached == 0 and m.unmatched == 0):
        return Shown("no_evidence")
    counts = {"reached": hide(m.reached), "unmatched": hide(m.unmatched)}
    groups = (m.reached, m.observed, m.comparison, m.comparison_placed)
    if m.reached < min_cell() or m.comparison < min_cell() or any(hide(n) is None for n in groups):
        return Shown("too_small", counts=counts)
    return Shown("shown", counts=counts, **_rounded(m.effect, m.low, m.high))


def show_did(d: DiD | None) -> Shown:
    """The difference-in-differences as shown: the region's own totals (exact, as on the
    dashboard); no number when its matches before the plan are under the threshold (a
    change from 2 says nothing) or fewer than :data:`MIN_OTHER_REGIONS` others had data."""
    if d is None:
        return Shown("no_evidence")
    counts = {"before": d.before, "during": d.during, "regions": d.regions}
    if d.before < min_cell():
        return Shown("too_small", counts=counts)
    if d.effect is None or d.low is None or d.high is None:
        return Shown("too_few_regions", counts=counts)
    return Shown("shown", counts=counts, **_rounded(d.effect, d.low, d.high))


# --- Counted from the records ----------------------------------------------------------------


def counted_until(plan, today: date, cap: date | None = None) -> date | None:
    """The last day the net effect counts to: the end of the last calendar quarter that
    ended before ``today`` (and before ``cap``, a report's quarter's end), or the plan's end
    when that came first; None when the plan has no completed quarter yet."""
    limit = today - timedelta(days=1)
    if cap is not None:
        limit = min(limit, cap)
    if plan.period_end <= limit:  # the plan is over: counted whole
        end = plan.period_end
    else:
        year, quarter = quarter_containing(limit)
        end = quarter_bounds(year, quarter)[1]
        if end > limit:
            end = quarter_bounds(*previous_quarter(year, quarter))[1]
    return end if end >= plan.period_start else None


def _band(field: str, bounds, last: str, start: date, *, first: tuple | None = None):
    """The band of a date field at ``start`` (age, time in view): ``bounds`` are (months
    back, label) from the nearest; older than all is ``last``, an empty date "?"."""
    whens = [When(**{f"{field}__isnull": True}, then=V("?"))]
    if first is not None:
        whens.append(When(**{f"{field}__gte": first[0]}, then=V(first[1])))
    for months, label in bounds:
        whens.append(When(**{f"{field}__gt": add_months(start, -months)}, then=V(label)))
    return Case(*whens, default=V(last))


def _target_groups():
    """The person's target groups as one number (a bit per group): matched exactly."""
    bits = [When(group=g, then=V(1 << i)) for i, g in enumerate(TargetGroup.values)]
    rows = (
        CandidateTargetGroup.objects.filter(candidate_id=OuterRef("pk"))
        .order_by()
        .values("candidate_id")
        .annotate(mask=Sum(Case(*bits, default=V(0), output_field=IntegerField())))
        .values("mask")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), V(0))


def _member(ids):
    """True for the people among ``ids`` (a subquery of candidate ids)."""
    return Case(When(pk__in=ids, then=V(True)), default=V(False), output_field=BooleanField())


def _people(region_id, start: date, until: date):
    """The people in view in the region during the plan up to ``until``: they came into view
    by then (``in_view``: the band of their time in view at the plan's start) and, at the
    plan's start, were not at work or gone."""
    # The status through an expression: the person's few transitions (by the candidate
    # index), never every transition to "in view" of the country (by the status index)
    # once per person, which SQLite would otherwise pick. The band is worked out inside the
    # subquery, so that it runs once a person, not once for every band.
    in_view = (
        JourneyTransition.objects.filter(candidate_id=OuterRef("pk"), occurred_on__lte=until)
        .annotate(status=Lower("to_status"))
        .filter(status=S.IN_VIEW)
        .annotate(band=_band("occurred_on", VIEW_BANDS, ">24", start, first=(start, "during")))
        .order_by("occurred_on")
        .values("band")[:1]
    )
    status_at_start = (
        JourneyTransition.objects.filter(candidate_id=OuterRef("pk"), occurred_on__lt=start)
        .order_by("-occurred_on", "-recorded_at", "-id")
        .values("to_status")[:1]
    )
    return (
        Candidate.objects.filter(region_id=region_id, merged_into__isnull=True)
        .annotate(
            in_view=Subquery(in_view),
            status_at_start=Coalesce(Subquery(status_at_start), V("")),
        )
        .filter(in_view__isnull=False)
        .exclude(status_at_start__in=NOT_AVAILABLE)
    )


def plan_offers(plan) -> list[int]:
    """The services and training the plan's activities hold (their ids)."""
    return [
        pk
        for pk in PlanActivity.objects.filter(plan_id=plan.pk).values_list("offers", flat=True)
        if pk is not None
    ]


def strata(plan, until: date, offers: list[int]) -> dict[tuple, tuple[Group, Group]]:
    """``{stratum: (reached, not reached)}`` of the people in view during the plan (see
    :func:`strata_query`)."""
    out: dict[tuple, list[Group]] = {}
    for r in strata_query(plan, until, offers):
        key = (r["groups"], r["age"], r["work_readiness"], r["in_view"])
        pair = out.setdefault(key, [Group(0, 0), Group(0, 0)])
        pair[0 if r["reached"] else 1] = Group(r["people"], r["n_placed"])
    return {key: (pair[0], pair[1]) for key, pair in out.items()}


def strata_query(plan, until: date, offers: list[int]):
    """``{stratum: (reached, not reached)}`` of the people in view during the plan, counted
    in the database in one query (grouped by stratum): target groups, age band and months
    in view at the plan's start, work-readiness; reached: a step of their route in the
    plan's activities (:func:`indicators.took_part`) that ran during the plan up to
    ``until``; placed: a match in the plan's period up to ``until``."""
    start = plan.period_start
    steps = (
        took_part(offers)
        .annotate(
            began=Coalesce("actual_start", "planned_start"),
            ended=Coalesce("actual_end", "planned_end"),
        )
        .filter(began__lte=until, ended__gte=start)
    )
    matches = transitions(Filters(start, until, region_id=plan.region_id), "matches")
    return (
        _people(plan.region_id, start, until)
        .annotate(
            groups=_target_groups(),
            age=_band("date_of_birth", [(12 * y, b) for y, b in AGE_BOUNDS], OLDEST, start),
            # Uncorrelated (each subquery run once, not once per person).
            reached=_member(steps.values("route__candidate_id")),
            placed=_member(matches.values("candidate_id")),
        )
        .order_by()
        .values("groups", "age", "work_readiness", "in_view", "reached")
        .annotate(people=Count("pk"), n_placed=Count("pk", filter=Q(placed=True)))
    )


def region_matches(start: date, end: date, split: date) -> dict[int, tuple[int, int]]:
    """Every region's matches before ``split`` and from it on, in one query (the one
    definition of a match, for all regions)."""
    rows = (
        transitions(Filters(start, end), "matches")
        .order_by()
        .values("candidate__region_id")
        .annotate(
            before=Count("id", filter=Q(occurred_on__lt=split), distinct=True),
            during=Count("id", filter=Q(occurred_on__gte=split), distinct=True),
        )
    )
    return {r["candidate__region_id"]: (r["before"], r["during"]) for r in rows}


@dataclass
class NetEffect:
    """Both estimates of a plan, as shown, up to ``until`` (None: no completed quarter)."""

    until: date | None
    matched: Shown
    did: Shown
    #: The period before the plan the DiD compares with (as long as the plan so far).
    before: tuple[date, date] | None = None
    min_cell: int = 0
    #: When it was computed (the dashboard keeps it for CACHE_SECONDS and says when).
    computed_at: datetime | None = None

    @property
    def matched_method(self) -> str:
        return matched_method()

    @property
    def did_method(self) -> str:
        return did_method()

    @property
    def unmatched(self) -> str:
        return unmatched_text(self.matched)


def net_effect(plan, *, today: date | None = None, cap: date | None = None) -> NetEffect:
    """The plan's net effect up to the end of its last completed quarter (by ``cap``, a
    report's quarter's end). A plan without activities holding services or training, or
    whose activities reached nobody, has no comparison-group estimate ("no_evidence")."""
    today = today or timezone.localdate()
    until = counted_until(plan, today, cap)
    if until is None:
        return NetEffect(None, Shown("no_evidence"), Shown("no_evidence"), min_cell=min_cell())
    offers = plan_offers(plan)
    matched = stratified_estimate(strata(plan, until, offers)) if offers else None
    length = (until - plan.period_start).days + 1
    before = (plan.period_start - timedelta(days=length), plan.period_start - timedelta(days=1))
    per_region = region_matches(before[0], until, plan.period_start)
    own = per_region.pop(plan.region_id, (0, 0))
    did = did_estimate(own[0], own[1], per_region.values())
    return NetEffect(
        until=until,
        matched=show_matched(matched),
        did=show_did(did),
        before=before,
        min_cell=min_cell(),
        computed_at=timezone.now(),
    )


#: How long the dashboard keeps a plan's net effect. Computing it reads every person in view
#: in the region (2.6 s for 60,000 people, docs/monitoring.md), and it counts only to the end
#: of a completed quarter, which changes only when a hire is dated back into it.
CACHE_SECONDS = 15 * 60


def cached_net_effect(plan, *, today: date) -> NetEffect:
    """:func:`net_effect` for the dashboard, kept for :data:`CACHE_SECONDS` per plan version
    and day; the page says when it was computed."""
    key = f"monitoring:net-effect:{plan.pk}:{plan.version}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = net_effect(plan, today=today)
        cache.set(key, found, CACHE_SECONDS)
    return found
