"""The indicators of a region as ``/api/v1/indicators`` answers them: what a query asks for
(:func:`read_query`) and the answer (:func:`answer`), testable without HTTP.

Regional staff get their own region for any period; the ministry any region, per completed
calendar quarter (default: the last), always with small counts suppressed, and never
narrowed further. Below a region (one narrowing at a time, or ``by`` for a whole table) the
numbers come per completed quarter from the region's suppressed table of that dimension,
for everyone (:mod:`perspectief.monitoring.selectors.breakdowns`). A query that breaks a
rule is a :class:`~django.core.exceptions.ValidationError` naming the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.candidates.constants import TargetGroup
from perspectief.core.disclosure import min_cell
from perspectief.core.ids import parse_uuid
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.periods import completed_quarters, quarter_bounds, quarter_of
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.breakdowns import Tables
from perspectief.monitoring.selectors.national import national_table
from perspectief.regions.models import Municipality, Region
from perspectief.taxonomy.models import Occupation, Sector

#: ``by``: the dimension a whole suppressed table is asked for (one completed quarter).
BY = {
    "municipality": "municipality",
    "targetGroup": "target_group",
    "sector": "sector",
    "activity": "activity",
}

ONE_NARROWING = gettext_lazy(
    "One narrowing at a time: municipality, target group, sector, occupation or activity."
)


@dataclass
class IndicatorQuery:
    """What a query asks for, checked: the region, its filters (period and narrowing) and
    the dimension of a whole table (``by``, "" for none)."""

    region: Region
    national: bool
    filters: indicators.Filters
    by: str = ""

    @property
    def suppressed(self) -> bool:
        """Aggregates only: for the ministry, and below region level for everyone."""
        return self.national or bool(self.filters.narrowing() or self.by)


def _refused(name: str, message) -> ValidationError:
    """A refusal naming the parameter (the API answers it as a 400 with ``invalidParams``)."""
    return ValidationError({name: [message]})


def _date(params: Mapping[str, str], name: str, default: date) -> date:
    """A ``YYYY-MM-DD`` parameter, or ``default`` when it is not given."""
    raw = params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _refused(name, _("invalid date (use YYYY-MM-DD)")) from None


def _period(params: Mapping[str, str], *, national: bool, today: date) -> tuple[date, date]:
    """From and until: for the ministry one completed calendar quarter (default: the last),
    for regional staff any period (default: this year so far)."""
    if national:
        last = quarter_bounds(*completed_quarters(1)[0])
        start, end = _date(params, "from", last[0]), _date(params, "until", last[1])
        if quarter_of(start, end) is None:
            raise _refused(
                "from",
                _(
                    "Per completed calendar quarter only: from is its first day, "
                    "until its last day."
                ),
            )
    else:
        start = _date(params, "from", today.replace(month=1, day=1))
        end = _date(params, "until", today)
    if end < start:
        raise _refused("until", _("lies before the start"))
    return start, end


def _narrow_by_place(f: indicators.Filters, params: Mapping[str, str], region: Region) -> None:
    """Where the people are: their municipality (of the region) or target group."""
    if params.get("municipality"):
        municipality = Municipality.objects.filter(
            code=params["municipality"], region=region
        ).first()
        if municipality is None:
            raise _refused("municipality", _("unknown in this region"))
        f.municipality_id = municipality.pk
    group = params.get("targetGroup") or ""
    if group and group not in TargetGroup.values:
        raise _refused("targetGroup", _("unknown"))
    f.target_group = group


def _narrow_by_work(f: indicators.Filters, params: Mapping[str, str], region: Region) -> None:
    """What they were placed in (sector, occupation) or what paid for it (an activity)."""
    if params.get("sector"):
        if not Sector.objects.filter(code=params["sector"]).exists():
            raise _refused("sector", _("unknown SBI section"))
        f.sector = params["sector"]
    if params.get("occupation"):
        occupation = Occupation.objects.filter(uri=params["occupation"]).first()
        if occupation is None:
            raise _refused("occupation", _("unknown occupation"))
        f.occupation_id = occupation.pk
    if params.get("activity"):
        wanted = parse_uuid(params["activity"])
        activity = (
            PlanActivity.objects.filter(plan__region=region, uuid=wanted).first()
            if wanted is not None
            else None
        )
        if activity is None:
            raise _refused("activity", _("unknown in this region"))
        f.activity = activity


def _by(params: Mapping[str, str]) -> str:
    """The dimension of the whole table asked for with ``by`` ("" for none)."""
    by = params.get("by") or ""
    if by == "occupation":
        raise _refused(
            "by",
            _(
                "Occupations one at a time (occupation=<ESCO URI>): a list would "
                "tell which have people where all are hidden."
            ),
        )
    if by and by not in BY:
        raise _refused("by", _("one of %(choices)s") % {"choices": ", ".join(BY)})
    return BY[by] if by else ""


def _check_narrowing(f: indicators.Filters, by: str, *, national: bool) -> None:
    """Below region level: not for the ministry, one narrowing at a time, and per completed
    calendar quarter only (two overlapping periods would give a hidden number away)."""
    asked = len(f.narrowing()) + bool(by)
    if national and asked:
        raise _refused("region", _("The ministry sees regions per quarter, not narrowed further."))
    if asked > 1:
        raise _refused("by", ONE_NARROWING)
    if asked and quarter_of(f.start, f.end) is None:
        raise _refused(
            "from",
            _(
                "Below region level per completed calendar quarter only: from is "
                "its first day, until its last day."
            ),
        )


def read_query(
    params: Mapping[str, str], *, region: Region, national: bool, today: date
) -> IndicatorQuery:
    """The query's parameters, checked in the order the API has always refused them."""
    start, end = _period(params, national=national, today=today)
    f = indicators.Filters(start, end, region_id=region.pk)
    _narrow_by_place(f, params, region)
    _narrow_by_work(f, params, region)
    by = _by(params)
    _check_narrowing(f, by, national=national)
    f.quarter = (start, end)
    return IndicatorQuery(region=region, national=national, filters=f, by=by)


def _codes(dimension: str, values) -> dict:
    """The codes the API names a dimension's values by (GM code, uuid, the code itself)."""
    ids = [v for v in values if v is not None]
    if dimension == "municipality":
        codes = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "code"))
    elif dimension == "activity":
        codes = {
            pk: str(u)
            for pk, u in PlanActivity.objects.filter(pk__in=ids).values_list("pk", "uuid")
        }
    else:
        codes = {v: v for v in ids}
    return {v: codes.get(v) for v in values}


def _rows(tables: Tables, dimension: str, start: date, end: date) -> list[dict]:
    """The whole suppressed table of one dimension: {value, label, counts} per value."""
    table = tables.get(dimension, start, end)
    codes = _codes(dimension, table.cells)
    return [
        {"value": codes[value], "label": table.labels[value], "counts": cells}
        for value, cells in sorted(table.cells.items(), key=lambda t: table.labels[t[0]])
    ]


def answer(query: IndicatorQuery) -> dict:
    """The answer's body: the counts (the region's row of the national table for the
    ministry, a suppressed cell below region level, else exact), matches per month where
    nothing is suppressed, and the rows of a whole table with ``by`` — read through the
    region's people, as the dashboard reads them (:func:`indicators.through_the_people`)."""
    with indicators.through_the_people():
        return _answer(query)


def _answer(query: IndicatorQuery) -> dict:
    f, region = query.filters, query.region
    tables = Tables(region.pk)
    if query.national:
        # The region's row of the national table, with its secondary suppression.
        _regions, shown, _totals = national_table(f.start, f.end)
        counts = shown[region.code]
    else:
        counts = tables.counts(f)
    body = {
        "region": region.code,
        "start": f.start,
        "end": f.end,
        "suppressed": query.suppressed,
        "minCell": min_cell(),
        "counts": counts,
    }
    if not query.suppressed:
        body["matchesByMonth"] = [
            {"month": m.isoformat()[:7], "matches": n} for m, n in indicators.by_month(f)
        ]
    if query.by:
        body["rows"] = _rows(tables, query.by, f.start, f.end)
    return body
