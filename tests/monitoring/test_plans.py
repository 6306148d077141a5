"""The action plan (doe-agenda) with its ambition, budget, activities and revisions:
bad input refused with every reason, a plan in force revised with or without a reason and
its history kept, the plan through its pages (issues #7, #19)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.monitoring.models import ActionPlan, PlanRevision
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import plan_save, plan_set_status

from ..conftest import sign_in
from ..factories import OrganisationFactory
from .helpers import START, plan_input


@pytest.mark.django_db
def test_bad_plans_are_refused_with_every_reason(manager, gemeente, world, make_member):
    with pytest.raises(ValidationError) as exc:
        plan_save(
            actor=manager,
            data=plan_input(
                gemeente,
                ambition=0,
                period_end=START - timedelta(days=1),
                budget=Decimal("-1"),
                employer_lead=" ",
                ambitions=[("target_group", "statushouder", 400), ("target_group", "nope", 5)],
            ),
        )
    assert set(exc.value.message_dict) == {
        "ambition",
        "period_end",
        "budget",
        "employer_lead",
        "ambitions",
    }
    # The lead is a gemeente of the region.
    other = OrganisationFactory(kind="gemeente", municipality=world.rotterdam)
    with pytest.raises(ValidationError) as exc:
        plan_save(actor=manager, data=plan_input(other))
    assert set(exc.value.message_dict) == {"lead"}
    assert not ActionPlan.objects.exists()
    # Only the programme manager records it.
    with pytest.raises(PermissionDeniedError):
        plan_save(actor=actor_for(make_member("klantmanager")), data=plan_input(gemeente))
    plan = plan_save(actor=manager, data=plan_input(gemeente))
    # A second plan overlapping the first is refused.
    with pytest.raises(ValidationError) as exc:
        plan_save(
            actor=manager,
            data=plan_input(gemeente, period_start=date(2027, 6, 1), period_end=date(2028, 6, 1)),
        )
    assert "overlaps" in " ".join(exc.value.messages) or "overlapt" in " ".join(exc.value.messages)
    # Budgets that do not add up.
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("1500000")),
    )
    with pytest.raises(ValidationError) as exc:
        activity_save(
            actor=manager,
            plan=plan,
            data=ActivityInput("Praktijkleren", "praktijkleren", owner, Decimal("600000")),
        )
    assert set(exc.value.message_dict) == {"budget"}
    with pytest.raises(ValidationError):  # nor can the plan's budget drop below the activities'
        plan_save(actor=manager, data=plan_input(gemeente, budget=Decimal("1000000")), plan=plan)
    assert plan.activities.count() == 1


@pytest.mark.django_db
def test_a_plan_in_force_is_revised_with_or_without_a_reason_and_its_history_kept(
    manager, gemeente
):
    plan = plan_save(actor=manager, data=plan_input(gemeente))
    plan_set_status(actor=manager, plan=plan, status="active")
    # Adjusting a plan in force needs no written reason (#19): the history still keeps it.
    plan_save(actor=manager, data=plan_input(gemeente, ambition=280), plan=plan, reason="  ")
    plan_save(
        actor=manager,
        data=plan_input(gemeente, ambition=250),
        plan=plan,
        reason="Crisis in de logistiek: minder vacatures",
    )
    plan.refresh_from_db()
    assert (plan.ambition, plan.version) == (250, 4)
    history = list(PlanRevision.objects.filter(plan=plan).order_by("version"))
    assert [r.version for r in history] == [1, 2, 3, 4]
    assert history[2].reason == "" and history[2].changes == {"ambition": [300, 280]}
    assert history[2].revised_by == manager.user
    assert history[-1].reason == "Crisis in de logistiek: minder vacatures"
    assert history[-1].changes == {"ambition": [280, 250]}
    assert history[0].snapshot["ambition"] == 300  # the first version can be read back


@pytest.mark.django_db
def test_the_plan_through_its_pages(client, world, make_member, gemeente):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    form = {
        "title": "Doe-agenda",
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "lead": gemeente.pk,
        "employer_lead": "Werkgevers",
        "ambition": "0",
        "budget": "2000000",
        "ambitions": "statushouder 40",
    }
    response = client.post(reverse("monitoring:plan-new"), form)
    assert response.status_code == 200 and not ActionPlan.objects.exists()
    response = client.post(reverse("monitoring:plan-new"), {**form, "ambition": "300"})
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    assert [(a.key, a.matches) for a in plan.ambitions.all()] == [("statushouder", 40)]
    action = reverse("monitoring:plan-action", kwargs={"uuid": plan.uuid})
    client.post(action, {"action": "active"})
    owner = OrganisationFactory(kind="intermediary", municipality=world.amsterdam)
    client.post(
        action,
        {
            "action": "activity",
            "act-name": "Basisbanen",
            "act-kind": "basisbanen",
            "act-owner": owner.pk,
            "act-status": "running",
            "act-budget": "500000",
            "act-reason": "Uit het plan",
        },
    )
    activity = plan.activities.get()
    # A change of a plan in force is a new version, with or without its reason (#19).
    client.post(
        action,
        {
            "action": "activity-change",
            "activity": activity.uuid,
            "status": "running",
            "budget": "460000",
        },
    )
    activity.refresh_from_db()
    assert activity.budget == Decimal("460000")
    client.post(
        action,
        {
            "action": "activity-change",
            "activity": activity.uuid,
            "status": "done",
            "budget": "450000",
            "reason": "Afgerond onder budget",
        },
    )
    activity.refresh_from_db()
    plan.refresh_from_db()
    assert (activity.status, activity.budget, plan.version) == ("done", Decimal("450000"), 5)
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert "Afgerond onder budget" in page and "statushouder" in page.lower()
    assert "geen toelichting" in page or "no explanation given" in page
