"""Bulk requests: intake phases never ask more than the place has, the fill rate over time
comes from the hires and, apart, the places filled outside the platform, and the cohort
shows each organisation only the people it may see (the rest as a count), with every
person shown in the access log."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.matching.models import Proposal
from perspectief.matching.services import outcomes, proposals
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import IntakePhase, OutsideFill, Vacancy
from perspectief.vacancies.selectors import bulk as bulk_selectors
from perspectief.vacancies.services import bulk
from perspectief.vacancies.services import places as services

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory


@pytest.fixture
def employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    return EmployerAccount.objects.create(organisation=organisation, kvk_number="11112222")


@pytest.fixture
def place(employer, world):
    return Vacancy.objects.create(
        employer=employer,
        title="Orderpickers distributiecentrum",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=100,
        start_date=datetime.date(2027, 3, 1),
        status="open",
    )


@pytest.fixture
def am(make_member):
    return actor_for(make_member("accountmanager"))


MARCH, APRIL, MAY = (datetime.date(2027, m, 1) for m in (3, 4, 5))


@pytest.mark.django_db
def test_phases_add_up_to_at_most_the_places(place, am):
    bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=40)
    bulk.phase_add(actor=am, vacancy=place, starts_on=APRIL, places=30)
    with pytest.raises(ValidationError) as exc:
        bulk.phase_add(actor=am, vacancy=place, starts_on=MAY, places=31)
    assert "101" in str(exc.value)
    bulk.phase_add(actor=am, vacancy=place, starts_on=MAY, places=30)
    assert sum(place.phases.values_list("places", flat=True)) == 100
    # Lowering the number of places below what the phases ask is refused as well.
    with pytest.raises(ValidationError):
        services.vacancy_save(actor=am, employer=place.employer, vacancy=place, data={"places": 90})
    place.refresh_from_db()
    assert place.places == 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_on", "places", "field"),
    [
        (datetime.date(2027, 2, 1), 10, "starts_on"),  # before the place's start date
        (MARCH, 0, "places"),
        (MARCH, -5, "places"),
    ],
)
def test_bad_phases_are_refused_with_the_field_named(place, am, starts_on, places, field):
    with pytest.raises(ValidationError) as exc:
        bulk.phase_add(actor=am, vacancy=place, starts_on=starts_on, places=places)
    assert field in exc.value.message_dict
    assert not IntakePhase.objects.exists()


@pytest.mark.django_db
def test_two_phases_on_one_date_are_refused(place, am):
    bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=10)
    with pytest.raises(ValidationError) as exc:
        bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=10)
    assert "starts_on" in exc.value.message_dict


@pytest.mark.django_db
def test_another_employer_cannot_plan_phases(place, world):
    other = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="33334444",
    )
    user = actor_for(MembershipFactory(organisation=other.organisation, role="werkgever"))
    with pytest.raises(NotFoundError):
        bulk.phase_add(actor=user, vacancy=place, starts_on=MARCH, places=10)


@pytest.mark.django_db
def test_cohort_shows_each_organisation_only_its_own_people(place, make_member):
    km = make_member("klantmanager")
    own = CandidateFactory(served_by=km.organisation, status="werkfit", last_name="Eigenaar")
    km_actor = actor_for(km)
    phase = bulk.phase_add(
        actor=actor_for(make_member("accountmanager")), vacancy=place, starts_on=MARCH, places=40
    )
    bulk.cohort_add(
        actor=km_actor,
        vacancy=place,
        candidate=own,
        phase=phase,
        stage="scholing",
        preparation="logistieke cursus",
    )
    # An intermediary of the region does not see the person (no regional consent) ...
    intermediary = actor_for(make_member("intermediair"))
    shown, hidden = bulk_selectors.cohort_visible(actor=intermediary, vacancy=place)
    assert shown == [] and hidden == 1
    # ... but the planning counts include them.
    plan = bulk_selectors.planning(place)
    assert (plan[0].places, plan[0].preparing, plan[0].ready, plan[0].gap) == (40, 1, 0, 39)
    # The klantmanager sees them, and that read is in the access log with its purpose.
    before = AccessRecord.objects.filter(activity="candidate.cohort").count()
    shown, hidden = bulk_selectors.cohort_visible(actor=km_actor, vacancy=place)
    assert [m.candidate for m in shown] == [own] and hidden == 0
    assert AccessRecord.objects.filter(activity="candidate.cohort").count() == before + 1


@pytest.mark.django_db
def test_cohort_refuses_people_out_of_sight_and_employers(place, make_member, employer):
    km = make_member("klantmanager")
    stranger = CandidateFactory()  # served by nobody, no consent
    with pytest.raises(NotFoundError):
        bulk.cohort_add(actor=actor_for(km), vacancy=place, candidate=stranger)
    boss = actor_for(MembershipFactory(organisation=employer.organisation, role="werkgever"))
    own = CandidateFactory(served_by=km.organisation)
    with pytest.raises(PermissionDeniedError):
        bulk.cohort_add(actor=boss, vacancy=place, candidate=own)
    bulk.cohort_add(actor=actor_for(km), vacancy=place, candidate=own)
    with pytest.raises(ValidationError):
        bulk.cohort_add(actor=actor_for(km), vacancy=place, candidate=own)


@pytest.mark.django_db
def test_place_page_shows_phases_fill_chart_and_cohort(client, place, make_member):
    membership = make_member("accountmanager")
    actor = actor_for(membership)
    bulk.phase_add(actor=actor, vacancy=place, starts_on=MARCH, places=40, note="eerste ploeg")
    services.outside_fill_record(
        actor=actor,
        vacancy=place,
        places=4,
        filled_on=datetime.date(2026, 11, 2),
        reason="werkgever",
    )
    sign_in(client, membership.user)
    page = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid}))
    html = page.content.decode()
    assert "eerste ploeg" in html and "<svg" in html and "polyline" in html
    listing = client.get(reverse("vacancies:bulk"))
    assert place.title in listing.content.decode()
    [row] = listing.context["rows"]
    assert (row.places_filled, row.outside) == (4, 4)  # all four outside the platform


@pytest.mark.django_db
def test_phase_form_shows_the_error_and_stores_nothing(client, place, make_member):
    membership = make_member("accountmanager")
    sign_in(client, membership.user)
    response = client.post(
        reverse("vacancies:phase-add", kwargs={"uuid": place.uuid}),
        {"starts_on": "2027-03-01", "places": "500"},
        follow=True,
    )
    assert "500" in response.content.decode()
    assert not IntakePhase.objects.exists()


@pytest.mark.django_db
def test_api_phases_fill_rate_and_cohort(client, place, make_member):
    membership = make_member("accountmanager")
    sign_in(client, membership.user)
    url = reverse("api:vacancy-phases", kwargs={"uuid": place.uuid})
    created = client.post(
        url, {"startsOn": "2027-03-01", "places": 40}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        url, {"startsOn": "2027-04-01", "places": 61}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    rate = client.get(reverse("api:vacancy-fill-rate", kwargs={"uuid": place.uuid})).json()
    assert rate["phases"][0]["places"] == 40 and rate["phases"][0]["stillToFind"] == 40
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    bulk.cohort_add(actor=actor_for(km), vacancy=place, candidate=person)
    cohort_url = reverse("api:vacancy-cohort", kwargs={"uuid": place.uuid})
    # The account manager works for the gemeente that serves the person: named.
    cohort = client.get(cohort_url).json()
    assert [m["candidate"] for m in cohort["members"]] == [str(person.uuid)]
    # An intermediary of the region gets a count, no names.
    sign_in(client, make_member("intermediair").user)
    cohort = client.get(cohort_url).json()
    assert cohort["members"] == [] and cohort["othersNotVisible"] == 1


@pytest.mark.django_db
def test_hires_count_as_started_in_the_phase_of_their_start_date(place, am, make_member):
    """A hire through a proposal fills the intake moment it starts in; someone hired from
    the cohort moves to 'started' and is not counted twice."""
    bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=40)
    bulk.phase_add(actor=am, vacancy=place, starts_on=APRIL, places=60)
    km = make_member("klantmanager")
    boss = MembershipFactory(organisation=place.employer.organisation, role="werkgever")
    outside, prepared = (
        CandidateFactory(
            served_by=km.organisation, status="werkfit", availability_confirmed_at=timezone.now()
        )
        for _ in range(2)
    )
    bulk.cohort_add(
        actor=actor_for(km), vacancy=place, candidate=prepared, phase=place.phases.first()
    )
    for person, start in ((outside, APRIL + datetime.timedelta(days=10)), (prepared, MARCH)):
        proposal = proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
        proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
        outcomes.outcome_record(
            actor=actor_for(boss),
            proposal=Proposal.objects.get(pk=proposal.pk),
            hired=True,
            start_date=start,
            contract="tijdelijk",
        )
    march, april = bulk_selectors.planning(place)
    assert (march.started, march.gap) == (1, 39)  # the cohort member, once
    assert (april.started, april.gap) == (1, 59)  # the hire from outside the cohort


# --- #14 item 3: the fill comes from hires; places filled outside the platform apart -------


def _hire(place, km, boss, start):
    """A hire through a proposal (introduced, then hired by the employer)."""
    person = CandidateFactory(
        served_by=km.organisation, status="werkfit", availability_confirmed_at=timezone.now()
    )
    proposal = proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    outcomes.outcome_record(
        actor=actor_for(boss),
        proposal=Proposal.objects.get(pk=proposal.pk),
        hired=True,
        start_date=start,
        contract="tijdelijk",
    )
    return person


@pytest.mark.django_db
def test_nobody_can_type_a_fill_count(client, place, make_member):
    """The number filled is not a field anyone types: not the service, not the page."""
    membership = make_member("accountmanager")
    assert not hasattr(services, "vacancy_fill")
    sign_in(client, membership.user)
    client.post(
        reverse("vacancies:command", kwargs={"uuid": place.uuid}),
        {"command": "fill", "filled": "25"},
    )
    place.refresh_from_db()
    assert place.places_filled == 0
    page = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode()
    assert 'name="filled"' not in page


@pytest.mark.django_db
def test_the_fill_is_hires_plus_places_filled_outside_the_platform(client, place, make_member):
    membership = make_member("accountmanager")
    am = actor_for(membership)
    km = make_member("klantmanager")
    boss = MembershipFactory(organisation=place.employer.organisation, role="werkgever")
    bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=40)
    bulk.phase_add(actor=am, vacancy=place, starts_on=APRIL, places=60)
    _hire(place, km, boss, MARCH)
    _hire(place, km, boss, APRIL + datetime.timedelta(days=4))
    # Places filled outside the platform: a count, a date, a reason — never silently.
    with pytest.raises(ValidationError) as exc:
        services.outside_fill_record(
            actor=am, vacancy=place, places=3, filled_on=datetime.date(2026, 11, 2), reason=""
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # "other" needs the explanation
        services.outside_fill_record(
            actor=am, vacancy=place, places=3, filled_on=datetime.date(2026, 11, 2), reason="anders"
        )
    assert "explanation" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # not more than the places still open
        services.outside_fill_record(
            actor=am,
            vacancy=place,
            places=99,
            filled_on=datetime.date(2026, 11, 2),
            reason="werkgever",
        )
    assert "places" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # not in the future
        services.outside_fill_record(
            actor=am,
            vacancy=place,
            places=1,
            filled_on=timezone.localdate() + datetime.timedelta(days=1),
            reason="werkgever",
        )
    assert "filled_on" in exc.value.message_dict
    with pytest.raises(PermissionDeniedError):
        services.outside_fill_record(
            actor=actor_for(km),
            vacancy=place,
            places=1,
            filled_on=datetime.date(2026, 11, 2),
            reason="werkgever",
        )
    assert not OutsideFill.objects.exists()
    sign_in(client, membership.user)
    response = client.post(
        reverse("vacancies:outside-fill", kwargs={"uuid": place.uuid}),
        {"places": "3", "filled_on": "2026-11-02", "reason": "uitzendbureau"},
    )
    assert response.status_code == 302
    [fill] = OutsideFill.objects.all()
    assert (fill.places, fill.reason, fill.recorded_by, fill.recorded_for) == (
        3,
        "uitzendbureau",
        membership.user,
        membership.organisation,
    )
    assert AuditEvent.objects.filter(event="vacancy.filled_outside").count() == 1
    place.refresh_from_db()
    assert (place.places_filled, place.places_open) == (5, 95)
    # A bad form comes back with its message and what was typed.
    refused = client.post(
        reverse("vacancies:outside-fill", kwargs={"uuid": place.uuid}),
        {"places": "2", "filled_on": "2026-11-03", "reason": "anders", "explanation": ""},
    )
    assert refused.status_code == 400
    assert 'value="2026-11-03"' in refused.content.decode()
    assert OutsideFill.objects.count() == 1
    # The page shows them apart, with the reason, who and when.
    page = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode()
    assert "2 via het platform" in page and "3 buiten het platform" in page
    assert "via een uitzendbureau" in page and escape(membership.organisation.name) in page
    # Over time: a hire on its start of work, a place filled outside on its date.
    series = [
        (p.day, p.planned, p.via_platform, p.outside) for p in bulk_selectors.fill_series(place)
    ]
    assert series == [
        (datetime.date(2026, 11, 2), 0, 0, 3),
        (MARCH, 40, 1, 3),
        (APRIL, 100, 1, 3),
        (APRIL + datetime.timedelta(days=4), 100, 2, 3),
    ]
    assert [p.filled for p in bulk_selectors.fill_series(place)] == [3, 4, 4, 5]
    # The API says the same, apart.
    rate = client.get(reverse("api:vacancy-fill-rate", kwargs={"uuid": place.uuid})).json()
    assert (rate["placesFilled"], rate["filledViaPlatform"], rate["filledOutside"]) == (5, 2, 3)
    assert rate["outside"][0]["reason"] == "uitzendbureau"
    assert rate["series"][-1] == {
        "date": "2027-04-05",
        "planned": 100,
        "filled": 5,
        "viaPlatform": 2,
        "outside": 3,
    }


def test_typed_counts_become_places_filled_outside_the_platform_dated_honestly():
    """The data migration: what was typed above the hires becomes places filled outside the
    platform, each dated by the typed count from which on it stayed counted."""
    migration = importlib.import_module(
        "perspectief.vacancies.migrations.0005_fill_from_hires_and_outside_fills"
    )
    d = datetime.date
    # Typed 2 on 1 May, 5 on 3 May, 4 on 9 May; one hire recorded on 8 May; 4 now.
    typed = [(d(2026, 5, 1), 2), (d(2026, 5, 3), 5), (d(2026, 5, 9), 4)]
    hires = [d(2026, 5, 8)]
    assert migration.unexplained(typed, hires, filled_now=4, today=d(2026, 6, 1)) == [
        (d(2026, 5, 1), 2),
        (d(2026, 5, 3), 1),  # from 3 May on, typed stayed 3 above the hires
    ]
    # Nothing typed above the hires: nothing to take over.
    assert migration.unexplained([(d(2026, 5, 1), 1)], [d(2026, 4, 1)], 1, d(2026, 6, 1)) == []
    # A count set without any record of when: dated by the migration's day.
    assert migration.unexplained([], [], 3, d(2026, 6, 1)) == [(d(2026, 6, 1), 3)]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_on_typed_counts(place, am, make_member):
    """Migrating a database with typed counts: the part above the hires becomes places
    filled outside the platform, dated and explained; the hires stay hires."""
    before = [("vacancies", "0004_place_reference")]
    after = [("vacancies", "0005_fill_from_hires_and_outside_fills")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Proposal.objects.create(
        vacancy=place,
        candidate=CandidateFactory(),
        proposed_for=place.employer.organisation,
        status="hired",
        start_date=datetime.date(2026, 5, 8),
        outcome_at=timezone.make_aware(datetime.datetime(2026, 5, 8, 12)),
    )
    fill_event = old.get_model("vacancies", "FillEvent")
    for day, count in ((1, 2), (3, 5), (9, 4)):
        fill_event.objects.create(
            vacancy_id=place.pk,
            recorded_at=timezone.make_aware(datetime.datetime(2026, 5, day, 12)),
            places_filled=count,
        )
    old.get_model("vacancies", "Vacancy").objects.filter(pk=place.pk).update(places_filled=4)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    taken_over = list(
        OutsideFill.objects.filter(vacancy=place).values_list(
            "filled_on", "places", "reason", "recorded_by"
        )
    )
    assert taken_over == [
        (datetime.date(2026, 5, 1), 2, "getypt", None),
        (datetime.date(2026, 5, 3), 1, "getypt", None),
    ]
    # The rest of the test reads the place with today's model: the later migrations too.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    place.refresh_from_db()
    assert place.places_filled == 4  # 1 hire + 3 outside: the same number, now explained
    assert [p.filled for p in bulk_selectors.fill_series(place)][-1] == 4
