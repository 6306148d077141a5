"""The demo's WSP queue (issue #16): two employers' requests, one overdue, in the account
managers' inbox from the first sign-in; filing them again files nothing."""

import pytest

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.population import create_demo_population
from perspectief.demo.requests import create_demo_requests
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.regions.models import Municipality
from perspectief.vacancies.models import EmployerRequest

from ..factories import PostcodeFactory


@pytest.mark.django_db
def test_demo_requests_wait_in_the_wsp_inbox(demo_geography):
    create_demo_population()
    assert create_demo_requests() == 0  # no postcodes loaded: nothing to file
    amsterdam = Municipality.objects.get(code="GM0363")
    for code in ("1055", "1031"):
        PostcodeFactory(code=code, municipality=amsterdam)
    assert create_demo_requests() == 2
    assert create_demo_requests() == 0
    assert [r.overdue for r in EmployerRequest.objects.order_by("created_at")] == [True, False]
    manager = Membership.objects.get(user__username="am.amsterdam")
    items = [i for i in inbox_for(actor_for(manager)) if i.kind == Kind.WSP_REQUEST]
    assert len(items) == 2
    assert items[0].overdue
