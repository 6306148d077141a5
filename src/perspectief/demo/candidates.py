"""Generated job seekers for every region: realistic, deterministic (fixed seed), with the
gaps real files have (missing education level, unconfirmed availability, no BSN)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from faker import Faker

from perspectief.accounts.models import Membership
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import (
    Barrier,
    Benefit,
    Capacity,
    ConsentMethod,
    ConsentScope,
    LanguageLevel,
    Motivation,
    SkillSource,
    TargetGroup,
    Transport,
    WorkReadiness,
)
from perspectief.candidates.import_writer import BatchWriter, ParsedRow
from perspectief.candidates.models import Candidate, Consent, JourneyTransition
from perspectief.candidates.services.people import CandidateInput
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.profiles import Profiles
from perspectief.imports.rows import Counts
from perspectief.imports.tasks import import_actor
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.models import EducationLevel

SEED = 20261123
PER_REGION = 60
PER_DEMO_ORGANISATION = 150

BENEFITS = [Benefit.BIJSTAND] * 5 + [Benefit.WW] * 2 + [Benefit.WAJONG, Benefit.NONE, Benefit.WIA]
LEVELS = ["PO", "VMBO_BB", "VMBO_KGT", "MBO1", "MBO2", "MBO2", "MBO3", "HAVO", "MBO4", None, None]


#: How a demo person's skills are known. Not "door scholing": that comes with a completed
#: course on the route (``demo/routes.py``).


def random_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "".join(map(str, [*digits, check]))


class Generator:
    """Reference data loaded once; one seeded random stream per organisation, so every
    organisation's people are the same on every machine and every run."""

    def __init__(self):
        self.profiles = Profiles()
        self.levels = {level.code: level for level in EducationLevel.objects.all()}

    def stream(self, organisation: Organisation) -> tuple[random.Random, Faker]:
        seed = f"{SEED}:{organisation.name}"
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        return random.Random(seed), fake

    def person(self, rng, fake, postcodes: list[Postcode]) -> tuple[CandidateInput, str | None]:
        today = date(2026, 11, 23)
        age = rng.choice([rng.randint(18, 27), rng.randint(28, 49), rng.randint(50, 64)])
        born = today - timedelta(days=365 * age + rng.randint(0, 364))
        occupations, skills = self.profiles.draw(rng)
        groups = set()
        if age >= 50:
            groups.add(TargetGroup.FIFTY_PLUS)
        if rng.random() < 0.15:
            groups.add(TargetGroup.STATUSHOUDER)
        if rng.random() < 0.1:
            groups.add(TargetGroup.BANENAFSPRAAK)
        level_code = rng.choice(LEVELS)
        level = self.levels.get(level_code) if level_code else None
        if age < 27 and level is not None and not level.startkwalificatie:
            groups.add(TargetGroup.YOUNG_WITHOUT_SK)
        complete = rng.random() < 0.7  # real files have gaps
        bsn = random_bsn(rng) if rng.random() < 0.9 else None
        dutch_level = rng.choice(list(LanguageLevel)) if complete else None
        data = CandidateInput(
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            bsn=bsn,
            date_of_birth=born,
            postcode=rng.choice(postcodes) if postcodes else None,
            email=f"demo{rng.randint(10**6, 10**7)}@example.invalid" if complete else None,
            phone=f"06{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.5 else None,
            benefit=rng.choice(BENEFITS),
            education_level=level,
            dutch_level=dutch_level,
            driving_licence=rng.random() < 0.4 if complete else None,
            transport=rng.choice(list(Transport)),
            available_from=today + timedelta(days=rng.choice([0, 0, 0, 14, 30, 90])),
            max_travel_km=rng.choice([5, 10, 15, 25, 40]) if complete else None,
            target_groups=sorted(groups),
            occupations=occupations,
            skills=skills,
            **soft_factors(rng, complete=complete, dutch_level=dutch_level),
        )
        return data, bsn

    def featured(self, rng, fake, postcodes: list[Postcode], spec: Featured):
        """A person the walk-throughs name: complete, work-ready and motivated, wanting
        ``spec.occupation`` with every essential skill of it from work experience."""
        data, bsn = self.person(rng, fake, postcodes)
        occupation = self.profiles.occupation(spec.occupation)
        data.first_name, data.last_name = spec.first_name, spec.last_name
        data.occupations = [occupation] if occupation else []
        data.skills = [
            (skill, SkillSource.EXPERIENCE)
            for skill in (self.profiles.essential(occupation) if occupation else [])
        ]
        data.postcode = next((p for p in postcodes if p.code == spec.postcode), data.postcode)
        data.capacity, data.hours_per_week = spec.capacity, spec.hours
        data.work_readiness, data.motivation = WorkReadiness.READY, Motivation.HIGH
        data.barriers, data.dutch_level = [], LanguageLevel.B1
        data.max_travel_km, data.transport = 15, Transport.BICYCLE
        data.available_from = date(2026, 11, 23)
        data.email = f"{spec.first_name.lower()}.{spec.last_name.lower()}@example.invalid"
        return data, bsn


@dataclass(frozen=True)
class Featured:
    """A demo person the walk-throughs (and docs/demo.md) name."""

    first_name: str
    last_name: str
    organisation: str  # who serves them
    occupation: str  # the ESCO occupation they want (Dutch label)
    capacity: str
    hours: int  # a week
    postcode: str


#: Issue #18's "done when": among Groot Amsterdam's order pickers, one who can carry half days
#: (20 hours a week). Strong on every other count, so the one reason she is not ranked for
#: the bulk request's 38-hour places (no part time) is the hours she can carry.
FEATURED = (
    Featured(
        "Esther", "Verbeek", "Gemeente Amsterdam", "orderpicker", Capacity.HALF_DAYS, 20, "1055"
    ),
)


#: Capacity for work (belastbaarheid), how often it occurs, and the hours a week that go
#: with it (half days are 20 hours; nobody wants more hours than they can carry).
CAPACITY = {
    Capacity.FULL_DAYS: (50, [24, 32, 32, 36, 38, 40]),
    Capacity.HALF_DAYS: (28, [16, 20, 20, 20]),
    Capacity.FEW_HOURS: (14, [8, 12, 12]),
    Capacity.NOT_YET: (8, [8, 12]),
}
#: Work-readiness goes with capacity: (ready, nearly, not yet) weights per capacity.
READINESS = {
    Capacity.FULL_DAYS: (55, 35, 10),
    Capacity.HALF_DAYS: (35, 45, 20),
    Capacity.FEW_HOURS: (10, 40, 50),
    Capacity.NOT_YET: (0, 0, 1),
}
MOTIVATION = {Motivation.HIGH: 40, Motivation.MEDIUM: 45, Motivation.LOW: 15}


def soft_factors(rng, *, complete: bool, dutch_level: str | None) -> dict:
    """Capacity, hours, work-readiness, motivation and barriers that fit together, as a
    klantmanager would record them (an incomplete file has no capacity or readiness)."""
    motivation = rng.choices(list(MOTIVATION), weights=list(MOTIVATION.values()))[0]
    barriers = set(rng.sample(list(Barrier), k=rng.randint(0, 2)))
    if not complete:
        hours = rng.choice([12, 16, 20, 24, 32, 36, 40])
        return {"hours_per_week": hours, "motivation": motivation, "barriers": sorted(barriers)}
    capacity = rng.choices(list(CAPACITY), weights=[w for w, _h in CAPACITY.values()])[0]
    readiness = rng.choices(list(WorkReadiness), weights=READINESS[capacity])[0]
    if capacity in (Capacity.FEW_HOURS, Capacity.NOT_YET) and rng.random() < 0.7:
        barriers.add(Barrier.HEALTH)
    if dutch_level in (LanguageLevel.A0, LanguageLevel.A1) and rng.random() < 0.7:
        barriers.add(Barrier.LANGUAGE)
    if motivation == Motivation.LOW and rng.random() < 0.5:
        barriers.add(Barrier.MOTIVATION)
    return {
        "capacity": capacity,
        "hours_per_week": rng.choice(CAPACITY[capacity][1]),
        "work_readiness": readiness,
        "motivation": motivation,
        "barriers": sorted(barriers),
    }


def _main_gemeente(region: Region) -> Municipality:
    main = region.municipalities.annotate(n=Count("postcodes")).order_by("-n", "code").first()
    assert main is not None  # every region has municipalities
    return main


def _organisations(region: Region) -> list[Organisation]:
    """The gemeente of the region's largest municipality and the UWV office."""
    out = []
    centre = region.centrumgemeente or _main_gemeente(region)
    gemeente = Organisation.objects.filter(
        kind=OrganisationKind.GEMEENTE, municipality=centre
    ).first()
    if gemeente is None:
        name = centre.name.replace(" (gemeente)", "")
        gemeente = Organisation.objects.create(
            name=f"Gemeente {name}",
            kind=OrganisationKind.GEMEENTE,
            region=region,
            municipality=centre,
        )
    out.append(gemeente)
    uwv = Organisation.objects.filter(kind=OrganisationKind.UWV, region=region).first()
    if uwv is None:
        uwv = Organisation.objects.create(
            name=f"UWV {region.name}",
            kind=OrganisationKind.UWV,
            region=region,
            municipality=centre,
        )
    out.append(uwv)
    return out


def create_demo_candidates(*, per_region: int = PER_REGION) -> int:
    """Job seekers for every region; organisations that already have them are left alone."""
    refuse_in_production()

    generator = Generator()
    klantmanagers = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role="klantmanager").select_related("user")
    }
    created = 0
    for region in Region.objects.order_by("code"):
        postcodes = list(
            Postcode.objects.filter(municipality__region=region)
            .select_related("municipality__region")
            .order_by("code")
        )
        for organisation in _organisations(region):
            if Candidate.objects.served_by(organisation).exists():
                continue
            created += _write(
                generator,
                organisation,
                postcodes,
                _size(organisation, per_region),
                klantmanagers.get(organisation.pk),
            )
    return created


def _size(organisation, per_region) -> int:
    return (
        PER_DEMO_ORGANISATION
        if organisation.kind == OrganisationKind.GEMEENTE and (organisation.memberships.exists())
        else per_region // 2
    )


#: Journey statuses of the demo population and how often they occur. Nobody is *geplaatst*
#: from the file: a placement is always a recorded hire (the demo's hires: demo/routes.py).
STATUSES = ["aangemeld", "in_beeld", "werkfit", "bemiddelbaar"]
STATUS_WEIGHTS = [25, 35, 20, 20]


def _row(line: int, data: CandidateInput, bsn: str | None) -> ParsedRow:
    key = (
        ("bsn", bsn)
        if bsn
        else (
            "natural",
            data.first_name.lower(),
            data.last_name.lower(),
            data.date_of_birth,
            getattr(data.postcode, "pk", None),
        )
    )
    return ParsedRow(line=line, raw={}, data=data, bsn=bsn, key=key)


@transaction.atomic
def _write(generator, organisation, postcodes, count, klantmanager) -> int:
    rng, fake = generator.stream(organisation)
    rows = [_row(i + 2, *generator.person(rng, fake, postcodes)) for i in range(count)]
    specs = [spec for spec in FEATURED if spec.organisation == organisation.name]
    for spec in specs:  # last, so the demo's cohorts and routes (first people) leave them be
        rows.append(_row(len(rows) + 2, *generator.featured(rng, fake, postcodes, spec)))
    unique = {row.key: row for row in rows}
    counts = Counts()
    writer = BatchWriter(
        actor=import_actor(organisation, klantmanager, channel="demo"),
        organisation=organisation,
        started_by=klantmanager,
    )
    writer.write(list(unique.values()), counts)
    served = Candidate.objects.served_by(organisation)
    named = Q(pk__in=[])
    for spec in specs:
        named |= Q(first_name=spec.first_name, last_name=spec.last_name)
    featured = set(served.filter(named).values_list("pk", flat=True))
    now = timezone.now()
    _consents(rng, served, featured, organisation, klantmanager, now)
    # Where people stand, as in a real file: most in view or further, some just registered;
    # about two thirds reconfirmed their availability recently.
    by_status: dict[tuple[str, bool], list[int]] = {}
    for candidate in served.order_by("pk"):
        if candidate.pk in featured:  # ready to be proposed, availability just confirmed
            status, confirmed = "bemiddelbaar", True
        else:
            status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
            confirmed = status != "aangemeld" and rng.random() < 0.66
        by_status.setdefault((status, confirmed), []).append(candidate.pk)
    for (status, confirmed), pks in by_status.items():
        update: dict[str, object] = {"status": status}
        if confirmed:
            update["availability_confirmed_at"] = now
        Candidate.objects.filter(pk__in=pks).update(**update)
        if status != "aangemeld":
            # As a file taken over from an earlier system: one dated transition each, so
            # the journey counts (monitoring) include them.
            JourneyTransition.objects.bulk_create(
                JourneyTransition(
                    candidate_id=pk,
                    from_status="aangemeld",
                    to_status=status,
                    occurred_on=rng_date(rng, now.date()),
                    cause="earlier",
                    organisation=organisation,
                )
                for pk in pks
            )
    return counts.created


def profile_consent(candidate, organisation, klantmanager, now, version: str) -> Consent:
    """Consent for a regional profile, given in person (statement ``version``) and agreed
    by the klantmanager: the regional demo's and the national population's."""
    return Consent(
        candidate=candidate,
        scope=ConsentScope.REGIONAL_PROFILE,
        method=ConsentMethod.IN_PERSON,
        statement_version=version,
        granted_at=now,
        approved_at=now,
        recorded_by=klantmanager,
        recorded_for=organisation,
        approved_by=klantmanager,
    )


def _consents(rng, served, featured: set[int], organisation, klantmanager, now) -> None:
    """About three in ten gave consent for a regional profile, agreed by the klantmanager
    (the people the walk-throughs name did), so employers' searches find enough people;
    half of them confirmed their availability then."""
    chosen = [c for c in served.order_by("pk") if c.pk in featured or rng.random() < 0.3]
    version = consent_statements.current(ConsentScope.REGIONAL_PROFILE).version
    Consent.objects.bulk_create(
        profile_consent(c, organisation, klantmanager, now, version) for c in chosen
    )
    Candidate.objects.filter(pk__in=[c.pk for c in chosen[: len(chosen) // 2]]).update(
        availability_confirmed_at=now
    )


def rng_date(rng, today):
    """A day in the past year (when a demo person reached their status)."""
    return today - timedelta(days=rng.randint(7, 365))


@transaction.atomic
def link_demo_job_seekers() -> int:
    """Give each demo job-seeker account its own record, so testers can see the person's
    side: their data, consent, download."""
    refuse_in_production()

    generator = Generator()
    linked = 0
    for membership in Membership.objects.filter(role="werkzoekende").select_related(
        "user", "organisation__region"
    ):
        user, organisation = membership.user, membership.organisation
        if Candidate.objects.filter(user=user).exists():
            continue
        rng, fake = generator.stream(organisation)
        rng.seed(f"{SEED}:{user.username}")
        postcodes = list(
            Postcode.objects.filter(municipality__region=organisation.region)
            .select_related("municipality__region")
            .order_by("code")
        )
        data, bsn = generator.person(rng, fake, postcodes)
        data.first_name, data.last_name = user.first_name, user.last_name
        row = _row(0, data, bsn)
        klantmanager = (
            Membership.objects.filter(organisation=organisation, role="klantmanager")
            .select_related("user")
            .first()
        )
        km_user = klantmanager.user if klantmanager else None
        BatchWriter(
            actor=import_actor(organisation, km_user, channel="demo"),
            organisation=organisation,
            started_by=km_user,
        ).write([row], Counts())
        candidate = Candidate.objects.served_by(organisation).order_by("-pk").first()
        candidate.user = user
        candidate.save(update_fields=["user"])
        linked += 1
    return linked
