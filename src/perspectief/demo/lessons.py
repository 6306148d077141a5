"""The demo's leeragenda: lessons of Groot Amsterdam about its plan's activities (one that
worked, one partly, one failed, one stopped, one still internal) and one of Rijnmond, with a
reaction and a region that took a lesson over. Written through the services (so the
personal-data check and the audit run), after the plan. Idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.credentials import refuse_in_production
from perspectief.lessons.models import Lesson
from perspectief.lessons.services.lessons import lesson_save, lesson_share
from perspectief.lessons.services.responses import adoption_add, reaction_add
from perspectief.monitoring.models import PlanActivity
from perspectief.regions.models import Municipality

#: (title, outcome, activity name or "", shared, texts and tags)
AMSTERDAM = (
    (
        "Praktijkleren logistiek met de werkgever als leerbedrijf",
        "gelukt",
        "Praktijkleren logistiek",
        True,
        {
            "tried": "Een BBL-traject orderpicker van een half jaar, met de werkgever als "
            "leerbedrijf en een praktijkopleider van de school op de werkvloer.",
            "for_whom": "Werkzoekenden zonder startkwalificatie met interesse in logistiek",
            "place": "Westpoort",
            "result": "Van de twintig deelnemers hadden er vijftien na afloop een contract.",
            "worked": "De werkgever koos zelf mee wie begon; de praktijkopleider was er elke week.",
            "failed": "Het theoriedeel op school viel voor een paar deelnemers te zwaar uit.",
            "conditions": "Een werkgever die een vaste begeleider vrijmaakt.",
            "pillars": ["vraag", "scholing"],
            "target_groups": ["jongere_zonder_sk"],
            "sectors": ["H"],
        },
    ),
    (
        "Taalcoach op de werkvloer voor statushouders",
        "deels",
        "Statushouders aan het werk",
        True,
        {
            "tried": "Een taalcoach die twee ochtenden per week meeliep op de werkvloer.",
            "for_whom": "Statushouders op taalniveau A2",
            "result": "Minder uitval in de eerste maanden; de taal ging vooruit, het "
            "aantal plaatsingen niet.",
            "worked": "Taal leren in de situatie waarin je hem nodig hebt.",
            "failed": "Te weinig coaches: de wachtlijst liep op tot drie maanden.",
            "conditions": "Genoeg coaches vooraf geregeld.",
            "pillars": ["route", "scholing"],
            "target_groups": ["statushouder"],
        },
    ),
    (
        "Werkgeversontbijt in Zaandam",
        "mislukt",
        "Werkgeversservicepunt Groot Amsterdam",
        True,
        {
            "tried": "Een maandelijks ontbijt voor werkgevers uit de regio, met een korte "
            "presentatie van werkzoekenden (anoniem).",
            "for_whom": "Mkb-werkgevers",
            "place": "Zaandam",
            "result": "Na drie keer kwamen er nog vier werkgevers; geen enkele vacature.",
            "failed": "Het tijdstip: werkgevers in de bouw en de zorg zijn dan al aan het werk. "
            "De uitnodiging kwam van de gemeente, niet van een collega-ondernemer.",
            "conditions": "Laat een werkgeversvereniging uitnodigen, op een tijd die past.",
            "pillars": ["vraag"],
            "sectors": ["F", "Q"],
        },
    ),
    (
        "Kleine banen combineren bij twee werkgevers",
        "gestopt",
        "",
        True,
        {
            "tried": "Twee kleine banen bij verschillende werkgevers tot één werkweek maken.",
            "for_whom": "Mensen met een uitkering die geen volle baan bij één werkgever vinden",
            "result": "Gestopt na een half jaar: de roosters waren niet op elkaar af te "
            "stemmen, en de verrekening met de uitkering was per maand anders.",
            "failed": "Roosters en de verrekening met de uitkering.",
            "conditions": "Eén werkgever die het rooster voor beide banen maakt.",
            "pillars": ["aanbod", "route"],
            "activity_kind": "kleine_banen",
        },
    ),
    (
        "Ontbijtsessies met uitzendbureaus",
        "lopend",
        "",
        False,
        {
            "tried": "Elke maand een sessie met de uitzendbureaus in de regio.",
            "result": "Nog te vroeg: na twee sessies drie plaatsingen.",
            "pillars": ["vraag"],
        },
    ),
)

ROTTERDAM = {
    "title": "Omscholing naar procesoperator in de haven",
    "outcome": "gelukt",
    "tried": "Een omscholing van negen maanden naar procesoperator, met een baangarantie.",
    "for_whom": "Zij-instromers uit de detailhandel",
    "place": "Rotterdamse haven",
    "result": "Achttien van de twintig zijn aan het werk in de procesindustrie.",
    "worked": "De baangarantie vooraf; de werkgevers gaven zelf les.",
    "failed": "Twee deelnemers haakten af om de ploegendiensten.",
    "conditions": "Een sector met een groot tekort die zelf wil meebetalen.",
    "pillars": ["scholing", "vraag"],
    "sectors": ["C"],
}


def _actor(username: str):
    membership = Membership.objects.filter(user__username=username).first()
    return actor_for(membership) if membership is not None else None


@transaction.atomic
def create_demo_lessons() -> int:
    refuse_in_production()
    amsterdam, rotterdam = _actor("pm.amsterdam"), _actor("pm.rotterdam")
    if amsterdam is None or rotterdam is None or Lesson.objects.exists():
        return 0
    activities = {
        a.name: a for a in PlanActivity.objects.filter(plan__region_id=amsterdam.region_id)
    }
    zaanstad = Municipality.objects.filter(region_id=amsterdam.region_id, name="Zaanstad")
    made = []
    for title, outcome, activity, shared, texts in AMSTERDAM:
        data: dict[str, Any] = {
            "title": title,
            "outcome": outcome,
            "activity": activities.get(activity),
            **texts,
        }
        if texts.get("place") == "Zaandam":
            data["municipalities"] = list(zaanstad)
        data["started_on"], data["ended_on"] = date(2026, 2, 1), None
        lesson = lesson_save(actor=amsterdam, data=data)
        if shared:
            lesson_share(actor=amsterdam, lesson=lesson)
        made.append(lesson)
    theirs = lesson_share(actor=rotterdam, lesson=lesson_save(actor=rotterdam, data=ROTTERDAM))
    adoption_add(actor=amsterdam, lesson=theirs, note="Wij proberen dit met de Schipholsector.")
    failed = next(lesson for lesson in made if lesson.outcome == "mislukt")
    reaction_add(
        actor=rotterdam,
        lesson=failed,
        kind="ook_geprobeerd",
        text="Wij probeerden dit ook: met een uitnodiging van de werkgeversvereniging en om "
        "half acht kwamen er wel twintig werkgevers.",
    )
    return len(made) + 1
