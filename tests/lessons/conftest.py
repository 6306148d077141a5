from decimal import Decimal

import pytest

from perspectief.accounts.actor import actor_for
from perspectief.lessons.services.lessons import lesson_save
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import PlanInput, plan_save

from ..factories import OrganisationFactory


@pytest.fixture
def pm_amsterdam(world, make_member):
    return actor_for(make_member("programmamanager", "AM18"))


@pytest.fixture
def pm_rotterdam(world, make_member):
    return actor_for(make_member("programmamanager", "AM22"))


def make_plan(actor, region, municipality, *, start, end, title="Doe-agenda"):
    gemeente = OrganisationFactory(kind="gemeente", municipality=municipality, region=region)
    return plan_save(
        actor=actor,
        data=PlanInput(
            title=title,
            period_start=start,
            period_end=end,
            lead=gemeente,
            employer_lead="Werkgevers",
            ambition=100,
            budget=Decimal("100000"),
        ),
    )


def make_activity(actor, plan, name="Proefplaatsingen in de zorg", offers=()):
    return activity_save(
        actor=actor,
        plan=plan,
        data=ActivityInput(name, "praktijkleren", plan.lead, Decimal("0"), offers=list(offers)),
    )


def lesson_data(**changes):
    data = {
        "title": "Proefplaatsingen bij zorgwerkgevers",
        "outcome": "mislukt",
        "tried": "Proefplaatsing van zes weken bij drie zorginstellingen.",
        "for_whom": "Statushouders met een zorgachtergrond",
        "place": "Amsterdam Nieuw-West",
        "result": "Twee van de twaalf proefplaatsingen liepen uit op een baan.",
        "worked": "Een vaste begeleider op de werkvloer.",
        "failed": "De werkgevers hadden geen tijd voor begeleiding.",
        "conditions": "Werkt met een jobcoach die het eerste uur meegaat.",
        "pillars": ["vraag", "route"],
        "target_groups": ["statushouder"],
        "sectors": ["Q"],
    }
    data.update(changes)
    return data


@pytest.fixture
def write_lesson():
    def write(actor, **changes):
        return lesson_save(actor=actor, data=lesson_data(**changes))

    return write
