"""factory_boy factories with Dutch fakes."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.accounts.constants import ROLE_ORGANISATION_KINDS
from perspectief.accounts.models import Membership, User
from perspectief.core.authz import Role
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.models import IscoGroup, Occupation, OccupationSkill, Skill

PASSWORD = "Correct-horse-battery-9"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # AM36-AM99: never one of the 35 real codes tests ask for by name (get_or_create would
    # hand a test's own region, e.g. AM18, to an unrelated municipality).
    code = factory.Sequence(lambda n: f"AM{36 + n % 64:02d}")
    name = factory.Faker("city", locale="nl_NL")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")  # no real CBS code
    name = factory.Faker("city", locale="nl_NL")
    province = "Noord-Holland"
    region = factory.SubFactory(RegionFactory)
    latitude = 52.37
    longitude = 4.89


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{1000 + (n % 8999)}")
    latitude = 52.37
    longitude = 4.89
    place_names = factory.Faker("city", locale="nl_NL")
    municipality = factory.SubFactory(MunicipalityFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    class Params:
        company = factory.Faker("company", locale="nl_NL")

    # Faker's companies are sometimes "A & B": the tests compare names with pages, where an
    # ampersand is escaped, so the made-up names say "en" instead.
    name = factory.LazyAttribute(lambda o: o.company.replace("&", "en"))
    kind = OrganisationKind.GEMEENTE
    region = factory.LazyAttribute(
        lambda o: o.municipality.region if o.municipality is not None else None
    )
    municipality = factory.SubFactory(MunicipalityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.KLANTMANAGER


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "test"
    confirmed = True


class IscoGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IscoGroup
        django_get_or_create = ("code",)

    code = "9333"
    uri = factory.LazyAttribute(lambda o: f"http://data.europa.eu/esco/isco/C{o.code}")
    label_en = "Freight handlers"
    label_nl = "Vrachtafhandelaars"


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    uri = factory.Sequence(
        lambda n: f"http://data.europa.eu/esco/occupation/00000000-0000-4000-8000-{n:012d}"
    )
    code = "9333.1"
    label_nl = "orderpicker"
    label_en = "order picker"
    isco_group = factory.SubFactory(IscoGroupFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    uri = factory.Sequence(
        lambda n: f"http://data.europa.eu/esco/skill/00000000-0000-4000-9000-{n:012d}"
    )
    label_en = "operate forklift"
    skill_type = "skill/competence"
    reuse_level = "sector-specific"


class OccupationSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OccupationSkill

    occupation = factory.SubFactory(OccupationFactory)
    skill = factory.SubFactory(SkillFactory)
    relation = "essential"


def organisation_for_role(role: str, region: Region, municipality: Municipality) -> Organisation:
    """An organisation of a kind that may hold ``role``, in ``region``."""
    kinds = ROLE_ORGANISATION_KINDS[role]
    for preferred in (
        OrganisationKind.REGION,
        OrganisationKind.GEMEENTE,
        OrganisationKind.UWV,
        OrganisationKind.EMPLOYER,
        OrganisationKind.SCHOOL,
        OrganisationKind.INTERMEDIARY,
        OrganisationKind.SW_BEDRIJF,
        OrganisationKind.MINISTRY,
        OrganisationKind.PROGRAMME,
    ):
        if preferred in kinds:
            kind = preferred
            break
    if kind == OrganisationKind.GEMEENTE:
        existing = Organisation.objects.filter(kind=kind, municipality=municipality).first()
        if existing:
            return existing
        return OrganisationFactory(kind=kind, municipality=municipality, region=region)
    if kind == OrganisationKind.MINISTRY:
        return OrganisationFactory(kind=kind, municipality=None, region=None, name="Ministerie SZW")
    if kind == OrganisationKind.PROGRAMME:
        return OrganisationFactory(
            kind=kind, municipality=None, region=None, name="Landelijk ondersteuningsteam"
        )
    return OrganisationFactory(kind=kind, municipality=municipality, region=region)


class CandidateFactory(factory.django.DjangoModelFactory):
    """A job seeker. ``served_by=org`` adds a serving organisation; ``bsn="..."`` stores an
    encrypted BSN; ``regional_consent=True`` adds an agreed regional-profile consent."""

    class Meta:
        model = "candidates.Candidate"
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=64)
    region = factory.LazyAttribute(
        lambda c: c.postcode.municipality.region if c.postcode else RegionFactory(code="AM18")
    )
    postcode = factory.LazyFunction(lambda: Postcode.objects.filter(code="1011").first())
    hours_per_week = 32

    @factory.post_generation
    def bsn(obj, create, extracted, **kwargs):
        if extracted:
            from perspectief.core import bsn as bsn_lib

            obj.bsn_encrypted = bsn_lib.encrypt(extracted)
            obj.bsn_index = bsn_lib.blind_index(extracted)
            obj.save(update_fields=["bsn_encrypted", "bsn_index"])

    @factory.post_generation
    def served_by(obj, create, extracted, **kwargs):
        if extracted is not None:
            from perspectief.candidates.services.people import legal_basis_for

            obj.servings.create(organisation=extracted, legal_basis=legal_basis_for(extracted))

    @factory.post_generation
    def regional_consent(obj, create, extracted, **kwargs):
        if extracted:
            from django.utils import timezone

            now = timezone.now()
            obj.consents.create(
                scope="regional_profile",
                method="in_person",
                statement_version="1",
                granted_at=now,
                approved_at=now,
            )


class FundingPotFactory(factory.django.DjangoModelFactory):
    """A funding pot of region AM18 (``region=None``: a national one) (#17 part 5)."""

    class Meta:
        model = "funding.FundingPot"

    region = factory.LazyFunction(lambda: RegionFactory(code="AM18"))
    name = factory.Sequence(lambda n: f"Potje {n}")
    kind = "pow"
    amount_available = 10000
