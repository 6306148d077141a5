"""#21 item 5 (WCAG 1.4.11): the focus indicator has at least 3:1 against white and the page's
light grey band: the dark inner ring of the double focus ring in perspectief.css."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "src/perspectief/static/css/perspectief.css"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_on_white_and_on_the_grey_band():
    css = CSS.read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    rule = re.search(r":focus-visible\s*\{([^}]*)\}", css)[1]
    assert "var(--focus-ring)" in rule, rule
    ring = colours["focus-ring"]
    assert contrast(ring, colours["bg"]) >= 3
    assert contrast(ring, colours["band"]) >= 3
    # The yellow alone (the old ring) is not enough on white: the test can tell.
    assert contrast(colours["focus"], "#ffffff") < 3
    # The yellow outer ring stands out on the dark-blue header.
    assert contrast(colours["focus"], colours["brand"]) >= 3
