"""#20 item 2: ranking people for a place reads only those the engine could admit (within
their reach of the place, meeting its plain hard conditions) — and ranks exactly as over
everyone. Generated worlds: real PC4s around Amsterdam and far away, PC4s at exactly a
reach from a place (and a hair either side), people without a postcode, with the default
reach, with and without a licence, hours, load, start; places that ask each of these."""

import csv
import gzip
import math
import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    Consent,
    HealthInformation,
)
from perspectief.candidates.services.people import legal_basis_for
from perspectief.core.geo import EARTH_RADIUS_KM, haversine_km
from perspectief.matching import engine_records
from perspectief.matching.engine import records
from perspectief.matching.selectors import ranking
from perspectief.matching.within_reach import RING_EDGES_KM, could_rank
from perspectief.organisations.models import EmployerAccount
from perspectief.regions.loaders import POSTCODES_FILE
from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import Occupation, Sector, Skill
from perspectief.vacancies.models import Vacancy, VacancySkill
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DAM = (52.371, 4.9042)
#: Reaches people give, and the edges of the rings (the boundary cases).
REACHES = [None, None, 0, 1, 5, 5, 6, 10, 11, 15, 25, 25, 26, 40, 41, 75, 200]


def _skills(n_occupations=4):
    """A few occupations with their essential and optional skills (real ESCO URIs)."""
    with gzip.open(engine_records.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        rows = []
        for row in csv.DictReader(f):
            rows.append(row)
            if len({r["occupationUri"] for r in rows}) > n_occupations:
                break
    by_occupation: dict[str, list[str]] = {}
    for row in rows[:-1]:
        by_occupation.setdefault(row["occupationUri"], []).append(row["skillUri"])
    occupations = [
        Occupation.objects.create(uri=uri, label_nl=f"beroep {i}")
        for i, uri in enumerate(by_occupation)
    ]
    uris = sorted({uri for found in by_occupation.values() for uri in found[:8]})
    skills = [
        Skill.objects.create(uri=uri, label_nl=f"vaardigheid {i}", label_en=f"skill {i}")
        for i, uri in enumerate(uris)
    ]
    return occupations, skills


def _postcodes(world, rng):
    """Real PC4s within 60 km of the Dam and a few far away (Groningen, Maastricht)."""
    path = engine_records.ESCO_DIR.parents[2] / "data" / POSTCODES_FILE
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    near, far = [], []
    for row in rows:
        km = haversine_km(DAM, (float(row["lat"]), float(row["lon"])))
        (near if km < 60 else far).append(row)
    chosen = rng.sample(near, 70) + rng.sample(far, 8)
    return [
        Postcode.objects.get_or_create(
            code=row["pc4"],
            defaults={
                "latitude": float(row["lat"]),
                "longitude": float(row["lon"]),
                "municipality": world.amsterdam,
            },
        )[0]
        for row in chosen
    ]


def _taken(code: str) -> bool:
    return Postcode.objects.filter(code=code).exists()


def _at_reach(base: Postcode, km: float, world) -> Postcode:
    """A PC4 due north of ``base`` at ``km`` (the haversine of a pure latitude step)."""
    return Postcode.objects.create(
        code=next(str(c) for c in range(9999, 1000, -1) if not _taken(str(c))),
        latitude=base.latitude + math.degrees(km / EARTH_RADIUS_KM),
        longitude=base.longitude,
        municipality=world.amsterdam,
    )


def _people(world, km, rng, postcodes, skills, occupations, n=320):
    region = world.am18
    since = timezone.now()
    people = Candidate.objects.bulk_create(
        Candidate(
            first_name="Test",
            last_name=f"Persoon{i}",
            region=region,
            postcode=rng.choice(postcodes) if rng.random() > 0.08 else None,
            status=rng.choice(["werkfit"] * 8 + ["in_beeld", "geplaatst"]),
            availability_confirmed_at=since,
            hours_per_week=rng.choice([None, 16, 24, 32, 38]),
            max_travel_km=rng.choice(REACHES) if rng.random() < 0.7 else rng.randint(1, 60),
            driving_licence=rng.choice([None, True, False]),
            available_from=rng.choice([None, date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]),
            max_hours_per_week=rng.choice([None, None, 8, 12, 20, 24, 32, 40]),
            capacity=rng.choice(["", "hele_dagen", "halve_dagen", "enkele_uren", "nog_niet"]),
            max_physical_load=rng.choice(["", "light", "medium", "heavy"]),
            excluded_sectors=rng.choice(["", "", "G", "Q,H"]),
            work_readiness=rng.choice(["", "ready", "nearly", "not_yet"]),
            motivation=rng.choice(["", "hoog", "gemiddeld", "laag"]),
        )
        for i in range(n)
    )
    served = [p for p in people if rng.random() < 0.75]
    CandidateOrganisation.objects.bulk_create(
        CandidateOrganisation(
            candidate=p, organisation=km.organisation, legal_basis=legal_basis_for(km.organisation)
        )
        for p in served
    )
    Consent.objects.bulk_create(
        Consent(
            candidate=p,
            scope="regional_profile",
            method="in_person",
            statement_version="1",
            granted_at=since,
            approved_at=since,
        )
        for p in people
        if p not in served and rng.random() < 0.7
    )
    CandidateSkill.objects.bulk_create(
        CandidateSkill(candidate=p, skill=s, source="stated")
        for p in people
        for s in rng.sample(skills, rng.randint(0, 6))
    )
    Candidate.occupations.through.objects.bulk_create(
        Candidate.occupations.through(candidate=p, occupation=o)
        for p in people
        for o in rng.sample(occupations, rng.randint(0, 2))
    )
    CandidateTargetGroup.objects.bulk_create(
        CandidateTargetGroup(candidate=p, group="langdurig") for p in people if rng.random() < 0.3
    )
    HealthInformation.objects.bulk_create(
        HealthInformation(candidate=p, limitations=rng.choice(["noise", "heavy_lifting,noise"]))
        for p in people
        if rng.random() < 0.15
    )


def _places(world, rng, postcodes, skills, occupations, n=8):
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number=f"{rng.randint(10**7, 10**8 - 1)}",
    )
    sector, _new = Sector.objects.get_or_create(
        code="G", defaults={"name": "Handel", "division_from": "45", "division_to": "47"}
    )
    if rng.random() < 0.5:
        employer.sector = sector
        employer.save(update_fields=["sector"])
    places = []
    for i in range(n):
        hours = rng.choice([16, 24, 32, 38])
        place = Vacancy.objects.create(
            employer=employer,
            title=f"Plek {i}",
            place_type="job",
            occupation=rng.choice([None, *occupations]),
            hours_per_week=hours,
            min_hours_per_week=rng.choice([None, min(hours, 12)]),
            contract="vast",
            postcode=postcodes[i % len(postcodes)],
            places=1,
            status="open",
            driving_licence=rng.random() < 0.4,
            start_date=rng.choice([None, date(2027, 2, 1)]),
            physical_load=rng.choice(["", "light", "medium", "heavy"]),
            work_demands=rng.choice(["", "noise"]),
        )
        for skill in rng.sample(skills, rng.randint(0, 5)):
            VacancySkill.objects.create(
                vacancy=place,
                skill=skill,
                relation=rng.choice(["essential", "essential", "optional"]),
                teachable=rng.random() < 0.2,
            )
        places.append(place)
    return places


def _at(postcode, **asks) -> records.Vacancy:
    """A place's engine record at the PC4."""
    return records.Vacancy(id="v", lat=postcode.latitude, lon=postcode.longitude, **asks)


def _read_counts(monkeypatch):
    counts = []
    read = ranking.people_records

    def counting(queryset, **kwargs):
        found = read(queryset, **kwargs)
        counts.append(len(found))
        return found

    monkeypatch.setattr(ranking, "people_records", counting)
    return counts


def _around_the_dam(world, rng):
    """Occupations, skills and PC4s (:func:`_postcodes`), the Dam, and PC4s at exactly a
    reach from the Dam, a hair inside and outside it, and half a km beyond a ring's edge."""
    occupations, skills = _skills()
    postcodes = _postcodes(world, rng)
    dam = Postcode.objects.get(code="1011")
    edges = [
        _at_reach(dam, reach + hair, world)
        for reach, hair in ((5, 0.0), (10, 1e-9), (25, 0.0), (25, -1e-9), (40, 1e-9), (5, -1e-9))
    ] + [_at_reach(dam, edge + 0.5, world) for edge in (5, 10, 25, 40)]
    return occupations, skills, postcodes, dam, edges


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_over_those_within_reach_is_the_ranking_over_everyone(
    world, make_member, monkeypatch, seed
):
    rng = random.Random(seed)
    occupations, skills, postcodes, dam, edges = _around_the_dam(world, rng)
    km = make_member("klantmanager")
    _people(world, km, rng, [*postcodes, *edges, *edges, dam], skills, occupations)
    places = _places(world, rng, [dam, *rng.sample(postcodes, 7)], skills, occupations)
    actor = actor_for(km)
    counts = _read_counts(monkeypatch)
    for place in places:
        for k in (3, 1000):
            near = ranking.ranked_candidates(actor=actor, vacancy=place, k=k)
            everyone = ranking.ranked_candidates(actor=actor, vacancy=place, k=k, everyone=True)
            # repr: the same floats, bit for bit (and a NaN equal to itself).
            assert [(c.pk, repr(m)) for c, m in near] == [(c.pk, repr(m)) for c, m in everyone]
    # Fewer people read than everyone the adviser sees, and some ranked.
    assert sum(counts[0::2]) < sum(counts[1::2]) / 2
    assert any(ranking.ranked_candidates(actor=actor, vacancy=p) for p in places)


def test_the_people_at_the_edge_of_their_reach_are_read(world):
    """Someone exactly at their reach from the place (and a hair inside) is admitted by the
    engine; the filter keeps them, and those a hair beyond are left to the engine too."""
    dam = Postcode.objects.get(code="1011")
    rows = []
    for reach in (5, 10, 25, 40):
        for hair in (-1e-9, 0.0, 1e-9):
            pc = _at_reach(dam, reach + hair, world)
            for given in (reach, None) if reach == 25 else (reach,):
                rows.append((pc, given))
    # Just past a ring's inner edge, with a reach of the next whole km.
    for edge in RING_EDGES_KM[1:-1]:
        rows.append((_at_reach(dam, edge + 0.5, world), int(edge) + 1))
    people = Candidate.objects.bulk_create(
        Candidate(first_name="Rand", last_name=str(i), region=world.am18, postcode=pc,
                  max_travel_km=given)
        for i, (pc, given) in enumerate(rows)
    )  # fmt: skip
    near = could_rank(_at(dam))
    kept = set(Candidate.objects.filter(near).values_list("pk", flat=True))
    assert kept == {p.pk for p in people}


def test_farther_than_they_travel_or_without_a_postcode_is_not_read(world):
    dam = Postcode.objects.get(code="1011")
    far = _at_reach(dam, 30, world)
    farther = _at_reach(dam, 250, world)
    people = Candidate.objects.bulk_create(
        Candidate(first_name="Ver", last_name=str(i), region=world.am18, postcode=pc,
                  max_travel_km=reach)
        for i, (pc, reach) in enumerate(
            [(far, 25), (far, None), (far, 30), (farther, 40), (None, 200), (dam, 0),
             (farther, 51)]
        )
    )  # fmt: skip
    near = could_rank(_at(dam))
    kept = set(Candidate.objects.filter(near).values_list("pk", flat=True))
    # Who travels farther than the rings reach is read wherever they live.
    assert kept == {people[2].pk, people[5].pk, people[6].pk}


def test_a_place_asks_a_licence_a_start_hours_and_a_load(world):
    dam = Postcode.objects.get(code="1011")
    start = date(2027, 2, 1)
    spec = [
        {"driving_licence": True},
        {"driving_licence": None},  # unknown: no licence, as the engine reads it
        {"driving_licence": True, "available_from": start},
        {"driving_licence": True, "available_from": start + timedelta(days=1)},
        {"driving_licence": True, "max_hours_per_week": 24},
        {"driving_licence": True, "max_hours_per_week": 23},
        {"driving_licence": True, "capacity": "halve_dagen"},  # 20 hours
        {"driving_licence": True, "capacity": "halve_dagen", "max_hours_per_week": 30},
        {"driving_licence": True, "max_physical_load": "light"},
        {"driving_licence": True, "max_physical_load": "medium"},
    ]
    people = Candidate.objects.bulk_create(
        Candidate(first_name="Eis", last_name=str(i), region=world.am18, postcode=dam, **extra)
        for i, extra in enumerate(spec)
    )
    place = _at(
        dam, hours=32, min_hours=24, driving_licence_required=True, start_date=start, load=2
    )
    near = could_rank(place)
    kept = set(Candidate.objects.filter(near).values_list("last_name", flat=True))
    assert kept == {"0", "2", "4", "7", "9"}
    assert len(people) == len(spec)


def _places_read(monkeypatch):
    counts = []
    read = ranking.places_for_engine

    def counting(queryset):
        found = list(read(queryset))
        counts.append(len(found))
        return found

    monkeypatch.setattr(ranking, "places_for_engine", counting)
    return counts


@pytest.mark.parametrize("seed", [1, 2])
def test_the_places_within_a_persons_reach_rank_as_every_place(
    world, make_member, monkeypatch, seed
):
    """The other way round: the best places for a person read only the places within the
    person's reach, and rank exactly as over every open place the adviser sees."""
    rng = random.Random(seed)
    occupations, skills, postcodes, dam, edges = _around_the_dam(world, rng)
    km = make_member("klantmanager")
    _people(world, km, rng, [dam, dam, dam, *rng.sample(postcodes, 8)], skills, occupations, n=36)
    _places(world, rng, [*edges, *edges, *postcodes], skills, occupations, n=90)
    actor = actor_for(km)
    counts = _places_read(monkeypatch)
    ranked, read = 0, {True: 0, False: 0}
    for person in Candidate.objects.order_by("pk"):
        found = {}
        for everyone in (False, True):
            before = len(counts)
            found[everyone] = ranking.ranked_places(
                actor=actor, candidate=person, k=1000, everyone=everyone
            )
            read[everyone] += sum(counts[before:])
        # repr: the same floats, bit for bit.
        assert [(v.pk, repr(m)) for v, m in found[False]] == [
            (v.pk, repr(m)) for v, m in found[True]
        ]
        ranked += bool(found[False])
    assert ranked and read[False] < read[True] * 0.75, read  # fewer places read


def test_a_place_at_the_edge_of_a_persons_reach_is_read(world):
    from perspectief.matching.within_reach import places_within_reach

    dam = Postcode.objects.get(code="1011")
    at = {(reach, hair): _at_reach(dam, reach + hair, world)
          for reach in (0, 5, 25) for hair in (-1e-9, 0.0, 1e-9, 0.5)}  # fmt: skip
    occupations, skills = _skills()
    _places(world, random.Random(1), list(at.values()), skills, occupations, n=len(at))
    for reach in (0, 5, None):
        person = records.Candidate(id="c", lat=dam.latitude, lon=dam.longitude,
                                   max_distance_km=reach)  # fmt: skip
        near = places_within_reach(person)
        kept = set(Vacancy.objects.filter(near).values_list("postcode_id", flat=True))
        edge = 25 if reach is None else reach
        # Within reach, at it and a hair beyond (left to the engine): read; half a km
        # beyond: not read.
        assert {pc.pk for (e, hair), pc in at.items() if e == edge and hair < 0.5} <= kept
        assert at[(edge, 0.5)].pk not in kept
    assert places_within_reach(records.Candidate(id="c")) is None  # no location: no place
