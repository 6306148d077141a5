"""Instrument applications followed to the money: recording on a hire the actor may see,
under the version valid on the start; the steps of an application; payments; deadlines
from their anchors; the inbox and the daily reminder; the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.dates import add_months
from perspectief.core.exceptions import DomainError
from perspectief.instruments.constants import VersionStatus
from perspectief.instruments.inbox import deadlines as inbox_deadlines
from perspectief.instruments.models import Application, Deadline, InstrumentVersion
from perspectief.instruments.panels import applications_document, applications_export
from perspectief.instruments.selectors import applications as selectors
from perspectief.instruments.services import applications as services
from perspectief.matching.models import Proposal
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from tests.conftest import sign_in
from tests.factories import CandidateFactory
from tests.instruments.applications_world import hired, load_shipped, outside, record, version


@pytest.fixture
def instruments(db):
    load_shipped()


@pytest.fixture
def km(make_member):
    return make_member("klantmanager")


@pytest.fixture
def person(km):
    return CandidateFactory(served_by=km.organisation, first_name="Geheim", last_name="Persoon")


# --- recording: who, on what, under which version ---------------------------------------------


def test_recording_on_a_hire_the_actor_may_not_see_is_not_found(
    client, world, instruments, make_member, person, km
):
    proposal = hired(world, person, km.organisation, date(2026, 10, 1))
    stranger = make_member("klantmanager", "AM22")  # another region, no consent: not seen
    sign_in(client, stranger.user)
    url = reverse("instruments:application-new")
    assert client.get(f"{url}?proposal={proposal.uuid}").status_code == 404
    assert client.post(f"{url}?proposal={proposal.uuid}", {}).status_code == 404
    assert (
        client.get(
            f"{url}?hire={outside(person, km.organisation, date(2026, 10, 1)).uuid}"
        ).status_code
        == 404
    )
    assert client.get(f"{url}?proposal=not-a-uuid").status_code == 404
    assert not Application.objects.exists()
    # An employer may not record applications at all.
    employer = make_member("werkgever")
    client.logout()
    sign_in(client, employer.user)
    assert client.get(f"{url}?proposal={proposal.uuid}").status_code == 403


def test_a_proposal_not_hired_is_no_hire(client, world, instruments, person, km):
    proposal = hired(world, person, km.organisation, date(2026, 10, 1))
    Proposal.objects.filter(pk=proposal.pk).update(status="introduced")
    sign_in(client, km.user)
    response = client.get(reverse("instruments:application-new") + f"?proposal={proposal.uuid}")
    assert response.status_code == 404


def test_the_version_valid_on_the_start_is_used_even_when_a_newer_one_exists(
    client, world, instruments, person, km
):
    old = version("LKV")
    InstrumentVersion.objects.filter(pk=old.pk).update(valid_until=date(2026, 12, 31))
    newer = InstrumentVersion.objects.create(
        instrument=old.instrument,
        number=old.number + 1,
        name=old.name,
        executing_body=old.executing_body,
        decided_by=old.decided_by,
        rules=old.rules,
        status=VersionStatus.PUBLISHED,
        valid_from=date(2027, 1, 1),
    )
    proposal = hired(world, person, km.organisation, date(2026, 10, 1))
    sign_in(client, km.user)
    url = reverse("instruments:application-new") + f"?proposal={proposal.uuid}"
    page = client.get(url + "&instrument=LKV&category=oudere_werknemer")
    assert page.status_code == 200
    assert page.context["form"].initial["version"] == old.pk
    # The newer version is not offered for a hire that started before it.
    offered = {v.pk for v in page.context["versions"]}
    assert old.pk in offered and newer.pk not in offered
    response = client.post(
        url,
        {
            "version": old.pk,
            "category": "oudere_werknemer",
            "applied_on": "2026-10-15",
            "responsible": km.pk,
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.version == old
    assert application.category == "oudere_werknemer"
    assert application.responsible == km
    # Posting the newer version for this hire is refused with the field named.
    Application.objects.all().delete()
    refused = client.post(
        url,
        {
            "version": newer.pk,
            "category": "oudere_werknemer",
            "applied_on": "2026-10-15",
            "responsible": km.pk,
        },
    )
    assert refused.status_code == 200 and "version" in refused.context["form"].errors
    # A hire starting in 2027 gets the newer version.
    later = outside(person, km.organisation, date(2027, 2, 1))
    assert record(km, later, "LKV", version=newer, category="oudere_werknemer").version == newer
    with pytest.raises(ValidationError):
        record(km, later, "LKV", version=old, category="oudere_werknemer")


def test_an_unknown_instrument_to_preselect_is_a_400(client, world, instruments, person, km):
    proposal = hired(world, person, km.organisation, date(2026, 10, 1))
    sign_in(client, km.user)
    url = reverse("instruments:application-new") + f"?proposal={proposal.uuid}&instrument=NOPE"
    assert client.get(url).status_code == 400


def test_category_is_required_where_the_instrument_has_categories(world, instruments, person, km):
    hire = outside(person, km.organisation, date(2026, 10, 1))
    with pytest.raises(ValidationError) as refused:
        record(km, hire, "LKV")
    assert "category" in refused.value.message_dict
    assert record(km, hire, "LKS", category="ignored").category == ""


def test_one_open_application_per_instrument_and_hire(world, instruments, person, km):
    hire = outside(person, km.organisation, date(2026, 10, 1))
    first = record(km, hire, "NO_RISK")
    with pytest.raises(DomainError):
        record(km, hire, "NO_RISK")
    services.application_status(
        actor=actor_for(km), application=first, status="afgewezen", decided_on=date(2026, 10, 20)
    )
    assert record(km, hire, "NO_RISK").status == "aangevraagd"  # again, after a refusal


def test_the_responsible_must_be_a_colleague_who_records_applications(
    world, instruments, person, km, make_member
):
    hire = outside(person, km.organisation, date(2026, 10, 1))
    other = make_member("accountmanager", "AM22")
    with pytest.raises(ValidationError) as refused:
        record(km, hire, "NO_RISK", responsible=other)
    assert "responsible" in refused.value.message_dict


# --- the steps of an application -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["toegekend"], True),
        (["afgewezen"], True),
        (["toegekend", "lopend", "beeindigd"], True),
        (["toegekend", "beeindigd"], True),
        (["lopend"], False),
        (["beeindigd"], False),
        (["afgewezen", "toegekend"], False),
        (["toegekend", "lopend", "beeindigd", "lopend"], False),
        (["toegekend", "aangevraagd"], False),
    ],
)
def test_transitions(world, instruments, person, km, path, allowed):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    actor = actor_for(km)
    *before, last = path
    for status in before:
        services.application_status(
            actor=actor, application=application, status=status, decided_on=date(2026, 10, 20)
        )
    if allowed:
        services.application_status(
            actor=actor, application=application, status=last, decided_on=date(2026, 10, 20)
        )
        application.refresh_from_db()
        assert application.status == last
    else:
        with pytest.raises(DomainError):
            services.application_status(
                actor=actor, application=application, status=last, decided_on=date(2026, 10, 20)
            )
        application.refresh_from_db()
        assert application.status == (before[-1] if before else "aangevraagd")


def test_a_refused_transition_says_why(world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.application_status(actor=actor_for(km), application=application, status="lopend")
    assert str(refused.value) == "From applied for an application can only go to: granted, refused."


def test_a_decision_needs_its_date_not_before_the_application(world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    actor = actor_for(km)
    with pytest.raises(ValidationError) as refused:
        services.application_status(actor=actor, application=application, status="toegekend")
    assert "decided_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.application_status(
            actor=actor, application=application, status="toegekend", decided_on=date(2026, 9, 1)
        )
    with pytest.raises(ValidationError) as refused:
        services.application_status(
            actor=actor,
            application=application,
            status="toegekend",
            decided_on=date(2026, 10, 20),
            period_start=date(2026, 11, 1),
            period_end=date(2026, 10, 1),
        )
    assert "period_end" in refused.value.message_dict


def test_only_the_recording_organisation_changes_an_application(
    world, instruments, km, make_member
):
    person = CandidateFactory(served_by=km.organisation, regional_consent=True)
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    partner = make_member("intermediair")
    assert selectors.application_get(actor_for(partner), application.uuid) == application
    with pytest.raises(DomainError):
        services.application_status(
            actor=actor_for(partner),
            application=application,
            status="toegekend",
            decided_on=date(2026, 10, 20),
        )


# --- payments --------------------------------------------------------------------------------


def test_amount_paid_is_the_sum_of_the_payments(world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "LKS")
    actor = actor_for(km)
    with pytest.raises(DomainError):  # not granted yet
        services.payment_record(
            actor=actor, application=application, paid_on=date(2026, 11, 1), amount=Decimal("1")
        )
    services.application_status(
        actor=actor,
        application=application,
        status="toegekend",
        decided_on=date(2026, 10, 20),
        amount_granted=Decimal("9000.00"),
    )
    for day, amount in ((date(2026, 11, 1), "750.00"), (date(2026, 12, 1), "812.50")):
        services.payment_record(
            actor=actor, application=application, paid_on=day, amount=Decimal(amount)
        )
    for wrong in (Decimal("0"), Decimal("-5")):
        with pytest.raises(ValidationError):
            services.payment_record(
                actor=actor, application=application, paid_on=date(2026, 12, 1), amount=wrong
            )
    shown = selectors.application_get(actor, application.uuid)
    assert shown.amount_paid == Decimal("1562.50")
    assert shown.amount_granted == Decimal("9000.00")


# --- deadlines -------------------------------------------------------------------------------


def test_lkv_target_group_statement_is_due_three_months_after_the_start(
    world, instruments, person, km
):
    application = record(
        km,
        hired(world, person, km.organisation, date(2026, 10, 1)),
        "LKV",
        category="oudere_werknemer",
    )
    (deadline,) = application.deadlines.all()
    assert deadline.key == "doelgroepverklaring"
    assert deadline.due_on == date(2027, 1, 1)
    assert deadline.done_on is None


def test_lks_deadlines_apply_before_the_start_is_done_and_reassessment_after_a_year(
    world, instruments, person, km
):
    application = record(
        km, outside(person, km.organisation, date(2026, 8, 31)), "LKS", applied_on=date(2026, 8, 20)
    )
    deadlines = {d.key: d for d in application.deadlines.all()}
    assert deadlines["aanvraag"].due_on == date(2026, 8, 31)
    assert deadlines["aanvraag"].done_on == date(2026, 8, 20)  # recording it is applying
    assert deadlines["herbeoordeling"].due_on == date(2027, 8, 31)
    assert deadlines["herbeoordeling"].done_on is None


def test_the_end_of_a_trial_placement_counts_the_rules_months(world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 11, 30)), "PROEFPLAATSING")
    deadlines = {d.key: d.due_on for d in application.deadlines.all()}
    assert deadlines["einde_proef"] == date(2027, 1, 30)  # params.months = 2


def test_decision_and_period_end_deadlines_come_when_they_are_known(world, instruments, person, km):
    base = version("NO_RISK")
    base.rules = {
        **base.rules,
        "deadlines": [
            {"key": "bezwaar", "anchor": "decision", "months": 1.5, "text": "Bezwaar"},
            {"key": "verlengen", "anchor": "period_end", "months": -2, "text": "Verlengen"},
        ],
    }
    base.save()
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    assert not application.deadlines.exists()
    services.application_status(
        actor=actor_for(km),
        application=application,
        status="toegekend",
        decided_on=date(2026, 10, 20),
        period_start=date(2026, 10, 1),
        period_end=date(2031, 9, 30),
    )
    deadlines = {d.key: d.due_on for d in application.deadlines.all()}
    assert deadlines == {"bezwaar": date(2026, 12, 5), "verlengen": date(2031, 7, 30)}


# --- the inbox and the reminder -----------------------------------------------------------


def _due_in(days: int) -> date:
    """A start of work whose LKV deadline (three months on) falls ``days`` from today."""
    return add_months(timezone.localdate() + timedelta(days=days), -3)


def test_the_inbox_shows_the_deadline_to_the_responsible_until_it_is_done(
    world, instruments, person, km, make_member, client
):
    colleague = make_member("accountmanager")
    assert colleague.organisation == km.organisation
    start = _due_in(20)
    application = record(
        km,
        hired(world, person, km.organisation, start),
        "LKV",
        category="oudere_werknemer",
        responsible=colleague,
        applied_on=min(start, timezone.localdate()),
    )
    deadline = application.deadlines.get()
    items = [i for i in inbox_for(actor_for(colleague)) if i.kind == Kind.INSTRUMENT_DEADLINE]
    assert [i.due for i in items] == [deadline.due_on]
    assert "Geheim Persoon" in items[0].title  # the organisation serves the person
    assert str(application.uuid) in items[0].url
    # Not for the klantmanager who recorded it: the responsible acts.
    assert not inbox_deadlines(actor_for(km))
    # Done on the application's page: it leaves the inbox.
    sign_in(client, colleague.user)
    response = client.post(
        reverse("instruments:application-detail", args=[application.uuid]),
        {"action": "deadline", "deadline": deadline.pk},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.done_on == timezone.localdate() and deadline.done_by == colleague.user
    assert not inbox_deadlines(actor_for(colleague))


def test_the_inbox_leaves_out_far_deadlines_and_puts_overdue_first(world, instruments, person, km):
    far = record(
        km,
        outside(person, km.organisation, _due_in(45)),
        "LKV",
        category="oudere_werknemer",
        applied_on=timezone.localdate(),
    )
    late = record(km, outside(person, km.organisation, _due_in(-10)), "NO_RISK")
    Deadline.objects.create(
        application=late, key="x", text="Te laat", due_on=timezone.localdate() - timedelta(days=10)
    )
    soon = record(
        km,
        outside(person, km.organisation, _due_in(5)),
        "LKV",
        category="oudere_werknemer",
        applied_on=timezone.localdate() - timedelta(days=1),
    )
    items = [i for i in inbox_for(actor_for(km)) if i.kind == Kind.INSTRUMENT_DEADLINE]
    assert [i.url.split("#")[0] for i in items] == [
        reverse("instruments:application-detail", args=[late.uuid]),
        reverse("instruments:application-detail", args=[soon.uuid]),
    ]
    assert items[0].overdue
    assert far.deadlines.get().due_on > timezone.localdate() + timedelta(days=30)
    # A refused application's deadlines wait for nobody.
    services.application_status(
        actor=actor_for(km), application=soon, status="afgewezen", decided_on=timezone.localdate()
    )
    assert len([i for i in inbox_for(actor_for(km)) if i.kind == Kind.INSTRUMENT_DEADLINE]) == 1


def test_the_reminder_tells_the_responsible_once_per_deadline_naming_nobody(
    world, instruments, person, km, django_capture_on_commit_callbacks
):
    km.user.email = "km@example.invalid"
    km.user.save()
    record(
        km,
        outside(person, km.organisation, _due_in(10)),
        "LKV",
        category="oudere_werknemer",
        applied_on=timezone.localdate(),
    )
    record(km, outside(person, km.organisation, _due_in(20)), "NO_RISK")  # no deadlines
    later = record(
        km,
        outside(person, km.organisation, _due_in(25)),
        "LKV",
        category="oudere_werknemer",
        applied_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_deadlines() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_deadlines() == 0  # once per deadline
    assert len(mail.outbox) == 1
    assert "Geheim" not in mail.outbox[0].body and "Persoon" not in mail.outbox[0].body
    # Eleven days later the second deadline is within 14 days: told once too.
    with django_capture_on_commit_callbacks(execute=True):
        told = services.remind_deadlines(today=timezone.localdate() + timedelta(days=11))
    assert told == 1
    assert later.deadlines.get().due_on <= timezone.localdate() + timedelta(days=25)


# --- the audit trail and the pages ---------------------------------------------------------


def test_every_change_is_an_audit_event_and_the_page_shows_the_history(
    client, world, instruments, person, km
):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "LKS")
    actor = actor_for(km)
    services.application_status(
        actor=actor,
        application=application,
        status="toegekend",
        decided_on=date(2026, 10, 20),
        amount_granted=Decimal("9000"),
    )
    services.payment_record(
        actor=actor, application=application, paid_on=date(2026, 11, 1), amount=Decimal("750")
    )
    services.deadline_done(actor=actor, deadline=application.deadlines.get(key="herbeoordeling"))
    events = list(
        AuditEvent.objects.filter(target_id=str(application.uuid))
        .order_by("id")
        .values_list("event", "actor_user")
    )
    assert events == [
        ("instrument_application.recorded", km.user.pk),
        ("instrument_application.status", km.user.pk),
        ("instrument_application.payment", km.user.pk),
        ("instrument_application.deadline_done", km.user.pk),
    ]
    status = AuditEvent.objects.get(target_id=str(application.uuid), event__endswith=".status")
    assert status.changes["status"] == ["aangevraagd", "toegekend"]
    sign_in(client, km.user)
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("instruments:application-detail", args=[application.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "applied for → granted" in text
    assert "not confirmed" in text  # the shipped LKS version is not verified
    assert "1,562.50" not in text and "750.00" in text


def test_status_and_payment_through_the_page(client, world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "NO_RISK")
    sign_in(client, km.user)
    url = reverse("instruments:application-detail", args=[application.uuid])
    bad = client.post(url, {"action": "status", "status-status": "toegekend"})
    assert bad.status_code == 200 and "decided_on" in bad.context["status_form"].errors
    ok = client.post(
        url,
        {
            "action": "status",
            "status-status": "toegekend",
            "status-decided_on": "2026-10-20",
            "status-amount_granted": "1200",
        },
    )
    assert ok.status_code == 302
    refused = client.post(url, {"action": "status", "status-status": "aangevraagd"})
    assert refused.status_code == 200  # not a choice any more: the form says so
    paid = client.post(
        url, {"action": "payment", "payment-paid_on": "2026-11-01", "payment-amount": "300"}
    )
    assert paid.status_code == 302
    zero = client.post(
        url, {"action": "payment", "payment-paid_on": "2026-11-01", "payment-amount": "0"}
    )
    assert zero.status_code == 200 and "amount" in zero.context["payment_form"].errors
    assert selectors.application_get(actor_for(km), application.uuid).amount_paid == Decimal("300")


def test_the_list_filters_and_the_person_page_links_the_hire(
    client, world, instruments, person, km
):
    proposal = hired(world, person, km.organisation, date(2026, 10, 1))
    late = record(km, proposal, "LKV", category="oudere_werknemer")
    record(km, outside(person, km.organisation, date(2026, 11, 1)), "NO_RISK")
    Deadline.objects.filter(application=late).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    sign_in(client, km.user)
    url = reverse("instruments:application-list")
    assert len(client.get(url).context["applications"]) == 2
    assert [a.pk for a in client.get(url + "?overdue=on").context["applications"]] == [late.pk]
    assert len(client.get(url + "?instrument=NO_RISK").context["applications"]) == 1
    assert client.get(url + "?status=toegekend").context["applications"] == []
    assert client.get(url + "?status=nope").status_code == 400
    person_page = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert reverse("instruments:hire-applications", args=[proposal.uuid]) in person_page
    hire_page = client.get(reverse("instruments:hire-applications", args=[proposal.uuid]))
    assert hire_page.status_code == 200 and hire_page.context["applications"] == [late]


def test_the_persons_data_holds_their_applications(world, instruments, person, km):
    application = record(km, outside(person, km.organisation, date(2026, 10, 1)), "LKS")
    services.application_status(
        actor=actor_for(km),
        application=application,
        status="toegekend",
        decided_on=date(2026, 10, 20),
        amount_granted=Decimal("9000"),
    )
    services.payment_record(
        actor=actor_for(km),
        application=application,
        paid_on=date(2026, 11, 1),
        amount=Decimal("750"),
    )
    (exported,) = applications_export(person, with_health=False)
    assert exported["instrument"] == "LKS" and exported["status"] == "toegekend"
    assert (exported["amount_granted"], exported["amount_paid"]) == ("9000.00", "750.00")
    assert {d["key"] for d in exported["deadlines"]} == {"aanvraag", "herbeoordeling"}
    with translation.override("en"):
        (section,) = applications_document(person, with_health=False)
    assert section.rows[0][1] == "granted"
