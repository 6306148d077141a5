"""One computation of "aimed for by now" and "over the whole plan": the dashboard's card,
its table per plan year, the plan page and the quarterly report show the same whole
numbers (walk of #19: the card said 205,4 and 439,7, the table below it 205,5 and 440,0)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from perspectief.core.dates import add_months
from perspectief.monitoring.selectors.progress import whole
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory
from .helpers import plan_input, running_quarter, transition


def test_a_pro_rated_count_is_rounded_half_up():
    assert [whole(x) for x in (0.5, 1.5, 2.5, 205.45, 205.5, 439.7)] == [1, 2, 3, 205, 206, 440]


@pytest.mark.django_db
def test_the_card_the_plan_years_the_plan_page_and_the_report_agree(client, manager, gemeente):
    today = date.today()
    # Two plan years, the first one running for 300 of its days: 220 a year.
    start = today - timedelta(days=299)
    plan = plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=start,
            period_end=start + timedelta(days=729),
            ambition=220,
            baseline=0,
        ),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    for _i in range(5):
        transition(CandidateFactory(served_by=gemeente), "geplaatst", today)
    year_two, year_three = add_months(start, 12), add_months(start, 24)
    year_days = (year_two - start).days
    by_now = round(220 * 300 / year_days)  # never a half: 220 × 300 / 365 (or 366)
    second = (plan.period_end - year_two).days + 1
    second_year = (year_three - year_two).days
    total = 220 + round(220 * second / second_year)

    sign_in(client, manager.user)
    card = gettext("of %(n)s aimed for by now (%(total)s over the whole plan)") % {
        "n": by_now,
        "total": total,
    }
    in_table = gettext("of %(n)s aimed for by now") % {"n": by_now}
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    assert f"<strong>5</strong> {card}" in dashboard
    plan_page = client.get(reverse("monitoring:plan")).content.decode()
    for page in (dashboard, plan_page):
        assert f'<td>{total}</td><td>5</td><td>0</td><td>5 <span class="help">{in_table}' in (
            page.replace("\n", "")
        )
        table = page.split(gettext("Ambition and matches per plan year"))[1].split("</table>")[0]
        assert ",0" not in table and ".0" not in table

    year, quarter = running_quarter()
    report = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    text = [piece for page in pdf.pages(report.content) for piece in page]
    heading = gettext("Additional matches against the ambition")
    after = text[next(i for i, piece in enumerate(text) if piece.endswith(heading)) :]
    for label, value in (
        ("Additional matches", 5),
        ("Ambition by now", by_now),
        ("Ambition over the whole plan", total),
    ):
        assert after[after.index(gettext(label)) + 1] == str(value), label
