"""Issue #14, items 1 and 2: durable work is evidenced, not presumed; every placement is a
recorded hire, also for a job found outside the platform."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import JourneyTransition
from perspectief.candidates.services import journey as candidate_journey
from perspectief.core.dates import add_months
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.matching.services import hires as matching
from perspectief.monitoring import indicators
from perspectief.organisations.models import EmployerAccount
from perspectief.routes import route_selectors, support
from perspectief.routes.models import SupportPlan
from tests.conftest import sign_in
from tests.factories import CandidateFactory, MembershipFactory, OrganisationFactory

TODAY = timezone.localdate


@pytest.fixture
def people(world, make_member):
    km = actor_for(make_member("klantmanager"))
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam)
    coach = actor_for(MembershipFactory(organisation=sw, role="jobcoach"))
    person = CandidateFactory(served_by=km.organisation, status="bemiddelbaar")
    return {"km": km, "coach": coach, "person": person, "sw": sw}


def _outside_hire(km, person, start, **extra):
    data = {
        "employer_name": "Bakkerij De Korenschoof",
        "job_title": "Inpakker",
        "contract": "tijdelijk",
        "start_date": start,
    } | extra
    return matching.outside_hire_record(actor=km, candidate=person, **data)


def _counts(start, end, region):
    return indicators.counts(indicators.Filters(start, end, region_id=region.pk))


# --- item 2: every placement is a recorded hire ----------------------------------------------


@pytest.mark.django_db
def test_a_klantmanager_cannot_place_a_person_by_hand(people):
    km, person = people["km"], people["person"]
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        candidate_journey.candidate_change_status(actor=km, candidate=person, status="geplaatst")
    assert "leg de aanname vast" in str(exc.value)
    person.refresh_from_db()
    assert person.status == "bemiddelbaar"
    assert not JourneyTransition.objects.filter(candidate=person).exists()


@pytest.mark.django_db
def test_a_hire_outside_the_platform_starts_support_and_counts_as_a_match(people, world):
    km, person = people["km"], people["person"]
    start = TODAY() - timedelta(days=10)
    hire = _outside_hire(km, person, start)
    person.refresh_from_db()
    assert person.status == "geplaatst"
    placed = JourneyTransition.objects.get(candidate=person, to_status="geplaatst")
    assert (placed.cause, placed.reference, placed.occurred_on) == ("hire", str(hire.uuid), start)
    plan = SupportPlan.objects.get(candidate=person)
    assert plan.outside_hire == hire and plan.proposal is None
    assert (plan.employer_display, plan.job_title, plan.started_on) == (
        "Bakkerij De Korenschoof",
        "Inpakker",
        start,
    )
    assert [c.month for c in plan.check_ins.all()] == [1, 3, 6, 12]
    assert AuditEvent.objects.filter(event="hire.outside_recorded", target_id=str(hire.uuid))
    assert _counts(start, TODAY(), world.am18)["matches"] == 1


@pytest.mark.django_db
def test_an_outside_hire_needs_its_evidence_and_the_serving_organisation(people, make_member):
    km, person = people["km"], people["person"]
    with pytest.raises(ValidationError) as exc:
        matching.outside_hire_record(
            actor=km,
            candidate=person,
            employer_name="",
            job_title="",
            contract="weet niet",
            start_date=None,
        )
    assert set(exc.value.message_dict) == {"employer", "job_title", "contract", "start_date"}
    other = actor_for(make_member("klantmanager", "AM22"))
    with pytest.raises(NotFoundError):
        _outside_hire(other, person, TODAY())
    with pytest.raises(PermissionDeniedError):
        _outside_hire(people["coach"], person, TODAY())
    assert not SupportPlan.objects.exists()


@pytest.mark.django_db
def test_an_employer_with_an_account_can_be_named_by_its_account(people, world):
    km, person = people["km"], people["person"]
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    account = EmployerAccount.objects.create(organisation=organisation, kvk_number="12345678")
    _outside_hire(km, person, TODAY(), employer=account, employer_name="")
    plan = SupportPlan.objects.get(candidate=person)
    assert plan.employer == organisation and plan.employer_display == organisation.name


@pytest.mark.django_db
def test_a_placement_by_hand_is_not_counted_until_its_hire_is_recorded(people, world):
    km, person = people["km"], people["person"]
    start = TODAY() - timedelta(days=30)
    # As an old record: geplaatst by hand, before this was refused.
    JourneyTransition.objects.create(
        candidate=person,
        from_status="bemiddelbaar",
        to_status="geplaatst",
        occurred_on=start,
        cause="manual",
    )
    person.status = "geplaatst"
    person.save(update_fields=["status"])
    assert _counts(start, TODAY(), world.am18)["matches"] == 0
    _outside_hire(km, person, start)
    assert _counts(start, TODAY(), world.am18)["matches"] == 1
    assert SupportPlan.objects.filter(candidate=person).count() == 1


@pytest.mark.django_db
def test_outside_hire_over_the_api(client, people):
    km, person = people["km"], people["person"]
    sign_in(client, km.user)
    url = f"/api/v1/candidates/{person.uuid}/hires"
    bad = client.post(url, json.dumps({"jobTitle": "x"}), content_type="application/json")
    assert bad.status_code == 400
    answer = client.post(
        url,
        json.dumps(
            {
                "employerName": "Bakkerij De Korenschoof",
                "jobTitle": "Inpakker",
                "contract": "vast",
                "startDate": str(TODAY()),
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    plan = SupportPlan.objects.get(candidate=person)
    assert body["supportPlan"] == str(plan.uuid) and body["employer"] == "Bakkerij De Korenschoof"
    person.refresh_from_db()
    assert person.status == "geplaatst"


@pytest.mark.django_db
def test_a_partner_hears_404_for_an_outside_hire_whatever_the_body(
    client, people, world, make_member
):
    """A partner that sees the person (regional profile) but does not serve them may not
    record a hire: 404 as on the page, also for an empty body (#14 review)."""
    shared = CandidateFactory(served_by=people["km"].organisation, regional_consent=True)
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    partner = make_member("klantmanager")
    partner.organisation = uwv
    partner.save()
    sign_in(client, partner.user)
    url = f"/api/v1/candidates/{shared.uuid}/hires"
    assert client.get(f"/api/v1/candidates/{shared.uuid}").status_code == 200  # sees them
    for body in (
        {},
        {"employerName": "X", "jobTitle": "Y", "contract": "vast", "startDate": str(TODAY())},
    ):
        answer = client.post(url, json.dumps(body), content_type="application/json")
        assert answer.status_code == 404, (body, answer.content)


# --- item 1: durable only when confirmed ------------------------------------------------------


def _confirm(actor, plan, on, **extra):
    data = {"source": "employer", "method": "phone", "still_employed": True} | extra
    return support.work_confirm(actor=actor, plan=plan, confirmed_on=on, **data)


@pytest.mark.django_db
def test_six_months_without_confirmation_is_not_durable_but_not_confirmed(people, world):
    km, person = people["km"], people["person"]
    start = add_months(TODAY(), -7)
    plan = _outside_hire(km, person, start).support_plan
    support.check_in_record(
        actor=km,
        plan=plan,
        month=1,
        held_on=add_months(start, 1),
        with_person=True,
        with_employer=False,
        outcome="well",
    )
    # No daily job presumes anything any more.
    tasks = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "routes.mark_durable" not in tasks
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, person.status) == ("active", "geplaatst")
    row = route_selectors.support_plans(actor=km)[0]
    assert row.not_confirmed and row.durable_due_on == add_months(start, 6)
    counts = _counts(start, TODAY(), world.am18)
    assert (counts["durable"], counts["not_confirmed"], counts["matches"]) == (0, 1, 1)
    behind = indicators.transitions(
        indicators.Filters(start, TODAY(), region_id=world.am18.pk), "not_confirmed"
    )
    assert [t.candidate_id for t in behind] == [person.pk]


@pytest.mark.django_db
def test_a_confirmation_makes_the_placement_durable_with_its_evidence(people, world):
    km, person = people["km"], people["person"]
    start = add_months(TODAY(), -7)
    plan = _outside_hire(km, person, start).support_plan
    six = add_months(start, 6)
    errors = {
        "confirmed_on": dict(on=six - timedelta(days=1)),
        "source": dict(on=TODAY(), source="neighbour"),
        "method": dict(on=TODAY(), method=""),
    }
    for field, kwargs in errors.items():
        with pytest.raises(ValidationError) as exc:
            _confirm(km, plan, **kwargs)
        assert set(exc.value.message_dict) == {field}
    with pytest.raises(ValidationError):
        _confirm(km, plan, TODAY() + timedelta(days=1))
    with pytest.raises(NotFoundError):  # the SW company does not support this person
        _confirm(people["coach"], plan, TODAY())
    confirmation = _confirm(km, plan, TODAY(), note="Contract verlengd")
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, plan.ended_on, person.status) == ("durable", six, "duurzaam")
    assert (confirmation.source, confirmation.method, confirmation.confirmed_on) == (
        "employer",
        "phone",
        TODAY(),
    )
    assert confirmation.recorded_by == km.user
    durable = JourneyTransition.objects.filter(candidate=person).last()
    assert (durable.to_status, durable.occurred_on, durable.cause) == ("duurzaam", six, "durable")
    event = AuditEvent.objects.get(event="support.work_confirmed")
    assert event.changes["source"] == [None, "employer"]
    assert event.changes["method"] == [None, "phone"]
    counts = _counts(start, TODAY(), world.am18)
    assert (counts["durable"], counts["not_confirmed"]) == (1, 0)
    with pytest.raises(ValidationError):  # once
        _confirm(km, plan, TODAY())


@pytest.mark.django_db
def test_a_confirmation_that_the_person_left(people, world):
    km, person = people["km"], people["person"]
    start = add_months(TODAY(), -8)
    six = add_months(start, 6)
    plan = _outside_hire(km, person, start).support_plan
    with pytest.raises(ValidationError) as exc:
        _confirm(km, plan, TODAY(), still_employed=False)
    assert set(exc.value.message_dict) == {"last_day"}
    # Left before the six months were full: a drop-out, never durable.
    _confirm(km, plan, TODAY(), still_employed=False, last_day=six - timedelta(days=3))
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, person.status) == ("dropped_out", "uitgevallen")
    assert plan.ended_on == six - timedelta(days=3)
    counts = _counts(start, TODAY(), world.am18)
    assert (counts["durable"], counts["not_confirmed"], counts["dropped_out"]) == (0, 0, 1)


@pytest.mark.django_db
def test_a_confirmation_that_the_person_left_after_six_months(people, world):
    km, person = people["km"], people["person"]
    start = add_months(TODAY(), -8)
    six = add_months(start, 6)
    plan = _outside_hire(km, person, start).support_plan
    _confirm(
        km, plan, TODAY(), still_employed=False, last_day=six + timedelta(days=10), source="person"
    )
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, person.status) == ("dropped_out", "uitgevallen")
    moves = list(
        JourneyTransition.objects.filter(candidate=person)
        .order_by("id")
        .values_list("to_status", "occurred_on")
    )
    assert moves[-2:] == [("duurzaam", six), ("uitgevallen", six + timedelta(days=10))]
    counts = _counts(start, TODAY(), world.am18)
    assert (counts["durable"], counts["dropped_out"]) == (1, 1)


@pytest.mark.django_db
def test_confirmation_over_the_api(client, people):
    km, person = people["km"], people["person"]
    plan = _outside_hire(km, person, add_months(TODAY(), -7)).support_plan
    sign_in(client, km.user)
    listed = client.get("/api/v1/support-plans").json()
    assert listed[0]["notConfirmed"] is True and listed[0]["confirmation"] is None
    url = f"/api/v1/support-plans/{plan.uuid}/confirmation"
    answer = client.post(
        url,
        json.dumps(
            {
                "confirmedOn": str(TODAY()),
                "source": "jobcoach",
                "method": "visit",
                "stillEmployed": True,
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "durable" and body["notConfirmed"] is False
    assert body["confirmation"]["source"] == "jobcoach"
    assert body["confirmation"]["recordedBy"]


@pytest.mark.django_db
def test_presumed_durable_placements_are_taken_back_by_the_migration(people, world):
    """Placements the old daily job made durable without any confirmation become active
    (not confirmed) again; their presumed transition is kept but no longer counted."""
    km, person = people["km"], people["person"]
    start = add_months(TODAY(), -8)
    six = add_months(start, 6)
    plan = _outside_hire(km, person, start).support_plan
    # What the old job did.
    SupportPlan.objects.filter(pk=plan.pk).update(status="durable", ended_on=six)
    JourneyTransition.objects.create(
        candidate=person,
        from_status="geplaatst",
        to_status="duurzaam",
        occurred_on=six,
        cause="durable",
        reference=str(plan.uuid),
    )
    person.status = "duurzaam"
    person.save(update_fields=["status"])
    migration = importlib.import_module(
        "perspectief.routes.migrations.0004_durable_only_when_confirmed"
    )
    migration.take_back_presumed(apps, None)
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, plan.ended_on, person.status) == ("active", None, "geplaatst")
    presumed = JourneyTransition.objects.get(candidate=person, to_status="duurzaam")
    assert presumed.cause == "presumed"
    back = JourneyTransition.objects.filter(candidate=person).last()
    assert (back.from_status, back.to_status, back.cause) == ("duurzaam", "geplaatst", "correction")
    counts = _counts(start, TODAY(), world.am18)
    assert (counts["durable"], counts["not_confirmed"], counts["matches"]) == (0, 1, 1)
    assert AuditEvent.objects.filter(event="support.durable_taken_back").count() == 1
