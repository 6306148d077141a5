"""``perspectief demo --scale national``: a national population on top of the regional demo
(issue #20, item 2) — about a million job seekers over the 35 arbeidsmarktregio's, about a
hundred thousand places, and two years of their history, written in bulk
(:mod:`perspectief.demo.bulk`: COPY on PostgreSQL).

Every region gets a share of the people and places in proportion to its postcode areas (the
reference data's measure of where people live). Each person is drawn by the regional demo's
own generator (:class:`perspectief.demo.candidates.Generator`: the same value rules, ESCO
occupations and skills, gaps and soft factors), with a valid BSN (elfproef, unique, stored
encrypted with its blind index and partner code), served by the region's gemeente or UWV
office as the regional demo serves them, and lives the history's journey
(:func:`perspectief.demo.history_lives.live`): registered in the past two years, in view,
werkfit or a course, placed through a proposal for one of the region's places (with the
person's consent for the introduction) or a job found outside the platform, with the
support plan that follows and its outcome, every step a dated journey transition. About
three in ten gave consent for a regional profile (as in the regional demo).

Deterministic (a seeded stream per region) and resumable: a region whose national employers
exist is left alone. One audit event per region sums up what was made; the per-person
access records of the regional demo are not written at this scale."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from faker import Faker

from perspectief.accounts.models import Membership, User
from perspectief.audit import services as audit
from perspectief.candidates.models import Candidate
from perspectief.demo import bulk
from perspectief.demo.candidates import Generator, _organisations
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.national_people import KEYED, Batch, add_person
from perspectief.demo.national_work import Work, national_mark
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Postcode, Region

NATIONAL_PEOPLE = 1_000_000
NATIONAL_PLACES = 100_000
#: The most people the national population may have on SQLite (a test's size; the national
#: scale is for PostgreSQL).
SQLITE_MAX_PEOPLE = 50_000
#: People written per COPY round (memory stays bounded).
CHUNK = 20_000
SEED = "national-20261207"
NAMES = 400  # first and last names drawn per region (Faker once, then from the pool)


class Names:
    """First and last names drawn once per region from Faker's Dutch names, then picked
    from that pool with the person's random stream (Faker per person is the slow part)."""

    def __init__(self, region: str, rng: random.Random):
        fake = Faker("nl_NL")
        fake.seed_instance(f"{SEED}:{region}")
        self._first = [fake.first_name() for _ in range(NAMES)]
        self._last = [fake.last_name() for _ in range(NAMES)]
        self._rng = rng

    def first_name(self) -> str:
        return self._rng.choice(self._first)

    def last_name(self) -> str:
        return self._rng.choice(self._last)


def apportion(total: int, weights: dict[int, int]) -> dict[int, int]:
    """``total`` split over the keys in proportion to their weights (largest remainder), so
    the parts add up to ``total`` exactly."""
    whole = sum(weights.values()) or 1
    exact = {key: total * weight / whole for key, weight in weights.items()}
    parts = {key: int(value) for key, value in exact.items()}
    left = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (parts[k] - exact[k], k))[:left]:
        parts[key] += 1
    return parts


@dataclass
class Region_:
    """One region's part of the national population, and who serves its people."""

    region: Region
    people: int
    places: int
    postcodes: list[Postcode]
    gemeente: object
    uwv: object
    klantmanagers: dict[int, User] = field(default_factory=dict)
    ids: dict = field(default_factory=lambda: {model: bulk.Ids(model) for model in KEYED})


def create_national_population(
    *,
    people: int = NATIONAL_PEOPLE,
    places: int = NATIONAL_PLACES,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """The national population over every region that has none yet. Returns what was made
    per kind (rows)."""
    refuse_in_production()
    today = today or timezone.localdate()
    regions = list(Region.objects.annotate(n=Count("municipalities")).order_by("code"))
    weights = {r.pk: r.n for r in regions}
    people_per, places_per = apportion(people, weights), apportion(places, weights)
    generator = Generator()
    taken = {
        index
        for index in Candidate.objects.exclude(bsn_index=None).values_list("bsn_index", flat=True)
        if index
    }
    klantmanagers = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role="klantmanager").select_related("user")
    }
    made: dict[str, int] = {}
    for region in regions:
        if Organisation.objects.filter(region=region, name__endswith=national_mark()).exists():
            continue  # made before (resumable)
        postcodes = list(
            Postcode.objects.filter(municipality__region=region)
            .select_related("municipality__region")
            .order_by("code")
        )
        if not postcodes:
            continue
        gemeente, uwv = _organisations(region)
        part = Region_(
            region, people_per[region.pk], places_per[region.pk], postcodes, gemeente, uwv
        )
        part.klantmanagers = klantmanagers
        counts = _region(part, generator, taken, today)
        for kind, n in counts.items():
            made[kind] = made.get(kind, 0) + n
        if progress:
            progress(f"{region.code} {region.name}: {counts.get('people', 0)}")
    if made and bulk.on_postgresql():
        # The planner's statistics for the new rows, and (outside a transaction) the
        # visibility map that lets the indexes answer without reading the table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return made


@transaction.atomic
def _region(part: Region_, generator: Generator, taken: set[str], today: date) -> dict[str, int]:
    """One region: its employers and places, then its people in chunks, then the places'
    filled counts (written last: the hires are counted while the people are drawn)."""
    rng = random.Random(f"{SEED}:{part.region.code}")
    names = Names(part.region.code, rng)
    work = Work.make(part.region, part.places, generator.profiles, rng, today)
    counts: dict[str, int] = {}
    done = 0
    while done < part.people:
        size = min(CHUNK, part.people - done)
        batch = Batch()
        for _ in range(size):
            add_person(batch, part, generator, names, rng, taken, work, today)
        for kind, n in batch.write().items():
            counts[kind] = counts.get(kind, 0) + n
        done += size
    counts["places"] = work.write()
    counts["people"] = done
    audit.record(
        "demo.national_created",
        actor=None,
        target=part.region,
        changes={kind: [None, n] for kind, n in sorted(counts.items())}
        | {"until": [None, str(today)], "from": [None, str(today - timedelta(days=730))]},
    )
    return counts
