"""The quarterly progress report of a region (PDF, drawn by the app with ReportLab) and the
exports of the dashboard's numbers (CSV, XLSX), with the same disclosure rules as the pages.

The report follows the programme's quarterly progress collection: the region and quarter,
the action plan as in force, the results of the quarter and since the plan started, the
additional matches against the baseline and the ambition, the activities with budget and
spend, the Werkgeversservicepunt, and the plan's revisions in the quarter with their reasons.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.dates import short_date

from . import disclosure, indicators
from .models import ActionPlan, PlanRevision, Spend
from .plans import plan_during


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValueError("quarter")
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


@dataclass
class PlanVersion:
    """The plan as in force at the end of a quarter: its last version by then, read back from
    the revision history. A plan recorded only after the quarter had no version then: it
    is shown as it is now, and says so."""

    region_id: int
    title: str
    period_start: date
    period_end: date
    version: int
    status: str
    lead: str
    employer_lead: str
    ambition: int
    baseline: int | None
    budget: Decimal
    #: name, kind, owner, status (as shown) and budget of each activity
    activities: list[dict]
    #: recorded only after the quarter: shown as it is now
    recorded_later: bool = False


def plan_as_of(plan: ActionPlan, day: date) -> PlanVersion:
    from .constants import ActivityKind, ActivityStatus, PlanStatus
    from .plans import snapshot

    revisions = plan.revisions.order_by("version")
    revision = revisions.filter(revised_at__date__lte=day).last()
    later = revision is None  # recorded only after the quarter: as it is now
    if later:
        revision = revisions.last()
    version = revision.snapshot if revision else snapshot(plan)
    start, end = (date.fromisoformat(d) for d in version["period"])
    return PlanVersion(
        region_id=plan.region_id,
        title=version["title"],
        period_start=start,
        period_end=end,
        version=revision.version if revision else plan.version,
        status=str(PlanStatus(version["status"]).label),
        lead=version["lead"],
        employer_lead=version["employer_lead"],
        ambition=version["ambition"],
        baseline=version["baseline"],
        budget=Decimal(version["budget"]),
        activities=[
            {
                **a,
                "kind": str(ActivityKind(a["kind"]).label),
                "status": str(ActivityStatus(a["status"]).label),
                "budget": Decimal(a["budget"]),
            }
            for a in version["activities"]
        ],
        recorded_later=later,
    )


@dataclass
class Quarterly:
    region: object
    year: int
    quarter: int
    start: date
    end: date
    suppressed: bool
    plan: PlanVersion | None
    #: (label, this quarter, since the plan's start or 1 January)
    results: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    progress: indicators.Progress | None = None
    activities: list[dict] = field(default_factory=list)
    wsp: dict = field(default_factory=dict)
    revisions: list[PlanRevision] = field(default_factory=list)
    since: date | None = None
    #: Why the numbers can still change (empty: the quarter has settled).
    provisional: str = ""
    made_on: date | None = None


def quarterly(region, year: int, quarter: int, *, suppressed: bool) -> Quarterly:
    start, end = quarter_bounds(year, quarter)
    today = timezone.localdate()
    plan = plan_during(region.pk, start, end)
    until = min(end, today)
    in_force = plan_as_of(plan, until) if plan else None
    since = in_force.period_start if in_force else date(year, 1, 1)
    if suppressed:
        # Aggregates only: the region's row of the national table (with its secondary
        # suppression), and no totals since a date, which would give a hidden quarter away
        # by subtracting the previous report's.
        _regions, shown, _totals = disclosure.national_table(start, until)
        quarter_counts = shown[region.code]
        cumulative = {k: None for k in indicators.KEYS}
    else:
        quarter_counts = indicators.counts(indicators.Filters(start, until, region_id=region.pk))
        cumulative = indicators.counts(indicators.Filters(since, until, region_id=region.pk))
    data = Quarterly(
        region=region,
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        suppressed=suppressed,
        plan=in_force,
        since=since,
        results=[
            (str(indicators.LABELS[k]), quarter_counts[k], cumulative[k]) for k in indicators.KEYS
        ],
        wsp=indicators.wsp(region.pk, start, until),
        provisional=provisional_reason(end, today),
        made_on=today,
    )
    if suppressed:
        for key in [k for k in data.wsp if k.startswith("bulk_")]:
            data.wsp.pop(key)
    if plan is not None and not suppressed:
        data.progress = indicators.progress(in_force, today=until)
    if plan is not None:
        # The activities of that version, with what was spent on them by the quarter's end.
        named = {a.name: a for a in plan.activities.all()}
        for activity in in_force.activities:
            spend = Spend.objects.filter(activity=named.get(activity["name"]), spent_on__lte=end)
            data.activities.append(
                {
                    **activity,
                    "spent": spend.aggregate(s=Sum("amount"))["s"] or Decimal(0),
                    "spent_quarter": spend.filter(spent_on__gte=start).aggregate(s=Sum("amount"))[
                        "s"
                    ]
                    or Decimal(0),
                }
            )
        data.revisions = list(
            plan.revisions.filter(revised_at__date__gte=start, revised_at__date__lte=end)
            .select_related("revised_by")
            .order_by("version")
        )
    return data


def provisional_reason(end: date, today: date) -> str:
    """Why a quarter's numbers are provisional, or "" once it has settled (the rule the
    ministry's numbers wait for: ``DISCLOSURE_SETTLE_DAYS`` after the quarter's end)."""
    if today <= end:
        return _("The quarter is still running (until %(end)s): the numbers will change.") % {
            "end": short_date(end)
        }
    if disclosure.provisional(end, today):
        return _(
            "The quarter has ended, but records dated back into it can still arrive until "
            "%(day)s: the numbers can still change."
        ) % {"day": short_date(disclosure.settles_on(end) - timedelta(days=1))}
    return ""


def report_filename(region, year: int, quarter: int, provisional: bool) -> str:
    mark = "-voorlopig" if provisional else ""
    return f"voortgangsrapportage-{region.code}-{year}-K{quarter}{mark}.pdf"


def _n(value) -> str:
    return disclosure.MARK if value is None else str(value)


def _euro(value) -> str:
    text = f"{Decimal(value):,.2f}"
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def _dec(value) -> str:
    """A number with one decimal as Dutch writes it (9,1)."""
    return f"{value:.1f}".replace(".", ",")


def render_pdf(data: Quarterly) -> bytes:
    """The report as a PDF (A4), in the active language."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    title = _("Quarterly progress report Perspectief op Werk")
    mark = _("PROVISIONAL") if data.provisional else ""
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} {data.region.code} {data.year}-Q{data.quarter}"
        + (f" ({mark})" if mark else ""),
        author="Perspectief",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    small = styles["BodyText"].clone("small", fontSize=9, leading=11)
    head = styles["BodyText"].clone("head", fontSize=9, leading=11, fontName="Helvetica-Bold")

    def table(rows, widths=None):
        rows = [[Paragraph(str(c), head) if isinstance(c, str) else c for c in rows[0]], *rows[1:]]
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(grid)
        return t

    p = styles["BodyText"]
    sections = iter(range(1, 10))

    def heading(text):
        """Sections are numbered as they appear (the ministry's report has fewer)."""
        return Paragraph(f"{next(sections)}. {text}", styles["Heading3"])

    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            _("%(region)s — %(year)s, quarter %(q)s (%(start)s to %(end)s)")
            % {
                "region": f"{data.region.code} {data.region.name}",
                "year": data.year,
                "q": data.quarter,
                "start": short_date(data.start),
                "end": short_date(data.end),
            },
            styles["Heading2"],
        ),
        Paragraph(
            _("Counted from the platform's records on %(day)s.")
            % {"day": short_date(timezone.localdate())}
            + (
                " "
                + _(
                    "Aggregates only, for the quarter: x marks a number under %(n)s, or one "
                    "that could be worked out from a total."
                )
                % {"n": disclosure.min_cell()}
                if data.suppressed
                else ""
            ),
            p,
        ),
        Spacer(1, 4 * mm),
        heading(_("The action plan")),
    ]
    plan = data.plan
    if plan is None:
        story.append(Paragraph(_("The region has no action plan for this quarter."), p))
    else:
        story.append(
            table(
                [
                    [_("Plan"), plan.title],
                    [
                        _("Period"),
                        f"{short_date(plan.period_start)} – {short_date(plan.period_end)}",
                    ],
                    [_("Version"), f"{plan.version} ({plan.status})"],
                    *(
                        [[_("Recorded"), _("after this quarter: shown as it is now")]]
                        if plan.recorded_later
                        else []
                    ),
                    [_("Lead (centrumgemeente)"), plan.lead],
                    [_("Employers' representative"), plan.employer_lead],
                    [_("Ambition"), _("%(n)s extra matches a year") % {"n": plan.ambition}],
                    [_("Budget"), _euro(plan.budget)],
                ],
                [62 * mm, 108 * mm],
            )
        )
    since = _("since %(day)s") % {"day": short_date(data.since)}
    story += [
        Spacer(1, 4 * mm),
        heading(_("Results")),
        table(
            [[_("Indicator"), _("This quarter"), since]]
            + [[label, _n(q), _n(c)] for label, q, c in data.results],
            [90 * mm, 40 * mm, 40 * mm],
        )
        if not data.suppressed
        else table(
            [[_("Indicator"), _("This quarter")]]
            + [[label, _n(q)] for label, q, _c in data.results],
            [120 * mm, 50 * mm],
        ),
    ]
    if data.progress is not None:
        pr = data.progress
        story += [
            Spacer(1, 4 * mm),
            heading(_("Additional matches against the ambition")),
            table(
                [
                    [_("Measure"), _("Number")],
                    [
                        _("Matches in the plan's period so far"),
                        str(pr.matches),
                    ],
                    [_("Expected without the plan (baseline)"), _dec(pr.expected_baseline)],
                    [
                        _("Additional matches"),
                        _dec(pr.additional),
                    ],
                    [_("Ambition by now"), _dec(pr.ambition_to_date)],
                    [_("Ambition over the whole plan"), _dec(pr.ambition_total)],
                ],
                [110 * mm, 60 * mm],
            ),
        ]
    if data.activities:
        story += [
            Spacer(1, 4 * mm),
            heading(_("Activities, budget and spend")),
            table(
                [
                    [
                        _("Activity"),
                        _("Status"),
                        _("Budget"),
                        _("Spent in the quarter"),
                        _("Spent in all"),
                    ]
                ]
                + [
                    [
                        Paragraph(
                            f"{a['name']}<br/><font size=7>{a['kind']} · {a['owner']}</font>", small
                        ),
                        a["status"],
                        _euro(a["budget"]),
                        _euro(a["spent_quarter"]),
                        _euro(a["spent"]),
                    ]
                    for a in data.activities
                ],
                [62 * mm, 22 * mm, 30 * mm, 28 * mm, 28 * mm],
            ),
        ]
    w = data.wsp
    story += [
        Spacer(1, 4 * mm),
        heading(_("Werkgeversservicepunt")),
        table(
            [
                [_("Measure"), _("Number")],
                [_("Requests of employers"), str(w.get("requests", 0))],
                [
                    _("Answered within the promised time"),
                    f"{w.get('on_time', 0)} / {w.get('answered', 0)}",
                ],
                [
                    _("First contact (median hours)"),
                    "—" if w.get("median_hours") is None else str(w["median_hours"]),
                ],
                # Places filled are people placed: not for aggregate-only readers, whose
                # numbers about people all come from the national table.
                *(
                    []
                    if data.suppressed
                    else [
                        [
                            _("Bulk requests: places filled"),
                            f"{w.get('bulk_filled', 0)} / {w.get('bulk_places', 0)}",
                        ],
                        [
                            _("of which via the platform (hires)"),
                            str(w.get("bulk_via_platform", 0)),
                        ],
                        [
                            _("of which outside the platform"),
                            Paragraph(
                                "<br/>".join(
                                    [
                                        str(w.get("bulk_outside", 0)),
                                        *(
                                            f"{label}: {n}"
                                            for label, n in w.get("bulk_outside_reasons", [])
                                        ),
                                    ]
                                ),
                                small,
                            ),
                        ],
                    ]
                ),
            ],
            [110 * mm, 60 * mm],
        ),
        Spacer(1, 4 * mm),
        heading(_("Revisions of the plan in this quarter")),
    ]
    if data.revisions:
        story.append(
            table(
                [[_("Version"), _("Date"), _("Reason")]]
                + [
                    [
                        str(r.version),
                        short_date(timezone.localtime(r.revised_at).date()),
                        Paragraph(r.reason, small),
                    ]
                    for r in data.revisions
                ],
                [20 * mm, 25 * mm, 125 * mm],
            )
        )
    else:
        story.append(Paragraph(_("None."), p))
    made_on = short_date(data.made_on or timezone.localdate())

    def every_page(canvas, document):
        """A provisional report says so at the top of every page, with the reason; every
        page says in its footer the day it was made (the numbers are of that day)."""
        width, height = A4
        canvas.saveState()
        if mark:
            canvas.setFillColor(colors.HexColor("#b00020"))
            canvas.setFont("Helvetica-Bold", 11)
            canvas.drawString(18 * mm, height - 10 * mm, mark)
            after = 18 * mm + canvas.stringWidth(mark, "Helvetica-Bold", 11) + 3 * mm
            canvas.setFont("Helvetica", 8)
            lines = simpleSplit(data.provisional, "Helvetica", 8, width - 18 * mm - after)
            for i, line in enumerate(lines[:2]):
                canvas.drawString(after, height - 10 * mm - i * 9, line)
        canvas.setFillColor(colors.black)
        canvas.setFont("Helvetica", 8)
        footer = _("Made on %(day)s · page %(n)s") % {"day": made_on, "n": document.page}
        if mark:
            canvas.setFont("Helvetica-Bold", 8)
            canvas.drawString(18 * mm, 8 * mm, mark)
            canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - 18 * mm, 8 * mm, footer)
        canvas.restoreState()

    # Drawn when the page is done, so that the page's text begins with its own content.
    doc.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)],
                onPageEnd=every_page,
                pagesize=A4,
            )
        ]
    )
    doc.build(story)
    return buffer.getvalue()


# --- exports --------------------------------------------------------------------------------


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel opens UTF-8 with a BOM


def as_xlsx(rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([("" if v is None else v) for v in row])
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
