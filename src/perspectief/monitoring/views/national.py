"""The national view for the ministry and the support team: the regions side by side per
settled quarter, aggregates only, as a page, a file, and each region's quarterly report;
and the trend of the last quarters per region, ambition against realised."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.dates import quarter_label
from perspectief.core.disclosure import min_cell
from perspectief.core.policies import requires
from perspectief.monitoring.periods import completed_quarters, quarter_bounds, quarter_containing
from perspectief.monitoring.reports.exports import national_rows, national_sheets
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.national import TrendCell, national_table, trend
from perspectief.monitoring.views.exports import export, report_response
from perspectief.regions.models import Region


def national_quarter(request) -> tuple[int, int]:
    """The completed calendar quarter the ministry asks for (default: the last one)."""
    choices = completed_quarters()
    offered = [f"{year}-{quarter}" for year, quarter in choices]
    raw = params.choice(request, "quarter", offered, default=offered[0])
    return choices[offered.index(raw)]


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_view(request):
    year, quarter = national_quarter(request)
    start, end = quarter_bounds(year, quarter)
    regions, shown, totals = national_table(start, end)
    return render(
        request,
        "monitoring/national/national.html",
        {
            "quarter_options": [(f"{y}-{q}", y, q) for y, q in completed_quarters()],
            "selected": f"{year}-{quarter}",
            "year": year,
            "quarter": quarter,
            "start": start,
            "end": end,
            "rows": [(r, [shown[r.code][k] for k in indicators.KEYS]) for r in regions],
            "totals": [totals[k] for k in indicators.KEYS],
            "labels": [indicators.LABELS[k] for k in indicators.KEYS],
            "min_cell": min_cell(),
        },
    )


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_export_view(request, fmt):
    year, quarter = national_quarter(request)
    start, end = quarter_bounds(year, quarter)
    regions, shown, totals = national_table(start, end)
    return export(
        fmt,
        f"pow-regio-s-{year}-K{quarter}",
        rows=lambda: national_rows(regions, shown, totals),
        sheets=lambda: national_sheets(regions, shown, totals, start, end),
    )


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_report_view(request, code, year, quarter):
    """A region's report for the ministry: completed quarters only, aggregates suppressed."""
    region = get_object_or_404(Region, code=code)
    if (year, quarter) not in completed_quarters(400):
        raise Http404(_("Aggregates come per completed calendar quarter."))
    return report_response(region, year, quarter, suppressed=True)


def trend_chart(cells: list[TrendCell], width: int, height: int, labels: bool) -> dict:
    """Coordinates of an SVG chart of one row of the trend (drawn by the app): a bar per
    quarter for the matches (none where hidden: marked x) and a dashed mark at the matches
    the plan aimed for. The same numbers stand in the table beside it."""
    top = max([c.matches or 0 for c in cells] + [c.target or 0 for c in cells]) or 1
    bottom = height - (18 if labels else 4)
    room = bottom - 12
    step = (width - 8) / max(len(cells), 1)
    out = []
    for i, cell in enumerate(cells):
        x = 4 + i * step
        h = 0.0 if cell.matches is None else room * cell.matches / top
        target = None if cell.target is None else round(bottom - room * cell.target / top, 1)
        year, quarter = quarter_containing(cell.start)
        out.append(
            {
                "cell": cell,
                "label": _("%(y)s quarter %(q)s") % {"y": year, "q": quarter},
                "short": quarter_label(year, quarter),
                "x": round(x + step * 0.2, 1),
                "w": round(step * 0.6, 1),
                "y": round(bottom - h, 1),
                "h": round(h, 1),
                "middle": round(x + step / 2, 1),
                "target": target,
                "target_x1": round(x + step * 0.1, 1),
                "target_x2": round(x + step * 0.9, 1),
            }
        )
    return {"width": width, "height": height, "bottom": bottom, "bars": out, "labels": labels}


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_trend_view(request):
    """Per region, the matches of the last settled quarters against the plan in force
    then, with a chart per region and for the country: each number the region's cell of
    the one suppressed national table."""
    data = trend()
    return render(
        request,
        "monitoring/national/trend.html",
        {
            "trend": data,
            "quarters": [(y, q) for y, q in data.quarters],
            "rows": [(row, trend_chart(row.cells, 200, 48, labels=False)) for row in data.rows],
            "total_chart": trend_chart(data.total.cells, 640, 220, labels=True),
            "min_cell": min_cell(),
        },
    )
