"""Action plans and monitoring (issue #7, part 1): the doe-agenda with its ambition, budget
and revisions; indicators counted from the platform's own records; small numbers
suppressed for those who see aggregates only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import JourneyTransition
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.monitoring import disclosure, indicators, plans
from perspectief.monitoring.models import ActionPlan, PlanRevision

from .conftest import sign_in
from .factories import CandidateFactory, OrganisationFactory

START, END = date(2026, 1, 1), date(2027, 12, 31)


def _last_quarter():
    """(year, quarter, a day in it, its first day, its last day) of the last completed one."""
    from perspectief.monitoring.report import quarter_bounds

    year, quarter = disclosure.completed_quarters(1)[0]
    first, last = quarter_bounds(year, quarter)
    return year, quarter, first + timedelta(days=20), first, last


@pytest.fixture
def manager(world, make_member):
    return actor_for(make_member("programmamanager"))


@pytest.fixture
def gemeente(world):
    return OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)


def _input(gemeente, **changes):
    data = {
        "title": "Doe-agenda Groot Amsterdam 2026-2027",
        "period_start": START,
        "period_end": END,
        "lead": gemeente,
        "employer_lead": "Werkgeversvereniging Amsterdam",
        "ambition": 300,
        "budget": Decimal("2000000"),
    }
    data.update(changes)
    return plans.PlanInput(**data)


@pytest.mark.django_db
def test_bad_plans_are_refused_with_every_reason(manager, gemeente, world, make_member):
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(
            actor=manager,
            data=_input(
                gemeente,
                ambition=0,
                period_end=START - timedelta(days=1),
                budget=Decimal("-1"),
                employer_lead=" ",
                ambitions=[("target_group", "statushouder", 400), ("target_group", "nope", 5)],
            ),
        )
    assert set(exc.value.message_dict) == {
        "ambition",
        "period_end",
        "budget",
        "employer_lead",
        "ambitions",
    }
    # The lead is a gemeente of the region.
    other = OrganisationFactory(kind="gemeente", municipality=world.rotterdam)
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(actor=manager, data=_input(other))
    assert set(exc.value.message_dict) == {"lead"}
    assert not ActionPlan.objects.exists()
    # Only the programme manager records it.
    with pytest.raises(PermissionDeniedError):
        plans.plan_save(actor=actor_for(make_member("klantmanager")), data=_input(gemeente))
    plan = plans.plan_save(actor=manager, data=_input(gemeente))
    # A second plan overlapping the first is refused.
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(
            actor=manager,
            data=_input(gemeente, period_start=date(2027, 6, 1), period_end=date(2028, 6, 1)),
        )
    assert "overlaps" in " ".join(exc.value.messages) or "overlapt" in " ".join(exc.value.messages)
    # Budgets that do not add up.
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    plans.activity_save(
        actor=manager,
        plan=plan,
        data=plans.ActivityInput("Basisbanen", "basisbanen", owner, Decimal("1500000")),
    )
    with pytest.raises(ValidationError) as exc:
        plans.activity_save(
            actor=manager,
            plan=plan,
            data=plans.ActivityInput("Praktijkleren", "praktijkleren", owner, Decimal("600000")),
        )
    assert set(exc.value.message_dict) == {"budget"}
    with pytest.raises(ValidationError):  # nor can the plan's budget drop below the activities'
        plans.plan_save(actor=manager, data=_input(gemeente, budget=Decimal("1000000")), plan=plan)
    assert plan.activities.count() == 1


@pytest.mark.django_db
def test_a_plan_in_force_is_revised_with_a_reason_and_its_history_kept(manager, gemeente):
    plan = plans.plan_save(actor=manager, data=_input(gemeente))
    plans.plan_set_status(actor=manager, plan=plan, status="active")
    with pytest.raises(ValidationError) as exc:
        plans.plan_save(actor=manager, data=_input(gemeente, ambition=250), plan=plan)
    assert set(exc.value.message_dict) == {"reason"}
    plans.plan_save(
        actor=manager,
        data=_input(gemeente, ambition=250),
        plan=plan,
        reason="Crisis in de logistiek: minder vacatures",
    )
    plan.refresh_from_db()
    assert (plan.ambition, plan.version) == (250, 3)
    history = list(PlanRevision.objects.filter(plan=plan).order_by("version"))
    assert [r.version for r in history] == [1, 2, 3]
    assert history[-1].reason == "Crisis in de logistiek: minder vacatures"
    assert history[-1].changes == {"ambition": [300, 250]}
    assert history[0].snapshot["ambition"] == 300  # the first version can be read back


@pytest.mark.django_db
def test_a_quarter_is_reported_with_the_plan_as_in_force_then(world, manager, gemeente):
    """A revision after the quarter does not rewrite the quarter's report."""
    from datetime import datetime, time

    from django.utils import timezone

    from perspectief.monitoring import report

    year, quarter, day, first, _last = _last_quarter()
    plan = plans.plan_save(actor=manager, data=_input(gemeente, period_start=first))
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    plans.activity_save(
        actor=manager,
        plan=plan,
        data=plans.ActivityInput("Basisbanen", "basisbanen", owner, Decimal("500000")),
    )
    plans.plan_set_status(actor=manager, plan=plan, status="active")
    during = timezone.make_aware(datetime.combine(day, time(12)))
    PlanRevision.objects.filter(plan=plan).update(revised_at=during)  # decided in the quarter
    plans.plan_save(
        actor=manager,
        data=_input(gemeente, period_start=first, ambition=220),
        plan=plan,
        reason="Minder vraag in de logistiek",
    )
    plans.activity_save(
        actor=manager,
        plan=plan,
        data=plans.ActivityInput(
            "Basisbanen", "basisbanen", owner, Decimal("400000"), status="running"
        ),
        activity=plan.activities.get(),
        reason="Minder budget",
    )
    then = report.quarterly(world.am18, year, quarter, suppressed=False)
    assert (then.plan.version, then.plan.ambition, then.plan.status) == (3, 300, "vastgesteld")
    assert [(a["name"], a["budget"], a["status"]) for a in then.activities] == [
        ("Basisbanen", Decimal("500000"), "gepland")
    ]
    assert then.progress.ambition_total == pytest.approx(300 * (END - first).days / 365.25, 0.01)
    assert [r.version for r in then.revisions] == [1, 2, 3]  # not the later ones
    assert report.render_pdf(then).startswith(b"%PDF")
    now = report.quarterly(world.am18, *_running_quarter(), suppressed=False)
    assert (now.plan.version, now.plan.ambition) == (5, 220)
    assert [r.reason for r in now.revisions] == ["Minder vraag in de logistiek", "Minder budget"]


@pytest.mark.django_db
def test_the_bulk_fill_rate_as_it_stood_at_the_end_of_the_period(client, world, place, make_member):
    """The fill of the region's bulk requests at a period's end, from the records: hires by
    their start of work and, shown apart with their reasons, places filled outside."""
    from datetime import datetime, time

    from django.utils import timezone

    from perspectief.matching.models import Proposal
    from perspectief.vacancies.models import IntakePhase, OutsideFill, Vacancy

    _year, _quarter, day, first, last = _last_quarter()

    def at(on):
        return timezone.make_aware(datetime.combine(on, time(12)))

    Vacancy.objects.filter(pk=place.pk).update(places=10, created_at=at(first))
    IntakePhase.objects.create(vacancy=place, starts_on=day, places=10)
    for start in (day, day, last + timedelta(days=1)):  # two started in the quarter
        Proposal.objects.create(
            vacancy=place,
            candidate=CandidateFactory(),
            proposed_for=place.employer.organisation,
            status="hired",
            start_date=start,
            outcome_at=timezone.now(),
        )
    OutsideFill.objects.create(vacancy=place, places=1, filled_on=day, reason="werkgever")
    OutsideFill.objects.create(
        vacancy=place, places=2, filled_on=last + timedelta(days=1), reason="uitzendbureau"
    )
    quarter = indicators.wsp(world.am18.pk, first, last)
    assert (
        quarter["bulk_filled"],
        quarter["bulk_via_platform"],
        quarter["bulk_outside"],
        quarter["bulk_places"],
        quarter["bulk_fill_rate"],
    ) == (3, 2, 1, 10, 30)
    assert [(str(label), n) for label, n in quarter["bulk_outside_reasons"]] == [
        ("de werkgever wierf de persoon zelf", 1)
    ]
    today = indicators.wsp(world.am18.pk, first, date.today())
    assert (today["bulk_via_platform"], today["bulk_outside"], today["bulk_fill_rate"]) == (
        3,
        3,
        60,
    )
    # The dashboard shows them apart, with the reasons.
    sign_in(client, make_member("programmamanager").user)
    page = client.get(
        reverse("monitoring:dashboard"), {"start": str(first), "end": str(date.today())}
    ).content.decode()
    assert "6 van 10 plekken vervuld (60%): 3 via het platform, 3 buiten het platform" in page
    assert "via een uitzendbureau of andere bemiddelaar: 2" in page
    # A bulk request made after the quarter is not in it.
    Vacancy.objects.filter(pk=place.pk).update(created_at=at(last + timedelta(days=1)))
    assert indicators.wsp(world.am18.pk, first, last)["bulk_places"] == 0


def _running_quarter():
    today = date.today()
    return today.year, (today.month - 1) // 3 + 1


def _transition(person, to, on, cause=None, reference=""):
    # A placement is always a recorded hire and durable work a confirmation (only those
    # count); the rest follows the route.
    return JourneyTransition.objects.create(
        candidate=person,
        from_status="in_beeld",
        to_status=to,
        occurred_on=on,
        cause=cause or {"geplaatst": "hire", "duurzaam": "durable"}.get(to, "route"),
        reference=reference,
    )


@pytest.mark.django_db
def test_every_number_is_a_count_of_the_records_behind_it(world, manager, gemeente):
    people = [CandidateFactory(served_by=gemeente) for _ in range(8)]
    for person in people[:6]:
        _transition(person, "geplaatst", date(2026, 3, 10))
    _transition(people[6], "geplaatst", date(2025, 6, 1))  # before the period
    _transition(people[7], "in_beeld", date(2026, 2, 1))
    _transition(people[7], "uitgevallen", date(2026, 4, 1))
    f = indicators.Filters(date(2026, 1, 1), date(2026, 12, 31), region_id=world.am18.pk)
    counts = indicators.counts(f)
    assert (counts["matches"], counts["in_view"], counts["dropped_out"]) == (6, 1, 1)
    assert counts["matches"] == indicators.transitions(f, "matches").count()
    assert dict((m.month, n) for m, n in indicators.by_month(f))[3] == 6
    # Another region counts nothing of these.
    assert (
        indicators.counts(indicators.Filters(f.start, f.end, region_id=world.am22.pk))["matches"]
        == 0
    )
    # The plan: baseline counted from the year before (1), additional against the ambition.
    plan = plans.plan_save(
        actor=manager, data=_input(gemeente, ambition=10, period_end=date(2026, 12, 31))
    )
    progress = indicators.progress(plan, today=date(2026, 12, 31))
    assert (progress.matches, progress.baseline_per_year, progress.baseline_counted) == (6, 1, True)
    assert progress.additional == pytest.approx(6 - 1 * 365 / 365.25, abs=0.1)
    assert progress.ambition_to_date == pytest.approx(10 * 365 / 365.25, abs=0.1)


def test_small_cells_are_suppressed_and_cannot_be_worked_out():
    rows = {
        "AM01": {"matches": 3, "durable": 0},
        "AM02": {"matches": 7, "durable": 0},
        "AM03": {"matches": 12, "durable": 0},
    }
    shown, totals = disclosure.suppress_columns(rows, ["matches", "durable"])
    assert shown["AM01"]["matches"] is None  # primary
    assert shown["AM02"]["matches"] is None  # secondary: the total would give AM01 away
    assert shown["AM03"]["matches"] == 12 and totals["matches"] == 22
    assert [shown[r]["durable"] for r in rows] == [0, 0, 0] and totals["durable"] == 0
    # No other cell to hide: the total goes instead.
    shown, totals = disclosure.suppress_columns({"A": {"m": 2}, "B": {"m": 0}}, ["m"])
    assert (shown["A"]["m"], totals["m"]) == (None, None)


@pytest.mark.django_db
def test_dashboard_drill_down_and_the_national_view(client, world, make_member, gemeente):
    km = make_member("klantmanager")
    ours = [CandidateFactory(served_by=km.organisation, last_name=f"Oost{i}") for i in range(3)]
    theirs = CandidateFactory(served_by=OrganisationFactory(kind="uwv", region=world.am18))
    for person in [*ours, theirs]:
        _transition(person, "geplaatst", date.today())
    _y, _q, day, first, last = _last_quarter()
    for person in ours[:2]:
        _transition(person, "werkfit", day)
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
    year, quarter, day, _first, _last = _last_quarter()
    for person in ours[:2]:
        _transition(person, "duurzaam", day)
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get(reverse("monitoring:national")).content.decode()
    assert "Oost0" not in national and ">x</abbr>" in national
    assert f"/monitoring/national/AM18/report/{year}/{quarter}/" in national
    running = f"{date.today().year}-{(date.today().month - 1) // 3 + 1}"
    assert client.get(reverse("monitoring:national"), {"quarter": running}).status_code == 400


@pytest.mark.django_db
def test_indicators_over_the_api(client, world, make_member):
    km = make_member("klantmanager")
    for _i in range(6):
        _transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get("/api/v1/indicators").json()
    assert (body["region"], body["counts"]["matches"], body["suppressed"]) == ("AM18", 6, False)
    assert client.get("/api/v1/indicators", {"region": "AM22"}).status_code == 404
    assert client.get("/api/v1/indicators", {"from": "gisteren"}).status_code == 400
    # Below region level only per completed quarter.
    assert client.get("/api/v1/indicators", {"targetGroup": "statushouder"}).status_code == 400
    _y, _q, _day, q_first, q_last = _last_quarter()
    group = client.get(
        "/api/v1/indicators",
        {"targetGroup": "statushouder", "from": str(q_first), "until": str(q_last)},
    ).json()
    assert group["suppressed"] and group["counts"]["matches"] == 0
    assert client.get("/api/v1/indicators", {"sector": "Z"}).status_code == 400
    assert client.get("/api/v1/indicators", {"activity": "nope"}).status_code == 400
    _year, _quarter, day, first, last = _last_quarter()
    for _i in range(5):
        _transition(CandidateFactory(served_by=km.organisation), "geplaatst", day)
    _transition(CandidateFactory(served_by=km.organisation), "duurzaam", day)
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get("/api/v1/indicators", {"region": "AM18"}).json()  # last quarter
    assert national["suppressed"] and (national["start"], national["end"]) == (
        str(first),
        str(last),
    )
    assert (national["counts"]["matches"], national["counts"]["durable"]) == (5, None)
    # Not an arbitrary or running period: two of them would give a hidden count away.
    since = {"region": "AM18", "from": str(first), "until": str(date.today())}
    assert client.get("/api/v1/indicators", since).status_code == 400
    assert client.get("/api/v1/indicators").status_code == 400  # which region?


@pytest.mark.django_db
def test_exports_and_the_quarterly_report(client, world, make_member, gemeente):
    import csv
    import io

    from openpyxl import load_workbook

    from perspectief.monitoring import report

    km = make_member("klantmanager")
    for _i in range(6):
        _transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    _transition(CandidateFactory(served_by=km.organisation), "duurzaam", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    response = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}))
    assert response["Content-Disposition"].startswith('attachment; filename="pow-AM18-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_label = {r[4]: r[5] for r in rows[1:8]}
    assert by_label[str(indicators.LABELS["matches"])] == "6"
    assert by_label[str(indicators.LABELS["durable"])] == "1"  # region level: exact
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:export", kwargs={"fmt": "xlsx"})).content)
    )
    assert workbook.active.max_row == len(rows)
    assert client.get(reverse("monitoring:export", kwargs={"fmt": "doc"})).status_code == 404
    # The quarterly report: a PDF; the data behind it as the dashboard counts.
    year, quarter = date.today().year, (date.today().month - 1) // 3 + 1
    pdf = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": 5})).status_code
        == 404
    )
    future = reverse("monitoring:report", kwargs={"year": year + 1, "quarter": quarter})
    assert client.get(future).status_code == 404
    data = report.quarterly(world.am18, year, quarter, suppressed=True)
    suppressed = dict((label, q) for label, q, _c in data.results)
    assert suppressed[str(indicators.LABELS["matches"])] == 6
    assert suppressed[str(indicators.LABELS["durable"])] is None  # aggregates only: hidden
    # The ministry: a region's report and the national table as a file, suppressed.
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    last_year, last_quarter, day, _first, _last = _last_quarter()
    for _i in range(7):
        _transition(CandidateFactory(served_by=km.organisation), "geplaatst", day)
    _transition(CandidateFactory(served_by=km.organisation), "duurzaam", day)
    national = client.get(reverse("monitoring:national-export", kwargs={"fmt": "csv"}))
    table = list(csv.reader(io.StringIO(national.content.decode("utf-8-sig")), delimiter=";"))
    am18 = next(r for r in table if r[0].startswith("AM18"))
    assert am18[table[0].index(str(indicators.LABELS["durable"]))] == "x"
    assert am18[table[0].index(str(indicators.LABELS["matches"]))] == "7"
    region_report = reverse(
        "monitoring:national-report",
        kwargs={"code": "AM18", "year": last_year, "quarter": last_quarter},
    )
    assert client.get(region_report).content.startswith(b"%PDF")
    running = reverse(
        "monitoring:national-report", kwargs={"code": "AM18", "year": year, "quarter": quarter}
    )
    assert client.get(running).status_code == 404  # only completed quarters
    data = report.quarterly(world.am18, last_year, last_quarter, suppressed=True)
    assert all(cumulative is None for _l, _q, cumulative in data.results)
    assert data.progress is None  # no totals since a date for aggregate-only readers
    # The WSP's answers to employers, yes; the bulk places filled (people placed), no.
    assert "requests" in data.wsp and "bulk_filled" not in data.wsp


def test_quarters():
    from perspectief.monitoring.report import quarter_bounds

    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 0)


def test_a_quarter_is_published_once_it_has_settled(settings):
    """Hires dated back into a quarter arrive weeks after it: its aggregates wait for them."""
    settings.DISCLOSURE_SETTLE_DAYS = 31
    assert disclosure.completed_quarters(2, today=date(2027, 1, 15)) == [(2026, 3), (2026, 2)]
    assert disclosure.completed_quarters(1, today=date(2027, 1, 31)) == [(2026, 3)]
    assert disclosure.completed_quarters(1, today=date(2027, 2, 1)) == [(2026, 4)]
    settings.DISCLOSURE_SETTLE_DAYS = 0
    assert disclosure.completed_quarters(1, today=date(2027, 1, 1)) == [(2026, 4)]


@pytest.mark.django_db
def test_the_labour_market_picture(client, world, make_member, place, esco):
    from django.utils import timezone

    occupation, _skills = esco
    person = CandidateFactory(
        served_by=make_member("klantmanager").organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
    )
    person.occupations.add(occupation)
    picture = indicators.labour_market(world.am18.pk)
    row = next(r for r in picture["occupations"] if r["uri"] == occupation.uri)
    # One person, hidden; and with 2 places "tight" would say fewer than 2: not told either.
    assert (row["places"], row["people"], row["tight"], row["ratio"]) == (2, None, None, None)
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get(reverse("monitoring:market")).content.decode()
    assert "testberoep" in body and ">x</abbr>" in body and "badge--alert" not in body
    for _i in range(5):
        other = CandidateFactory(
            served_by=person.servings.first().organisation,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
        other.occupations.add(occupation)
    row = next(
        r
        for r in indicators.labour_market(world.am18.pk)["occupations"]
        if r["uri"] == occupation.uri
    )
    assert (row["places"], row["people"], row["tight"], row["ratio"]) == (2, 6, False, 0.3)


@pytest.mark.django_db
def test_matches_by_sector_occupation_and_activity(world, manager, gemeente, place, esco):
    from perspectief.catalogue import services as catalogue
    from perspectief.matching.models import Proposal
    from perspectief.routes.models import Route, RouteStep
    from perspectief.taxonomy.models import Sector

    transport = Sector.objects.create(
        code="H", name="Vervoer en opslag", division_from="49", division_to="53"
    )
    place.employer.sector = transport
    place.employer.save()
    hired, other = (CandidateFactory(served_by=gemeente) for _ in range(2))
    proposal = Proposal.objects.create(
        vacancy=place, candidate=hired, proposed_for=gemeente, status="hired"
    )
    _transition(hired, "geplaatst", date.today(), cause="hire", reference=str(proposal.uuid))
    _transition(other, "geplaatst", date.today())
    _transition(CandidateFactory(served_by=gemeente), "geplaatst", date.today())
    year = indicators.Filters(date.today().replace(month=1, day=1), date.today(), world.am18.pk)
    assert indicators.counts(year)["matches"] == 3
    # Per sector and occupation of the place hired into, without overlap: the placement set
    # by hand has none.
    sectors = indicators.by_dimension(year, "sector")
    assert {v: (label, n["matches"]) for v, (label, n) in sectors.items()} == {
        "H": ("Vervoer en opslag", 1),
        None: ("onbekend", 2),
    }
    occupations = indicators.by_dimension(year, "occupation")
    assert {v: n["matches"] for v, (_label, n) in occupations.items()} == {esco[0].pk: 1, None: 2}
    year.sector = "H"
    assert indicators.counts(year)["matches"] == sectors["H"][1]["matches"]
    year.sector, year.occupation_id = "", esco[0].pk
    assert indicators.counts(year)["matches"] == occupations[esco[0].pk][1]["matches"]
    # An activity counts the people whose route used its services.
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)
    offer = catalogue.Offer.objects.create(
        provider=school, region=world.am18, kind="nt2", title="NT2", funding="regio", online=True
    )
    plan = plans.plan_save(actor=manager, data=_input(gemeente))
    activity = plans.activity_save(
        actor=manager,
        plan=plan,
        data=plans.ActivityInput("Taal", "statushouders", school, Decimal("1000"), offers=[offer]),
    )
    route = Route.objects.create(candidate=other, organisation=gemeente)
    RouteStep.objects.create(
        route=route,
        kind="nt2",
        title="NT2",
        owner=school,
        offer=offer,
        planned_start=date(2026, 1, 5),
        planned_end=date(2026, 3, 1),
    )
    year.occupation_id, year.activity = None, activity
    assert indicators.counts(year)["matches"] == 1


@pytest.mark.django_db
def test_the_plan_through_its_pages(client, world, make_member, gemeente):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    form = {
        "title": "Doe-agenda",
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "lead": gemeente.pk,
        "employer_lead": "Werkgevers",
        "ambition": "0",
        "budget": "2000000",
        "ambitions": "statushouder 40",
    }
    response = client.post(reverse("monitoring:plan-new"), form)
    assert response.status_code == 200 and not ActionPlan.objects.exists()
    response = client.post(reverse("monitoring:plan-new"), {**form, "ambition": "300"})
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    assert [(a.key, a.matches) for a in plan.ambitions.all()] == [("statushouder", 40)]
    action = reverse("monitoring:plan-action", kwargs={"uuid": plan.uuid})
    client.post(action, {"action": "active"})
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    client.post(
        action,
        {
            "action": "activity",
            "act-name": "Basisbanen",
            "act-kind": "basisbanen",
            "act-owner": owner.pk,
            "act-status": "running",
            "act-budget": "500000",
            "act-reason": "Uit het plan",
        },
    )
    activity = plan.activities.get()
    # A change of a plan in force needs its reason; then it is a new version.
    client.post(
        action,
        {
            "action": "activity-change",
            "activity": activity.uuid,
            "status": "done",
            "budget": "450000",
        },
    )
    activity.refresh_from_db()
    assert activity.status == "running"
    client.post(
        action,
        {
            "action": "activity-change",
            "activity": activity.uuid,
            "status": "done",
            "budget": "450000",
            "reason": "Afgerond onder budget",
        },
    )
    activity.refresh_from_db()
    plan.refresh_from_db()
    assert (activity.status, activity.budget, plan.version) == ("done", Decimal("450000"), 4)
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert "Afgerond onder budget" in page and "statushouder" in page.lower()


@pytest.mark.django_db
def test_the_ministry_cannot_undo_secondary_suppression_region_by_region(
    client, world, make_member
):
    from perspectief.monitoring import report

    _year, _quarter, day, first, last = _last_quarter()
    amsterdam = OrganisationFactory(kind="gemeente", municipality=world.amsterdam)
    rotterdam = OrganisationFactory(kind="gemeente", municipality=world.rotterdam)
    for _i in range(10):
        _transition(CandidateFactory(served_by=amsterdam, region=world.am18), "geplaatst", day)
    for _i in range(3):
        _transition(CandidateFactory(served_by=rotterdam, region=world.am22), "geplaatst", day)
    _regions, shown, totals = disclosure.national_table(first, last)
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
    data = report.quarterly(world.am18, _year, _quarter, suppressed=True)
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
    import csv
    import io

    from django.utils import timezone

    from perspectief.matching.models import Proposal

    from . import pdf

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
        _transition(person, "geplaatst", start, cause="hire", reference=str(proposal.uuid))

    ours = [CandidateFactory(served_by=km.organisation) for _ in range(4)]
    hire(ours[0], january, timezone.now())
    hire(ours[1], today, timezone.now())
    # Recorded this year, started last year: a match of last year.
    hire(ours[2], january - timedelta(days=3), timezone.now())
    # A placement without a proposal behind it: a placement of the region all the same.
    _transition(ours[3], "geplaatst", january + timedelta(days=5))
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


@pytest.mark.django_db
def test_a_running_quarter_is_marked_provisional_on_every_page(
    client, world, manager, gemeente, settings
):
    """#14 item 5: the report of a quarter whose numbers can still change says so on every
    page of the PDF (with the day it was made), on the page that offers it and in the
    export; a settled quarter's report does not."""
    import csv
    import io

    from perspectief.monitoring import report

    from . import pdf

    settings.DISCLOSURE_SETTLE_DAYS = 31
    today = date.today()
    year, quarter = _running_quarter()
    first, _last = report.quarter_bounds(year, quarter)
    plan = plans.plan_save(actor=manager, data=_input(gemeente, period_start=first))
    plans.plan_set_status(actor=manager, plan=plan, status="active")
    # Revisions enough to fill more than one page.
    for n in range(40):
        plans.plan_save(
            actor=manager,
            data=_input(gemeente, period_start=first, ambition=300 + n + 1),
            plan=plan,
            reason=f"Bijstelling {n + 1}: de vraag in de logistiek verandert van week tot week.",
        )
    sign_in(client, manager.user)
    running = client.get(reverse("monitoring:report", kwargs={"year": year, "quarter": quarter}))
    assert running["Content-Disposition"].endswith(f'-{year}-K{quarter}-voorlopig.pdf"')
    pages = pdf.pages(running.content)
    assert len(pages) >= 2
    assert pages[0][0] == "Kwartaalrapportage Perspectief op Werk"  # the page's own first
    made = f"Gemaakt op {today.day}-{today.month}-{today.year}"
    for number, page in enumerate(pages, start=1):
        assert "VOORLOPIG" in page, number
        assert any(text.startswith("Het kwartaal loopt nog") for text in page), number
        assert f"{made} · pagina {number}" in page, number
    # The page that offers it says so.
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    assert f"Kwartaalrapportage {year} K{quarter} (PDF) — voorlopig" in dashboard
    # The export of a period that has not settled says so on every row and in its name.
    export = client.get(reverse("monitoring:export", kwargs={"fmt": "csv"}))
    assert export["Content-Disposition"].endswith('-voorlopig.csv"')
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Status"
    assert rows[1][-1] == "voorlopig"  # the region's numbers up to today
    # A quarter that has ended but not settled: records can still arrive, also provisional.
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    settings.DISCLOSURE_SETTLE_DAYS = 400
    ended = pdf.pages(
        client.get(
            reverse("monitoring:report", kwargs={"year": previous[0], "quarter": previous[1]})
        ).content
    )
    assert all("VOORLOPIG" in page for page in ended)
    assert any(text.startswith("Het kwartaal is voorbij") for text in ended[0])
    settings.DISCLOSURE_SETTLE_DAYS = 31
    # A settled quarter: no mark, but the day it was made on every page.
    settled_year, settled_quarter = disclosure.completed_quarters(1)[0]
    final = client.get(
        reverse("monitoring:report", kwargs={"year": settled_year, "quarter": settled_quarter})
    )
    assert not final["Content-Disposition"].endswith('-voorlopig.pdf"')
    for number, page in enumerate(pdf.pages(final.content), start=1):
        assert "VOORLOPIG" not in page
        assert f"{made} · pagina {number}" in page
    assert f"Kwartaalrapportage {settled_year} K{settled_quarter} (PDF) — voorlopig" not in (
        dashboard
    )
    assert not report.quarterly(
        world.am18, settled_year, settled_quarter, suppressed=False
    ).provisional
