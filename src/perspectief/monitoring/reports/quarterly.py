"""The quarterly progress report of a region as a PDF (A4), drawn by the app with
ReportLab's platypus: one function per section, in the order of the programme's quarterly
progress collection — the action plan as in force, the results of the quarter and since the
plan started with the matches per month and the funnel (drawn by :mod:`.charts`), the
additional matches against the baseline and the ambition, the activities with budget, spend
and results, the Werkgeversservicepunt, the plan's revisions in the quarter with their
reasons, and the lessons of the quarter. What it says comes from
:func:`perspectief.monitoring.selectors.quarterly.quarterly`.

Every page says in its footer the day it was made and its number of the whole ("page 2 of
3"); a provisional report says so at the top of every page, with the reason."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from perspectief.core.dates import month_abbr, short_date
from perspectief.core.disclosure import MARK, min_cell
from perspectief.monitoring.reports.charts import funnel_bars, month_bars
from perspectief.monitoring.selectors.quarterly import Quarterly

MARGIN = 18 * mm

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def report_filename(region, year: int, quarter: int, provisional: bool) -> str:
    mark = "-voorlopig" if provisional else ""
    return f"voortgangsrapportage-{region.code}-{year}-K{quarter}{mark}.pdf"


def _n(value) -> str:
    return MARK if value is None else str(value)


def _euro(value) -> str:
    text = f"{Decimal(value):,.2f}"
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def _dec(value) -> str:
    """A number as Dutch writes it: a whole number (a count of matches) as it is, another
    with one decimal (9,1)."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}".replace(".", ",")


class _Kit:
    """The report's styles and building blocks. Sections are numbered as they appear (the
    ministry's report has fewer)."""

    def __init__(self):
        self.styles = getSampleStyleSheet()
        self.body = self.styles["BodyText"]
        self.small = self.body.clone("small", fontSize=9, leading=11)
        self.head = self.body.clone("head", fontSize=9, leading=11, fontName="Helvetica-Bold")
        self._sections = iter(range(1, 10))

    def table(self, rows, widths=None) -> Table:
        """A table with a header row (its texts wrap) repeated on every page it spans."""
        header = [Paragraph(str(c), self.head) if isinstance(c, str) else c for c in rows[0]]
        table = Table([header, *rows[1:]], colWidths=widths, repeatRows=1)
        table.setStyle(GRID)
        return table

    def heading(self, text: str) -> list[Flowable]:
        """The space before a section and its numbered heading."""
        number = next(self._sections)
        return [Spacer(1, 4 * mm), Paragraph(f"{number}. {text}", self.styles["Heading3"])]


def _opening(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """The title, the region and quarter, and the day the numbers were counted."""
    counted = _("Counted from the platform's records on %(day)s.") % {
        "day": short_date(timezone.localdate())
    }
    if data.suppressed:
        counted += " " + _(
            "Aggregates only, for the quarter: x marks a number under %(n)s, or one "
            "that could be worked out from a total."
        ) % {"n": min_cell()}
    subtitle = _("%(region)s — %(year)s, quarter %(q)s (%(start)s to %(end)s)") % {
        "region": f"{data.region.code} {data.region.name}",
        "year": data.year,
        "q": data.quarter,
        "start": short_date(data.start),
        "end": short_date(data.end),
    }
    return [
        Paragraph(_("Quarterly progress report Perspectief op Werk"), kit.styles["Title"]),
        Paragraph(subtitle, kit.styles["Heading2"]),
        Paragraph(counted, kit.body),
    ]


def _plan(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """1. The action plan as in force at the quarter's end."""
    story = kit.heading(_("The action plan"))
    plan = data.plan
    if plan is None:
        return [*story, Paragraph(_("The region has no action plan for this quarter."), kit.body)]
    period = f"{short_date(plan.period_start)} – {short_date(plan.period_end)}"
    later = [[_("Recorded"), _("after this quarter: shown as it is now")]]
    rows = [
        [_("Plan"), plan.title],
        [_("Period"), period],
        [_("Version"), f"{plan.version} ({plan.status})"],
        *(later if plan.recorded_later else []),
        [_("Lead (centrumgemeente)"), plan.lead],
        [_("Employers' representative"), plan.employer_lead],
        [_("Ambition"), _("%(n)s extra matches a year") % {"n": plan.ambition}],
        [_("Budget"), _euro(plan.budget)],
    ]
    return [*story, kit.table(rows, [62 * mm, 108 * mm])]


def _results(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """2. The results of the quarter, and (not for the ministry) since the plan started."""
    story = kit.heading(_("Results"))
    if data.suppressed:
        rows = [[_("Indicator"), _("This quarter")]]
        rows += [[label, _n(q)] for label, q, _c in data.results]
        return [*story, kit.table(rows, [120 * mm, 50 * mm])]
    since = _("since %(day)s") % {"day": short_date(data.since)}
    rows = [[_("Indicator"), _("This quarter"), since]]
    rows += [[label, _n(q), _n(c)] for label, q, c in data.results]
    return [*story, kit.table(rows, [90 * mm, 40 * mm, 40 * mm])]


def _charts(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """The funnel of the quarter and (not for the ministry, which gets numbers per quarter
    only) the matches per month: the dashboard's numbers, drawn."""
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = [
        Spacer(1, 3 * mm),
        Paragraph(_("Funnel: share of the people in view who reached each step"), kit.head),
        Spacer(1, 1 * mm),
        funnel_bars(data.funnel, width),
    ]
    if data.by_month:
        first, last = data.by_month[0][0], data.by_month[-1][0]
        title = _("Matches per month (%(start)s to %(end)s)") % {
            "start": f"{month_abbr(first)} {first.year}",
            "end": f"{month_abbr(last)} {last.year}",
        }
        story += [
            Spacer(1, 3 * mm),
            Paragraph(title, kit.head),
            Spacer(1, 1 * mm),
            month_bars(data.by_month, width),
        ]
    return story


def _additional(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """3. Additional matches against the baseline and the ambition (not for the ministry)."""
    if data.progress is None:
        return []
    pr = data.progress
    rows = [
        [_("Measure"), _("Number")],
        [_("Matches in the plan's period so far"), str(pr.matches)],
        [_("Expected without the plan (baseline)"), _dec(pr.expected_baseline)],
        [_("Additional matches"), _dec(pr.additional)],
        [_("Ambition by now"), _dec(pr.ambition_to_date)],
        [_("Ambition over the whole plan"), _dec(pr.ambition_total)],
    ]
    return [
        *kit.heading(_("Additional matches against the ambition")),
        kit.table(rows, [110 * mm, 60 * mm]),
        *_net_effect(data, kit),
    ]


def _net_effect(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """The net effect beside the additional matches: both estimates with their interval,
    the method in a sentence each, and what they assume."""
    net = data.net_effect
    if net is None:
        return []
    story: list[Flowable] = [Spacer(1, 3 * mm), Paragraph(_("Net effect"), kit.head)]
    if net.until is None:
        text = _(
            "No quarter of the plan has been completed yet: the net effect is counted to the "
            "end of a completed quarter."
        )
        return [*story, Paragraph(text, kit.body)]
    counted = _("Counted from %(start)s to %(end)s, the end of the last completed quarter.") % {
        "start": short_date(data.since),
        "end": short_date(net.until),
    }
    matched = net.matched.text()
    if net.matched.state == "shown":
        matched += " " + _("people placed")
    did = net.did.text()
    if net.did.state == "shown":
        did += " " + _("matches")
    rows = [
        [_("Method"), _("Net effect")],
        [_("Compared with similar people who were not reached"), matched],
        [_("Against the other regions' trend"), did],
    ]
    rows[1:] = [[Paragraph(escape(c), kit.small) for c in row] for row in rows[1:]]
    notes = [net.matched_method, net.unmatched, net.did_method, _assumptions()]
    return [
        *story,
        Paragraph(counted, kit.small),
        kit.table(rows, [70 * mm, 100 * mm]),
        *[Paragraph(escape(note), kit.small) for note in notes if note],
    ]


def _assumptions() -> str:
    return _(
        "Assumed: within each group of comparable people, taking part has nothing to do with "
        "the chance of work apart from the plan; without the plan the region's matches would "
        "have followed the other regions' trend. The interval (%(level)s) shows how far chance "
        "alone could move the number, not a wrong assumption. See docs/monitoring.md, "
        "“Net effect”."
    ) % {"level": "95%"}


def _activities(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """4. The activities with their budget, spend in the quarter and in all."""
    if not data.activities:
        return []
    rows = [[_("Activity"), _("Status"), _("Budget"), _("Spent in the quarter"), _("Spent in all")]]
    for a in data.activities:
        about = f"{escape(a['kind'])} · {escape(a['owner'])}"
        name = f"{escape(a['name'])}<br/><font size=7>{about}</font>"
        if a.get("result"):
            name += "<br/><font size=7>" + escape(_("Result: %(text)s") % {"text": a["result"]})
            name += "</font>"
        rows.append(
            [
                Paragraph(name, kit.small),
                a["status"],
                _euro(a["budget"]),
                _euro(a["spent_quarter"]),
                _euro(a["spent"]),
            ]
        )
    return [
        *kit.heading(_("Activities, budget and spend")),
        kit.table(rows, [62 * mm, 22 * mm, 30 * mm, 28 * mm, 28 * mm]),
    ]


def _bulk_rows(w: dict, kit: _Kit) -> list[list]:
    """The bulk requests' places filled, via the platform and outside it with the reasons."""
    outside = [str(w.get("bulk_outside", 0))]
    outside += [f"{label}: {n}" for label, n in w.get("bulk_outside_reasons", [])]
    return [
        [
            _("Bulk requests: places filled"),
            f"{w.get('bulk_filled', 0)} / {w.get('bulk_places', 0)}",
        ],
        [_("of which via the platform (hires)"), str(w.get("bulk_via_platform", 0))],
        [_("of which outside the platform"), Paragraph("<br/>".join(outside), kit.small)],
    ]


def _wsp(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """5. The Werkgeversservicepunt: its answers to employers and (not for the ministry)
    the bulk requests' places filled."""
    w = data.wsp
    hours = "—" if w.get("median_hours") is None else str(w["median_hours"])
    rows = [
        [_("Measure"), _("Number")],
        [_("Requests of employers"), str(w.get("requests", 0))],
        [
            _("Answered within the promised time"),
            f"{w.get('on_time', 0)} / {w.get('answered', 0)}",
        ],
        [_("First contact (median hours)"), hours],
    ]
    # Places filled are people placed: not for aggregate-only readers, whose numbers about
    # people all come from the national table.
    if not data.suppressed:
        rows += _bulk_rows(w, kit)
    return [*kit.heading(_("Werkgeversservicepunt")), kit.table(rows, [110 * mm, 60 * mm])]


def _revisions(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """6. The plan's revisions in the quarter with their reasons."""
    story = kit.heading(_("Revisions of the plan in this quarter"))
    if not data.revisions:
        return [*story, Paragraph(_("None."), kit.body)]
    rows = [[_("Version"), _("Date"), _("Reason")]]
    rows += [
        [
            str(r.version),
            short_date(timezone.localtime(r.revised_at).date()),
            Paragraph(escape(r.reason or _("no explanation given")), kit.small),
        ]
        for r in data.revisions
    ]
    return [*story, kit.table(rows, [20 * mm, 25 * mm, 125 * mm])]


def _lessons(data: Quarterly, kit: _Kit) -> list[Flowable]:
    """7. The lessons of the quarter, as the apps that keep them contribute them (none: no
    section). The ministry's report has the lessons shared with every region only."""
    if data.lessons is None:
        return []
    story = kit.heading(_("Lessons of this quarter"))
    if not data.lessons:
        return [*story, Paragraph(_("None recorded."), kit.body)]
    rows = [[_("Lesson"), _("Outcome")]]
    for item in data.lessons:
        text = f"<b>{escape(item.title)}</b>"
        if item.text:
            text += f"<br/>{escape(item.text)}"
        rows.append([Paragraph(text, kit.small), Paragraph(escape(item.label), kit.small)])
    return [*story, kit.table(rows, [140 * mm, 30 * mm])]


SECTIONS = (
    _opening,
    _plan,
    _results,
    _charts,
    _additional,
    _activities,
    _wsp,
    _revisions,
    _lessons,
)


class _NumberedCanvas(Canvas):
    """A canvas that holds every page back until the document is done, so that each page
    can say how many pages there are: ``decorate(canvas, total)`` draws what every page
    carries, after the page's own content."""

    def __init__(self, *args, decorate: Callable[[Canvas, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held: list[dict] = []

    def showPage(self):
        """Keep the finished page's state; start the next page."""
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        """Now that the number of pages is known: finish every page, then the file."""
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._decorate(self, total)
            super().showPage()
        super().save()


def _every_page(canvas: Canvas, total: int, *, mark: str, reason: str, made_on: str) -> None:
    """A provisional report says so at the top of every page, with the reason; every page
    says in its footer the day it was made (the numbers are of that day) and its number."""
    width, height = A4
    canvas.saveState()
    if mark:
        canvas.setFillColor(colors.HexColor("#b00020"))
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(MARGIN, height - 10 * mm, mark)
        after = MARGIN + canvas.stringWidth(mark, "Helvetica-Bold", 11) + 3 * mm
        canvas.setFont("Helvetica", 8)
        lines = simpleSplit(reason, "Helvetica", 8, width - MARGIN - after)
        for i, line in enumerate(lines[:2]):
            canvas.drawString(after, height - 10 * mm - i * 9, line)
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 8)
    footer = _("Made on %(day)s · page %(n)s of %(total)s") % {
        "day": made_on,
        "n": canvas.getPageNumber(),
        "total": total,
    }
    if mark:
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(MARGIN, 8 * mm, mark)
        canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - MARGIN, 8 * mm, footer)
    canvas.restoreState()


def render_pdf(data: Quarterly) -> bytes:
    """The report as a PDF (A4), in the active language."""
    buffer = io.BytesIO()
    title = _("Quarterly progress report Perspectief op Werk")
    mark = _("PROVISIONAL") if data.provisional else ""
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} {data.region.code} {data.year}-Q{data.quarter}"
        + (f" ({mark})" if mark else ""),
        author="Perspectief",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=A4)])
    kit = _Kit()
    story = [flowable for section in SECTIONS for flowable in section(data, kit)]
    decorate = functools.partial(
        _every_page,
        mark=mark,
        reason=data.provisional,
        made_on=short_date(data.made_on or timezone.localdate()),
    )
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, decorate=decorate))
    return buffer.getvalue()
