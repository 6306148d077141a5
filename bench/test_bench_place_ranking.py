"""Benchmark (issue #20 item 2): the best people for a place, for a klantmanager of Groot
Amsterdam whose gemeente serves 60,000 matchable people spread over the region's PC4s (the
shipped reference data), with the demo's travel distances (5-40 km, or none given: the
default). Five places at PC4s of the region, occupations and skills from ESCO.

Before and after in the same run: ``before`` reads everyone the adviser may see (the
ranking's ``everyone``, and for the page :func:`..within_reach.could_rank` switched off),
``after`` only the people the engine could admit. Per place: the selector
(``ranked_candidates``) and the whole page with Django's test client; the people read and
the queries. The rankings are compared (the same, or the bench fails).

On the database of the run (SQLite, or PostgreSQL when DATABASE_URL points at it).
``BENCH_LABEL`` names the figures. Results in bench/results/place_ranking.json."""

import os
import random
import statistics
import time
from pathlib import Path

import pytest

RESULTS = Path(__file__).resolve().parent / "results" / "place_ranking.json"
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "60000"))
PLACES = int(os.environ.get("BENCH_PLACES", "5"))
REACHES = [5, 10, 15, 25, 40]


def _concepts(rng):
    """60 ESCO occupations with at least four essential skills, as taxonomy rows."""
    from benchlib import DATA

    from perspectief.matching.engine.taxonomy import load_occupation_skills
    from perspectief.matching.engine_records import taxonomy
    from perspectief.taxonomy.models import Occupation, Skill

    essential, _optional = load_occupation_skills(DATA / "esco" / "v1.1.1")
    tx = taxonomy()
    uris = sorted(o for o, s in essential.items() if len(s) >= 4 and o in tx.occupations)
    chosen = rng.sample(uris, 60)
    occupations = Occupation.objects.bulk_create(
        Occupation(uri=uri, label_nl=f"beroep {i}") for i, uri in enumerate(chosen)
    )
    skill_uris = sorted({s for o in chosen for s in essential[o] if s in tx.skills})
    skills = Skill.objects.bulk_create(
        Skill(uri=uri, label_nl=f"vaardigheid {i}", label_en=f"skill {i}")
        for i, uri in enumerate(skill_uris)
    )
    by_uri = {s.uri: s for s in skills}
    profiles = [(o, [by_uri[s] for s in essential[o.uri] if s in by_uri]) for o in occupations]
    return profiles, skills


def _people(rng, region, postcodes, gemeente, profiles, skills):
    from benchlib import serve
    from django.utils import timezone

    from perspectief.candidates.models import Candidate, CandidateSkill

    now = timezone.now()
    people = Candidate.objects.bulk_create(
        (
            Candidate(
                first_name=f"Voornaam{i}",
                last_name=f"Achternaam{i:06d}",
                region=region,
                postcode=rng.choice(postcodes),
                status="werkfit",
                availability_confirmed_at=now,
                hours_per_week=rng.choice([16, 24, 32, 36]),
                max_travel_km=rng.choice(REACHES) if rng.random() < 0.7 else None,
                driving_licence=rng.random() < 0.4,
            )
            for i in range(PEOPLE)
        ),
        batch_size=5000,
    )
    serve(people, gemeente)
    Through = Candidate.occupations.through
    rows, held = [], []
    for p in people:
        occupation, essential = rng.choice(profiles)
        rows.append(Through(candidate=p, occupation=occupation))
        mine = {s for s in essential if rng.random() < 0.7} | set(rng.sample(skills, 2))
        held += [CandidateSkill(candidate=p, skill=s, source="stated") for s in mine]
    Through.objects.bulk_create(rows, batch_size=5000)
    CandidateSkill.objects.bulk_create(held, batch_size=5000)
    return people


def _places(rng, town, postcodes, profiles):
    from tests.factories import OrganisationFactory

    from perspectief.organisations.models import EmployerAccount
    from perspectief.vacancies.models import Vacancy, VacancySkill

    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=town, region=town.region),
        kvk_number="55555555",
    )
    places = []
    for i in range(PLACES):
        occupation, essential = rng.choice(profiles)
        place = Vacancy.objects.create(
            employer=employer,
            title=f"Plek {i}",
            place_type="job",
            occupation=occupation,
            hours_per_week=32,
            contract="vast",
            postcode=rng.choice(postcodes),
            places=2,
            status="open",
        )
        VacancySkill.objects.bulk_create(
            VacancySkill(vacancy=place, skill=s, relation="essential") for s in essential[:8]
        )
        places.append(place)
    return places


def _median_ms(fn, places, repeat=2) -> float:
    """The median over the places of each place's median of ``repeat`` calls (after one)."""
    per_place = []
    for place in places:
        fn(place)
        times = []
        for _i in range(repeat):
            start = time.perf_counter()
            fn(place)
            times.append(time.perf_counter() - start)
        per_place.append(statistics.median(times))
    return round(1000 * statistics.median(per_place), 1)


@pytest.mark.bench
@pytest.mark.timeout(3600)
@pytest.mark.django_db
def test_bench_the_best_people_for_a_place(client, monkeypatch):
    from benchlib import keep
    from django.db import connection
    from django.urls import reverse
    from tests.conftest import sign_in
    from tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        TOTPDeviceFactory,
        UserFactory,
    )

    from perspectief.accounts.actor import actor_for
    from perspectief.matching.selectors import ranking
    from perspectief.regions.loaders import load_regions
    from perspectief.regions.models import Municipality, Postcode, Region

    rng = random.Random(20261207)
    start = time.perf_counter()
    load_regions()
    region = Region.objects.get(code="AM18")
    town = Municipality.objects.get(code="GM0363")
    postcodes = list(Postcode.objects.filter(municipality__region=region))
    gemeente = OrganisationFactory(kind="gemeente", municipality=town, region=region)
    km = MembershipFactory(user=UserFactory(), organisation=gemeente, role="klantmanager")
    TOTPDeviceFactory(user=km.user)
    profiles, skills = _concepts(rng)
    _people(rng, region, postcodes, gemeente, profiles, skills)
    places = _places(rng, town, postcodes, profiles)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = round(time.perf_counter() - start, 1)
    actor = actor_for(km)

    read = []
    records = ranking.people_records

    def counting(queryset, **kwargs):
        found = records(queryset, **kwargs)
        read.append(len(found))
        return found

    monkeypatch.setattr(ranking, "people_records", counting)
    for place in places:  # the same ranking, or no figures
        near = ranking.ranked_candidates(actor=actor, vacancy=place)
        everyone = ranking.ranked_candidates(actor=actor, vacancy=place, everyone=True)
        assert [(c.pk, repr(m)) for c, m in near] == [(c.pk, repr(m)) for c, m in everyone]
    if os.environ.get("BENCH_PROFILE"):  # where the time goes, to a file of pstats
        import cProfile

        cProfile.runctx(
            "for p in places: ranking.ranked_candidates(actor=actor, vacancy=p)",
            globals(),
            {"places": places, "ranking": ranking, "actor": actor},
            os.environ["BENCH_PROFILE"],
        )
    result = {
        "people": PEOPLE,
        "places": PLACES,
        "database": connection.vendor,
        "setup_s": built,
        "people_read_before": round(statistics.mean(read[1::2])),
        "people_read_after": round(statistics.mean(read[0::2])),
        "ranked_before_ms": _median_ms(
            lambda p: ranking.ranked_candidates(actor=actor, vacancy=p, everyone=True), places
        ),
        "ranked_after_ms": _median_ms(
            lambda p: ranking.ranked_candidates(actor=actor, vacancy=p), places
        ),
    }
    sign_in(client, km.user)

    def page(place):
        response = client.get(reverse("matching:candidates", args=[place.uuid]))
        assert response.status_code == 200, response.status_code

    result["page_after_ms"] = _median_ms(page, places)
    with monkeypatch.context() as before:
        before.setattr(ranking, "could_rank", lambda place: None)
        result["page_before_ms"] = _median_ms(page, places)
    keep(RESULTS, f"{connection.vendor}_{os.environ.get('BENCH_LABEL', 'latest')}", result)
    assert result["people_read_after"] < result["people_read_before"]
