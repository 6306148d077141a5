"""The demo's two years of history (#19, item 7): Groot Amsterdam's dashboard breakdowns,
and the national view and trend, show real numbers — the small ones suppressed — made of
hires recorded as the services record them; deterministic and idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from perspectief.accounts.models import User
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import Candidate, JourneyTransition
from perspectief.core.disclosure import min_cell
from perspectief.demo.candidates import Generator
from perspectief.demo.catalogue import create_demo_offers
from perspectief.demo.history import create_demo_history
from perspectief.demo.history_lives import SCALES
from perspectief.demo.history_records import Place, lives
from perspectief.demo.monitoring import create_demo_plan
from perspectief.demo.population import ORGANISATIONS, create_demo_population
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors.breakdowns import Tables
from perspectief.monitoring.selectors.national import national_table, trend
from perspectief.regions.models import Municipality, Region
from perspectief.routes.models import SupportPlan, WorkConfirmation
from perspectief.taxonomy.classifications import load_sectors
from perspectief.vacancies.models import Vacancy

from ..conftest import sign_in
from ..factories import MunicipalityFactory, PostcodeFactory, RegionFactory

#: The quarters the ministry's trend shows.
TREND = 6


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """The demo population, its offers and plan, and the history — made once for the
    module (a few seconds' work) inside a transaction rolled back at its end; each test
    runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        for spec in ORGANISATIONS:
            if spec.region:
                RegionFactory(code=spec.region)
        for gm, am in {
            **{spec.municipality: spec.region for spec in ORGANISATIONS if spec.municipality},
            "GM0014": "AM01",
        }.items():
            MunicipalityFactory(code=gm, region=RegionFactory(code=am))
        load_sectors()
        for number, municipality in enumerate(Municipality.objects.order_by("code")):
            for i in range(3):
                PostcodeFactory(code=str(1000 + 3 * number + i), municipality=municipality)
        create_demo_population()
        create_demo_offers()
        create_demo_plan()
        yield create_demo_history()
        transaction.set_rollback(True)


def _shown(table, key="matches") -> dict:
    return {table.labels[v]: cells[key] for v, cells in table.cells.items()}


@pytest.mark.django_db
def test_amsterdams_breakdowns_show_numbers_and_hide_the_small_ones(history):
    am18 = Region.objects.get(code="AM18")
    assert history > 3000
    assert Candidate.objects.filter(region=am18).count() > 2500
    tables = Tables(am18.pk)
    shown_cells = hidden_cells = 0
    for year, quarter in completed_quarters(4):
        start, end = quarter_bounds(year, quarter)
        for dimension in ("municipality", "target_group", "sector"):
            cells = _shown(tables.get(dimension, start, end))
            shown = [n for n in cells.values() if n]
            hidden_cells += sum(1 for n in cells.values() if n is None)
            shown_cells += len(shown)
            # Every breakdown of every recent quarter has numbers, each above the threshold.
            assert len(shown) >= 2, (year, quarter, dimension, cells)
            assert all(n >= min_cell() for n in shown)
        groups = _shown(tables.get("target_group", start, end))
        assert sum(1 for n in groups.values() if n) >= 4, groups
    # Most cells with anyone in them show a number; the small ones stay hidden.
    assert shown_cells > 2 * hidden_cells > 0
    # The plan's activities with courses (what the lessons' numbers are) count their people
    # (here the NT2 course of statushouders; the logistics course goes to people who want
    # logistics work, and this test loads no ESCO occupations).
    last = quarter_bounds(*completed_quarters(1)[0])
    activities = _shown(tables.get("activity", *last), "in_training")
    assert activities["Statushouders aan het werk"] >= min_cell()


@pytest.mark.django_db
def test_the_national_trend_shows_the_regions_quarters(history):
    rows = {row.code: row for row in trend(8).rows}
    amsterdam = [c.matches for c in rows["AM18"].cells]
    assert sum(1 for n in amsterdam if n is not None and n >= min_cell()) >= TREND, amsterdam
    # The plan's baseline is counted from the year before it (2025), all of it shown.
    assert rows["AM18"].baseline_from == "counted"
    assert any(c.target for c in rows["AM18"].cells)
    for code in ("AM22", "AM01"):
        cells = [c.matches for c in rows[code].cells[-TREND:]]
        assert sum(1 for n in cells if n) >= 3, (code, cells)
    # Groningen starts small: its first quarter of matches is hidden in the national table.
    quarters = [quarter_bounds(*q) for q in completed_quarters(8)]
    groningen = [national_table(*bounds)[1]["AM01"]["matches"] for bounds in quarters]
    assert None in groningen and any(groningen), groningen


@pytest.mark.django_db
def test_every_match_is_a_hire_recorded_as_the_services_record_it(history):
    today = timezone.localdate()
    placed = JourneyTransition.objects.filter(to_status="geplaatst")
    assert placed.exists() and not placed.exclude(cause="hire").exists()
    references = set(placed.values_list("reference", flat=True))
    hires = {str(u) for u in Proposal.objects.filter(status="hired").values_list("uuid", flat=True)}
    hires |= {str(u) for u in OutsideHire.objects.values_list("uuid", flat=True)}
    assert references == hires
    # Each hire started its support plan; durable work has its confirmation behind it.
    assert SupportPlan.objects.count() == len(hires)
    durable = JourneyTransition.objects.filter(to_status="duurzaam")
    assert not durable.exclude(cause="durable").exists()
    assert durable.count() == WorkConfirmation.objects.count() > 0
    assert not SupportPlan.objects.filter(status="durable", confirmation__isnull=True).exists()
    # A place never has more filled than it has, nor a filled count its hires do not give.
    for place in Vacancy.objects.annotate(
        hired=Count("proposals", filter=Q(proposals__status="hired"))
    ):
        assert place.places_filled == place.hired <= place.places
    # Nothing is dated after today; everyone's last move is their status; registration
    # (the record's date) lies before the first move.
    assert JourneyTransition.objects.aggregate(last=Max("occurred_on"))["last"] <= today
    assert Proposal.objects.aggregate(last=Max("start_date"))["last"] <= today
    for person in Candidate.objects.exclude(status="aangemeld").order_by("?")[:300]:
        moves = list(person.journey.order_by("id"))
        assert moves[-1].to_status == person.status
        assert timezone.localtime(person.created_at).date() <= moves[0].occurred_on
        if person.status in ("geplaatst", "duurzaam"):
            assert person.support_plans.exists()


@pytest.mark.django_db
def test_the_history_is_made_once_deterministically_with_one_summary_each(history):
    counts = (
        Candidate.objects.count(),
        JourneyTransition.objects.count(),
        Proposal.objects.count(),
        AuditEvent.objects.count(),
    )
    assert create_demo_history() == 0
    assert counts == (
        Candidate.objects.count(),
        JourneyTransition.objects.count(),
        Proposal.objects.count(),
        AuditEvent.objects.count(),
    )
    assert AuditEvent.objects.filter(event="demo.history_created").count() == len(SCALES)
    # Each person registered as an import registers them: audited and in the access log.
    registered = AuditEvent.objects.filter(event="candidate.registered").count()
    assert registered == Candidate.objects.count() == history
    assert AccessRecord.objects.filter(operation="create").count() == history
    # The same people and journeys from the same seed (on the same day).
    scale = SCALES[-1]
    place = Place.of(Region.objects.get(code=scale.region))
    assert place is not None
    generator, today = Generator(), date(2026, 11, 23)
    first = lives(scale, place, generator, today, set())
    second = lives(scale, place, generator, today, set())
    assert [(p.uuid, p.registered, p.data.last_name, p.moves) for p in first] == [
        (p.uuid, p.registered, p.data.last_name, p.moves) for p in second
    ]


@pytest.mark.django_db
def test_the_dashboard_and_the_national_trend_show_the_numbers(history, client):
    sign_in(client, User.objects.get(username="pm.amsterdam"))
    page = client.get("/monitoring/")
    assert page.status_code == 200
    breakdowns = page.context["breakdowns"]
    for dimension in ("municipality", "target_group", "sector"):
        column, hidden = breakdowns[dimension]
        assert not hidden and any(n for _v, _label, n in column), dimension
    # Matches every month of the plan so far.
    assert all(bar["value"] for bar in page.context["chart"]["bars"])
    client.logout()
    sign_in(client, User.objects.get(username="szw.analist"))
    page = client.get("/monitoring/national/trend/")
    assert page.status_code == 200
    rows = {row.code: row for row in page.context["trend"].rows}
    assert all(c.matches for c in rows["AM18"].cells)
