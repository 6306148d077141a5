"""Where the engine's soft factors come from (#18, docs/matching.md "Zachte factoren"): the
profile and the place mapped into the engine's records, functional limitations only for a
user who holds the health permission for that person, in a fixed number of queries, and
nothing of it ever shown to an employer."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import Candidate, HealthInformation
from perspectief.matching import engine_records
from perspectief.matching.engine import records
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.selectors import ranking
from perspectief.matching.services import proposals, runs
from perspectief.taxonomy.constants import Support, WorkDemand
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import Vacancy
from tests.conftest import matchable_person, sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _loaded(person, actor=None):
    qs = Candidate.objects.filter(pk=person.pk)
    return engine_records.people_for_engine(qs, actor=actor).get()


def test_the_codes_are_the_engines():
    assert tuple(Support.values) == records.SUPPORT
    assert tuple(WorkDemand.values) == records.DEMANDS


def test_the_person_record_carries_the_soft_factors(place, esco, make_member):
    km = make_member("klantmanager")
    person = matchable_person(
        km,
        [],
        work_readiness="nearly",
        motivation="gemiddeld",
        capacity="halve_dagen",
        max_physical_load="medium",
        excluded_sectors="G,Q",
        support_needs="jobcoach,flexible_hours",
    )
    record = engine_records.candidate_record(_loaded(person))
    assert (record.readiness, record.motivation) == (0.5, 0.6)
    assert record.max_hours == 20  # from "halve dagen": no number given
    assert (record.max_load, record.excluded_sectors) == (2, ["G", "Q"])
    assert record.needs == ["jobcoach", "flexible_hours"] and record.ready_from is None
    assert record.hours == 32  # the hours the person wants stay apart
    Candidate.objects.filter(pk=person.pk).update(max_hours_per_week=16)
    assert engine_records.candidate_record(_loaded(person)).max_hours == 16


@pytest.mark.parametrize(
    ("readiness", "motivation", "capacity", "expected"),
    [
        ("ready", "hoog", "hele_dagen", (1.0, 1.0, None)),
        ("nearly", "gemiddeld", "halve_dagen", (0.5, 0.6, 20)),
        ("not_yet", "laag", "enkele_uren", (0.0, 0.2, 12)),
        ("", "", "nog_niet", (None, None, 0)),
        ("", "", "", (None, None, None)),  # unknown never counts against a person
    ],
)
def test_readiness_motivation_and_capacity_map_to_the_engines_scale(
    world, make_member, readiness, motivation, capacity, expected
):
    km = make_member("klantmanager")
    person = matchable_person(
        km, [], work_readiness=readiness, motivation=motivation, capacity=capacity
    )
    record = engine_records.candidate_record(_loaded(person))
    assert (record.readiness, record.motivation, record.max_hours) == expected


def test_the_place_record_carries_what_it_asks_and_offers(place):
    transport = Sector.objects.create(
        code="H", name="Vervoer en opslag", division_from="49", division_to="53"
    )
    place.employer.sector = transport
    place.employer.save(update_fields=["sector"])
    Vacancy.objects.filter(pk=place.pk).update(
        place_type="aangepaste_plek",
        min_hours_per_week=24,
        physical_load="heavy",
        support_offered="jobcoach",
        work_demands="heavy_lifting,night_shifts",
    )
    [loaded] = engine_records.places_for_engine(Vacancy.objects.filter(pk=place.pk))
    v = engine_records.vacancy_record(loaded)
    assert (v.min_hours, v.load, v.sector) == (24, 3, "H")
    assert v.offers == ["adjusted", "jobcoach"]  # an adjusted place offers an adjusted place
    assert v.demands == ["heavy_lifting", "night_shifts"]
    Vacancy.objects.filter(pk=place.pk).update(place_type="job", support_offered="")
    place.employer.sector = None
    place.employer.save(update_fields=["sector"])
    [loaded] = engine_records.places_for_engine(Vacancy.objects.filter(pk=place.pk))
    v = engine_records.vacancy_record(loaded)
    assert (v.offers, v.sector) == ([], None)


def test_limitations_only_for_who_holds_the_health_permission_for_that_person(world, make_member):
    km = make_member("klantmanager")  # serves the person, holds the health permission
    person = matchable_person(km, [], regional_consent=True)
    HealthInformation.objects.create(
        candidate=person, functional_limitations="Rug", limitations="heavy_lifting,noise"
    )
    own = _loaded(person, actor_for(km))
    assert own.health_visible and own.limitation_codes == "heavy_lifting,noise"
    record = engine_records.candidate_record(own, health=own.health_visible)
    assert record.limitations == ["heavy_lifting", "noise"]
    # Without ``health`` the record has none, whoever loaded the person.
    assert engine_records.candidate_record(own).limitations == []
    others = [
        make_member("intermediair"),  # sees the person through consent, no health permission
        make_member("accountmanager"),  # no health permission
        MembershipFactory(  # the health permission, but another organisation
            organisation=make_member("klantmanager", "AM22").organisation, role="jobcoach"
        ),
    ]
    for member in others:
        seen = _loaded(person, actor_for(member))
        assert not seen.health_visible and seen.limitation_codes is None
        assert engine_records.candidate_record(seen, health=seen.health_visible).limitations == []
    # A matching run works for the organisation without the health permission.
    run_actor = runs.run_actor(SimpleNamespace(started_for=km.organisation, started_by=km.user))
    in_run = _loaded(person, run_actor)
    assert not in_run.health_visible and in_run.limitation_codes is None


def test_rankings_use_limitations_only_where_the_adviser_may_see_them(
    place, esco, make_member, monkeypatch
):
    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills, regional_consent=True)
    HealthInformation.objects.create(candidate=person, limitations="night_shifts")
    built = []

    class Spy(ranking.CandidateIndex):
        def __init__(self, taxonomy, people, weights=None):
            built.extend(people)
            super().__init__(taxonomy, people, weights)

    monkeypatch.setattr(ranking, "CandidateIndex", Spy)
    ranking.ranked_candidates(actor=actor_for(km), vacancy=place)
    assert [r.limitations for r in built] == [["night_shifts"]]
    logged = AccessRecord.objects.for_subject("candidate", person.uuid)
    # The ranking used them: logged under the health activity too.
    assert logged.filter(activity="candidate.health").count() == 1
    built.clear()
    ranking.ranked_candidates(actor=actor_for(make_member("intermediair")), vacancy=place)
    assert [r.limitations for r in built] == [[]]
    # Places for the person, likewise.
    asked = []
    original = ranking.VacancyIndex.top_for_candidate

    def spy(self, candidate, k):
        asked.append(candidate)
        return original(self, candidate, k)

    monkeypatch.setattr(ranking.VacancyIndex, "top_for_candidate", spy)
    ranking.ranked_places(actor=actor_for(km), candidate=person)
    assert asked[-1].limitations == ["night_shifts"]
    ranking.ranked_places(actor=actor_for(make_member("intermediair")), candidate=person)
    assert asked[-1].limitations == []


def test_people_and_places_load_in_a_fixed_number_of_queries(world, esco, place, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    actor = actor_for(km)

    def people_queries():
        with CaptureQueriesContext(connection) as captured:
            people = engine_records.people_for_engine(
                Candidate.objects.visible_to(actor).matchable(), actor=actor
            )
            for p in people:
                engine_records.candidate_record(p, health=p.health_visible)
        return len(captured)

    def place_queries():
        with CaptureQueriesContext(connection) as captured:
            for v in engine_records.places_for_engine(Vacancy.objects.all()):
                engine_records.vacancy_record(v)
        return len(captured)

    first = matchable_person(km, skills, excluded_sectors="G", support_needs="jobcoach")
    HealthInformation.objects.create(candidate=first, limitations="noise")
    one_person, one_place = people_queries(), place_queries()
    for _ in range(4):
        more = matchable_person(km, skills[:1], max_physical_load="light")
        HealthInformation.objects.create(candidate=more, limitations="night_shifts")
    for title in ("Twee", "Drie"):
        Vacancy.objects.create(
            employer=place.employer,
            title=title,
            place_type="aangepaste_plek",
            hours_per_week=20,
            min_hours_per_week=12,
            contract="vast",
            postcode=place.postcode,
            places=1,
            status="open",
            work_demands="noise",
        )
    assert people_queries() == one_person
    assert place_queries() == one_place


def test_an_employer_never_sees_limitations_or_health(client, world, make_member):
    from .test_employer_view import _employer

    km = make_member("klantmanager")
    person = matchable_person(km, [], regional_consent=True, max_physical_load="light")
    HealthInformation.objects.create(
        candidate=person,
        functional_limitations="Zeldzame rugklachten",
        adjustments="Sta-bureau",
        limitations="heavy_lifting,night_shifts",
    )
    account, boss, place = _employer(world)
    proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    employer = actor_for(boss)
    # Loaded for the engine on the employer's behalf: no health, whatever the caller asks.
    seen = _loaded(person, employer)
    assert not seen.health_visible and seen.limitation_codes is None
    # The employer's projection, pages and API hold nothing of it.
    data = employer_side.profiles_for(employer, account, [person])[person.pk]
    text = repr(data).lower()
    for secret in ("rugklachten", "sta-bureau", "heavy_lifting", "night_shifts", "limitation"):
        assert secret not in text
    sign_in(client, boss.user)
    pages = [
        client.get(reverse("employer:place", kwargs={"uuid": place.uuid})).content.decode(),
        client.get(reverse("api:employer-proposals")).content.decode(),
        client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode(),
    ]
    for page in pages:
        for secret in ("rugklachten", "Sta-bureau", "heavy_lifting", "night_shifts"):
            assert secret.lower() not in page.lower()
    assert client.get(reverse("candidates:health", args=[person.uuid])).status_code in (403, 404)
