"""Demo offers in Groot Amsterdam's catalogue: a logistics course that teaches the essential
skills of the demo's order-picker places, Dutch (NT2), a werkfit programme, job coaching and
a trial placement. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.catalogue.models import Offer, OfferEdition, OfferSkill, OfferTargetGroup
from perspectief.demo.credentials import refuse_in_production
from perspectief.organisations.models import Organisation
from perspectief.taxonomy.models import OccupationSkill
from perspectief.vacancies.models import Vacancy

SCHOOL = "MBO College Amsterdam-Noord (demo)"


@transaction.atomic
def create_demo_offers() -> int:
    refuse_in_production()
    school = Organisation.objects.filter(name=SCHOOL).first()
    if school is None or Offer.objects.filter(provider=school).exists():
        return 0
    offers = _offers(school)
    where = school.municipality.postcodes.order_by("code").first() if school.municipality else None
    today = timezone.localdate()
    for provider, kind, title, weeks, hours, cost, funding, taught in offers:
        offer = Offer.objects.create(
            provider=provider,
            region=provider.region,
            kind=kind,
            title=title,
            duration_weeks=weeks,
            hours_per_week=hours,
            cost=cost,
            funding=funding,
            postcode=where,
            contact=f"info@{provider.name.split()[0].lower()}.example",
        )
        OfferSkill.objects.bulk_create(OfferSkill(offer=offer, skill=s) for s in taught)
        if kind == "nt2":
            OfferTargetGroup.objects.create(offer=offer, group="statushouder")
        for months in (1, 4):
            OfferEdition.objects.create(
                offer=offer,
                starts_on=today + timedelta(days=30 * months),
                seats=16 if kind in ("mbo", "nt2") else None,
            )
    return len(offers)


def _picker_skills() -> list:
    """Up to four essential skills of the demo's order-picker places: what the logistics
    course teaches, so that it closes the gap of the people ranked for those places."""
    picker = Vacancy.objects.filter(title="Orderpicker", occupation__isnull=False).first()
    if picker is None:
        return []
    return [
        r.skill
        for r in OccupationSkill.objects.filter(
            occupation=picker.occupation, relation="essential"
        ).select_related("skill")[:4]
    ]


def _offers(school) -> list[tuple]:
    """The demo offers as (provider, kind, title, weeks, hours a week, cost, funding, skills
    it teaches): the school's courses, the gemeente's werkfit programme and the
    intermediary's job coaching and trial placement."""
    gemeente = Organisation.objects.get(name="Gemeente Amsterdam")
    jobhunters = Organisation.objects.get(name="Jobhunters Groot Amsterdam (demo)")
    skills = _picker_skills()
    return [
        (
            school,
            "mbo",
            "Logistiek medewerker (MBO 2, verkort)",
            16,
            24,
            "1450.00",
            "regio",
            skills,
        ),
        (
            school,
            "nt2",
            "Nederlands op de werkvloer (NT2, A2 naar B1)",
            20,
            6,
            "900.00",
            "participatiewet",
            [],
        ),
        (school, "bbl", "BBL Logistiek — leren en werken", 52, 32, None, "werkgever", skills[:2]),
        (gemeente, "werkfit", "Werkfit-traject Amsterdam", 12, 16, None, "participatiewet", []),
        (
            jobhunters,
            "jobcoaching",
            "Jobcoaching op de werkplek (6 maanden)",
            26,
            2,
            "2400.00",
            "uwv",
            [],
        ),
        (
            jobhunters,
            "proefplaatsing",
            "Proefplaatsing met behoud van uitkering",
            8,
            32,
            None,
            "participatiewet",
            [],
        ),
    ]
