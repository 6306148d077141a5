"""A region's numbers below region level — per municipality, target group, sector,
occupation or activity — for its own staff, with disclosure control that holds across
every page, export and API answer that shows them.

The region's staff see the region's own numbers exactly, for any period. A narrowed
number could give a small group away by subtraction: the region's 14 minus municipality
A's 12 leaves municipality B's 2. So every narrowed number comes from **one table per
dimension and completed quarter**: every value of the dimension × every indicator,
suppressed as one table against the region's total of that quarter
(:func:`perspectief.core.disclosure.suppress_columns` with ``total_published``). The card
for municipality A, A's row in the breakdown, the export and the API all read the same
suppressed cell, and the region's total minus the shown cells leaves at least two hidden
ones.

One dimension at a time: a municipality combined with a target group would be a cell of a
table that was never protected against the municipality's own number.

Totals since the plan's start per target group, sector or activity are sums of these
quarterly cells, shown only when every quarter in them is shown: the difference of two
running totals would otherwise give a hidden quarter away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from perspectief.candidates.constants import TargetGroup
from perspectief.core.disclosure import min_cell, suppress_columns
from perspectief.monitoring.constants import AmbitionDimension
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.plans import plan_during
from perspectief.monitoring.selectors.progress import pro_rata
from perspectief.monitoring.services.publishing import kept, published
from perspectief.regions.models import Municipality, Region
from perspectief.taxonomy.models import Sector


class NarrowingError(ValueError):
    """More than one narrowing dimension was asked for."""


@dataclass
class Table:
    """One dimension's suppressed table for one completed quarter."""

    dimension: str
    start: date
    end: date
    labels: dict
    cells: dict  # value → {indicator: n or None (hidden)}
    #: a value not in the table: nothing counted (0, hidden with a hidden column), or, for
    #: activities, not counted at all (None)
    counted: bool = True

    def values(self, value) -> dict[str, int | None]:
        if value in self.cells:  # an indicator added since it was published: not in it
            return dict.fromkeys(indicators.KEYS) | self.cells[value]
        keys = next(iter(self.cells.values())).keys() if self.cells else indicators.KEYS
        return {k: 0 if self.counted and not self.hidden(k) else None for k in keys}

    def hidden(self, key: str) -> bool:
        """Whether the whole column is hidden (too few in all of it)."""
        return bool(self.cells) and all(cells[key] is None for cells in self.cells.values())

    def column(self, key: str) -> list[tuple[object, str, int | None]]:
        """(value, label, n) of the values with something to show. The shown numbers first,
        largest first, then the hidden ones by name: the order gives nothing away. Nothing
        where the whole column is hidden (which values have people is not to be told)."""
        if self.hidden(key):
            return []
        rows = [(v, self.labels[v], cells[key]) for v, cells in self.cells.items()]
        rows = [row for row in rows if row[2] != 0]
        return sorted(rows, key=lambda r: (r[2] is None, -(r[2] or 0), r[1]))


def _universe(dimension: str, region_id) -> list:
    """The values a dimension's table always lists (occupations: too many; asked one by one)."""
    if dimension == "municipality":
        return [
            *Municipality.objects.filter(region_id=region_id).values_list("pk", flat=True),
            None,
        ]
    if dimension == "target_group":
        return [*TargetGroup.values, None]
    if dimension == "sector":
        return [*Sector.objects.values_list("code", flat=True), None]
    return []


def _published_table(scope: str, dimension: str, start: date, end: date, compute, **kwargs):
    """A table of a settled quarter as first published (``compute`` → {"rows": [[value,
    label, cells], …]}: JSON keeps the values' types (ids, codes, null) in a list, not as
    object keys)."""
    return _table(dimension, start, end, published(scope, dimension, start, end, compute), **kwargs)


def _table(dimension: str, start: date, end: date, content: dict, **kwargs) -> Table:
    """The :class:`Table` of a published table's content."""
    rows = content["rows"]
    return Table(
        dimension=dimension,
        start=start,
        end=end,
        labels={value: label for value, label, _cells in rows},
        cells={value: cells for value, _label, cells in rows},
        **kwargs,
    )


def _scope(region_id) -> str:
    return Region.objects.filter(pk=region_id).values_list("code", flat=True).first() or "?"


def region_table(region_id, start: date, end: date, dimension: str, *, scope=None) -> Table:
    """One dimension's table of the region for a completed quarter, as first published."""

    def compute():
        f = indicators.Filters(start, end, region_id=region_id)
        raw = indicators.by_dimension(f, dimension)
        # Every value the dimension has, with or without people: which values have any
        # would otherwise show through where a whole column is hidden (one listed
        # municipality of a region's 3 matches has them all).
        missing = [v for v in _universe(dimension, region_id) if v not in raw]
        labels = indicators.labels_of(dimension, missing)
        raw.update({v: (labels[v], dict.fromkeys(indicators.KEYS, 0)) for v in missing})
        shown, _totals = suppress_columns(
            {value: counts for value, (_label, counts) in raw.items()},
            indicators.KEYS,
            total_published=True,
        )
        return {"rows": [[value, raw[value][0], cells] for value, cells in shown.items()]}

    return _published_table(scope or _scope(region_id), dimension, start, end, compute)


def activity_table(region_id, start: date, end: date, *, scope=None) -> Table:
    """The activities of the plan for a completed quarter, as first published.

    Activities are not a split of the region: a person's route can use the services of
    several, or of none, and the plan decides what they hold. So each activity's number
    is protected on its own against the region's total: hidden when it, or the rest of the
    region beside it, is under the threshold. Two activities of a plan never share a
    service (services.activities.activity_save), so one cannot be subtracted from another;
    and the table is published whole, with the activities of the quarter's plan at that
    moment (:func:`plan_during`): an activity or plan made later — which might share
    services with these — gets no number for a quarter already published (None: not
    counted)."""

    def compute():
        plan = plan_during(region_id, start, end)
        activities = list(plan.activities.order_by("name", "id")) if plan else []
        region = indicators.counts(indicators.Filters(start, end, region_id)) if activities else {}

        def clear(n: int, total: int) -> bool:
            return all(part == 0 or part >= min_cell() for part in (n, total - n))

        rows = []
        for activity in activities:
            f = indicators.Filters(start, end, region_id=region_id, activity=activity)
            counts = indicators.counts(f)
            rows.append(
                [
                    activity.pk,
                    activity.name,
                    {k: n if clear(n, region[k]) else None for k, n in counts.items()},
                ]
            )
        return {"rows": rows}

    return _published_table(
        scope or _scope(region_id), "activity", start, end, compute, counted=False
    )


def the_narrowing(f: indicators.Filters) -> tuple[str, object] | None:
    """The one (dimension, value) the filters narrow the region by, or None."""
    asked = f.narrowing()
    if len(asked) > 1:
        raise NarrowingError(asked)
    return asked[0] if asked else None


def describe(f: indicators.Filters) -> str:
    """ "Municipality: Amsterdam" for the filters' narrowing ("" for the region itself)."""
    narrowing = the_narrowing(f)
    if narrowing is None:
        return ""
    dimension, value = narrowing
    label = indicators.labels_of(dimension, [value])[value]
    return f"{indicators.DIMENSIONS[dimension]}: {label}"


@dataclass
class Since:
    """A sum of quarterly cells: ``value`` None when a quarter in it is hidden."""

    value: int | None
    start: date  # the first day of the first quarter
    end: date  # the last day of the last completed quarter


class Tables:
    """The suppressed tables of one region, each computed once (per request)."""

    def __init__(self, region_id):
        self.region_id = region_id
        self._made: dict = {}
        self._scope: str | None = None

    def _scoped(self) -> str:
        self._scope = self._scope or _scope(self.region_id)
        return self._scope

    def preload(self, keys) -> None:
        """Read the tables among ``keys`` ((dimension, first day, last day) of completed
        quarters) that were published already in one query, instead of one query each as
        :meth:`get` asks for them; the others are computed (and published) by :meth:`get`."""
        wanted = [key for key in keys if key not in self._made]
        if not wanted:
            return
        for (dimension, start, end), content in kept(self._scoped(), wanted).items():
            self._made[(dimension, start, end)] = _table(
                dimension, start, end, content, counted=dimension != "activity"
            )

    def get(self, dimension: str, start: date, end: date) -> Table:
        key = (dimension, start, end)
        if key not in self._made:
            self._scoped()
            self._made[key] = (
                activity_table(self.region_id, start, end, scope=self._scope)
                if dimension == "activity"
                else region_table(self.region_id, start, end, dimension, scope=self._scope)
            )
        return self._made[key]

    def counts(self, f: indicators.Filters) -> dict[str, int | None]:
        """The narrowed numbers of the filters' completed quarter (or the region's own,
        exact, for the filters' period when they do not narrow)."""
        narrowing = the_narrowing(f)
        if narrowing is None:
            return dict(indicators.counts(f))
        dimension, value = narrowing
        assert f.quarter is not None  # set by the views and indicator_query before counts
        return self.get(dimension, *f.quarter).values(value)

    @staticmethod
    def quarters(start: date, end: date, today: date) -> list[tuple[date, date]]:
        """(first day, last day) of the completed quarters that overlap ``start``-``end``
        and had ended by ``today``, oldest first."""
        done: list[tuple[date, date]] = []
        years = max(timezone.localdate().year - start.year, 0) + 1
        for year, quarter in completed_quarters(4 * years):
            first, last = quarter_bounds(year, quarter)
            if last < start:
                break
            if first <= end and last <= today:
                done.insert(0, (first, last))
        return done

    def since(
        self, dimension: str, value, key: str, start: date, end: date, today: date
    ) -> Since | None:
        """The cells of the quarters that overlap ``start``-``end`` (a plan's period, its
        first and last quarter whole) and had ended by ``today``, added up; None when no
        such quarter has ended yet."""
        done = self.quarters(start, end, today)
        self.preload((dimension, *bounds) for bounds in done)
        if dimension == "activity":  # only the quarters it was counted in (its plan's)
            done = [bounds for bounds in done if value in self.get(dimension, *bounds).cells]
        if not done:
            return None
        cells = [self.get(dimension, *bounds).values(value)[key] for bounds in done]
        shown = [n for n in cells if n is not None]
        total = sum(shown) if len(shown) == len(cells) else None
        return Since(total, done[0][0], done[-1][1])


def ambition_parts(plan, tables: Tables, *, today: date) -> list[dict]:
    """The plan's ambition per target group or sector against the matches realised in it,
    in the completed quarters since the plan started (gross: the baseline is not split)."""
    rows = []
    for part in plan.ambitions.all():
        dimension = "target_group" if part.dimension == AmbitionDimension.TARGET_GROUP else "sector"
        since = tables.since(
            dimension, part.key, "matches", plan.period_start, plan.period_end, today
        )
        to_date = None
        if since:
            to_date = pro_rata(plan, part.matches, min(since.end, plan.period_end))
        rows.append(
            {
                "part": part,
                "matches": since.value if since else None,
                "since": since,
                "ambition_to_date": to_date,
            }
        )
    return rows


def activity_matches(plan, budget: dict, tables: Tables, *, today: date) -> Since | None:
    """Adds to each row of :func:`perspectief.monitoring.selectors.progress.budget` the
    matches its activity's services contributed to in the completed quarters of the plan;
    returns the quarters counted."""
    since = None
    for row in budget["rows"]:
        activity = row["activity"].pk
        since = tables.since(
            "activity", activity, "matches", plan.period_start, plan.period_end, today
        )
        row["matches"] = since.value if since else None
    return since
