"""#19 item 5: the national view of the ministry and the support team — per region the
matches of the last settled quarters against the plan in force then, a trend chart and the
national total, every number the region's cell of the one suppressed national table."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perspectief.monitoring.periods import completed_quarters, quarter_bounds, years_between
from perspectief.monitoring.selectors.national import national_table, trend
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from ..conftest import sign_in
from ..factories import CandidateFactory, RegionFactory
from .helpers import plan_input, transition


@pytest.fixture
def history(world, manager, gemeente):
    """AM18 with a plan (baseline 40 a year, ambition 60) from the quarter before the last
    one; matches: 9 in AM18 and 6 in AM22 in the last quarter, 2 in AM22 the one before."""
    (last_y, last_q), (before_y, before_q) = completed_quarters(2)
    last = quarter_bounds(last_y, last_q)
    before = quarter_bounds(before_y, before_q)
    plan = plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=before[0],
            period_end=before[0] + timedelta(days=730),
            ambition=60,
            baseline=40,
        ),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    for _i in range(9):
        transition(CandidateFactory(), "geplaatst", last[0] + timedelta(days=10))
    rotterdam = world.rotterdam.postcodes.first()
    for _i in range(6):
        transition(CandidateFactory(postcode=rotterdam), "geplaatst", last[0] + timedelta(days=3))
    for _i in range(2):
        transition(CandidateFactory(postcode=rotterdam), "geplaatst", before[0] + timedelta(days=3))
    return {"last": last, "before": before, "plan": plan}


@pytest.mark.django_db
def test_the_trend_reads_the_one_suppressed_table(world, history):
    data = trend()
    assert data.quarters == list(reversed(completed_quarters(6)))
    rows = {row.code: row for row in data.rows}
    for i, (year, quarter) in enumerate(data.quarters):
        start, end = quarter_bounds(year, quarter)
        _regions, shown, totals = national_table(start, end)
        for code in ("AM18", "AM22"):
            assert rows[code].cells[i].matches == shown[code]["matches"], (code, year, quarter)
        assert data.total.cells[i].matches == totals["matches"]
    am18, am22 = rows["AM18"].cells, rows["AM22"].cells
    assert (am18[-1].matches, am22[-1].matches, data.total.cells[-1].matches) == (9, 6, 15)
    # The quarter before: AM22's 2 is hidden; no cell of 5 or more to hide with it, so the
    # column goes whole (AM18's 0 and the total too), as on "Regions compared".
    assert am22[-2].matches is None and am18[-2].matches is None
    assert data.total.cells[-2].matches is None
    # The plan in force then: baseline + ambition for the quarter; no plan, no aim.
    share = years_between(*history["last"])
    assert am18[-1].target == pytest.approx((40 + 60) * share, abs=0.1)
    assert am18[-1].ambition == pytest.approx(60 * share, abs=0.1)
    assert rows["AM18"].baseline_from == "plan"
    assert am18[0].target is None and am22[-1].target is None
    # The country: all matches, and beside them the regions with a known aim (AM18).
    assert (data.total.cells[-1].regions, data.total.cells[-1].planned_matches) == (1, 9)
    assert data.total.cells[-1].target == am18[-1].target
    assert data.total.cells[-2].regions == 1 and data.total.cells[-2].planned_matches is None
    assert (data.total.cells[0].regions, data.total.cells[0].target) == (0, None)


@pytest.mark.django_db
def test_the_trend_reads_the_plans_once_not_per_region_and_quarter(
    world, history, django_assert_max_num_queries
):
    """35 regions × 6 quarters once cost a query each for the plan (237 on the demo)."""
    trend()  # the published tables are read and kept once
    with CaptureQueriesContext(connection) as few:
        trend()
    RegionFactory.create_batch(6)
    with django_assert_max_num_queries(len(few)):
        more = trend()
    assert len(more.rows) == len(trend().rows) >= 8


@pytest.mark.django_db
def test_the_trend_page_is_for_the_ministry_and_the_support_team(client, make_member, history):
    url = reverse("monitoring:national-trend")
    for role in ("analist_szw", "ondersteuningsteam"):
        sign_in(client, make_member(role).user)
        response = client.get(url)
        assert response.status_code == 200, role
        body = response.content.decode()
        assert "AM18 Groot Amsterdam" in body and "AM22 Rijnmond" in body
        # The chart says what it shows; the numbers are in the table as well.
        assert 'role="img"' in body and "<desc" in body and "<caption id=" in body
        # At 390 px both tables scroll on their own, named by their caption (walk of #19).
        for caption in ("total-caption", "regions-caption"):
            wrapper = f'<div class="table-scroll" role="region" aria-labelledby="{caption}"'
            assert re.search(
                rf'{wrapper} tabindex="0">\s*<table[^>]*>\s*<caption id="{caption}">', body
            )
        share = years_between(*history["last"])
        aim = round((40 + 60) * share)
        assert re.search(rf"<td>9\s*/ {aim}</td>", body)  # matches / aimed for, last quarter
        assert ">x</abbr>" in body  # AM22's 2, the quarter before
    for role in ("programmamanager", "klantmanager", "accountmanager"):
        sign_in(client, make_member(role).user)
        assert client.get(url).status_code == 403, role
    sign_in(client, make_member("analist_szw").user)
    assert (
        reverse("monitoring:national-trend")
        in client.get(reverse("monitoring:national")).content.decode()
    )
