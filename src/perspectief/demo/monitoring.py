"""The demo's action plans. Groot Amsterdam (``pm.amsterdam``): an ambition of 250 extra
matches a year over 2026-2027, € 2 million over four activities with quarterly spend, put in
force, then revised once with its reason; its versions dated to when that happened (January
and June 2026, so a past quarter's report shows the plan as in force then); when and how its
activities turned out (one did not succeed, and says why), and what lasts after the plan.
Rijnmond (``pm.rotterdam``): a smaller plan of its own. Idempotent: each part is made once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.catalogue.models import Offer
from perspectief.demo.credentials import refuse_in_production
from perspectief.monitoring.models import ActionPlan, PlanRevision
from perspectief.monitoring.services.activities import (
    ActivityInput,
    activity_result_record,
    activity_save,
)
from perspectief.monitoring.services.borging import BorgingInput, borging_save
from perspectief.monitoring.services.plans import PlanInput, plan_save, plan_set_status
from perspectief.monitoring.services.spend import spend_record
from perspectief.organisations.models import Organisation

TITLE = "Doe-agenda Perspectief op Werk Groot Amsterdam 2026-2027"
RIJNMOND = "Doe-agenda Perspectief op Werk Rijnmond 2026-2027"

#: How the activities turned out: (started on, result, what about it).
RESULTS = {
    "Werkgeversservicepunt Groot Amsterdam": (date(2026, 1, 12), "loopt", ""),
    "Basisbanen Amsterdam": (
        date(2026, 2, 2),
        "gelukt",
        "35 basisbanen ingevuld, vooral in de schoonmaak en de groenvoorziening.",
    ),
    "Statushouders aan het werk": (
        date(2026, 4, 6),
        "deels",
        "Taal op de werkvloer werkt; te weinig werkgevers buiten de zorg deden mee.",
    ),
    "Praktijkleren logistiek": (
        date(2026, 3, 2),
        "mislukt",
        "Twee distributiecentra sloten; hun leerplaatsen vielen weg en er kwamen geen andere "
        "werkgevers voor in de plaats. Les: niet op één sector en een paar grote werkgevers "
        "leunen.",
    ),
}


def _actor(username: str):
    membership = Membership.objects.filter(user__username=username).first()
    return actor_for(membership) if membership is not None else None


def _date_versions(plan: ActionPlan, days: list[date]) -> None:
    """Date the plan's first versions to the days they were made (the demo makes them all
    today); a later quarter's report then shows the plan as in force at its end."""
    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("version"))
    for revision, day in zip(revisions, days, strict=False):
        revision.revised_at = timezone.make_aware(datetime.combine(day, time(10)))
        revision.save(update_fields=["revised_at"])


@transaction.atomic
def create_demo_plan() -> int:
    """The plans, their results and what lasts after them; the number of plans made."""
    refuse_in_production()
    made = 0
    manager = _actor("pm.amsterdam")
    if manager is None:
        return 0
    plan = ActionPlan.objects.filter(title=TITLE).first()
    if plan is None:
        plan = _amsterdam(manager)
        made += 1
    if not plan.activities.filter(started_on__isnull=False).exists():
        _results(manager, plan)
    if not plan.borging.exists():
        _borging(manager, plan)
    rotterdam = _actor("pm.rotterdam")
    if rotterdam is not None and not ActionPlan.objects.filter(region__code="AM22").exists():
        _rijnmond(rotterdam)
        made += 1
    return made


def _amsterdam(manager) -> ActionPlan:
    """Groot Amsterdam's plan: made and put in force in January 2026, revised in June."""
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
    versions = plan.revisions.count()
    january = [date(2026, 1, 12) + timedelta(days=i) for i in range(versions - 1)]
    _date_versions(plan, [*january, date(2026, 6, 15)])
    return plan


def _results(manager, plan: ActionPlan) -> None:
    """When each activity started and how it turned out (not one that would start later)."""
    today = timezone.localdate()
    for activity in plan.activities.order_by("name"):
        started_on, result, note = RESULTS.get(activity.name, (None, "", ""))
        if started_on is None or started_on > today:
            continue
        activity_result_record(
            actor=manager, activity=activity, started_on=started_on, result=result, note=note
        )


def _borging(manager, plan: ActionPlan) -> None:
    """What lasts after the plan: one item arranged, one still planned."""
    gemeente = Organisation.objects.get(name="Gemeente Amsterdam")
    after = plan.period_end + timedelta(days=1)
    borging_save(
        actor=manager,
        plan=plan,
        data=BorgingInput(
            what="Het Werkgeversservicepunt blijft als vast loket voor werkgevers.",
            owner=gemeente,
            planned_from=after,
            payer="Gemeente Amsterdam (begroting Werk en Inkomen)",
        ),
    )
    borging_save(
        actor=manager,
        plan=plan,
        data=BorgingInput(
            what="Basisbanen blijven voor wie niet zonder ondersteuning kan werken.",
            owner=gemeente,
            planned_from=after,
            payer="Gemeenten van de regio, naar rato van inwoners",
        ),
    )


def _rijnmond(manager) -> None:
    """Rijnmond's plan: 180 extra matches a year over 2026-2027, two activities, in force
    since January 2026."""
    gemeente = Organisation.objects.get(name="Gemeente Rotterdam")
    plan = plan_save(
        actor=manager,
        data=PlanInput(
            title=RIJNMOND,
            period_start=date(2026, 1, 1),
            period_end=date(2027, 12, 31),
            lead=gemeente,
            employer_lead="Werkgeversvereniging Rijnmond (demo)",
            ambition=180,
            budget=Decimal("1500000"),
        ),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    for name, kind, budget in (
        ("Haven en logistiek: leren en werken", "praktijkleren", "700000"),
        ("Werkgeversservicepunt Rijnmond", "wsp", "300000"),
    ):
        activity_save(
            actor=manager,
            plan=plan,
            data=ActivityInput(name, kind, gemeente, Decimal(budget), status="running"),
            reason="Activiteit uit het vastgestelde plan.",
        )
    versions = plan.revisions.count()
    _date_versions(plan, [date(2026, 1, 19) + timedelta(days=i) for i in range(versions)])
