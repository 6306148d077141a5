"""Route steps and plan activities say which pot pays them and how much, on their own
pages; the pot must be the region's or a national one, and a change that does not mention
the funding keeps it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.funding.services import Payer, check_payer
from perspectief.routes.models import Route
from perspectief.routes.services.routes import step_change
from perspectief.routes.services.steps import step_input

from ..conftest import sign_in
from ..factories import CandidateFactory, FundingPotFactory, OrganisationFactory


@pytest.mark.django_db
def test_check_payer_refuses_what_does_not_fit(world):
    ours = FundingPotFactory(region=world.am18)
    theirs = FundingPotFactory(region=world.am22)
    national = FundingPotFactory(region=None, amount_available=None)
    region = world.am18.pk
    assert check_payer(ours, "1200.50", region_id=region) == Decimal("1200.50")
    assert check_payer(national, 10, region_id=region) == Decimal(10)
    assert check_payer(None, None, region_id=region) is None
    for pot, amount, field in [
        (theirs, 100, "funding_pot"),
        (None, 100, "funding_pot"),
        (ours, None, "funding_amount"),
        (ours, -1, "funding_amount"),
        (ours, "veel", "funding_amount"),
        (ours, "1.005", "funding_amount"),
        (ours, "NaN", "funding_amount"),
    ]:
        with pytest.raises(ValidationError) as refused:
            check_payer(pot, amount, region_id=region)
        assert field in refused.value.message_dict, (pot, amount)


@pytest.mark.django_db
def test_a_step_says_which_pot_pays_it(client, world, make_member, offer):
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    route = Route.objects.create(candidate=person, organisation=km.organisation)
    pot = FundingPotFactory(region=world.am18, name="Re-integratiebudget")
    theirs = FundingPotFactory(region=world.am22)
    sign_in(client, km.user)
    start = timezone.localdate() + timedelta(days=7)
    form = {
        "kind": "mbo",
        "offer": offer.pk,
        "owner": km.organisation.pk,
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(weeks=8)).isoformat(),
        "funding_pot": theirs.pk,
        "funding_amount": "1800",
    }
    url = reverse("route:step-add", kwargs={"uuid": route.uuid})
    assert client.post(url, form).status_code == 200  # another region's pot is no choice
    assert not route.steps.exists()
    assert client.post(url, {**form, "funding_pot": pot.pk}).status_code == 302
    step = route.steps.get()
    assert (step.funding_pot, step.funding_amount) == (pot, Decimal("1800"))
    page = client.get(reverse("route:detail", kwargs={"uuid": route.uuid})).content.decode()
    assert "Re-integratiebudget" in page
    assert f"/funding/question/?offer={offer.uuid}&amp;person={person.uuid}" in page
    # A change that does not mention the funding (the API's) keeps it.
    actor = actor_for(km)
    step_change(
        actor=actor,
        step=step,
        data=step_input(
            kind="mbo",
            own=actor.organisation,
            title="Opleiding logistiek",
            owner=km.organisation,
            offer=offer,
            planned_start=step.planned_start,
            planned_end=step.planned_end,
        ),
    )
    step.refresh_from_db()
    assert (step.title, step.funding_pot) == ("Opleiding logistiek", pot)
    step_change(
        actor=actor,
        step=step,
        data=step_input(
            kind="mbo",
            own=actor.organisation,
            title=step.title,
            owner=km.organisation,
            offer=offer,
            planned_start=step.planned_start,
            planned_end=step.planned_end,
            funding=Payer(None),
        ),
    )
    step.refresh_from_db()
    assert (step.funding_pot, step.funding_amount) == (None, None)


@pytest.mark.django_db
def test_an_activity_says_which_pot_pays_it(client, world, make_member, plan):
    pot = FundingPotFactory(region=world.am18, name="PoW-budget")
    sign_in(client, make_member("programmamanager").user)
    action = reverse("monitoring:plan-action", kwargs={"uuid": plan.uuid})
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    client.post(
        action,
        {
            "action": "activity",
            "act-name": "Praktijkleren",
            "act-kind": "praktijkleren",
            "act-owner": owner.pk,
            "act-status": "running",
            "act-budget": "40000",
            "act-funding_pot": pot.pk,
            "act-funding_amount": "-10",
        },
    )
    assert not plan.activities.exists()  # a negative amount is refused
    client.post(
        action,
        {
            "action": "activity",
            "act-name": "Praktijkleren",
            "act-kind": "praktijkleren",
            "act-owner": owner.pk,
            "act-status": "running",
            "act-budget": "40000",
            "act-funding_pot": pot.pk,
            "act-funding_amount": "40000",
        },
    )
    activity = plan.activities.get()
    assert (activity.funding_pot, activity.funding_amount) == (pot, Decimal("40000"))
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert "PoW-budget" in page
    change = {"action": "activity-change", "activity": activity.uuid, "status": "running"}
    client.post(action, {**change, "budget": "30000"})  # no funding fields: kept
    activity.refresh_from_db()
    assert (activity.budget, activity.funding_amount) == (Decimal("30000"), Decimal("40000"))
    client.post(
        action, {**change, "budget": "30000", "funding_pot": pot.pk, "funding_amount": "25000"}
    )
    activity.refresh_from_db()
    assert activity.funding_amount == Decimal("25000")
