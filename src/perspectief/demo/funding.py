"""The demo's funding pots for Groot Amsterdam (``pm.amsterdam`` keeps them): the region's
PoW budget, the gemeente's re-integration budget, UWV's training budget and the regional
mobility budget, each with an amount and application periods, and a few route steps and
plan activities that say which pot pays them. The national pots come with the reference
data. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.credentials import refuse_in_production
from perspectief.funding.conditions import parse_rules
from perspectief.funding.models import FundingPot
from perspectief.funding.services import Payer, PotInput, pot_save
from perspectief.monitoring.constants import ActivityStatus
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.routes.constants import OPEN_STEPS
from perspectief.routes.models import RouteStep
from perspectief.routes.services.routes import step_change
from perspectief.routes.services.steps import step_input


def _pots(year: int) -> list[PotInput]:
    this, next_ = year, year + 1
    return [
        PotInput(
            name="PoW-budget Groot Amsterdam",
            kind="pow",
            purpose="De middelen van Perspectief op Werk voor de regio: extra plaatsingen van "
            "mensen met een afstand tot de arbeidsmarkt, volgens de Doe-agenda.",
            who_may_apply="Partners van de regio (gemeenten, UWV, scholen, SW-bedrijven), via "
            "de programmamanager.",
            conditions_text="Past in een activiteit van de Doe-agenda; ten hoogste € 5.000 per "
            "persoon per traject.",
            rules=parse_rules(
                "offer.priceEuro <= 5000 | Ten hoogste € 5.000 per persoon per traject"
            ),
            amount_available=Decimal("2000000"),
            periods=[(date(this, 1, 1), date(next_, 12, 31))],
            verified=True,
            contact="Programmamanager Perspectief op Werk, Gemeente Amsterdam",
        ),
        PotInput(
            name="Re-integratiebudget Gemeente Amsterdam (Participatiewet)",
            kind="reintegratie",
            purpose="Re-integratievoorzieningen voor inwoners met bijstand of zonder uitkering.",
            who_may_apply="De klantmanager van de gemeente, voor inwoners die de gemeente bedient.",
            conditions_text="Inwoner van Amsterdam met bijstand, of niet-uitkeringsgerechtigd "
            "(NUG); het traject staat in het plan van aanpak.",
            rules=parse_rules(
                "person.municipality = GM0363 | De persoon woont in Amsterdam\n"
                "person.benefit in bijstand, geen | De persoon heeft bijstand of is NUG"
            ),
            amount_available=Decimal("850000"),
            periods=[(date(this, 1, 1), date(this, 12, 31)), (date(next_, 1, 1), None)],
            verified=True,
            contact="Werk en Inkomen, Gemeente Amsterdam",
        ),
        PotInput(
            name="UWV scholingsbudget Groot Amsterdam",
            kind="uwv_scholing",
            purpose="Scholing voor mensen met een WW-, WIA- of Wajong-uitkering naar een "
            "beroep met kansen in de regio.",
            who_may_apply="De adviseur van UWV, voor de eigen klanten.",
            conditions_text="Een opleiding (geen werkfit-traject of coaching) tot € 2.500, "
            "aangevraagd in een van de twee aanvraagrondes.",
            rules=parse_rules(
                "person.benefit in ww, wia, wajong | De persoon heeft WW, WIA of Wajong\n"
                "offer.kind in mbo, bbl, nt2 | Het is een opleiding\n"
                "offer.priceEuro <= 2500 | Ten hoogste € 2.500"
            ),
            amount_available=Decimal("400000"),
            periods=[
                (date(this, 2, 1), date(this, 6, 30)),
                (date(this, 9, 1), date(this, 11, 30)),
                (date(next_, 2, 1), date(next_, 6, 30)),
            ],
            verified=False,
            verify_note="De rondes van volgend jaar zijn nog niet bevestigd door UWV.",
            contact="UWV Werkgeversservicepunt Groot Amsterdam",
        ),
        PotInput(
            name="Regionaal mobiliteitsbudget Groot Amsterdam",
            kind="mobiliteit",
            purpose="Van werk naar werk en van uitkering naar werk: scholing en begeleiding "
            "voor wie van beroep wisselt.",
            who_may_apply="Partners van het regionaal mobiliteitsteam.",
            conditions_text="Volwassenen die van beroep wisselen; geen bbl (die betaalt "
            "praktijkleren).",
            rules=parse_rules(
                "person.age >= 18 | De persoon is 18 of ouder\n"
                "offer.kind not_in bbl | Geen bbl-plaats"
            ),
            amount_available=Decimal("120000"),
            periods=[(date(this, 1, 1), None)],
            verified=True,
            contact="Regionaal mobiliteitsteam Groot Amsterdam",
        ),
    ]


@transaction.atomic
def create_demo_funding() -> int:
    refuse_in_production()
    membership = Membership.objects.filter(
        user__username="pm.amsterdam", role="programmamanager"
    ).first()
    if membership is None or FundingPot.objects.filter(region__code="AM18").exists():
        return 0
    manager = actor_for(membership)
    pots = [pot_save(actor=manager, data=data) for data in _pots(timezone.localdate().year)]
    by_kind = {pot.kind: pot for pot in pots}
    _pay_steps(by_kind)
    _pay_activities(manager, by_kind)
    return len(pots)


def _pay_steps(pots: dict[str, FundingPot]) -> None:
    """Open steps on a course of the region's routes are paid from the re-integration
    budget (or the PoW budget when the course costs more than a few thousand euros)."""
    steps = (
        RouteStep.objects.filter(
            route__candidate__region__code="AM18", offer__isnull=False, status__in=OPEN_STEPS
        )
        .select_related("route__organisation", "offer", "owner", "edition")
        .order_by("pk")[:4]
    )
    for step in steps:
        planner = Membership.objects.filter(
            organisation=step.route.organisation, role="klantmanager"
        ).first()
        if planner is None:
            continue
        cost = (step.offer.cost if step.offer else None) or Decimal("1500")
        pot = pots["reintegratie"] if cost <= 3000 else pots["pow"]
        actor = actor_for(planner)
        step_change(
            actor=actor,
            step=step,
            data=step_input(
                kind=step.kind,
                own=actor.organisation,
                title=step.title,
                owner=step.owner,
                offer=step.offer,
                edition=step.edition,
                planned_start=step.planned_start,
                planned_end=step.planned_end,
                handoff_note=step.handoff_note,
                funding=Payer(pot, cost),
            ),
        )


def _pay_activities(manager, pots: dict[str, FundingPot]) -> None:
    """Two of the plan's activities say the PoW budget pays them."""
    activities = PlanActivity.objects.filter(
        plan__region__code="AM18", kind__in=["praktijkleren", "statushouders"]
    ).exclude(status=ActivityStatus.STOPPED)
    for activity in activities.select_related("plan", "owner"):
        activity_save(
            actor=manager,
            plan=activity.plan,
            activity=activity,
            data=ActivityInput(
                activity.name,
                activity.kind,
                activity.owner,
                activity.budget,
                status=activity.status,
                offers=list(activity.offers.all()),
                funding=Payer(pots["pow"], activity.budget),
            ),
            reason="Betaald uit het PoW-budget van de regio.",
        )
