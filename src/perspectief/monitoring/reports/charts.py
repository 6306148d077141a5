"""The quarterly report's charts, drawn with ReportLab's own graphics (no images, nothing
fetched): matches per month as bars, and the funnel as horizontal bars. Every bar carries
its number as text, so the chart says what it shows without colour and can be read back
from the PDF."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from perspectief.core.dates import month_abbr
from perspectief.core.disclosure import MARK

BAR = colors.HexColor("#2f5d8a")
HIDDEN = colors.HexColor("#c8d3de")
FONT = "Helvetica"


def month_bars(series: list[tuple[date, int]], width: float, height: float = 130) -> Drawing:
    """Matches per month: a bar per month with its number above it and the month (with
    the year under each January and the first month) below."""
    drawing = Drawing(width, height)
    bottom, top_room, left = 26.0, 14.0, 4.0
    top = max((n for _m, n in series), default=0) or 1
    step = (width - left) / max(len(series), 1)
    drawing.add(Line(left, bottom, width, bottom, strokeColor=colors.grey, strokeWidth=0.5))
    for i, (month, n) in enumerate(series):
        h = (height - bottom - top_room) * n / top
        x = left + i * step + step * 0.15
        drawing.add(Rect(x, bottom, step * 0.7, h, fillColor=BAR, strokeColor=None))
        middle = x + step * 0.35
        drawing.add(
            String(middle, bottom + h + 3, str(n), fontName=FONT, fontSize=7, textAnchor="middle")
        )
        drawing.add(
            String(
                middle,
                bottom - 10,
                month_abbr(month),
                fontName=FONT,
                fontSize=7,
                textAnchor="middle",
            )
        )
        if i == 0 or month.month == 1:
            drawing.add(
                String(
                    middle,
                    bottom - 20,
                    str(month.year),
                    fontName=FONT,
                    fontSize=6,
                    textAnchor="middle",
                )
            )
    return drawing


def funnel_bars(steps: list[dict], width: float, label_width: float = 200) -> Drawing:
    """The funnel: a bar per step as long as its share of the people in view, with the
    number and the share beside it ("x" for a hidden number: no bar, no share)."""
    row = 16.0
    drawing = Drawing(width, row * len(steps) + 4)
    first = next((s["value"] for s in steps if s["key"] == "in_view"), None) or 0
    room = width - label_width - 70
    for i, step in enumerate(steps):
        y = drawing.height - (i + 1) * row
        drawing.add(String(0, y + 4, str(step["label"]), fontName=FONT, fontSize=8))
        value = step["value"]
        if value is None:
            drawing.add(Rect(label_width, y + 2, 6, row - 6, fillColor=HIDDEN, strokeColor=None))
            text = MARK
            end = label_width + 6
        else:
            length = room * value / first if first else 0
            drawing.add(Rect(label_width, y + 2, length, row - 6, fillColor=BAR, strokeColor=None))
            share = "" if step["share"] is None else f" ({step['share']}%)"
            text = f"{value}{share}"
            end = label_width + length
        drawing.add(String(end + 4, y + 4, text, fontName=FONT, fontSize=8))
    return drawing
