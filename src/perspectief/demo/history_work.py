"""The work side of the demo regions' history (:mod:`perspectief.demo.history`): employers
across sectors, their places, and every hire as the services record it — a proposal for a
place, introduced with the person's consent and hired (the place filled), or a job found
outside the platform — with the support plan it starts, its check-ins, and what followed:
durable work a supporter confirmed, a drop-out with its reason, or six months nobody
confirmed. Written in bulk, dated as it happened."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.audit import services as audit
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import ConsentMethod, ConsentScope
from perspectief.candidates.models import Consent
from perspectief.core.authz import Role
from perspectief.core.dates import add_months
from perspectief.demo.history_lives import Hire, Life, stream, uid
from perspectief.demo.history_records import BATCH, Written, backdate, moment
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import AccountEvent, EmployerAccount, Organisation
from perspectief.regions.models import Municipality, Postcode, Region
from perspectief.routes.constants import CHECK_IN_MONTHS, PlanStatus
from perspectief.routes.models import CheckIn, SupportPlan, WorkConfirmation
from perspectief.taxonomy.models import Occupation, Sector
from perspectief.vacancies.models import Vacancy


@dataclass(frozen=True)
class EmployerSpec:
    """A demo employer of the history: name, SBI section, municipality (GM code), and the
    place it recruits for (title, ESCO occupation's Dutch label, type, hours a week)."""

    name: str
    sector: str
    municipality: str
    title: str
    occupation: str
    place_type: str = "job"
    hours: int = 32


E = EmployerSpec
EMPLOYERS = {
    "AM18": (
        E("Logistiek Centrum Schiphol-Rijk (demo)", "H", "GM0394", "Orderpicker", "orderpicker"),
        E(
            "Transport en Distributie Amstel (demo)",
            "H",
            "GM0363",
            "Heftruckchauffeur",
            "heftruckchauffeur",
            hours=36,
        ),
        E(
            "Voedingsfabriek Amsterdam-West (demo)",
            "C",
            "GM0363",
            "Productiemedewerker",
            "productiemedewerker",
        ),
        E(
            "Zorgcentrum De Amstelhof (demo)",
            "Q",
            "GM0363",
            "Helpende zorg en welzijn",
            "thuiszorgmedewerker",
            "basisbaan",
            24,
        ),
        E("Supermarkten Amstelland (demo)", "G", "GM0362", "Winkelmedewerker", "winkelmedewerker"),
        E("Hotel Amstel Oever (demo)", "I", "GM0363", "Keukenhulp", "keukenhulp", hours=28),
        E(
            "Schoonmaakbedrijf Helder (demo)",
            "N",
            "GM0362",
            "Schoonmaker gebouwen",
            "schoonmaker gebouwen",
            hours=24,
        ),
        E(
            "Bouwbedrijf De Ronde Venen (demo)",
            "F",
            "GM0736",
            "Timmerman (leerwerkplek)",
            "timmerman",
            "leerwerkplek",
            36,
        ),
        E("Stadsbeheer Amsterdam (demo)", "O", "GM0363", "Medewerker openbaar groen", "hovenier"),
        E("Scholengroep Amstel (demo)", "P", "GM0362", "Conciërge", "conciërge", hours=28),
    ),
    "AM22": (
        E(
            "Overslagbedrijf Maasvlakte (demo)",
            "H",
            "GM0599",
            "Orderpicker",
            "orderpicker",
            hours=36,
        ),
        E(
            "Procesindustrie Botlek (demo)",
            "C",
            "GM0599",
            "Productiemedewerker",
            "productiemedewerker",
        ),
        E(
            "Zorggroep Maas en Waal (demo)",
            "Q",
            "GM0599",
            "Helpende zorg en welzijn",
            "thuiszorgmedewerker",
            "basisbaan",
            24,
        ),
        E("Horeca Rotterdam Centrum (demo)", "I", "GM0599", "Keukenhulp", "keukenhulp"),
        E(
            "Schoonmaak Maasstad (demo)",
            "N",
            "GM0599",
            "Schoonmaker gebouwen",
            "schoonmaker gebouwen",
            hours=24,
        ),
        E("Winkelcentrum Zuidplein (demo)", "G", "GM0599", "Winkelmedewerker", "winkelmedewerker"),
    ),
    "AM01": (
        E("Distributiecentrum Groningen-Zuid (demo)", "H", "GM0014", "Orderpicker", "orderpicker"),
        E(
            "Zorgcentrum Stad en Ommeland (demo)",
            "Q",
            "GM0014",
            "Helpende zorg en welzijn",
            "thuiszorgmedewerker",
            "basisbaan",
            24,
        ),
        E("Agrifood Eemsdelta (demo)", "C", "GM1979", "Productiemedewerker", "productiemedewerker"),
    ),
}

#: Employers of jobs people found outside the platform: (name, job).
OUTSIDE = (
    ("Bakkerij Van der Meulen (demo)", "Productiemedewerker bakkerij"),
    ("Installatiebedrijf Jansen (demo)", "Monteur in opleiding"),
    ("Uitzendbureau Flex (demo)", "Medewerker logistiek"),
    ("Fietsenmaker De Spaak (demo)", "Fietsenmaker"),
    ("Kinderopvang Het Nest (demo)", "Pedagogisch medewerker in opleiding"),
)
DROP_OUT_REASONS = (
    "Proeftijd niet doorgekomen.",
    "Gezondheidsklachten: het werk was voorlopig te zwaar.",
    "Contract niet verlengd na de eerste maanden.",
    "Zelf gestopt: de reistijd was te lang.",
)


def has_history(region: Region) -> bool:
    """Whether the region's history was made (its first employer exists)."""
    specs = EMPLOYERS.get(region.code, ())
    return bool(specs) and Organisation.objects.filter(name=specs[0].name).exists()


@dataclass
class Employers:
    """The region's history employers: their accounts by sector, and what each recruits."""

    by_sector: dict[str, list[EmployerAccount]]
    spec: dict[int, EmployerSpec]  # account pk → spec


def employers(region: Region) -> Employers:
    """The region's history employers, created with their account (as the demo
    population's employers are: registered, owned by the region's account manager)."""
    owner = Membership.objects.filter(role=Role.ACCOUNTMANAGER, organisation__region=region).first()
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    centre = region.centrumgemeente or next(iter(municipalities.values()), None)
    sectors = {s.code: s for s in Sector.objects.all()}
    found = Employers(defaultdict(list), {})
    for spec in EMPLOYERS.get(region.code, ()):
        organisation = Organisation.objects.create(
            name=spec.name,
            kind=OrganisationKind.EMPLOYER,
            region=region,
            municipality=municipalities.get(spec.municipality, centre),
        )
        audit.record(
            "organisation.created",
            actor=None,
            target=organisation,
            changes={"name": [None, organisation.name], "kind": [None, organisation.kind]},
        )
        kvk = int(hashlib.sha256(spec.name.encode()).hexdigest(), 16) % 10**8
        account = EmployerAccount.objects.create(
            organisation=organisation,
            kvk_number=str(kvk).zfill(8),
            sector=sectors.get(spec.sector),
            size="50-249",
            owner=owner,
            owner_since=timezone.now() if owner else None,
        )
        AccountEvent.objects.create(account=account, kind="registered", by=owner)
        audit.record("employer.registered", actor=None, target=account)
        found.by_sector[spec.sector].append(account)
        found.spec[account.pk] = spec
    return found


def _employer_for(rng: random.Random, hire: Hire, employers_: Employers) -> EmployerAccount:
    """An employer of the hire's sector, else any of the region's (the hire takes its
    sector)."""
    by_sector = employers_.by_sector
    found = by_sector.get(hire.sector) or [a for accounts in by_sector.values() for a in accounts]
    account = rng.choice(found)
    hire.sector = employers_.spec[account.pk].sector
    return account


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def write_places(lives: list[Life], employers_: Employers, today: date, region: Region) -> dict:
    """The places the hires were into: one per employer and quarter of the start of work,
    with as many places as were filled and a few more (open in the running quarter,
    closed before). Returns the place per hire (its uuid)."""
    rng = stream(region.code, "places")
    hired: dict[tuple, list[Life]] = defaultdict(list)
    for life in lives:
        if life.hire is not None and not life.hire.outside:
            account = _employer_for(rng, life.hire, employers_)
            hired[(account.pk, _quarter(life.hire.start))].append(life)
    accounts = {a.pk: a for group in employers_.by_sector.values() for a in group}
    occupations = {
        o.label_nl.lower(): o
        for o in Occupation.objects.filter(
            label_nl__in=[spec.occupation for spec in employers_.spec.values()]
        ).order_by("uri")
    }
    fallback = Postcode.objects.filter(municipality__region=region).order_by("code").first()
    places, filled_by, opened = [], {}, {}
    for (account_pk, quarter), group in sorted(hired.items(), key=lambda item: item[0]):
        account = accounts[account_pk]
        spec = employers_.spec[account_pk]
        running = quarter == _quarter(today)
        extra = rng.randint(1, 4) if running else rng.choice([0, 0, 1, 2])
        starts = [life.hire.start for life in group if life.hire]
        place = Vacancy(
            uuid=uid(rng),
            employer=account,
            title=spec.title,
            place_type=spec.place_type,
            occupation=occupations.get(spec.occupation),
            description="Werving via het werkgeversservicepunt.",
            hours_per_week=spec.hours,
            contract="tijdelijk",
            postcode=_location(account) or fallback,
            places=len(group) + extra,
            places_filled=len(group),
            start_date=min(starts),
            status=("open" if running else "closed") if extra else "filled",
        )
        places.append(place)
        proposed = [life.hire.proposed_on for life in group if life.hire]
        opened[place.uuid] = moment(min(proposed) - timedelta(days=14))
        for life in group:
            filled_by[life.uuid] = place
    Vacancy.objects.bulk_create(places, batch_size=BATCH)
    backdate(places, lambda p: opened[p.uuid])
    return filled_by


def _location(account: EmployerAccount):
    """Where the employer's places are: the first postcode of its municipality."""
    municipality = account.organisation.municipality
    return municipality.postcodes.order_by("code").first() if municipality else None


def write_hires(lives: list[Life], written: Written, filled_by: dict, region: Region) -> dict:
    """Every hire as the services record it: through a proposal for its place, the person
    introduced with their consent, or a job found outside the platform. Returns the
    proposal or outside hire by the hire's uuid."""
    rng = stream(region.code, "hires")
    version = consent_statements.current(ConsentScope.INTRODUCTION).version
    proposals, consents, outside = [], [], []
    for life in lives:
        hire = life.hire
        if hire is None:
            continue
        candidate, serving = written.candidates[life.uuid], written.serving[life.uuid]
        if hire.outside:
            name, job = rng.choice(OUTSIDE)
            outside.append(
                OutsideHire(
                    uuid=hire.uuid,
                    candidate=candidate,
                    employer_name=name,
                    job_title=job,
                    contract=hire.contract,
                    start_date=hire.start,
                    note="Zelf gevonden; gemeld bij het klantgesprek.",
                    recorded_for=serving,
                )
            )
            continue
        place = filled_by[life.uuid]
        introduced = moment(hire.proposed_on + timedelta(days=rng.randint(1, 7)), rng)
        proposals.append(
            Proposal(
                uuid=hire.uuid,
                vacancy=place,
                candidate=candidate,
                proposed_for=serving,
                status=ProposalStatus.HIRED,
                responded_at=introduced,
                start_date=hire.start,
                contract=hire.contract,
                outcome_at=moment(max(hire.start - timedelta(days=7), introduced.date())),
            )
        )
        consents.append(
            Consent(
                candidate=candidate,
                scope=ConsentScope.INTRODUCTION,
                employer=place.employer,
                method=ConsentMethod.IN_PERSON,
                statement_version=version,
                granted_at=introduced,
                approved_at=introduced,
                recorded_for=serving,
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    OutsideHire.objects.bulk_create(outside, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    hires = {life.hire.uuid: life.hire for life in lives if life.hire is not None}
    backdate(proposals, lambda p: moment(hires[p.uuid].proposed_on, rng), lambda p: p.outcome_at)
    backdate(outside, lambda h: moment(hires[h.uuid].start + timedelta(days=rng.randint(0, 20))))
    return {hire.uuid: hire for hire in [*proposals, *outside]}


def write_support(lives: list[Life], written: Written, hires: dict, today: date) -> int:
    """The support plan each hire started, with its check-ins (held when due, up to a week
    ago and while the person worked there), and the confirmation of durable work a
    supporter recorded after six months. Returns the plans."""
    rng = stream("support")
    plans, made = [], {}
    for life in lives:
        hire = life.hire
        if hire is None:
            continue
        recorded = hires[hire.uuid]
        place = recorded.vacancy if isinstance(recorded, Proposal) else None
        plan = SupportPlan(
            uuid=hire.plan_uuid,
            candidate=written.candidates[life.uuid],
            proposal=recorded if place else None,
            outside_hire=None if place else recorded,
            employer=place.employer.organisation if place else None,
            employer_name=place.employer.organisation.name if place else recorded.employer_name,
            job_title=place.title if place else recorded.job_title,
            organisation=written.serving[life.uuid],
            started_on=hire.start,
            status={"durable": PlanStatus.DURABLE, "dropped_out": PlanStatus.DROPPED_OUT}.get(
                hire.outcome, PlanStatus.ACTIVE
            ),
            ended_on=hire.ended_on,
            drop_out_reason=rng.choice(DROP_OUT_REASONS) if hire.outcome == "dropped_out" else "",
        )
        plans.append(plan)
        made[plan.uuid] = hire
    SupportPlan.objects.bulk_create(plans, batch_size=BATCH)
    CheckIn.objects.bulk_create(_check_ins(plans, made, today, rng), batch_size=BATCH)
    confirmations = []
    for plan in plans:
        confirmed_on = made[plan.uuid].confirmed_on
        if made[plan.uuid].outcome == "durable" and confirmed_on is not None:
            source, method = rng.choice(CONFIRMED_BY)
            confirmations.append(
                WorkConfirmation(
                    plan=plan,
                    confirmed_on=confirmed_on,
                    source=source,
                    method=method,
                    still_employed=True,
                    recorded_for=plan.organisation,
                )
            )
    WorkConfirmation.objects.bulk_create(confirmations, batch_size=BATCH)
    backdate(plans, lambda p: moment(p.started_on), lambda p: moment(p.ended_on or p.started_on))
    backdate(confirmations, lambda c: moment(c.confirmed_on))
    return len(plans)


#: Who confirmed durable work, and how.
CONFIRMED_BY = (
    ("jobcoach", "visit"),
    ("jobcoach", "visit"),
    ("employer", "phone"),
    ("employer", "writing"),
    ("person", "in_person"),
)


def _check_ins(plans: list[SupportPlan], made: dict, today: date, rng) -> list[CheckIn]:
    """The plan's check-ins after 1, 3, 6 and 12 months: held (with the person and the
    employer) when due by a week ago, while the person worked there; a plan that ended in
    a drop-out had its last one at risk."""
    rows = []
    for plan in plans:
        hire = made[plan.uuid]
        until = today - timedelta(days=7)
        if hire.outcome == "dropped_out" and hire.ended_on:
            until = min(until, hire.ended_on)
        for month in CHECK_IN_MONTHS:
            due = add_months(plan.started_on, month)
            held = due <= until
            outcome = "well"
            if hire.outcome == "dropped_out" and held and add_months(due, 2) > until:
                outcome = "at_risk"
            rows.append(
                CheckIn(
                    plan=plan,
                    month=month,
                    due_on=due,
                    held_on=min(due + timedelta(days=rng.randint(0, 4)), until) if held else None,
                    with_person=held,
                    with_employer=held,
                    channel=rng.choice(["in_person", "in_person", "phone"]) if held else "",
                    outcome=outcome if held else "",
                )
            )
    return rows
