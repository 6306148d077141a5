"""Generated job seekers for every region: realistic, deterministic (fixed seed), with the
gaps real files have (missing education level, unconfirmed availability, no BSN)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
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
from perspectief.imports.rows import Counts
from perspectief.imports.tasks import import_actor
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.constants import SkillRelation
from perspectief.taxonomy.models import EducationLevel, Occupation, OccupationSkill

SEED = 20261123
PER_REGION = 60
PER_DEMO_ORGANISATION = 150

#: ISCO major groups where most vacancies for this programme are: elementary occupations,
#: operators, craft, service and sales, clerical support.
ISCO_MAJOR = ("9", "8", "7", "5", "4")

BENEFITS = [Benefit.BIJSTAND] * 5 + [Benefit.WW] * 2 + [Benefit.WAJONG, Benefit.NONE, Benefit.WIA]
LEVELS = ["PO", "VMBO_BB", "VMBO_KGT", "MBO1", "MBO2", "MBO2", "MBO3", "HAVO", "MBO4", None, None]


#: How a demo person's skills are known. Not "door scholing": that comes with a completed
#: course on the route (``demo/routes.py``).
STATED_SOURCES = [SkillSource.STATED, SkillSource.TESTED, SkillSource.EXPERIENCE]


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "".join(map(str, [*digits, check]))


class Generator:
    """Reference data loaded once; one seeded random stream per organisation, so every
    organisation's people are the same on every machine and every run."""

    def __init__(self):
        self.occupations = list(
            Occupation.objects.filter(isco_group__code__regex=r"^[98754]")
            .order_by("uri")
            .only("pk", "uri")
        )
        skills: dict[int, list] = {}
        for relation in (
            OccupationSkill.objects.filter(
                occupation__in=self.occupations, relation=SkillRelation.ESSENTIAL
            )
            .select_related("skill")
            .order_by("occupation_id", "skill__uri")
        ):
            skills.setdefault(relation.occupation_id, []).append(relation.skill)
        self.skills = skills
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
        occupations = (
            rng.sample(self.occupations, k=min(len(self.occupations), rng.choice([1, 1, 2])))
            if self.occupations
            else []
        )
        skills = []
        for occupation in occupations:
            known = self.skills.get(occupation.pk, [])
            for skill in rng.sample(known, k=min(len(known), rng.randint(1, 4))):
                skills.append((skill, rng.choice(STATED_SOURCES)))
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
        bsn = _bsn(rng) if rng.random() < 0.9 else None
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
            dutch_level=rng.choice(list(LanguageLevel)) if complete else None,
            driving_licence=rng.random() < 0.4 if complete else None,
            transport=rng.choice(list(Transport)),
            hours_per_week=rng.choice([12, 16, 20, 24, 32, 36, 40]),
            available_from=today + timedelta(days=rng.choice([0, 0, 0, 14, 30, 90])),
            max_travel_km=rng.choice([5, 10, 15, 25, 40]) if complete else None,
            work_readiness=rng.choice(list(WorkReadiness)) if complete else None,
            barriers=rng.sample(list(Barrier), k=rng.randint(0, 2)),
            motivation=rng.choice(list(Motivation)),
            capacity=rng.choice(list(Capacity)) if complete else None,
            target_groups=sorted(groups),
            occupations=occupations,
            skills=skills,
        )
        return data, bsn


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


@transaction.atomic
def _write(generator, organisation, postcodes, count, klantmanager) -> int:
    rng, fake = generator.stream(organisation)
    rows = []
    for i in range(count):
        data, bsn = generator.person(rng, fake, postcodes)
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
        rows.append(ParsedRow(line=i + 2, raw={}, data=data, bsn=bsn, key=key))
    unique = {row.key: row for row in rows}
    counts = Counts()
    writer = BatchWriter(
        actor=import_actor(organisation, klantmanager, channel="demo"),
        organisation=organisation,
        started_by=klantmanager,
    )
    writer.write(list(unique.values()), counts)
    # About a fifth gave consent for a regional profile, agreed by the klantmanager.
    now = timezone.now()
    chosen = [
        c for c in Candidate.objects.served_by(organisation).order_by("pk") if rng.random() < 0.2
    ]
    Consent.objects.bulk_create(
        Consent(
            candidate=c,
            scope="regional_profile",
            method=ConsentMethod.IN_PERSON,
            statement_version=consent_statements.current(ConsentScope.REGIONAL_PROFILE).version,
            granted_at=now,
            approved_at=now,
            recorded_by=klantmanager,
            recorded_for=organisation,
            approved_by=klantmanager,
        )
        for c in chosen
    )
    Candidate.objects.filter(pk__in=[c.pk for c in chosen[: len(chosen) // 2]]).update(
        availability_confirmed_at=now
    )
    # Where people stand, as in a real file: most in view or further, some just registered;
    # about two thirds reconfirmed their availability recently.
    by_status: dict[tuple[str, bool], list[int]] = {}
    for candidate in Candidate.objects.served_by(organisation).order_by("pk"):
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
        row = ParsedRow(
            line=0,
            raw={},
            data=data,
            bsn=bsn,
            key=("bsn", bsn)
            if bsn
            else (
                "natural",
                user.first_name.lower(),
                user.last_name.lower(),
                data.date_of_birth,
                getattr(data.postcode, "pk", None),
            ),
        )
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
