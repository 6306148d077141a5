"""How a submitted questionnaire's answers read: money as the plan page writes it, "from
the platform" only after a number, dates with the month abbreviated, and no tag badge
that repeats its question."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from perspectief.support.models import Question


def _line(figure, number, *, text="Spend", tag=""):
    question = Question(text=text, kind="platform", figure=figure, tag=tag)
    answer = SimpleNamespace(number=number, suppressed=False, computed_on=date(2026, 12, 7))
    return SimpleNamespace(question=question, answer=answer, preview=None)


def test_money_is_written_as_on_the_plan_page_and_the_source_follows_a_number():
    with translation.override("en"):
        shown = render_to_string(
            "support/_lines.html",
            {"lines": [_line("spend", Decimal(160000)), _line("ambition", None)]},
        )
    assert "€ 160,000.00" in shown and "160000" not in shown
    assert shown.count("from the platform, computed on 7 Dec 2026") == 1
    assert "no plan in force" in shown and "computed on 7 Dec 2026" in shown


def test_the_tag_badge_is_left_out_where_it_repeats_the_question():
    with translation.override("nl"):
        assert Question(text="Knelpunten", tag="knelpunten").tag_badge == ""
    with translation.override("en"):
        assert Question(text="Bottlenecks ", tag="knelpunten").tag_badge == ""
        assert Question(text="Wat liep vast?", tag="knelpunten").tag_badge == "bottlenecks"
    assert Question(text="Wat liep vast?").tag_badge == ""
