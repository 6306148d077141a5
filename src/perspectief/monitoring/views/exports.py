"""The dashboard's numbers as a file (CSV, XLSX) and the region's quarterly report (PDF):
downloads with the filters and suppression of the pages. The files are made by
:mod:`perspectief.monitoring.reports`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.dates import short_date
from perspectief.core.params import BadParameter
from perspectief.core.policies import requires
from perspectief.core.spreadsheets import Sheet, workbook
from perspectief.monitoring.periods import provisional, quarter_bounds
from perspectief.monitoring.reports.exports import as_csv, dashboard_rows, dashboard_sheets
from perspectief.monitoring.reports.quarterly import render_pdf, report_filename
from perspectief.monitoring.selectors.breakdowns import Tables
from perspectief.monitoring.selectors.plans import plan_for
from perspectief.monitoring.selectors.quarterly import quarterly
from perspectief.monitoring.views.dashboard import breakdowns, dashboard_filters, regional
from perspectief.regions.models import Region

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save, never kept in a cache (it holds the region's numbers)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export(
    fmt: str, name: str, rows: Callable[[], list[list]], sheets: Callable[[], list[Sheet]]
) -> HttpResponse:
    """A CSV download (one list of ``rows``) or an XLSX one (a workbook of ``sheets``);
    another format: 404."""
    if fmt not in EXPORT_TYPES:
        raise Http404()
    content = as_csv(rows()) if fmt == "csv" else workbook(sheets())
    return download(content, EXPORT_TYPES[fmt], f"{name}.{fmt}")


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def export_view(request, fmt):
    """The dashboard's numbers as a file, with the filters and suppression of the page, and
    the region's suppressed tables below region level for the filters' quarter."""
    actor = request.actor
    plan = plan_for(actor.region_id)
    _form, f = dashboard_filters(request, actor.region_id, plan)
    tables = Tables(actor.region_id)
    counts = tables.counts(f)
    region = Region.objects.get(pk=actor.region_id)
    tables_of_quarter = breakdowns(tables, f)
    mark = "-voorlopig" if provisional(f.end) else ""
    return export(
        fmt,
        f"pow-{region.code}-{f.start:%Y%m%d}-{f.end:%Y%m%d}{mark}",
        rows=lambda: dashboard_rows(region, f, counts, tables_of_quarter),
        sheets=lambda: dashboard_sheets(region, f, counts, tables_of_quarter),
    )


def report_response(region, year, quarter, *, suppressed: bool) -> HttpResponse:
    """The quarterly report as a PDF download; a quarter outside 1-4: 404; a quarter that
    has not begun: refused (400) with the day it begins, before anything is counted or
    kept."""
    try:
        start, _end = quarter_bounds(year, quarter)
    except ValueError:
        raise Http404() from None
    if start > timezone.localdate():
        raise BadParameter(
            _(
                "Quarter %(q)s of %(year)s has not begun yet: there is nothing to report. "
                "Its report can be made from %(day)s."
            )
            % {"q": quarter, "year": year, "day": short_date(start)},
            # The quarter is in the path: the page "without these values" would be this one.
            back=(reverse("monitoring:dashboard"), _("Open the dashboard and its reports")),
        )
    data = quarterly(region, year, quarter, suppressed=suppressed)
    return download(
        render_pdf(data),
        "application/pdf",
        report_filename(region, year, quarter, bool(data.provisional)),
    )


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def report_view(request, year, quarter):
    region = get_object_or_404(Region, pk=request.actor.region_id)
    return report_response(region, year, quarter, suppressed=False)
