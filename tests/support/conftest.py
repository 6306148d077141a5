from datetime import timedelta

import pytest
from django.utils import timezone

from perspectief.support.services import reflection


@pytest.fixture
def team(actor_as):
    """The national support team."""
    return actor_as("ondersteuningsteam")


@pytest.fixture
def pm(actor_as):
    """Groot Amsterdam's programme manager."""
    return actor_as("programmamanager", "AM18")


@pytest.fixture
def pm_rotterdam(actor_as):
    return actor_as("programmamanager", "AM22")


def open_round(pm, extra="Wat vinden werkgevers?"):
    """A reflection round of the last 90 days, to answer within two weeks."""
    today = timezone.localdate()
    return reflection.round_open(
        actor=pm,
        data=reflection.RoundInput(
            period_start=today - timedelta(days=90),
            period_end=today,
            deadline=today + timedelta(days=14),
            extra_question=extra,
        ),
    )
