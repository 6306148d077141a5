"""The national demo's employers and places for one region (:mod:`perspectief.demo.national`):
employers across sectors, each registered with an employer account owned by the region's
account manager, and places asking the essential skills of an occupation people want (drawn
as the demo's people are, :class:`perspectief.demo.profiles.Profiles`). The hires of the
region's people fill them; what is not filled stays open."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Model
from django.utils import timezone
from faker import Faker

from perspectief.accounts.models import Membership
from perspectief.core.authz import Role
from perspectief.demo import bulk
from perspectief.demo.history_lives import SECTOR_WEIGHTS, Hire, sector_for
from perspectief.demo.history_records import moment
from perspectief.demo.profiles import Profiles
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import AccountEvent, EmployerAccount, Organisation
from perspectief.regions.models import Postcode, Region
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import Vacancy, VacancySkill

#: Places per employer (on average) and skills a place asks (the first taught on the job).
PLACES_PER_EMPLOYER = 20
PLACE_SKILLS = 6
MARK = " (landelijke demo)"
PLACE_TYPES = ["job"] * 8 + ["leerwerkplek", "basisbaan"]


def national_mark() -> str:
    """How the national demo's employers' names end (a region that has them is done)."""
    return MARK


@dataclass
class Work:
    """The region's employers and places (unsaved places, with their keys reserved)."""

    accounts: dict[int, EmployerAccount]
    places: list[Vacancy]
    by_sector: dict[str, list[Vacancy]]
    skills: list[Model] = field(default_factory=list)
    opened: dict[int, date] = field(default_factory=dict)
    by_pk: dict[int, Vacancy] = field(default_factory=dict)

    @classmethod
    def make(
        cls, region: Region, count: int, profiles: Profiles, rng: random.Random, today: date
    ) -> Work:
        accounts = _employers(region, max(2, count // PLACES_PER_EMPLOYER), rng)
        postcodes = list(Postcode.objects.filter(municipality__region=region).order_by("code"))
        ids = bulk.Ids(Vacancy, block=max(count, 1))
        work = cls({a.pk: a for a in accounts}, [], {})
        for _i in range(count):
            account = rng.choice(accounts)
            occupations, _skills = profiles.draw(rng)
            occupation = occupations[0] if occupations else None
            place = Vacancy(
                id=next(ids),
                employer=account,
                title=occupation.label_nl.capitalize() if occupation else "Medewerker",
                place_type=rng.choice(PLACE_TYPES),
                occupation=occupation,
                description="Werving via het werkgeversservicepunt.",
                hours_per_week=rng.choice([16, 20, 24, 32, 36, 38, 40]),
                contract=rng.choice(["tijdelijk", "tijdelijk", "vast", "uitzend"]),
                postcode=rng.choice(postcodes),
                places=rng.randint(1, 5),
                status="open",
            )
            work.places.append(place)
            work.by_pk[place.pk] = place
            work.opened[place.pk] = today - timedelta(days=rng.randint(0, 120))
            work.by_sector.setdefault(account.sector.code if account.sector else "", []).append(
                place
            )
            essential = profiles.essential(occupation)[:PLACE_SKILLS] if occupation else []
            work.skills += [
                VacancySkill(vacancy=place, skill=s, relation="essential", teachable=i == 0)
                for i, s in enumerate(essential)
            ]
        return work

    def fill(self, rng: random.Random, hire: Hire) -> Vacancy:
        """A place of the hire's sector (else any) that the hire fills; the hire takes the
        place's sector."""
        found = self.by_sector.get(hire.sector) or self.places
        place = rng.choice(found)
        place.places_filled += 1
        opened = hire.proposed_on - timedelta(days=14)
        self.opened[place.pk] = min(self.opened[place.pk], opened)
        account = self.accounts[place.employer_id]
        hire.sector = account.sector.code if account.sector else hire.sector
        return place

    def employer_of(self, place_pk: int) -> EmployerAccount:
        return self.accounts[self.by_pk[place_pk].employer_id]

    def employer_name(self, account: EmployerAccount) -> str:
        return account.organisation.name

    def title_of(self, place_pk: int) -> str:
        return self.by_pk[place_pk].title

    def write(self) -> int:
        """The places (with as many places as were filled and maybe a few more: open, else
        filled) and the skills they ask."""
        rng = random.Random(len(self.places))
        for place in self.places:
            if place.places_filled:
                place.places = place.places_filled + rng.choice([0, 0, 1, 2])
            if place.places_filled >= place.places:
                place.status = "filled"
            place.created_at = moment(self.opened[place.pk])
            place.updated_at = place.created_at
        written = bulk.write(Vacancy, self.places, with_pk=True)
        bulk.write(VacancySkill, self.skills)
        return written


def _employers(region: Region, count: int, rng: random.Random) -> list[EmployerAccount]:
    """``count`` employers of the region with their accounts, across sectors by weight."""
    fake = Faker("nl_NL")
    fake.seed_instance(f"national-employers:{region.code}")
    sectors = {s.code: s for s in Sector.objects.all()}
    owner = Membership.objects.filter(role=Role.ACCOUNTMANAGER, organisation__region=region).first()
    municipalities = list(region.municipalities.order_by("code"))
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{fake.company()} {region.code}-{i:05d}{MARK}",
            kind=OrganisationKind.EMPLOYER,
            region=region,
            municipality=rng.choice(municipalities) if municipalities else None,
        )
        for i in range(count)
    )
    taken = set(EmployerAccount.objects.values_list("kvk_number", flat=True))
    number = int(region.code[2:]) if region.code[2:].isdigit() else 0
    codes = list(SECTOR_WEIGHTS)
    accounts = []
    for i, organisation in enumerate(organisations):
        kvk = f"7{number:02d}{i:05d}"
        while kvk in taken:
            kvk = f"{rng.randint(10**7, 10**8 - 1)}"
        taken.add(kvk)
        wanted = rng.choice(["H", "Q", *codes]) if rng.random() < 0.5 else sector_for(rng, "")
        accounts.append(
            EmployerAccount(
                organisation=organisation,
                kvk_number=kvk,
                sector=sectors.get(wanted),
                size=rng.choice(["1-9", "10-49", "50-249", "250+"]),
                owner=owner,
                owner_since=timezone.now() if owner else None,
            )
        )
    accounts = EmployerAccount.objects.bulk_create(accounts)
    AccountEvent.objects.bulk_create(
        AccountEvent(account=account, kind="registered", by=owner) for account in accounts
    )
    return accounts
