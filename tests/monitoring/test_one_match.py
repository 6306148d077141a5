"""#19 item 5: one definition of a match — a placement of a person of the region caused by a
hire recorded in the platform, dated by the start of work — and the same number for the
same period on every page, file and API answer that shows it."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from perspectief.accounts.actor import actor_for
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory
from .helpers import last_quarter, plan_input, transition


@pytest.mark.django_db
def test_a_settled_quarter_has_one_match_count_everywhere(client, world, make_member, gemeente):
    year, quarter, day, first, last = last_quarter()
    manager = make_member("programmamanager")
    plan = plan_save(
        actor=actor_for(manager),
        data=plan_input(gemeente, period_start=first, period_end=first + timedelta(days=700)),
    )
    plan_set_status(actor=actor_for(manager), plan=plan, status="active")
    for _i in range(6):
        transition(CandidateFactory(), "geplaatst", day)
    # Not matches of this region in this quarter: a placement without a recorded hire, a
    # person of another region, a hire whose work started the day before the quarter.
    transition(CandidateFactory(), "geplaatst", day, cause="route")
    rotterdam = world.rotterdam.postcodes.first()
    for _i in range(6):  # (enough for the ministry's table to show both regions)
        transition(CandidateFactory(postcode=rotterdam), "geplaatst", day)
    transition(CandidateFactory(), "geplaatst", first - timedelta(days=1))
    expected = 6
    label = str(indicators.LABELS["matches"])
    period = {"start": str(first), "end": str(last)}

    sign_in(client, manager.user)
    dashboard = client.get(reverse("monitoring:dashboard"), period)
    cards = {key: n for key, _label, n in dashboard.context["cards"]}
    funnel = {row["key"]: row["value"] for row in dashboard.context["funnel"]}
    chart = sum(b["value"] for b in dashboard.context["chart"]["bars"])
    progress = client.get(reverse("monitoring:dashboard")).context["progress"].matches
    asked = {"region": "AM18", "from": str(first), "until": str(last)}
    api = client.get("/api/v1/indicators", asked)
    export = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}), period)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    xlsx = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:export", kwargs={"fmt": "xlsx"}), period).content)
    )
    sheet = xlsx.worksheets[0]
    xlsx_matches = next(r[5].value for r in sheet.iter_rows(min_row=2) if r[4].value == label)
    report = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    drawn = [text for page in pdf.pages(report.content) for text in page]
    in_report = next(drawn[i + 1] for i, text in enumerate(drawn) if text == label)

    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get(reverse("monitoring:national"), {"quarter": f"{year}-{quarter}"})
    am18 = next(values for region, values in national.context["rows"] if region.code == "AM18")
    national_matches = am18[list(indicators.KEYS).index("matches")]
    trend = client.get(reverse("monitoring:national-trend"))
    trend_row = next(row for row, _chart in trend.context["rows"] if row.code == "AM18")
    national_api = client.get("/api/v1/indicators", {"region": "AM18"}).json()
    ministry_report = client.get(
        reverse(
            "monitoring:national-report", kwargs={"code": "AM18", "year": year, "quarter": quarter}
        )
    )
    drawn = [text for page in pdf.pages(ministry_report.content) for text in page]
    in_ministry_report = next(drawn[i + 1] for i, text in enumerate(drawn) if text == label)

    assert cards["matches"] == expected
    assert funnel["matches"] == expected  # the funnel's step is the same number
    assert chart == expected  # the months of the chart add up to it
    assert progress == expected  # the plan's "matches in the plan's period so far"
    assert api.json()["counts"]["matches"] == expected
    assert {r[4]: r[5] for r in rows[1:9]}[label] == str(expected)
    assert xlsx_matches == expected
    assert in_report == str(expected)
    assert national_matches == expected
    assert trend_row.cells[-1].matches == expected
    assert national_api["counts"]["matches"] == expected
    assert in_ministry_report == str(expected)
    # The trend page labels what it counts.
    assert re.search(r"placements recorded in the platform|plaatsingen", trend.content.decode())
