import csv
import gzip
import socket
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from perspectief.accounts.actor import actor_for
from perspectief.core.authz import STAFF_ROLES, Role
from perspectief.demo.population import ORGANISATIONS
from perspectief.matching import engine_records
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy import search
from perspectief.taxonomy.models import Occupation, Skill
from perspectief.vacancies.models import Vacancy, VacancySkill

from .factories import (
    CandidateFactory,
    MembershipFactory,
    MunicipalityFactory,
    OccupationSkillFactory,
    OrganisationFactory,
    PostcodeFactory,
    RegionFactory,
    TOTPDeviceFactory,
    UserFactory,
    organisation_for_role,
)

#: Property tests assert what holds, not how fast one example runs: the CI machines are
#: shared, and Hypothesis' default 200 ms deadline per example failed a pure-logic test at a
#: load of 13 on 2 cores, and its "too slow" health check another. Tests that need a deadline
#: still set their own.
hypothesis_settings.register_profile(
    "perspectief", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("perspectief")

ROLES = [str(r) for r in Role]
#: The demo's regions by their real names (tests/reference data: regions 2025-2026).
DEMO_REGION_NAMES = {"AM18": "Groot Amsterdam", "AM22": "Rijnmond", "AM01": "Groningen"}


#: The fixtures through which a test reaches a database (``item.fixturenames`` holds every
#: fixture a test uses, also through other fixtures).
#: (Not ``django_db_blocker``: pytest-django's own autouse fixtures use it in every test.)
#: The machine's Redis, which the tests of real workers and of the sign-in gate use.
REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    """Whether the machine's Redis answers (a test that needs it is skipped when not)."""
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def pytest_addoption(parser):
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that use the database (CI's second pass, on PostgreSQL: a "
        "test that touches no database answers the same on every backend)",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-only"):
        return
    kept, dropped = [], []
    for item in items:
        uses_database = item.get_closest_marker(
            "django_db"
        ) is not None or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
        (kept if uses_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    search.forget()  # the search index is per process; a rolled-back test sends no signal
    yield
    cache.clear()
    # A request with another Accept-Language leaves that language active in this thread
    # (LocaleMiddleware does not undo it); the next test starts in the default again.
    translation.deactivate()


def build_world():
    """Two regions with a municipality and postcode each, and a bit of ESCO."""
    am18 = RegionFactory(code="AM18", name="Groot Amsterdam")
    am22 = RegionFactory(code="AM22", name="Rijnmond")
    amsterdam = MunicipalityFactory(code="GM0363", name="Amsterdam", region=am18)
    rotterdam = MunicipalityFactory(
        code="GM0599",
        name="Rotterdam",
        province="Zuid-Holland",
        region=am22,
        latitude=51.92,
        longitude=4.48,
    )
    PostcodeFactory(code="1011", municipality=amsterdam, place_names="Amsterdam")
    PostcodeFactory(
        code="3011", municipality=rotterdam, place_names="Rotterdam", latitude=51.92, longitude=4.48
    )
    relation = OccupationSkillFactory()
    return SimpleNamespace(
        am18=am18,
        am22=am22,
        amsterdam=amsterdam,
        rotterdam=rotterdam,
        occupation=relation.occupation,
        skill=relation.skill,
    )


def member_maker(world):
    """``make(role, region_code="AM18")`` → a membership of a fresh user in ``world``."""

    def make(role: str, region_code: str = "AM18", user=None):
        region = world.am18 if region_code == "AM18" else world.am22
        municipality = world.amsterdam if region_code == "AM18" else world.rotterdam
        organisation = organisation_for_role(role, region, municipality)
        membership = MembershipFactory(
            user=user or UserFactory(), organisation=organisation, role=role
        )
        if role in STAFF_ROLES:
            TOTPDeviceFactory(user=membership.user)
        return membership

    return make


@pytest.fixture
def world(db):
    """Two regions with a municipality and postcode each, and a bit of ESCO."""
    return build_world()


@pytest.fixture
def make_member(world):
    """``make_member(role, region_code="AM18")`` → a membership of a fresh user."""
    return member_maker(world)


def sign_in(client, user):
    """Log in as the user and, where a second factor exists, pass it."""
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_as(client, make_member):
    """``client_as(role)`` → (client signed in as a fresh user in that role, membership)."""

    def make(role: str, region_code: str = "AM18"):
        membership = make_member(role, region_code)
        return sign_in(client, membership.user), membership

    return make


@pytest.fixture
def actor_as(make_member):
    def make(role: str, region_code: str = "AM18", channel: str = "web"):
        return actor_for(make_member(role, region_code), channel=channel)

    return make


@pytest.fixture
def demo_geography(db):
    """The regions and municipalities the demo population refers to. The regions get their
    own names: Faker's cities repeat, and pages list regions by name."""
    for spec in ORGANISATIONS:
        if spec.region:
            RegionFactory(code=spec.region, name=DEMO_REGION_NAMES[spec.region])
    codes = {spec.municipality: spec.region for spec in ORGANISATIONS if spec.municipality}
    for gm, am in codes.items():
        MunicipalityFactory(code=gm, region=RegionFactory(code=am, name=DEMO_REGION_NAMES[am]))
    for am, gm in {"AM01": "GM0014"}.items():
        MunicipalityFactory(code=gm, region=RegionFactory(code=am, name=DEMO_REGION_NAMES[am]))


# --- matching: a place with real ESCO skills, and people who can be matched -------------
@pytest.fixture
def esco(db):
    """An occupation and three of its essential skills, with their real ESCO URIs."""
    with gzip.open(engine_records.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        rows = [r for r in csv.DictReader(f) if r["relationType"] == "essential"][:50]
    occupation_uri = rows[0]["occupationUri"]
    skill_uris = [r["skillUri"] for r in rows if r["occupationUri"] == occupation_uri][:3]
    occupation = Occupation.objects.create(uri=occupation_uri, label_nl="testberoep")
    skills = [
        Skill.objects.create(uri=uri, label_nl=f"vaardigheid {i}", label_en=f"skill {i}")
        for i, uri in enumerate(skill_uris)
    ]
    return occupation, skills


@pytest.fixture
def place(world, esco):
    occupation, skills = esco
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="12121212",
    )
    vacancy = Vacancy.objects.create(
        employer=employer,
        title="Testplek",
        place_type="job",
        occupation=occupation,
        hours_per_week=32,
        contract="vast",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    for skill in skills:
        VacancySkill.objects.create(vacancy=vacancy, skill=skill, relation="essential")
    return vacancy


def matchable_person(km, skills, **extra):
    """A person who can be matched now, served by ``km``'s organisation, with ``skills``."""
    person = CandidateFactory(
        served_by=km.organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        max_travel_km=30,
        **extra,
    )
    for skill in skills:
        person.skills.create(skill=skill, source="stated")
    return person


@pytest.fixture(autouse=True)
def _mail_without_personal_data(settings):
    """Every message sent in a test goes through the personal-data check (mail_check.py)."""
    settings.EMAIL_BACKEND = "tests.mail_check.CheckedLocmemBackend"
