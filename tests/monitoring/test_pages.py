"""The dashboard, the drill-down and the national comparison: one number on every
page, small numbers suppressed for those who see aggregates only."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.matching.models import Proposal
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.national import national_table
from perspectief.monitoring.selectors.quarterly import quarterly

from .. import pdf
from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import last_quarter, transition


@pytest.mark.django_db
def test_dashboard_drill_down_and_the_national_view(client, world, make_member, gemeente):
    km = make_member("klantmanager")
    ours = [CandidateFactory(served_by=km.organisation, last_name=f"Oost{i}") for i in range(3)]
    theirs = CandidateFactory(served_by=OrganisationFactory(kind="uwv", region=world.am18))
    for person in [*ours, theirs]:
        transition(person, "geplaatst", date.today())
    _y, _q, day, first, last = last_quarter()
    for person in ours[:2]:
        transition(person, "werkfit", day)
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "PoW-dashboard" in body and ">4<" in body  # region level: exact
    # Below the region: per completed quarter, small numbers hidden.
    response = client.get(reverse("monitoring:dashboard"), {"municipality": world.amsterdam.pk})
    narrowed = response.content.decode()
    assert (response.context["filters"].start, response.context["filters"].end) == (first, last)
    assert ">x</abbr>" in narrowed
    # The klantmanager drills down to the people her gemeente serves, not UWV's.
    sign_in(client, km.user)
    response = client.get(reverse("monitoring:drill", kwargs={"key": "matches"}))
    drill = response.content.decode()
    assert all(p.full_name in drill for p in ours) and theirs.last_name not in drill
    assert response.context["hidden"] == 1  # counted, served by UWV: not shown
    # The ministry compares the regions, aggregates only, per completed quarter.
    year, quarter, day, _first, _last = last_quarter()
    for person in ours[:2]:
        transition(person, "duurzaam", day)
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get(reverse("monitoring:national")).content.decode()
    assert "Oost0" not in national and ">x</abbr>" in national
    assert f"/monitoring/national/AM18/report/{year}/{quarter}/" in national
    running = f"{date.today().year}-{(date.today().month - 1) // 3 + 1}"
    assert client.get(reverse("monitoring:national"), {"quarter": running}).status_code == 400


@pytest.mark.django_db
def test_the_ministry_cannot_undo_secondary_suppression_region_by_region(
    client, world, make_member
):
    _year, _quarter, day, first, last = last_quarter()
    amsterdam = OrganisationFactory(kind="gemeente", municipality=world.amsterdam)
    rotterdam = OrganisationFactory(kind="gemeente", municipality=world.rotterdam)
    for _i in range(10):
        transition(CandidateFactory(served_by=amsterdam, region=world.am18), "geplaatst", day)
    for _i in range(3):
        transition(CandidateFactory(served_by=rotterdam, region=world.am22), "geplaatst", day)
    _regions, shown, totals = national_table(first, last)
    # Rijnmond's 3 is hidden, and so is Amsterdam's 10: the total 13 would give it away.
    assert (shown["AM22"]["matches"], shown["AM18"]["matches"], totals["matches"]) == (
        None,
        None,
        13,
    )
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    api = client.get("/api/v1/indicators", {"region": "AM18"}).json()
    assert api["counts"]["matches"] is None
    data = quarterly(world.am18, _year, _quarter, suppressed=True)
    assert (
        dict((label, q) for label, q, _c in data.results)[str(indicators.LABELS["matches"])] is None
    )
    # Narrowing a region further is not for the ministry.
    narrowed = client.get("/api/v1/indicators", {"region": "AM18", "targetGroup": "statushouder"})
    assert narrowed.status_code == 400


@pytest.mark.django_db
def test_matches_are_one_number_on_every_page(client, world, make_member, place):
    """#14 item 4: the matching runs page said 3 where the dashboard said 11. A match is a
    placement (a transition to *geplaatst*), dated by the start of work, of a person of the
    region — on the dashboard, the runs page, the API, the export and the report alike."""
    today = date.today()
    january = today.replace(month=1, day=1)
    km = make_member("klantmanager")

    def hire(person, start, recorded):
        proposal = Proposal.objects.create(
            vacancy=place,
            candidate=person,
            proposed_for=km.organisation,
            status="hired",
            start_date=start,
            outcome_at=recorded,
        )
        transition(person, "geplaatst", start, cause="hire", reference=str(proposal.uuid))

    ours = [CandidateFactory(served_by=km.organisation) for _ in range(4)]
    hire(ours[0], january, timezone.now())
    hire(ours[1], today, timezone.now())
    # Recorded this year, started last year: a match of last year.
    hire(ours[2], january - timedelta(days=3), timezone.now())
    # A placement without a proposal behind it: a placement of the region all the same.
    transition(ours[3], "geplaatst", january + timedelta(days=5))
    # Someone of another region, hired by an employer of this one: that region's match.
    elsewhere = CandidateFactory(postcode=world.rotterdam.postcodes.first())
    hire(elsewhere, january + timedelta(days=2), timezone.now())
    expected = 3  # ours[0], ours[1], ours[3]

    am = make_member("accountmanager")
    sign_in(client, am.user)
    period = {"start": str(january), "end": str(today)}
    dashboard = client.get(reverse("monitoring:dashboard"), period)
    cards = {key: n for key, _label, n in dashboard.context["cards"]}
    runs = client.get(reverse("matching:runs"))
    api = client.get(
        "/api/v1/indicators", {"region": "AM18", "from": str(january), "until": str(today)}
    ).json()
    export = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}), period)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    exported = {r[4]: r[5] for r in rows[1:8]}
    quarter = (today.month - 1) // 3 + 1
    # The report of the running quarter: its "since 1 January" column is the year so far.
    report = client.get(
        reverse("monitoring:report", kwargs={"year": today.year, "quarter": quarter})
    )
    drawn = [text for page in pdf.pages(report.content) for text in page]
    label = str(indicators.LABELS["matches"])
    since = next(drawn[i + 2] for i, text in enumerate(drawn) if text == label)

    assert cards["matches"] == expected
    assert runs.context["matches"] == expected
    assert api["counts"]["matches"] == expected
    assert exported[label] == str(expected)
    assert since == str(expected)
    # The runs page says what it counts, and where else the same number stands.
    page = runs.content.decode()
    assert "matches (plaatsingen) in de regio van 1 januari tot en met" in page
    assert "zoals op het PoW-dashboard" in page
    # A run's suggestions are no matches, and its page says so.
    assert "Een suggestie is geen match" in page
