"""Indicators of Perspectief op Werk, computed from what happens in the platform, never
typed in: the dated journey transitions, hires, the plan's activities and spend, the
Werkgeversservicepunt's requests and bulk requests.

Definitions (a period is inclusive, by the date a thing happened):

- *in view*, *work-ready*, *in training*, *ready for placement*: people who reached that
  status in the period (each person once);
- *matches*: placements in the period (a transition to *geplaatst*: a recorded hire dated by
  its start of work, or set by hand); *durable*: placements that reached six months in work
  in the period; *dropped out*: drop-outs recorded in the period (these three count events);
- *additional matches*: matches minus the baseline (the region's own level before the plan)
  for the same length of time; measured against the ambition for that length of time.

Every number can be drilled down to the transitions behind it (:func:`transitions`).
"""

from __future__ import annotations

import dataclasses
import statistics
import uuid as uuid_lib
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import JourneyStatus
from perspectief.candidates.models import JourneyTransition

S = JourneyStatus

#: (key, status reached, label, counts people (True) or events (False))
INDICATORS = (
    ("in_view", S.IN_VIEW, _("in view"), True),
    ("work_ready", S.WORK_READY, _("work-ready"), True),
    ("in_training", S.IN_TRAINING, _("in training"), True),
    ("placeable", S.PLACEABLE, _("ready for placement"), True),
    ("matches", S.PLACED, _("matches (placements)"), False),
    ("durable", S.DURABLE, _("durable placements (6 months)"), False),
    ("dropped_out", S.DROPPED_OUT, _("dropped out"), False),
)
KEYS = tuple(key for key, *_rest in INDICATORS)
STATUS = {key: status for key, status, *_rest in INDICATORS}
LABELS = {key: label for key, _status, label, _people in INDICATORS}
PEOPLE = {key: people for key, _status, _label, people in INDICATORS}


@dataclass
class Filters:
    start: date
    end: date
    region_id: int | None = None  # None: all regions
    municipality_id: int | None = None
    target_group: str = ""
    sector: str = ""  # SBI section code: matches in places of that sector
    occupation_id: int | None = None  # matches in places of that occupation
    activity: object = None  # PlanActivity: people whose route used its services
    #: The completed quarter (first day, last day) numbers below region level are for.
    quarter: tuple[date, date] | None = None

    def shifted(self, start: date, end: date) -> Filters:
        return dataclasses.replace(self, start=start, end=end)


def _hires_in(f: Filters) -> list[str] | None:
    """References (proposal uuids) of hires in places of the sector/occupation asked."""
    if not (f.sector or f.occupation_id):
        return None
    from perspectief.matching.constants import ProposalStatus
    from perspectief.matching.models import Proposal

    hires = Proposal.objects.filter(status=ProposalStatus.HIRED)
    if f.sector:
        hires = hires.filter(vacancy__employer__sector__code=f.sector)
    if f.occupation_id:
        hires = hires.filter(vacancy__occupation_id=f.occupation_id)
    return [str(u) for u in hires.values_list("uuid", flat=True)]


def transitions(f: Filters, key: str | None = None):
    """The transitions behind the indicators (one indicator with ``key``)."""
    qs = JourneyTransition.objects.filter(occurred_on__gte=f.start, occurred_on__lte=f.end)
    if key is not None:
        qs = qs.filter(to_status=STATUS[key])
    if f.region_id is not None:
        qs = qs.filter(candidate__region_id=f.region_id)
    if f.municipality_id is not None:
        qs = qs.filter(candidate__postcode__municipality_id=f.municipality_id)
    if f.target_group:
        qs = qs.filter(candidate__target_group_rows__group=f.target_group)
    if f.activity is not None:
        from perspectief.routes.constants import StepStatus

        offers = list(f.activity.offers.values_list("pk", flat=True))
        qs = qs.filter(
            Q(candidate__route__steps__offer_id__in=offers)
            & ~Q(candidate__route__steps__status=StepStatus.STOPPED)
        )
    refs = _hires_in(f)
    if refs is not None:
        qs = qs.filter(to_status=S.PLACED, reference__in=refs)
    return qs.distinct()


def counts(f: Filters) -> dict[str, int]:
    """Every indicator for the filters, in one query."""
    rows = (
        transitions(f)
        .order_by()
        .values("to_status")
        .annotate(events=Count("id", distinct=True), people=Count("candidate", distinct=True))
    )
    by_status = {r["to_status"]: r for r in rows}
    out = {}
    for key, status, _label, people in INDICATORS:
        row = by_status.get(status)
        out[key] = 0 if row is None else row["people" if people else "events"]
    return out


def by_month(f: Filters, key: str = "matches") -> list[tuple[date, int]]:
    """The indicator per calendar month of the period (months without any: 0)."""
    seen = Counter(
        day.replace(day=1) for day in transitions(f, key).values_list("occurred_on", flat=True)
    )
    months, cursor = [], f.start.replace(day=1)
    while cursor <= f.end:
        months.append((cursor, seen.get(cursor, 0)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def breakdown(f: Filters, key: str, dimension: str) -> list[tuple[str, str, int]]:
    """The indicator per municipality, target group, sector or occupation: (code, label, n)."""
    qs = transitions(f, key).order_by()
    measure = Count("candidate", distinct=True) if PEOPLE[key] else Count("id", distinct=True)
    if dimension == "municipality":
        rows = qs.values(
            "candidate__postcode__municipality__code", "candidate__postcode__municipality__name"
        ).annotate(n=measure)
        return sorted(
            (
                (
                    r["candidate__postcode__municipality__code"] or "",
                    r["candidate__postcode__municipality__name"] or str(_("unknown")),
                    r["n"],
                )
                for r in rows
            ),
            key=lambda t: (-t[2], t[1]),
        )
    if dimension == "target_group":
        from perspectief.candidates.constants import TargetGroup

        rows = qs.values("candidate__target_group_rows__group").annotate(n=measure)
        labels = dict(TargetGroup.choices)
        return sorted(
            (
                (
                    r["candidate__target_group_rows__group"] or "",
                    str(labels.get(r["candidate__target_group_rows__group"], _("no target group"))),
                    r["n"],
                )
                for r in rows
            ),
            key=lambda t: (-t[2], t[1]),
        )
    if dimension in ("sector", "occupation") and key == "matches":
        from perspectief.matching.models import Proposal

        refs = list(qs.values_list("reference", flat=True))
        ids = []
        for ref in refs:
            try:
                ids.append(uuid_lib.UUID(ref))
            except ValueError:
                continue
        field = (
            ("vacancy__employer__sector__code", "vacancy__employer__sector__name")
            if dimension == "sector"
            else ("vacancy__occupation__uri", "vacancy__occupation__label_nl")
        )
        rows = Proposal.objects.filter(uuid__in=ids).values(*field).annotate(n=Count("id"))
        return sorted(
            ((r[field[0]] or "", r[field[1]] or str(_("unknown")), r["n"]) for r in rows),
            key=lambda t: (-t[2], t[1]),
        )
    raise ValueError(dimension)


def lead_time_days(f: Filters) -> float | None:
    """Median days from registration to placement, for placements in the period."""
    rows = transitions(f, "matches").values_list("occurred_on", "candidate__created_at")
    # Records taken over from an earlier system can be registered here after they were
    # placed; they say nothing about the lead time and are left out.
    days = [(on - created.date()).days for on, created in rows if created is not None]
    days = [d for d in days if d >= 0]
    return float(statistics.median(days)) if days else None


def funnel(f: Filters) -> list[dict]:
    """The steps of the journey in the period with the conversion from the first step."""
    values = counts(f)
    first = values["in_view"] or None
    return [
        {
            "key": key,
            "label": LABELS[key],
            "value": values[key],
            "share": round(100 * values[key] / first) if first else None,
        }
        for key in ("in_view", "work_ready", "in_training", "placeable", "matches", "durable")
    ]


def _years(start: date, end: date) -> float:
    return max((end - start).days + 1, 0) / 365.25


@dataclass
class Progress:
    """The plan's ambition against what was realised, up to ``until``."""

    until: date
    matches: int
    baseline_per_year: int
    baseline_counted: bool  # counted from the platform (no baseline given in the plan)
    expected_baseline: float
    additional: float
    ambition_to_date: float
    ambition_total: float

    @property
    def share(self) -> int | None:
        if not self.ambition_to_date:
            return None
        return round(100 * self.additional / self.ambition_to_date)


def progress(plan, f: Filters | None = None, *, today: date | None = None) -> Progress:
    today = today or date.today()
    until = min(plan.period_end, today)
    base = f or Filters(plan.period_start, until, region_id=plan.region_id)
    in_plan = base.shifted(plan.period_start, until)
    matches = counts(in_plan)["matches"] if until >= plan.period_start else 0
    baseline = plan.baseline
    counted = baseline is None
    if counted:
        year_before = base.shifted(
            plan.period_start - timedelta(days=365), plan.period_start - timedelta(days=1)
        )
        baseline = counts(year_before)["matches"]
    elapsed = _years(plan.period_start, until) if until >= plan.period_start else 0.0
    expected = baseline * elapsed
    return Progress(
        until=until,
        matches=matches,
        baseline_per_year=baseline,
        baseline_counted=counted,
        expected_baseline=round(expected, 1),
        additional=round(matches - expected, 1),
        ambition_to_date=round(plan.ambition * elapsed, 1),
        ambition_total=round(plan.ambition * _years(plan.period_start, plan.period_end), 1),
    )


def budget(plan) -> dict:
    """Budget, allocation and spend per activity, with the matches each activity's services
    contributed to in the plan's period."""
    activities = plan.activities.select_related("owner").annotate(spent=Sum("spend__amount"))
    today = date.today()
    until = min(plan.period_end, today)
    rows = []
    for activity in activities.order_by("name", "id"):
        f = Filters(plan.period_start, until, region_id=plan.region_id, activity=activity)
        rows.append(
            {
                "activity": activity,
                "budget": activity.budget,
                "spent": activity.spent or Decimal(0),
                "left": activity.budget - (activity.spent or Decimal(0)),
                "matches": counts(f)["matches"] if until >= plan.period_start else 0,
            }
        )
    allocated = sum((r["budget"] for r in rows), Decimal(0))
    spent = sum((r["spent"] for r in rows), Decimal(0))
    return {
        "budget": plan.budget,
        "allocated": allocated,
        "unallocated": plan.budget - allocated,
        "spent": spent,
        "left": plan.budget - spent,
        "rows": rows,
    }


def wsp(region_id, start: date, end: date) -> dict:
    """The Werkgeversservicepunt: response to employers' requests (first contact within the
    promised time) and the fill rate of bulk requests."""
    from perspectief.vacancies.models import EmployerRequest, Vacancy

    requests = EmployerRequest.objects.filter(
        region_id=region_id, created_at__date__gte=start, created_at__date__lte=end
    )
    answered = [
        (r.first_contact_at - r.created_at, r.first_contact_at <= r.due_at)
        for r in requests.exclude(first_contact_at=None).only(
            "created_at", "first_contact_at", "due_at"
        )
    ]
    hours = [delta.total_seconds() / 3600 for delta, _on_time in answered]
    bulk = (
        Vacancy.objects.filter(postcode__municipality__region_id=region_id, phases__isnull=False)
        .distinct()
        .aggregate(places=Sum("places"), filled=Sum("places_filled"))
    )
    return {
        "requests": requests.count(),
        "answered": len(answered),
        "on_time": sum(1 for _d, on_time in answered if on_time),
        "median_hours": round(statistics.median(hours), 1) if hours else None,
        "bulk_places": bulk["places"] or 0,
        "bulk_filled": bulk["filled"] or 0,
        "bulk_fill_rate": round(100 * (bulk["filled"] or 0) / bulk["places"])
        if bulk["places"]
        else None,
    }


def labour_market(region_id, *, limit: int = 30) -> dict:
    """Per occupation: open places in the region against the people available for it
    (matchable, wanting that occupation); per sector: open places. Tight where there are
    more places than people."""
    from django.db.models import F

    from perspectief.candidates.models import Candidate
    from perspectief.vacancies.models import Vacancy

    open_places = Vacancy.objects.filter(
        postcode__municipality__region_id=region_id, status="open"
    ).annotate(free=F("places") - F("places_filled"))
    by_occupation = {
        r["occupation__uri"]: {"label": r["occupation__label_nl"], "places": r["n"] or 0}
        for r in open_places.exclude(occupation=None)
        .order_by()
        .values("occupation__uri", "occupation__label_nl")
        .annotate(n=Sum("free"))
    }
    people = (
        Candidate.objects.matchable()
        .filter(region_id=region_id)
        .exclude(occupations=None)
        .order_by()
        .values("occupations__uri", "occupations__label_nl")
        .annotate(n=Count("id", distinct=True))
    )
    for r in people:
        row = by_occupation.setdefault(
            r["occupations__uri"], {"label": r["occupations__label_nl"], "places": 0}
        )
        row["people"] = r["n"]
    rows = []
    for uri, row in by_occupation.items():
        places, available = row["places"], row.get("people", 0)
        rows.append(
            {
                "uri": uri,
                "label": row["label"],
                "places": places,
                "people": available,
                "tight": places > available,
                "ratio": round(places / available, 1) if available else None,
            }
        )
    rows.sort(key=lambda r: (-(r["places"] + r["people"]), r["label"] or ""))
    sectors = (
        open_places.order_by()
        .values("employer__sector__code", "employer__sector__name")
        .annotate(n=Sum("free"))
        .order_by("-n")
    )
    return {
        "occupations": rows[:limit],
        "sectors": [
            (
                s["employer__sector__code"] or "",
                s["employer__sector__name"] or str(_("unknown")),
                s["n"] or 0,
            )
            for s in sectors
        ],
    }


def ambition_parts(plan, *, today: date | None = None) -> list[dict]:
    """The plan's ambition per target group or sector against the matches realised in it
    since the plan started (the baseline is not split per group, so these are gross)."""
    from .constants import AmbitionDimension

    today = today or date.today()
    until = min(plan.period_end, today)
    elapsed = _years(plan.period_start, until) if until >= plan.period_start else 0.0
    rows = []
    for part in plan.ambitions.all():
        f = Filters(plan.period_start, until, region_id=plan.region_id)
        if part.dimension == AmbitionDimension.TARGET_GROUP:
            f.target_group = part.key
        else:
            f.sector = part.key
        rows.append(
            {
                "part": part,
                "matches": counts(f)["matches"] if elapsed else 0,
                "ambition_to_date": round(part.matches * elapsed, 1),
            }
        )
    return rows
