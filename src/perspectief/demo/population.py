"""A generated, deterministic demo population: organisations in three regions and one or
more accounts for every role, so testers can try who sees what.

Creating it is idempotent: every object is found by its natural key first, and passwords and
second-factor secrets are set only when an account is created or does not hold this
installation's secrets (see :mod:`perspectief.demo.credentials`), so a second run changes
nothing. Candidates, vacancies and the rest join the population as their capabilities land.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.accounts.models import Membership, User
from perspectief.audit import services as audit
from perspectief.core.authz import STAFF_ROLES, Role
from perspectief.demo import credentials
from perspectief.organisations.constants import OrganisationKind as Kind
from perspectief.organisations.models import AccountEvent, EmployerAccount, Organisation
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.taxonomy.models import Occupation, OccupationSkill, Sector
from perspectief.vacancies.models import Vacancy, VacancySkill


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    region: str | None = None  # AM code
    municipality: str | None = None  # GM code


@dataclass(frozen=True)
class AccountSpec:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...]  # (org key, role)


#: Centrumgemeenten of the demo regions (set only when the region has none yet).
CENTRUMGEMEENTEN = {"AM18": "GM0363", "AM22": "GM0599", "AM01": "GM0014"}

ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("szw", "Ministerie van Sociale Zaken en Werkgelegenheid", Kind.MINISTRY),
    OrgSpec(
        "ondersteuningsteam", "Landelijk ondersteuningsteam Perspectief op Werk", Kind.PROGRAMME
    ),
    # Groot Amsterdam (AM18)
    OrgSpec(
        "am18-region", "Programmabureau Perspectief op Werk Groot Amsterdam", Kind.REGION, "AM18"
    ),
    OrgSpec("gm-amsterdam", "Gemeente Amsterdam", Kind.GEMEENTE, "AM18", "GM0363"),
    OrgSpec("gm-amstelveen", "Gemeente Amstelveen", Kind.GEMEENTE, "AM18", "GM0362"),
    OrgSpec("uwv-am18", "UWV Groot Amsterdam", Kind.UWV, "AM18", "GM0363"),
    OrgSpec(
        "emp-westpoort", "Distributiecentrum Westpoort B.V. (demo)", Kind.EMPLOYER, "AM18", "GM0363"
    ),
    OrgSpec("emp-zorg-amstel", "Zorggroep Amstelland (demo)", Kind.EMPLOYER, "AM18", "GM0362"),
    OrgSpec("school-am18", "MBO College Amsterdam-Noord (demo)", Kind.SCHOOL, "AM18", "GM0363"),
    OrgSpec("int-am18", "Jobhunters Groot Amsterdam (demo)", Kind.INTERMEDIARY, "AM18", "GM0363"),
    OrgSpec("sw-am18", "Amsterdam Werkt SW (demo)", Kind.SW_BEDRIJF, "AM18", "GM0363"),
    # Rijnmond (AM22)
    OrgSpec("am22-region", "Programmabureau Perspectief op Werk Rijnmond", Kind.REGION, "AM22"),
    OrgSpec("gm-rotterdam", "Gemeente Rotterdam", Kind.GEMEENTE, "AM22", "GM0599"),
    OrgSpec("gm-barendrecht", "Gemeente Barendrecht", Kind.GEMEENTE, "AM22", "GM0489"),
    OrgSpec("uwv-am22", "UWV Rijnmond", Kind.UWV, "AM22", "GM0599"),
    OrgSpec(
        "emp-haven", "Havenbedrijf Logistiek Rotterdam (demo)", Kind.EMPLOYER, "AM22", "GM0599"
    ),
    OrgSpec("school-am22", "MBO Techniek Rijnmond (demo)", Kind.SCHOOL, "AM22", "GM0599"),
    OrgSpec("int-am22", "Werkmatch Rijnmond (demo)", Kind.INTERMEDIARY, "AM22", "GM0599"),
    # Groningen (AM01)
    OrgSpec("am01-region", "Programmabureau Perspectief op Werk Groningen", Kind.REGION, "AM01"),
    OrgSpec("gm-groningen", "Gemeente Groningen", Kind.GEMEENTE, "AM01", "GM0014"),
    OrgSpec("uwv-am01", "UWV Groningen", Kind.UWV, "AM01", "GM0014"),
)

R = Role
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("km.amsterdam", "Kim", "de Vries", (("gm-amsterdam", R.KLANTMANAGER),)),
    AccountSpec("km.uwv.amsterdam", "Mohamed", "El Amrani", (("uwv-am18", R.KLANTMANAGER),)),
    AccountSpec("km.rotterdam", "Sanne", "Jansen", (("gm-rotterdam", R.KLANTMANAGER),)),
    AccountSpec("am.amsterdam", "Pieter", "Bakker", (("gm-amsterdam", R.ACCOUNTMANAGER),)),
    AccountSpec("am.rotterdam", "Fatima", "Yilmaz", (("uwv-am22", R.ACCOUNTMANAGER),)),
    AccountSpec("wg.westpoort", "Erik", "Visser", (("emp-westpoort", R.EMPLOYER),)),
    AccountSpec("wg.haven", "Linda", "Smit", (("emp-haven", R.EMPLOYER),)),
    AccountSpec("ih.amsterdam", "Joost", "Mulder", (("int-am18", R.INTERMEDIARY),)),
    AccountSpec(
        "ih.twee.regios",
        "Noor",
        "Hendriks",
        (("int-am18", R.INTERMEDIARY), ("int-am22", R.INTERMEDIARY)),
    ),
    AccountSpec("oa.amsterdam", "Ahmed", "Bouzid", (("school-am18", R.TRAINING_ADVISOR),)),
    AccountSpec("oa.rotterdam", "Eva", "van Dijk", (("school-am22", R.TRAINING_ADVISOR),)),
    AccountSpec("jc.amsterdam", "Bas", "Meijer", (("sw-am18", R.JOBCOACH),)),
    AccountSpec("jc.rotterdam", "Iris", "de Boer", (("int-am22", R.JOBCOACH),)),
    AccountSpec("pm.amsterdam", "Marieke", "Dekker", (("am18-region", R.PROGRAMME_MANAGER),)),
    AccountSpec("pm.rotterdam", "Youssef", "Aydin", (("am22-region", R.PROGRAMME_MANAGER),)),
    AccountSpec("pm.groningen", "Henk", "Brouwer", (("am01-region", R.PROGRAMME_MANAGER),)),
    AccountSpec("szw.analist", "Anouk", "Vos", (("szw", R.SZW_ANALYST),)),
    AccountSpec("ot.landelijk", "Sanne", "Jacobs", (("ondersteuningsteam", R.SUPPORT_TEAM),)),
    AccountSpec("fb.amsterdam", "Thomas", "Peters", (("am18-region", R.FUNCTIONAL_ADMIN),)),
    AccountSpec("fb.rotterdam", "Lotte", "Willems", (("am22-region", R.FUNCTIONAL_ADMIN),)),
    AccountSpec("fb.groningen", "Jan", "Kuipers", (("am01-region", R.FUNCTIONAL_ADMIN),)),
    AccountSpec("wz.amsterdam", "Rachid", "Ouali", (("gm-amsterdam", R.CANDIDATE),)),
    AccountSpec("wz.rotterdam", "Priya", "Ramdin", (("gm-rotterdam", R.CANDIDATE),)),
)

_ORG_BY_KEY = {spec.key: spec for spec in ORGANISATIONS}


def demo_secrets() -> dict[str, Any]:
    """This installation's demo password and second-factor secrets (generated once)."""
    return credentials.load([spec.username for spec in ACCOUNTS])


def demo_password() -> str:
    """The password of every demo account of this installation."""
    return demo_secrets()["password"]


def account_list() -> list[dict[str, Any]]:
    """The demo accounts as testers need them (no database needed)."""
    secrets = demo_secrets()
    rows = []
    for spec in ACCOUNTS:
        for org_key, role in spec.memberships:
            org = _ORG_BY_KEY[org_key]
            rows.append(
                {
                    "username": spec.username,
                    "password": secrets["password"],
                    "role": str(role),
                    "role_label": str(Role(role).label),
                    "organisation": org.name,
                    "region": org.region,
                    "two_factor": role in STAFF_ROLES,
                    "totp_secret": (
                        credentials.totp_b32(secrets["totp"][spec.username])
                        if role in STAFF_ROLES
                        else None
                    ),
                }
            )
    return rows


@transaction.atomic
def create_demo_population() -> dict[str, int]:
    """Create what is missing; return how many objects were created per kind."""
    secrets = demo_secrets()  # refuses under production settings
    created = {"organisations": 0, "users": 0, "memberships": 0, "devices": 0, "regions": 0}
    created["regions"] = _centrumgemeenten()
    organisations = _organisations(created)
    for spec in ACCOUNTS:
        _account(spec, organisations, secrets, created)
    created["employer_accounts"] = _employer_accounts(organisations)
    return created


def _centrumgemeenten() -> int:
    """Give each demo region its centrumgemeente when it has none yet (the region pages
    and reports name it). Returns regions changed."""
    changed = 0
    for code, gm in CENTRUMGEMEENTEN.items():
        region = Region.objects.get(code=code)
        if region.centrumgemeente_id is None:
            region.centrumgemeente = Municipality.objects.get(code=gm)
            region.save(update_fields=["centrumgemeente"])
            audit.record(
                "region.centrumgemeente_set",
                actor=None,
                target=region,
                changes={"centrumgemeente": [None, gm]},
            )
            changed += 1
    return changed


def _organisations(created: dict[str, int]) -> dict[str, Organisation]:
    """Every demo organisation by its key, found by name and kind or created (counted in
    ``created``)."""
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        region = Region.objects.get(code=spec.region) if spec.region else None
        municipality = (
            Municipality.objects.get(code=spec.municipality) if spec.municipality else None
        )
        org = Organisation.objects.filter(name=spec.name, kind=spec.kind).first()
        if org is None:
            org = Organisation(
                name=spec.name, kind=spec.kind, region=region, municipality=municipality
            )
            org.full_clean()
            org.save()
            audit.record(
                "organisation.created",
                actor=None,
                target=org,
                changes={"name": [None, org.name], "kind": [None, org.kind]},
            )
            created["organisations"] += 1
        organisations[spec.key] = org
    return organisations


def _account(
    spec: AccountSpec,
    organisations: dict[str, Organisation],
    secrets: dict[str, Any],
    created: dict[str, int],
) -> None:
    """One demo account: the user, its memberships and (staff) its second factor, each
    created when missing (counted in ``created``); stale secrets are renewed."""
    user = _user(spec, secrets, created)
    _memberships(user, spec, organisations, created)
    key = secrets["totp"][spec.username]
    device = None
    if any(role in STAFF_ROLES for _org, role in spec.memberships):
        device, made = TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": key, "confirmed": True}
        )
        created["devices"] += int(made)
    _renew_stale_secrets(user, device, key, secrets["password"])


def _user(spec: AccountSpec, secrets: dict[str, Any], created: dict[str, int]) -> User:
    """The account's user, created with this installation's demo password if missing."""
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@demo.perspectief.invalid",
        )
        user.set_password(secrets["password"])
        user.save()
        audit.record(
            "user.created", actor=None, target=user, changes={"username": [None, user.username]}
        )
        created["users"] += 1
    return user


def _memberships(
    user: User, spec: AccountSpec, organisations: dict[str, Organisation], created: dict[str, int]
) -> None:
    """The account's memberships (organisation and role), created when missing."""
    for org_key, role in spec.memberships:
        membership, made = Membership.objects.get_or_create(
            user=user, organisation=organisations[org_key], role=role
        )
        if made:
            membership.full_clean()
            audit.record(
                "membership.created",
                actor=None,
                target=membership,
                changes={"role": [None, str(role)]},
            )
            created["memberships"] += 1


def _renew_stale_secrets(user: User, device: TOTPDevice | None, key: str, password: str) -> None:
    """An account that does not hold this installation's secrets (made by an older demo
    with the published password, or before the secrets file was lost) gets them now."""
    stale = device.key != key if device is not None else not user.check_password(password)
    if stale:
        user.set_password(password)
        user.save(update_fields=["password"])
        if device is not None:
            device.key, device.last_t, device.drift = key, -1, 0
            device.save(update_fields=["key", "last_t", "drift"])
        audit.record("user.demo_secrets_renewed", actor=None, target=user)


#: Demo employers: SBI section and the demo account that owns them (None: no owner yet).
EMPLOYERS = {
    "emp-westpoort": ("H", "am.amsterdam"),
    "emp-zorg-amstel": ("Q", None),
    "emp-haven": ("H", "am.rotterdam"),
}


def _employer_accounts(organisations: dict[str, Organisation]) -> int:
    """An employer account (sector, size, owner) with a few places for each demo employer
    that has none yet. Returns accounts created."""
    made = 0
    for key, (section, owner_name) in EMPLOYERS.items():
        organisation = organisations[key]
        if EmployerAccount.objects.filter(organisation=organisation).exists():
            continue
        kvk = str(int(hashlib.sha256(organisation.name.encode()).hexdigest(), 16) % 10**8)
        owner = (
            Membership.objects.filter(user__username=owner_name, role=Role.ACCOUNTMANAGER).first()
            if owner_name
            else None
        )
        account = EmployerAccount.objects.create(
            organisation=organisation,
            kvk_number=kvk.zfill(8),
            sector=Sector.objects.filter(code=section).first(),
            size="50-249",
            owner=owner,
            owner_since=timezone.now() if owner else None,
        )
        AccountEvent.objects.create(account=account, kind="registered", by=owner)
        if owner:
            AccountEvent.objects.create(account=account, kind="claimed", by=owner, to=owner)
        audit.record("employer.registered", actor=None, target=account)
        _demo_places(account)
        made += 1
    return made


#: A few places per demo employer: (title, type, ESCO occupation label, places, hours).
PLACES = {
    "H": [
        ("Orderpicker", "job", "orderpicker", 12, 32),
        ("Heftruckchauffeur (leerwerkplek)", "leerwerkplek", "heftruckchauffeur", 3, 36),
    ],
    "Q": [("Helpende zorg en welzijn (basisbaan)", "basisbaan", "thuiszorgmedewerker", 4, 24)],
}


def demo_location(organisation: Organisation) -> Postcode:
    """Where a demo employer's places are: the first postcode of its municipality."""
    municipality = organisation.municipality
    assert municipality is not None  # every demo employer names its municipality
    postcode = municipality.postcodes.order_by("code").first()
    assert postcode is not None  # the reference data has every municipality's postcodes
    return postcode


def _demo_places(account: EmployerAccount) -> None:
    """The employer's demo places of its sector (none without a sector)."""
    specs = PLACES.get(account.sector.code if account.sector else "", [])
    if not specs:
        return
    location = demo_location(account.organisation)
    for title, place_type, occupation, places, hours in specs:
        vacancy = Vacancy.objects.create(
            employer=account,
            title=title,
            place_type=place_type,
            occupation=Occupation.objects.filter(label_nl__iexact=occupation).first(),
            hours_per_week=hours,
            contract="tijdelijk",
            postcode=location,
            places=places,
            status="open",
        )
        add_occupation_skills(vacancy)


def add_occupation_skills(vacancy: Vacancy, n: int = 6) -> None:
    """The place asks the first ``n`` essential skills of its ESCO occupation; the first is
    taught on the job (so the demo shows both a gap and what the employer teaches)."""
    if vacancy.occupation_id is None:
        return
    relations = OccupationSkill.objects.filter(
        occupation_id=vacancy.occupation_id, relation="essential"
    ).order_by("skill__uri")[:n]
    VacancySkill.objects.bulk_create(
        VacancySkill(vacancy=vacancy, skill_id=r.skill_id, relation="essential", teachable=i == 0)
        for i, r in enumerate(relations)
    )
