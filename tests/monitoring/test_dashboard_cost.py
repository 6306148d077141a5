"""Issue #20 item 2: the PoW-dashboard costs the same number of queries whatever the
region's records, and counts a period once however many of its parts show it.

The page used to count the same period up to three times (the cards, the plan's progress
and its plan year) and to read each published table of a quarter on its own (46 queries on
the demo, 9.4 s on the national population). Its numbers stay the same: the counting is not
changed, only not repeated."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import CandidateTargetGroup
from perspectief.monitoring.models import PublishedTable
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import last_quarter, plan_input, transition

#: Queries of a dashboard view with a plan whose tables were published (46 before #20).
MOST = 34


def _people(gemeente, n: int) -> None:
    """``n`` people of the region with transitions in this year's quarters and last year's."""
    _year, _quarter, day, _first, _last = last_quarter()
    for i in range(n):
        person = CandidateFactory(served_by=gemeente)
        CandidateTargetGroup.objects.create(candidate=person, group="statushouder")
        transition(person, "werkfit", day - timedelta(days=100 * (i % 4)))
        # Half of them placed in the last completed quarter: its narrowed cells are shown.
        transition(person, "geplaatst", day - timedelta(days=0 if i % 2 else 30 * (i % 9)))
        transition(person, "in_beeld", date.today() - timedelta(days=i % 20))


def _view(client, **params) -> tuple[int, dict]:
    url = reverse("monitoring:dashboard")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), {key: n for key, _label, n in response.context["cards"]}


@pytest.mark.django_db
def test_the_dashboard_costs_the_same_whatever_the_records(client, world, make_member, gemeente):
    manager = actor_for(make_member("programmamanager"))
    plan = plan_save(
        actor=manager,
        data=plan_input(gemeente, ambitions=[("target_group", "statushouder", 40)]),
    )
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("500000")),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    km = make_member("klantmanager")
    sign_in(client, km.user)
    _people(gemeente, 12)
    _view(client)  # the settled quarters' tables published
    few, _cards = _view(client)
    narrowed_few, _cards = _view(client, municipality=world.amsterdam.pk)

    _people(gemeente, 30)
    PublishedTable.objects.all().delete()  # published anew, with the bigger numbers
    _view(client)
    many, cards = _view(client)
    narrowed_many, _cards = _view(client, municipality=world.amsterdam.pk)

    assert many == few <= MOST
    assert narrowed_many == narrowed_few <= MOST
    assert cards["matches"] > 0 and cards["in_view"] == 42
