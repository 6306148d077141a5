"""The demo's action plan for Groot Amsterdam (``pm.amsterdam``): an ambition of 250 extra
matches a year over 2026-2027, € 2 million over four activities with quarterly spend, put in
force, then revised once with its reason. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.catalogue.models import Offer
from perspectief.demo.credentials import refuse_in_production
from perspectief.monitoring.models import ActionPlan
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import PlanInput, plan_save, plan_set_status
from perspectief.monitoring.services.spend import spend_record
from perspectief.organisations.models import Organisation

TITLE = "Doe-agenda Perspectief op Werk Groot Amsterdam 2026-2027"


@transaction.atomic
def create_demo_plan() -> int:
    refuse_in_production()
    if ActionPlan.objects.filter(title=TITLE).exists():
        return 0
    membership = Membership.objects.filter(user__username="pm.amsterdam").first()
    if membership is None:
        return 0
    manager = actor_for(membership)
    gemeente = Organisation.objects.get(name="Gemeente Amsterdam")
    school = Organisation.objects.get(name="MBO College Amsterdam-Noord (demo)")
    partners = list(
        Organisation.objects.filter(region__code="AM18").exclude(kind="region")
        | Organisation.objects.filter(
            municipality__region__code="AM18", kind__in=["school", "intermediary", "sw_bedrijf"]
        )
    )

    def plan_input(ambition: int, sector_h: int) -> PlanInput:
        return PlanInput(
            title=TITLE,
            period_start=date(2026, 1, 1),
            period_end=date(2027, 12, 31),
            lead=gemeente,
            employer_lead="Werkgeversvereniging Amsterdam (demo)",
            ambition=ambition,
            budget=Decimal("2000000"),
            partners=partners,
            ambitions=[("target_group", "statushouder", 60), ("sector", "H", sector_h)],
        )

    plan = plan_save(actor=manager, data=plan_input(250, 80))
    plan_set_status(actor=manager, plan=plan, status="active")
    offers = {o.kind: o for o in Offer.objects.filter(region__code="AM18")}
    activities = [
        ("Basisbanen Amsterdam", "basisbanen", gemeente, "600000", []),
        ("Praktijkleren logistiek", "praktijkleren", school, "450000", ["mbo", "bbl"]),
        ("Statushouders aan het werk", "statushouders", gemeente, "300000", ["nt2"]),
        ("Werkgeversservicepunt Groot Amsterdam", "wsp", gemeente, "250000", []),
    ]
    today = timezone.localdate()
    for name, kind, owner, budget, kinds in activities:
        activity = activity_save(
            actor=manager,
            plan=plan,
            data=ActivityInput(
                name,
                kind,
                owner,
                Decimal(budget),
                status="running",
                offers=[offers[k] for k in kinds if k in offers],
            ),
            reason="Activiteit uit het vastgestelde plan.",
        )
        for quarter_end in (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)):
            if quarter_end <= today:
                spend_record(
                    actor=manager,
                    activity=activity,
                    spent_on=quarter_end,
                    amount=Decimal(budget) / 10,
                    description="Kwartaaluitgaven",
                )
    plan_save(
        actor=manager,
        data=plan_input(220, 60),
        plan=plan,
        reason="Minder vraag in de logistiek na het sluiten van twee distributiecentra.",
    )
    return 1
