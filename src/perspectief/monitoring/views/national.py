"""The national comparison for the ministry: the regions side by side per settled quarter,
aggregates only, as a page, a file, and each region's quarterly report."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.disclosure import min_cell
from perspectief.core.policies import requires
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.reports.exports import national_rows, national_sheets
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.national import national_table
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
