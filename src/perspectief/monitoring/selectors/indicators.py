"""Indicators of Perspectief op Werk, computed from what happens in the platform, never
typed in: the dated journey transitions, hires and the support plans behind them.

Definitions (a period is inclusive, by the date a thing happened):

- *in view*, *work-ready*, *in training*, *ready for placement*: people who reached that
  status in the period (each person once);
- *matches*: placements in the period (a transition to *geplaatst* caused by a recorded
  hire, dated by its start of work; a placement without a hire behind it is not counted);
  *durable*: placements whose six months in work were full in the period and that someone
  who knows confirmed (dated the day the six months were full); *not confirmed*: placements
  whose six months were full in the period (up to today) that nobody confirmed nor ended
  (never counted as durable); *dropped out*: drop-outs recorded in the period (these four
  count events);
- *additional matches*: matches minus the baseline (the region's own level before the plan)
  for the same length of time; measured against the ambition for that length of time (see
  :mod:`perspectief.monitoring.selectors.progress`).

Every number can be drilled down to the transitions behind it (:func:`transitions`).
"""

from __future__ import annotations

import dataclasses
import statistics
import uuid as uuid_lib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import JourneyStatus, TargetGroup, TransitionCause
from perspectief.candidates.models import JourneyTransition
from perspectief.core.dates import add_months
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import Proposal
from perspectief.monitoring.models import PlanActivity
from perspectief.regions.models import Municipality
from perspectief.routes.constants import DURABLE_MONTHS, StepStatus
from perspectief.routes.constants import PlanStatus as SupportPlanStatus
from perspectief.routes.models import RouteStep, SupportPlan
from perspectief.taxonomy.models import Occupation, Sector

S = JourneyStatus

#: (key, status reached, label, counts people (True) or events (False))
INDICATORS = (
    ("in_view", S.IN_VIEW, _("in view"), True),
    ("work_ready", S.WORK_READY, _("work-ready"), True),
    ("in_training", S.IN_TRAINING, _("in training"), True),
    ("placeable", S.PLACEABLE, _("ready for placement"), True),
    ("matches", S.PLACED, _("matches (placements)"), False),
    ("durable", S.DURABLE, _("durable placements (6 months)"), False),
    # Not a transition: placements past six months without a confirmation (not_confirmed()).
    ("not_confirmed", None, _("not confirmed after 6 months"), False),
    ("dropped_out", S.DROPPED_OUT, _("dropped out"), False),
)
KEYS = tuple(key for key, *_rest in INDICATORS)
STATUS = {key: status for key, status, *_rest in INDICATORS}
LABELS = {key: label for key, _status, label, _people in INDICATORS}
PEOPLE = {key: people for key, _status, _label, people in INDICATORS}
_KEY_OF = {status: key for key, status in STATUS.items() if status is not None}


@dataclass
class Filters:
    start: date
    end: date
    region_id: int | None = None  # None: all regions
    municipality_id: int | None = None
    target_group: str = ""
    sector: str = ""  # SBI section code: matches in places of that sector
    occupation_id: int | None = None  # matches in places of that occupation
    activity: PlanActivity | None = None  # people whose route used its services
    #: The completed quarter (first day, last day) numbers below region level are for.
    quarter: tuple[date, date] | None = None

    def shifted(self, start: date, end: date) -> Filters:
        return dataclasses.replace(self, start=start, end=end)

    def narrowing(self) -> list[tuple[str, object]]:
        """(dimension, value) of every narrowing below the region asked for."""
        asked = (
            ("municipality", self.municipality_id),
            ("target_group", self.target_group or None),
            ("sector", self.sector or None),
            ("occupation", self.occupation_id),
            ("activity", self.activity.pk if self.activity is not None else None),
        )
        return [(dimension, value) for dimension, value in asked if value is not None]


def _hires_in(f: Filters) -> list[str] | None:
    """References (proposal uuids) of hires in places of the sector/occupation asked."""
    if not (f.sector or f.occupation_id):
        return None
    hires = Proposal.objects.filter(status=ProposalStatus.HIRED)
    if f.sector:
        hires = hires.filter(vacancy__employer__sector__code=f.sector)
    if f.occupation_id:
        hires = hires.filter(vacancy__occupation_id=f.occupation_id)
    return [str(u) for u in hires.values_list("uuid", flat=True)]


#: A placement counts only with a recorded hire behind it, durable work only when confirmed.
COUNTED_CAUSE = {S.PLACED: TransitionCause.HIRE, S.DURABLE: TransitionCause.DURABLE}


def transitions(f: Filters, key: str | None = None):
    """The transitions behind the indicators (one indicator with ``key``; for
    *not confirmed*: the hires of those placements)."""
    if key == "not_confirmed":
        qs = JourneyTransition.objects.filter(
            to_status=S.PLACED, cause=TransitionCause.HIRE, reference__any_of=_unconfirmed_refs(f)
        )
    else:
        qs = JourneyTransition.objects.filter(occurred_on__gte=f.start, occurred_on__lte=f.end)
        for status, cause in COUNTED_CAUSE.items():
            qs = qs.exclude(Q(to_status=status) & ~Q(cause=cause))
        if key is not None:
            qs = qs.filter(to_status=STATUS[key])
    qs = _of_people(qs, f)
    refs = _hires_in(f)
    if refs is not None:
        qs = qs.filter(to_status=S.PLACED, reference__any_of=refs)  # thousands: one array
    return qs.distinct()


def _of_people(qs, f: Filters):
    """Records of people (``candidate``) narrowed to the filters' region, municipality,
    target group and plan activity: one rule for transitions and support plans."""
    if f.region_id is not None:
        qs = qs.filter(candidate__region_id=f.region_id)
    if f.municipality_id is not None:
        qs = qs.filter(candidate__postcode__municipality_id=f.municipality_id)
    if f.target_group:
        qs = qs.filter(candidate__target_group_rows__group=f.target_group)
    if f.activity is not None:
        offers = list(f.activity.offers.values_list("pk", flat=True))
        qs = qs.filter(candidate_id__in=took_part(offers).values("route__candidate_id"))
    return qs


def took_part(offers):
    """The steps through which people took part in a plan's activity: a step of their route
    that uses one of its services or training (``offers``: their ids) and was not stopped.
    The one link from an activity to its people — the activity's matches on the dashboard
    and the net effect's people reached (:mod:`.net_effect`) both follow it."""
    return RouteStep.objects.filter(offer_id__in=offers).exclude(status=StepStatus.STOPPED)


def _unconfirmed(f: Filters, candidates: list | None = None):
    """Support plans whose six months in work were full in the period (up to today) and
    that nobody confirmed nor ended, narrowed as the transitions are: the plans.
    ``candidates``: :func:`_unconfirmed_candidates` of a period around this one (read
    once for several periods), else they are read for this one."""
    until = min(f.end, timezone.localdate())
    if until < f.start or _matches_only(f):
        return []
    if candidates is None:
        candidates = _unconfirmed_candidates(f)
    return [
        (pk, ref)
        for pk, started_on, ref in candidates
        if f.start <= add_months(started_on, DURABLE_MONTHS) <= until
    ]


def _matches_only(f: Filters) -> bool:
    """Narrowed by the place hired into (sector, occupation): only matches are counted."""
    return bool(f.sector or f.occupation_id)


def _unconfirmed_candidates(f: Filters) -> list[tuple[int, date, str]]:
    """(pk, start, reference) of the open support plans that may have had their six months
    full in the period: read with a few days' margin (month ends differ), exact after."""
    until = min(f.end, timezone.localdate())
    plans = SupportPlan.objects.filter(
        status=SupportPlanStatus.ACTIVE,
        started_on__gte=add_months(f.start, -DURABLE_MONTHS) - timedelta(days=4),
        started_on__lte=add_months(until, -DURABLE_MONTHS) + timedelta(days=4),
    )
    plans = _of_people(plans, f)
    rows = plans.distinct().values_list("pk", "started_on", "proposal__uuid", "outside_hire__uuid")
    return [
        (pk, started_on, str(proposal or outside or ""))
        for pk, started_on, proposal, outside in rows
    ]


def _unconfirmed_refs(f: Filters) -> list[str]:
    return [ref for _pk, ref in _unconfirmed(f) if ref]


def not_confirmed(f: Filters) -> int:
    return len(_unconfirmed(f))


#: The counts already made on this page, by filters (see :func:`one_page`).
_COUNTED: ContextVar[dict | None] = ContextVar("indicator_counts", default=None)


@contextmanager
def one_page() -> Iterator[None]:
    """Within it, :func:`counts` of the same filters is counted once: a page shows the
    region's numbers of a period in its cards, its plan's progress and its plan year, all
    read from the same records in the same request."""
    token = _COUNTED.set({})
    try:
        yield
    finally:
        _COUNTED.reset(token)


def _counted_key(f: Filters) -> tuple:
    """What the counts depend on: the period, the region and every narrowing below it (not
    the quarter, which only the tables below region level read)."""
    return (f.start, f.end, f.region_id, *f.narrowing())


def counts(f: Filters) -> dict[str, int]:
    """Every indicator for the filters: the transitions in one query, and the placements
    not confirmed after six months (once per filters within :func:`one_page`)."""
    made = _COUNTED.get()
    if made is None:
        return _counts([f])[0]
    key = _counted_key(f)
    if key not in made:
        made[key] = _counts([f])[0]
    return dict(made[key])


def prefetch(wanted: list[Filters]) -> None:
    """Within :func:`one_page`: count the periods of ``wanted`` that are not counted yet,
    those with the same region and narrowing in one query (one read of the region's
    transitions instead of one per period); :func:`counts` then finds them made."""
    made = _COUNTED.get()
    if made is None:
        return
    groups: dict[tuple, dict[tuple, Filters]] = {}
    for f in wanted:
        key = _counted_key(f)
        if key not in made:
            groups.setdefault(key[2:], {})[key] = f
    for group in groups.values():
        for key, found in zip(group, _counts(list(group.values())), strict=True):
            made[key] = found


def _counts(fs: list[Filters]) -> list[dict[str, int]]:
    """The counts of each of ``fs`` (the same region and narrowing, any periods): the
    transitions of all their periods read once, each period's counted apart in it."""
    start, end = min(f.start for f in fs), max(f.end for f in fs)
    aggregates = {}
    for i, f in enumerate(fs):
        within = Q(occurred_on__gte=f.start, occurred_on__lte=f.end)
        aggregates[f"events{i}"] = Count("id", filter=within, distinct=True)
        aggregates[f"people{i}"] = Count("candidate", filter=within, distinct=True)
    around = fs[0].shifted(start, end)
    rows = transitions(around).order_by().values("to_status")
    by_status = {r["to_status"]: r for r in rows.annotate(**aggregates)}
    plans = _unconfirmed_candidates(around) if len(fs) > 1 and not _matches_only(around) else None
    made = []
    for i, f in enumerate(fs):
        out = {}
        for key, status, _label, people in INDICATORS:
            row = by_status.get(status)
            out[key] = 0 if row is None else row[f"{'people' if people else 'events'}{i}"]
        out["not_confirmed"] = len(_unconfirmed(f, plans))
        made.append(out)
    return made


def match_rows(f: Filters) -> list[tuple[date, str, datetime | None]]:
    """(date, reference, the person's registration) of each match of the filters, ordered
    as :func:`transitions` are; within :func:`one_page` read once for the widest period
    asked with :func:`prefetch_matches` (the chart, the lead time and the instruments all
    read the same matches)."""
    made = _COUNTED.get()
    key = ("matches", *_counted_key(f)[2:])  # the region and narrowing, any period
    if made is not None and key in made:
        start, end, rows = made[key]
        if start <= f.start and f.end <= end:
            return [row for row in rows if f.start <= row[0] <= f.end]
    rows = list(
        transitions(f, "matches").values_list("occurred_on", "reference", "candidate__created_at")
    )
    if made is not None:
        made[key] = (f.start, f.end, rows)
    return rows


@contextmanager
def through_the_people() -> Iterator[None]:
    """PostgreSQL plans the reads inside with ``random_page_cost`` 1.1 (the usual value for
    SSDs and a database that fits in memory) instead of the default 4. With the default it
    reads every placement of the country in the period by the status index and keeps the
    region's (0.4-0.6 s a dashboard with a million people); at 1.1 it reads the few
    transitions of each of the region's people through the person's index (0.1 s). Only
    the plan changes, never what is counted; the value is back to the default after."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        yield
        cursor.execute("SET LOCAL random_page_cost TO DEFAULT")


def prefetch_matches(f: Filters) -> None:
    """Within :func:`one_page`: read the matches of ``f`` once for :func:`match_rows` of
    any period inside it."""
    if _COUNTED.get() is not None:
        match_rows(f)


def by_month(f: Filters, key: str = "matches") -> list[tuple[date, int]]:
    """The indicator per calendar month of the period (months without any: 0)."""
    if key == "matches":
        days = [on for on, _ref, _created in match_rows(f)]
    else:
        days = list(transitions(f, key).values_list("occurred_on", flat=True))
    seen = Counter(day.replace(day=1) for day in days)
    months, cursor = [], f.start.replace(day=1)
    while cursor <= f.end:
        months.append((cursor, seen.get(cursor, 0)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


#: The dimensions a region's numbers can be narrowed by, one at a time (see
#: :mod:`perspectief.monitoring.selectors.breakdowns`).
DIMENSIONS = {
    "municipality": _("Municipality"),
    "target_group": _("Target group"),
    "sector": _("Sector"),
    "occupation": _("Occupation"),
    "activity": _("Activity of the plan"),
}

#: The path from a transition (or a support plan) to the person's value of a dimension.
_PERSON_FIELD = {
    "municipality": "candidate__postcode__municipality_id",
    "target_group": "candidate__target_group_rows__group",
}
#: The path from a hire to the value of the place hired into.
_PLACE_FIELD = {
    "sector": "vacancy__employer__sector__code",
    "occupation": "vacancy__occupation_id",
}


def by_dimension(f: Filters, dimension: str) -> dict[object, tuple[str, dict[str, int]]]:
    """Every indicator per value of one dimension: ``{value: (label, {key: n})}``.

    The values are what :class:`Filters` narrows by (a municipality's or occupation's id, a
    target group, an SBI section code); ``None`` collects what has none (no postcode, no
    target group, a placement without a recorded hire). Municipality, sector and occupation
    split the region's numbers without overlap; a person can be in more than one target
    group and then counts in each. Sector and occupation are of the place hired into: they
    count matches only. (Activities: see breakdowns.activity_table.)"""
    if dimension in _PERSON_FIELD:
        values = _by_person(f, dimension)
    elif dimension in _PLACE_FIELD:
        values = _by_place(f, dimension)
    else:
        raise ValueError(dimension)
    labels = labels_of(dimension, values)
    return {value: (labels[value], n) for value, n in values.items()}


def _by_person(f: Filters, dimension: str) -> dict[object, dict[str, int]]:
    """Every indicator per municipality or target group of the people counted."""
    field = _PERSON_FIELD[dimension]
    rows = (
        transitions(f)
        .order_by()
        .values(field, "to_status")
        .annotate(events=Count("id", distinct=True), people=Count("candidate", distinct=True))
    )
    inside = None
    if dimension == "municipality" and f.region_id is not None:
        # A postcode outside the region counts as "unknown": a municipality elsewhere
        # would be a row of one or two people.
        inside = set(
            Municipality.objects.filter(region_id=f.region_id).values_list("pk", flat=True)
        )
    values: dict[object, dict[str, int]] = {}
    for r in rows:
        key = _KEY_OF.get(r["to_status"])
        if key is not None:
            value = r[field] if inside is None or r[field] in inside else None
            out = values.setdefault(value, dict.fromkeys(KEYS, 0))
            out[key] += r["people" if PEOPLE[key] else "events"]
    for value in _unconfirmed_by(f, field):
        value = value if inside is None or value in inside else None
        out = values.setdefault(value, dict.fromkeys(KEYS, 0))
        out["not_confirmed"] += 1
    return values


def _by_place(f: Filters, dimension: str) -> dict[object, dict[str, int]]:
    """Matches per sector or occupation of the place hired into."""
    # (id, reference): transitions() is distinct, and the references alone would be too.
    placed = [
        ref for _id, ref in transitions(f, "matches").order_by().values_list("id", "reference")
    ]
    ids = []
    for ref in placed:
        try:
            ids.append(uuid_lib.UUID(ref))
        except ValueError:
            continue
    into = {
        str(u): value
        for u, value in Proposal.objects.filter(
            uuid__in=ids, status=ProposalStatus.HIRED
        ).values_list("uuid", _PLACE_FIELD[dimension])
    }
    per = Counter(into.get(ref) for ref in placed)
    return {value: {**dict.fromkeys(KEYS, 0), "matches": n} for value, n in per.items()}


def _unconfirmed_by(f: Filters, field: str) -> list:
    """The value of ``field`` (a path from the transition) of each placement not confirmed."""
    ids = [pk for pk, _ref in _unconfirmed(f)]
    if not ids:
        return []
    rows = SupportPlan.objects.filter(pk__in=ids).values_list("pk", field).distinct()
    return [value for _pk, value in rows]


def _names(dimension: str, known: list) -> dict:
    """The names of the known values of a dimension (one query at most)."""
    if dimension == "municipality":
        return dict(Municipality.objects.filter(pk__in=known).values_list("pk", "name"))
    if dimension == "target_group":
        return {k: str(v) for k, v in TargetGroup.choices}
    if dimension == "sector":
        return dict(Sector.objects.filter(code__in=known).values_list("code", "name"))
    if dimension == "occupation":
        return dict(Occupation.objects.filter(pk__in=known).values_list("pk", "label_nl"))
    return dict(PlanActivity.objects.filter(pk__in=known).values_list("pk", "name"))


def labels_of(dimension: str, values) -> dict:
    """The names of a dimension's values (one query), for tables and exports."""
    names = _names(dimension, [v for v in values if v is not None])
    unknown = {
        "municipality": _("unknown or outside the region"),
        "target_group": _("no target group"),
    }.get(dimension, _("unknown"))
    return {v: str(unknown) if v is None else names.get(v) or str(v) for v in values}


def lead_time_days(f: Filters) -> float | None:
    """Median days from registration to placement, for placements in the period."""
    rows = [(on, created) for on, _ref, created in match_rows(f)]
    # Records taken over from an earlier system can be registered here after they were
    # placed; they say nothing about the lead time and are left out.
    days = [(on - created.date()).days for on, created in rows if created is not None]
    days = [d for d in days if d >= 0]
    return float(statistics.median(days)) if days else None


def funnel(values: dict[str, int | None]) -> list[dict]:
    """The steps of the journey with the conversion from the first step, from the numbers
    as shown: no share where either number is hidden (it would give the hidden one away)."""
    first = values["in_view"] or None
    steps = []
    for key in ("in_view", "work_ready", "in_training", "placeable", "matches", "durable"):
        value = values[key]
        share = round(100 * value / first) if first is not None and value is not None else None
        steps.append({"key": key, "label": LABELS[key], "value": value, "share": share})
    return steps
