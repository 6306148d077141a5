"""What a pot holds: committed is the sum of the route steps and plan activities that say
the pot pays them (never typed), and a pot committed beyond what it has says so."""

from decimal import Decimal

import pytest
from django.utils import timezone

from perspectief.funding import selectors

from ..conftest import sign_in
from ..factories import FundingPotFactory


def _row(actor, pot):
    rows = [
        r for _label, group in selectors.overview(actor, on=timezone.localdate()) for r in group
    ]
    return next(r for r in rows if r.pot.pk == pot.pk)


@pytest.mark.django_db
def test_committed_is_the_sum_of_the_links(world, actor_as, paying, activity):
    pot = FundingPotFactory(region=world.am18, amount_available=Decimal("10000"))
    other = FundingPotFactory(region=world.am18, amount_available=Decimal("500"))
    paying(pot, "1500")
    paying(pot, "2500", status="started")
    paying(pot, "999", status="stopped")  # a stopped step releases its amount
    paying(other, "400")  # another pot's
    activity(pot, "3000")
    activity(pot, "700", status="stopped")
    row = _row(actor_as("programmamanager"), pot)
    assert row.money.committed == Decimal("7000")
    assert row.money.remaining == Decimal("3000")
    assert not row.money.over
    assert _row(actor_as("programmamanager"), other).money.committed == Decimal("400")


@pytest.mark.django_db
def test_a_national_pot_counts_only_the_regions_own_links(world, actor_as, paying):
    national = FundingPotFactory(region=None, amount_available=None, kind="esf")
    paying(national, "1000")
    paying(national, "2000", municipality=world.rotterdam)  # Rijnmond's
    assert _row(actor_as("programmamanager"), national).money.committed == Decimal("1000")
    assert _row(actor_as("programmamanager", "AM22"), national).money.committed == Decimal("2000")
    assert _row(actor_as("programmamanager"), national).money.remaining is None


@pytest.mark.django_db
def test_over_committed_pot_says_so(client, world, make_member, paying):
    pot = FundingPotFactory(region=world.am18, amount_available=Decimal("1000"), name="Klein")
    paying(pot, "800")
    paying(pot, "700")
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    client.cookies.load({"django_language": "en"})
    page = client.get("/funding/").content.decode()
    assert "over-committed" in page and "1,500.00" in page
    detail = client.get(f"/funding/{pot.uuid}/").content.decode()
    assert "over-committed" in detail and "-500.00" in detail


@pytest.mark.django_db
def test_pot_page_shows_steps_without_the_person(client, world, make_member, paying):
    pot = FundingPotFactory(region=world.am18)
    step = paying(pot, "1200")
    person = step.route.candidate
    manager = make_member("programmamanager")  # sees funding, not people
    sign_in(client, manager.user)
    page = client.get(f"/funding/{pot.uuid}/").content.decode()
    assert "Opleiding" in page and "1.200,00" in page
    assert person.last_name not in page and person.label not in page
    assert f"/routes/{step.route.uuid}/" not in page  # no link to a route they may not see
