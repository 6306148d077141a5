"""Plans that learn (issue #19, item 4): how each activity turned out, adjusting a plan
without a written reason (the history keeps every version), plans of several years with
their ambition and matches per plan year, and what lasts after the plan (borging), checked
once when the plan has ended."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.dates import day_month_year
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.funding.models import FundingPot
from perspectief.monitoring.about import ACTIVITY_ABOUT, ActivityAbout, ActivityLink
from perspectief.monitoring.inbox import borging_checks
from perspectief.monitoring.models import BorgingItem, PlanRevision
from perspectief.monitoring.selectors.progress import plan_years, progress_per_year, years_total
from perspectief.monitoring.selectors.quarterly import activity_result
from perspectief.monitoring.services.activities import (
    ActivityInput,
    activity_result_record,
    activity_save,
)
from perspectief.monitoring.services.borging import (
    BorgingInput,
    borging_save,
    borging_set_status,
    check_borging,
)
from perspectief.monitoring.services.plans import plan_save, plan_set_status
from perspectief.notifications.models import Message

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .helpers import plan_input, transition

TODAY = timezone.localdate()


@pytest.fixture
def owner(world):
    return OrganisationFactory(kind="intermediary", municipality=world.amsterdam, region=world.am18)


@pytest.fixture
def running_plan(manager, gemeente, owner):
    """A plan in force, running today, with one activity."""
    plan = plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=TODAY - timedelta(days=400),
            period_end=TODAY + timedelta(days=300),
        ),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput("Basisbanen", "basisbanen", owner, Decimal("500000")),
    )
    plan.refresh_from_db()
    return plan


# --- (a) how an activity turned out ----------------------------------------------------------


@pytest.mark.django_db
def test_an_activity_result_is_recorded_audited_and_kept_in_the_history(
    manager, running_plan, make_member
):
    activity = running_plan.activities.get()
    version = running_plan.version
    for bad, field in (
        ({"started_on": TODAY, "result": "prima"}, "result"),
        ({"started_on": TODAY + timedelta(days=1), "result": "loopt"}, "started_on"),
        # Not started, yet succeeded: refused (stopped before it started is possible).
        ({"started_on": None, "result": "gelukt"}, "started_on"),
    ):
        with pytest.raises(ValidationError) as exc:
            activity_result_record(actor=manager, activity=activity, **bad)
        assert set(exc.value.message_dict) == {field}
    activity.refresh_from_db()
    assert (activity.started_on, activity.result) == (None, "")
    started = TODAY - timedelta(days=200)
    activity_result_record(
        actor=manager,
        activity=activity,
        started_on=started,
        result="deels",
        note=" Veel aanmeldingen, weinig werkgevers ",
    )
    activity.refresh_from_db()
    assert (activity.started_on, activity.result, activity.result_note) == (
        started,
        "deels",
        "Veel aanmeldingen, weinig werkgevers",
    )
    assert activity.result_by == manager.user and activity.result_at is not None
    revision = PlanRevision.objects.get(plan=running_plan, version=version + 1)
    assert revision.reason == "" and revision.revised_by == manager.user
    (after,) = revision.snapshot["activities"]
    assert (after["result"], after["started_on"]) == ("deels", str(started))
    event = AuditEvent.objects.filter(event="plan.activity_result").get()
    assert event.changes["result"] == ["", "deels"]
    # Stopped before it started: allowed.
    activity_result_record(actor=manager, activity=activity, started_on=None, result="gestopt")
    # Only the region's own programme manager records it.
    with pytest.raises(PermissionDeniedError):
        activity_result_record(
            actor=actor_for(make_member("klantmanager")),
            activity=activity,
            started_on=None,
            result="",
        )
    with pytest.raises(NotFoundError):
        activity_result_record(
            actor=actor_for(make_member("programmamanager", "AM22")),
            activity=activity,
            started_on=None,
            result="",
        )


# --- (b) adjusting without a reason ----------------------------------------------------------


@pytest.mark.django_db
def test_a_plan_in_force_is_adjusted_without_a_reason_and_the_history_says_so(
    client, manager, running_plan, gemeente
):
    activity = running_plan.activities.get()
    activity_save(
        actor=manager,
        plan=running_plan,
        data=ActivityInput("Basisbanen", "basisbanen", activity.owner, Decimal("400000")),
        activity=activity,
    )
    plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=running_plan.period_start,
            period_end=running_plan.period_end,
            ambition=280,
        ),
        plan=running_plan,
    )
    latest = list(PlanRevision.objects.filter(plan=running_plan).order_by("-version")[:2])
    assert [r.reason for r in latest] == ["", ""]
    assert latest[0].changes == {"ambition": [300, 280]}
    assert latest[1].changes["activities"][1][0]["budget"] == "400000.00"
    assert all(r.revised_by == manager.user for r in latest)
    sign_in(client, manager.user)
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert page.count("no explanation given") + page.count("geen toelichting") == 2
    # The history says which activity changed.
    assert "Basisbanen)" in page


# --- (c) plans of several years --------------------------------------------------------------


@pytest.mark.django_db
def test_a_plan_covers_at_most_five_years(manager, gemeente):
    with pytest.raises(ValidationError) as exc:
        plan_save(
            actor=manager,
            data=plan_input(gemeente, period_start=date(2026, 1, 1), period_end=date(2031, 1, 1)),
        )
    assert set(exc.value.message_dict) == {"period_end"}
    plan = plan_save(
        actor=manager,
        data=plan_input(gemeente, period_start=date(2026, 1, 1), period_end=date(2030, 12, 31)),
    )
    assert len(plan_years(plan)) == 5


@pytest.mark.django_db
def test_a_plan_of_several_years_counts_ambition_and_matches_per_plan_year(
    manager, gemeente, world
):
    # Three years and a half, from 1 July 2025; a baseline of 10 matches a year.
    plan = plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=date(2025, 7, 1),
            period_end=date(2028, 12, 31),
            ambition=120,
            baseline=10,
        ),
    )
    people = [CandidateFactory(served_by=gemeente) for _ in range(9)]
    for person in people[:4]:
        transition(person, "geplaatst", date(2025, 9, 1))  # year 1
    for person in people[4:7]:
        transition(person, "geplaatst", date(2026, 7, 1))  # year 2 (its first day)
    transition(people[7], "geplaatst", date(2026, 6, 30))  # year 1 (its last day)
    transition(people[8], "geplaatst", date(2025, 6, 30))  # before the plan: not counted
    years = progress_per_year(plan, 10, today=date(2027, 1, 1))
    assert [(y.start, y.end) for y in years] == [
        (date(2025, 7, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2028, 6, 30)),
        (date(2028, 7, 1), date(2028, 12, 31)),
    ]
    # A full year aims at the ambition; the last half year at half of it.
    # (Whole matches: 120 × 184 / 365 = 60.49 → 60.)
    assert [y.ambition for y in years] == [120, 120, 120, 60]
    assert [y.matches for y in years] == [5, 3, 0, 0]
    assert [y.begun for y in years] == [True, True, False, False]
    assert years[0].additional == 5 - 10 and not years[0].running
    # Year 2 runs: 185 of its 365 days (1 July up to 1 January).
    assert years[1].running and years[1].until == date(2027, 1, 1)
    # 120 × 185 / 365 = 60.82 → 61; the baseline 10 × 185 / 365 = 5.07 → 5.
    assert (years[1].ambition_to_date, years[1].expected_baseline) == (61, 5)
    assert years[1].additional == 3 - 5
    total = years_total(years)
    assert (total["ambition"], total["matches"]) == (420, 8)
    assert (total["ambition_to_date"], total["additional"]) == (181, 8 - 10 - 5)


@pytest.mark.django_db
def test_the_plan_page_and_dashboard_show_the_plan_years(client, manager, gemeente):
    plan = plan_save(
        actor=manager,
        data=plan_input(
            gemeente,
            period_start=TODAY - timedelta(days=500),
            period_end=TODAY + timedelta(days=500),
            baseline=5,
        ),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    sign_in(client, manager.user)
    for url in (reverse("monitoring:plan"), reverse("monitoring:dashboard")):
        page = client.get(url).content.decode()
        assert page.count('<th scope="row">') >= 3, url
        assert ("year 3" in page or "jaar 3" in page) and ("year 4" not in page), url


# --- (d) what lasts after the plan -----------------------------------------------------------


@pytest.mark.django_db
def test_borging_items_are_recorded_refused_and_audited(manager, running_plan, owner, world):
    with pytest.raises(ValidationError) as exc:
        borging_save(
            actor=manager,
            plan=running_plan,
            data=BorgingInput(
                what=" ",
                owner=OrganisationFactory(kind="gemeente", municipality=world.rotterdam),
                planned_from=None,
            ),
        )
    assert set(exc.value.message_dict) == {"what", "owner", "payer", "planned_from"}
    assert not BorgingItem.objects.exists()
    pot = FundingPot.objects.create(region=world.am18, name="Regionaal werkbudget", kind="pow")
    item = borging_save(
        actor=manager,
        plan=running_plan,
        data=BorgingInput(
            what="Jobcoaching blijft",
            owner=owner,
            planned_from=running_plan.period_end + timedelta(days=1),
            funding_pot=pot,
        ),
    )
    assert (item.status, item.decided_on) == ("gepland", None)
    assert PlanRevision.objects.filter(plan=running_plan).latest("version").snapshot["borging"][0][
        "payer"
    ] == ("Regionaal werkbudget")
    borging_set_status(actor=manager, item=item, status="niet_gelukt", note="Geen geld")
    item.refresh_from_db()
    assert (item.status, item.note, item.decided_on) == ("niet_gelukt", "Geen geld", TODAY)
    assert not item.confirmed_after_end  # decided before the plan's end
    assert set(
        AuditEvent.objects.filter(event__startswith="plan.borging").values_list("event", flat=True)
    ) == {"plan.borging_added", "plan.borging_status"}


@pytest.mark.django_db
def test_the_daily_check_asks_once_after_the_plans_end(
    client, manager, gemeente, owner, make_member
):
    # A plan that ended yesterday.
    end = TODAY - timedelta(days=1)
    plan = plan_save(
        actor=manager,
        data=plan_input(gemeente, period_start=end - timedelta(days=700), period_end=end),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    items = [
        borging_save(
            actor=manager,
            plan=plan,
            data=BorgingInput(what=what, owner=owner, planned_from=end, payer="Gemeente"),
        )
        for what in ("Werkgeversservicepunt", "Jobcoaching", "Taalles")
    ]
    borging_set_status(actor=manager, item=items[2], status="geregeld")
    assert check_borging(today=end - timedelta(days=30)) == 0  # the plan had not ended
    assert check_borging(today=end) == 0  # nor on its last day
    assert check_borging(today=TODAY) == 2
    messages = Message.objects.filter(kind="borging_check")
    assert messages.count() == 1 and messages.get().recipient == manager.user
    # Once only: the next days ask nothing new.
    assert check_borging(today=TODAY + timedelta(days=1)) == 0
    assert Message.objects.filter(kind="borging_check").count() == 1
    asked = AuditEvent.objects.filter(event="plan.borging_check_asked")
    assert asked.count() == 2
    waiting = borging_checks(manager)
    assert sorted(i.title.split(": ", 1)[1] for i in waiting) == [
        "Jobcoaching",
        "Werkgeversservicepunt",
    ]
    assert all(i.url.endswith("#borging") and i.due == end for i in waiting)
    assert borging_checks(actor_for(make_member("klantmanager"))) == []
    assert borging_checks(actor_for(make_member("programmamanager", "AM22"))) == []
    # Marked arranged after the end: it leaves the inbox, and the page says it was confirmed.
    borging_set_status(actor=manager, item=items[0], status="geregeld", note="In de begroting")
    assert [i.title.split(": ", 1)[1] for i in borging_checks(manager)] == ["Jobcoaching"]
    items[0].refresh_from_db()
    assert items[0].confirmed_after_end
    sign_in(client, manager.user)
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert "confirmed after the plan" in page or "bevestigd na het einde" in page
    assert "not yet confirmed after" in page or "nog niet bevestigd" in page


# --- the page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_and_borging_through_the_plan_page(client, manager, running_plan, owner):
    sign_in(client, manager.user)
    action = reverse("monitoring:plan-action", kwargs={"uuid": running_plan.uuid})
    activity = running_plan.activities.get()
    started = (TODAY - timedelta(days=30)).isoformat()
    client.post(
        action,
        {
            "action": "activity-result",
            "activity": activity.uuid,
            "started_on": started,
            "result": "gelukt",
            "result_note": "Twintig mensen aan het werk",
        },
    )
    activity.refresh_from_db()
    assert (activity.result, activity.result_note) == ("gelukt", "Twintig mensen aan het werk")
    client.post(
        action,
        {
            "action": "borging",
            "bo-what": "Basisbanen blijven",
            "bo-owner": owner.pk,
            "bo-payer": "Gemeente Amsterdam (begroting)",
            "bo-planned_from": running_plan.period_end.isoformat(),
        },
    )
    item = BorgingItem.objects.get()
    client.post(action, {"action": "borging-status", "item": item.uuid, "status": "geregeld"})
    item.refresh_from_db()
    assert item.status == "geregeld" and item.decided_by == manager.user
    page = client.get(reverse("monitoring:plan")).content.decode()
    assert "Twintig mensen aan het werk" in page and "Basisbanen blijven" in page


@pytest.mark.django_db
def test_a_refused_result_keeps_the_form_open_with_the_error_under_the_field(
    client, manager, running_plan
):
    """Walk of #19: a result without a start date closed the form, lost the choice and
    said so only at the top of the page."""
    sign_in(client, manager.user)
    action = reverse("monitoring:plan-action", kwargs={"uuid": running_plan.uuid})
    activity = running_plan.activities.get()
    response = client.post(
        action,
        {
            "action": "activity-result",
            "activity": activity.uuid,
            "started_on": "",
            "result": "mislukt",
            "result_note": "Geen werkgevers gevonden",
        },
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert (activity.result, activity.result_note) == ("", "")  # nothing saved
    page = response.content.decode()
    before, after = page.split('name="action" value="activity-result"')
    form = after.split("</form>")[0]
    assert before.rsplit("<details", 1)[1].startswith(" open>")
    assert '<option value="mislukt" selected>' in form
    assert ">Geen werkgevers gevonden</textarea>" in form
    error = form.split(f'id="so-err-{activity.uuid}"')[1].split("</ul>")[0]
    assert "<li>" in error and 'aria-invalid="true"' in form
    # A valid one afterwards is saved and the page is the plain one again.
    response = client.post(
        action,
        {
            "action": "activity-result",
            "activity": activity.uuid,
            "started_on": (TODAY - timedelta(days=3)).isoformat(),
            "result": "mislukt",
            "result_note": "Geen werkgevers gevonden",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.result == "mislukt"


@pytest.mark.django_db
def test_other_apps_link_to_an_activity_through_the_contribution_point(
    client, manager, running_plan
):
    activity = running_plan.activities.get()

    def links(actor, activities):
        return {a.pk: [ActivityLink("Les over basisbanen", "/leeragenda/1/")] for a in activities}

    ACTIVITY_ABOUT.register("test.lessons", ActivityAbout("Lessons about this activity", links))
    try:
        sign_in(client, manager.user)
        page = client.get(reverse("monitoring:plan")).content.decode()
    finally:
        ACTIVITY_ABOUT._items.pop("test.lessons")
    assert activity.name in page
    assert 'href="/leeragenda/1/">Les over basisbanen</a>' in page


@pytest.mark.django_db
def test_the_quarterly_report_says_how_an_activity_turned_out_by_the_quarters_end(
    manager, running_plan
):
    activity = running_plan.activities.get()
    # Nothing recorded: the report says it had not started.
    assert activity_result(activity, TODAY - timedelta(days=90), TODAY) == "niet begonnen"
    started = TODAY - timedelta(days=200)
    activity_result_record(
        actor=manager, activity=activity, started_on=started, result="mislukt", note="Te weinig"
    )
    activity.refresh_from_db()
    text = activity_result(activity, TODAY - timedelta(days=90), TODAY)
    assert text == f"gestart op {day_month_year(started)}; mislukt; Te weinig"
    # A quarter that ended before the result was recorded shows only that it had started.
    earlier_end = TODAY - timedelta(days=100)
    assert activity_result(activity, earlier_end - timedelta(days=90), earlier_end) == (
        f"gestart op {day_month_year(started)}"
    )
    assert activity_result(None, TODAY, TODAY) == ""
