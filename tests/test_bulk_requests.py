"""Bulk requests: intake phases never ask more than the place has, the fill rate over time
comes from recorded fill counts, and the cohort shows each organisation only the people it
may see (the rest as a count), with every person shown in the access log."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies import bulk, services
from perspectief.vacancies.models import FillEvent, IntakePhase, Vacancy

from .conftest import sign_in
from .factories import CandidateFactory, MembershipFactory, OrganisationFactory


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
def test_fill_rate_over_time_follows_the_recorded_counts_and_the_phases(place, am):
    bulk.phase_add(actor=am, vacancy=place, starts_on=MARCH, places=40)
    bulk.phase_add(actor=am, vacancy=place, starts_on=APRIL, places=60)
    services.vacancy_fill(actor=am, vacancy=place, filled=10)
    services.vacancy_fill(actor=am, vacancy=place, filled=10)  # unchanged: no new record
    services.vacancy_fill(actor=am, vacancy=place, filled=25)
    assert list(place.fill_events.values_list("places_filled", flat=True)) == [10, 25]
    # Move the records to known days to read the series.
    events = list(place.fill_events.order_by("id"))
    for event, day in zip(
        events, (datetime.date(2027, 3, 10), datetime.date(2027, 4, 20)), strict=True
    ):
        event.recorded_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        event.save()
    series = [(p.day, p.planned, p.filled) for p in bulk.fill_series(place)]
    assert series == [
        (MARCH, 40, 0),
        (datetime.date(2027, 3, 10), 40, 10),
        (APRIL, 100, 10),
        (datetime.date(2027, 4, 20), 100, 25),
    ]
    chart = bulk.chart(bulk.fill_series(place), place.places)
    assert chart["planned"].count(",") >= 4 and chart["top"] == 100


@pytest.mark.django_db
def test_the_last_count_of_a_day_counts(place, am):
    noon = timezone.now().replace(hour=12)
    FillEvent.objects.create(vacancy=place, recorded_at=noon, places_filled=3)
    FillEvent.objects.create(vacancy=place, recorded_at=noon.replace(hour=15), places_filled=5)
    assert [p.filled for p in bulk.fill_series(place)] == [5]


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
    shown, hidden = bulk.cohort_visible(actor=intermediary, vacancy=place)
    assert shown == [] and hidden == 1
    # ... but the planning counts include them.
    plan = bulk.planning(place)
    assert (plan[0].places, plan[0].preparing, plan[0].ready, plan[0].gap) == (40, 1, 0, 39)
    # The klantmanager sees them, and that read is in the access log with its purpose.
    before = AccessRecord.objects.filter(activity="candidate.cohort").count()
    shown, hidden = bulk.cohort_visible(actor=km_actor, vacancy=place)
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
    services.vacancy_fill(actor=actor, vacancy=place, filled=4)
    sign_in(client, membership.user)
    page = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid}))
    html = page.content.decode()
    assert "eerste ploeg" in html and "<svg" in html and "polyline" in html
    listing = client.get(reverse("vacancies:bulk")).content.decode()
    assert place.title in listing


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
def test_fill_rate_days_are_dutch_days_not_utc_days(place, am):
    """A count recorded at 00:30 in Amsterdam (23:30 UTC the day before) is of that day."""
    import datetime as dt

    from perspectief.vacancies import bulk
    from perspectief.vacancies.models import FillEvent

    moment = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    FillEvent.objects.create(vacancy=place, recorded_at=moment, places_filled=3)
    [point] = [p for p in bulk.fill_series(place) if p.filled == 3]
    assert point.day == dt.date(2026, 11, 24)


@pytest.mark.django_db
def test_hires_count_as_started_in_the_phase_of_their_start_date(place, am, make_member):
    """A hire through a proposal fills the intake moment it starts in; someone hired from
    the cohort moves to 'started' and is not counted twice."""
    from perspectief.matching import services as matching
    from perspectief.matching.models import Proposal

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
        proposal = matching.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
        matching.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
        matching.outcome_record(
            actor=actor_for(boss),
            proposal=Proposal.objects.get(pk=proposal.pk),
            hired=True,
            start_date=start,
            contract="tijdelijk",
        )
    march, april = bulk.planning(place)
    assert (march.started, march.gap) == (1, 39)  # the cohort member, once
    assert (april.started, april.gap) == (1, 59)  # the hire from outside the cohort
