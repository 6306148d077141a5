"""The soft factors of matching on a person's profile (#18): work-ready from, the hours and
physical load the person can carry, sectors they will not work in, support they need, and
— under the health permission — the work their functional limitations rule out. Checked in
the database, the forms, the import, the API and on the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from perspectief.audit.models import AuditEvent
from perspectief.candidates.forms.health import HealthForm
from perspectief.candidates.forms.profile import CandidateForm
from perspectief.candidates.models import Candidate, HealthInformation
from perspectief.candidates.selectors.document import sections
from perspectief.candidates.selectors.export import export_data
from perspectief.candidates.services.health import health_update
from perspectief.candidates.services.people import CandidateInput, candidate_update
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor
from perspectief.taxonomy.models import Sector

from ..conftest import sign_in
from ..factories import CandidateFactory


def _form(**data):
    base = {"first_name": "Anna", "last_name": "Jansen"}
    return CandidateForm({**base, **data}, registering=False)


# -- the database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_table_refuses_hours_to_carry_above_60_and_an_unknown_load(world):
    person = CandidateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=person.pk).update(max_hours_per_week=61)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=person.pk).update(max_physical_load="zwaarder")
    Candidate.objects.filter(pk=person.pk).update(max_hours_per_week=0, max_physical_load="light")


@pytest.mark.django_db
def test_code_lists_are_checked_against_their_choices(world):
    person = CandidateFactory(excluded_sectors="G,Z", support_needs="jobcoach,massage")
    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["bsn_encrypted", "bsn_index"])
    assert set(refused.value.message_dict) == {"excluded_sectors", "support_needs"}
    assert "Z" in refused.value.message_dict["excluded_sectors"][0]
    health = HealthInformation(candidate=person, limitations="night_shifts,juggling")
    with pytest.raises(ValidationError) as refused:
        health.full_clean(exclude=["candidate"])
    assert "juggling" in refused.value.message_dict["limitations"][0]


@pytest.mark.django_db
def test_the_service_stores_lists_in_the_order_of_their_choices(actor_as, world):
    km = actor_as("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    changes = candidate_update(
        actor=km,
        candidate=person,
        data=CandidateInput(
            first_name=person.first_name,
            last_name=person.last_name,
            excluded_sectors=["Q", "G", "G"],
            support_needs=["flexible_hours", "jobcoach"],
            max_hours_per_week=20,
            max_physical_load="light",
            ready_from=datetime.date.today() + datetime.timedelta(days=30),
        ),
    )
    person.refresh_from_db()
    assert person.excluded_sectors == "G,Q"
    assert person.support_need_list == ["jobcoach", "flexible_hours"]
    assert changes["max_hours_per_week"] == [None, 20]
    assert changes["excluded_sectors"] == ["", "G,Q"]
    # The same choices in another order are no change.
    again = candidate_update(
        actor=km,
        candidate=person,
        data=CandidateInput(
            first_name=person.first_name,
            last_name=person.last_name,
            excluded_sectors=["Q", "G"],
            support_needs=["jobcoach", "flexible_hours"],
        ),
    )
    assert again == {}


# -- the person form -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_profile_form_refuses_what_cannot_be_and_says_so_in_dutch(world):
    far = datetime.date.today() + datetime.timedelta(days=3 * 366)
    form = _form(
        max_hours_per_week="61",
        max_physical_load="zwaarder",
        excluded_sectors=["Z"],
        support_needs=["massage"],
        ready_from=far.isoformat(),
    )
    assert not form.is_valid()
    assert {
        "max_hours_per_week",
        "max_physical_load",
        "excluded_sectors",
        "support_needs",
        "ready_from",
    } <= set(form.errors)
    assert "60" in form.errors["max_hours_per_week"][0]  # Dutch: Django's own message
    assert "hoogstens" in form.errors["max_hours_per_week"][0]
    with translation.override("en"):
        form = _form(ready_from=far.isoformat())
        assert not form.is_valid()
        assert "years ahead" in form.errors["ready_from"][0]


@pytest.mark.django_db
def test_the_profile_form_saves_the_soft_factors_and_the_page_shows_them(
    client, make_member, world
):
    Sector.objects.create(
        code="Q",
        name="Gezondheids- en welzijnszorg",
        short_name="Zorg",
        division_from="86",
        division_to="88",
    )
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    sign_in(client, km.user)
    edit = client.get(reverse("candidates:edit", args=[person.uuid]))
    assert "Q — Zorg" in edit.content.decode()  # sectors by name where the list is loaded
    ready = datetime.date.today() + datetime.timedelta(days=14)
    response = client.post(
        reverse("candidates:edit", args=[person.uuid]),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "ready_from": ready.isoformat(),
            "max_hours_per_week": "16",
            "max_physical_load": "light",
            "excluded_sectors": ["Q"],
            "support_needs": ["jobcoach"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.ready_from, person.max_hours_per_week) == (ready, 16)
    assert (person.max_physical_load, person.excluded_sectors) == ("light", "Q")
    assert person.support_needs == "jobcoach"
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert "Q — Zorg" in html and "<dd>16</dd>" in html and "<dd>light</dd>" in html
    assert "Support needed at work" in html and "a jobcoach" in html
    # The partner view shows what the matching needs, not the support the person needs.
    person.consents.create(
        scope="regional_profile",
        method="in_person",
        statement_version="1",
        granted_at=person.created_at,
        approved_at=person.created_at,
    )
    sign_in(client, make_member("intermediair").user)
    html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert "Q — Zorg" in html and "<dd>16</dd>" in html
    assert "Support needed at work" not in html and "a jobcoach" not in html


# -- functional limitations ------------------------------------------------------------------


@pytest.mark.django_db
def test_limitations_are_kept_under_the_health_permission(client, make_member, world):
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    sign_in(client, km.user)
    url = reverse("candidates:health", args=[person.uuid])
    page = client.get(url)
    assert 'value="night_shifts"' in page.content.decode()
    client.post(
        url,
        {
            "functional_limitations": "Kan niet lang staan",
            "limitations": ["long_standing", "night_shifts"],
            "adjustments": "",
        },
    )
    health = HealthInformation.objects.get(candidate=person)
    assert health.limitation_list == ["long_standing", "night_shifts"]
    event = AuditEvent.objects.get(event="candidate.health_updated")
    assert set(event.changes) == {"functional_limitations", "limitations"}
    assert "night" not in repr(event.changes)  # the audit names fields, never content
    # An unknown code is a form error; nothing changes.
    bad = client.post(url, {"functional_limitations": "x", "limitations": ["juggling"]})
    assert bad.status_code == 400 and "limitations" in bad.context["form"].errors
    assert HealthInformation.objects.get(candidate=person).functional_limitations != "x"
    # Without the health permission: no page, no service, nothing on the profile.
    am = make_member("accountmanager")
    from perspectief.accounts.actor import actor_for

    with pytest.raises(PermissionDeniedError):
        health_update(
            actor=actor_for(am),
            candidate=person,
            functional_limitations="",
            adjustments="",
            limitations=[],
        )
    assert not HealthForm({"limitations": ["noise"]}).errors


@pytest.mark.django_db
def test_limitations_are_in_the_data_of_the_person_only_with_the_health_permission(world):
    person = CandidateFactory()
    HealthInformation.objects.create(candidate=person, limitations="noise,heavy_lifting")
    person = Candidate.objects.get(pk=person.pk)
    exported = export_data(person, with_health=True)["functional_limitations"]
    assert exported["work_not_possible"] == ["noise", "heavy_lifting"]
    assert export_data(person, with_health=False)["functional_limitations"] is None
    with translation.override("en"):
        shown = [
            value
            for section in sections(person, with_health=True)
            for _label, value in section.fields
        ]
        assert any("heavy lifting" in v for v in shown)
        hidden = [
            value
            for section in sections(person, with_health=False)
            for _label, value in section.fields
        ]
        assert not any("heavy lifting" in v for v in hidden)


# -- the import ------------------------------------------------------------------------------

HEADER = (
    "klantnummer,voornaam,achternaam,werkfit_vanaf,max_uren_per_week,fysieke_belasting,"
    "uitgesloten_sectoren,ondersteuning"
)


def _run(organisation, rows):
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    job = ImportJob.objects.create(
        organisation=organisation, filename="klanten.csv", content=content, channel="test"
    )
    runner.run(job, actor=import_actor(organisation, None, channel="test"))
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_the_import_reads_the_soft_factors_and_rejects_each_bad_value_with_its_reason(
    make_member, world
):
    gemeente = make_member("klantmanager").organisation
    soon = (datetime.date.today() + datetime.timedelta(days=10)).strftime("%d-%m-%Y")
    job = _run(
        gemeente,
        [
            f"K1,Anna,Jansen,{soon},20,licht,G;q,jobcoach;Flexibele uren",
            "K2,Bram,de Vries,,,,,",
            "K3,Cor,Smit,01-01-1900,61,zwaarder,Z,massage",
        ],
    )
    assert (job.created, job.rejected) == (2, 1)
    anna = Candidate.objects.get(first_name="Anna")
    assert (anna.max_hours_per_week, anna.max_physical_load) == (20, "light")
    assert (anna.excluded_sectors, anna.support_needs) == ("G,Q", "jobcoach,flexible_hours")
    assert anna.ready_from.strftime("%d-%m-%Y") == soon
    bram = Candidate.objects.get(first_name="Bram")
    assert (bram.max_hours_per_week, bram.excluded_sectors, bram.ready_from) == (None, "", None)
    [rejected] = job.rejections.all()
    for column in (
        "werkfit_vanaf",
        "max_uren_per_week",
        "fysieke_belasting",
        "uitgesloten_sectoren",
        "ondersteuning",
    ):
        assert f"{column}:" in rejected.reason_nl and f"{column}:" in rejected.reason_en
    assert "zwaarder" in rejected.reason_en and "massage" in rejected.reason_en
    assert "'Z'" in rejected.reason_en or "Z " in rejected.reason_en
    # The same file again changes nothing.
    again = _run(gemeente, [f"K1,Anna,Jansen,{soon},20,licht,G;q,jobcoach;Flexibele uren"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


# -- the API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_and_takes_the_soft_factors(client_as, world):
    client, _km = client_as("klantmanager")
    body = {
        "firstName": "Anna",
        "lastName": "Jansen",
        "workReadiness": "nearly",
        "readyFrom": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        "maxHoursPerWeek": 20,
        "maxPhysicalLoad": "medium",
        "motivation": "hoog",
        "capacity": "halve_dagen",
        "excludedSectors": ["G"],
        "supportNeeds": ["jobcoach"],
    }
    created = client.post(reverse("api:candidate-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["maxHoursPerWeek"], data["maxPhysicalLoad"]) == (20, "medium")
    assert (data["excludedSectors"], data["supportNeeds"]) == (["G"], ["jobcoach"])
    assert data["readyFrom"] == body["readyFrom"] and data["motivation"] == "hoog"
    assert "limitations" not in data and "functionalLimitations" not in data
    bad = client.post(
        reverse("api:candidate-list"),
        {**body, "excludedSectors": ["Z"], "maxHoursPerWeek": 61, "maxPhysicalLoad": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    named = {p["name"] for p in bad.json()["invalidParams"]}
    assert {"maxHoursPerWeek", "maxPhysicalLoad"} <= named
    assert any(name.startswith("excludedSectors") for name in named)


@pytest.mark.django_db
def test_the_edit_form_shows_skills_by_name_and_saves_them_back_unchanged(client, make_member):
    """From the walk of #18: the skills field read as a list of URIs. By name now (a URI
    only where the name would read back as another skill)."""
    from perspectief.candidates.forms.profile import initial_from

    from ..factories import SkillFactory

    forklift = SkillFactory(label_en="operate forklift", label_nl="heftruck besturen")
    picking = SkillFactory(label_en="pick orders for dispatching", label_nl="")
    twin = SkillFactory(label_en="pick orders for dispatching", label_nl="")  # same name
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    for skill in (forklift, picking, twin):
        person.skills.create(skill=skill, source="stated")
    shown = initial_from(person)["skills"]
    assert "heftruck besturen" in shown and "pick orders for dispatching" in shown
    assert twin.uri in shown and forklift.uri not in shown
    form = _form(skills=shown)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["skills"]) == {forklift, picking, twin}


@pytest.mark.django_db
def test_the_page_gives_the_hours_the_matching_reads_from_the_capacity(client, make_member):
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation, capacity="halve_dagen")
    sign_in(client, km.user)
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert "20 (from the capacity for work)" in html
    person.max_hours_per_week = 16
    person.save(update_fields=["max_hours_per_week"])
    html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert "<dd>16</dd>" in html and "from the capacity" not in html


@pytest.mark.django_db
def test_emptying_an_optional_field_on_the_edit_form_stores_it_empty(client, make_member, world):
    """From review of #18: emptying "hours the person can carry" kept the old number (an
    empty form field read as "not given"). Every optional field the form empties is stored
    empty and shown so; a field left alone keeps its value."""
    km = make_member("klantmanager")
    ready = datetime.date.today() + datetime.timedelta(days=14)
    person = CandidateFactory(
        served_by=km.organisation,
        capacity="halve_dagen",
        max_hours_per_week=16,
        max_physical_load="light",
        ready_from=ready,
        hours_per_week=24,
        max_travel_km=15,
        available_from=datetime.date.today(),
        driving_licence=True,
    )
    sign_in(client, km.user)
    form = client.get(reverse("candidates:edit", args=[person.uuid])).context["form"]
    posted = {k: v for k, v in form.initial.items() if v not in (None, "", [])}
    posted.update(max_hours_per_week="", max_physical_load="", ready_from="")
    posted.update(max_travel_km="", available_from="", driving_licence="")
    response = client.post(reverse("candidates:edit", args=[person.uuid]), posted)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.max_hours_per_week is None and person.max_physical_load == ""
    assert person.ready_from is None and person.max_travel_km is None
    assert person.available_from is None and person.driving_licence is None
    assert person.hours_per_week == 24  # not emptied: kept
    event = AuditEvent.objects.filter(event="candidate.updated").latest("id")
    assert event.changes["max_hours_per_week"] == [16, None]
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    # Empty now: the matching reads the hours from the capacity, and the page says so.
    assert "20 (from the capacity for work)" in html and "<dd>16</dd>" not in html


@pytest.mark.django_db
def test_a_registration_that_finds_a_known_person_never_empties_their_fields(actor_as, world):
    """An empty field of a new registration is "not known here", not "emptied": the record
    another organisation keeps stays as it is."""
    from perspectief.candidates.services.people import candidate_register

    km = actor_as("klantmanager")
    person = CandidateFactory(max_hours_per_week=16, bsn="111222333")
    form = CandidateForm(
        {"first_name": person.first_name, "last_name": person.last_name, "bsn": "111222333"}
    )
    assert form.is_valid(), form.errors
    assert "max_hours_per_week" in form.to_input().cleared
    found, created = candidate_register(actor=km, data=form.to_input())
    assert (found.pk, created) == (person.pk, False)
    person.refresh_from_db()
    assert person.max_hours_per_week == 16


@pytest.mark.django_db
def test_the_person_page_marks_a_skill_with_only_an_english_label(client, make_member):
    from ..factories import SkillFactory

    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation)
    person.skills.create(skill=SkillFactory(label_en="operate forklift", label_nl=""))
    person.skills.create(skill=SkillFactory(label_en="cook", label_nl="koken"))
    sign_in(client, km.user)
    with translation.override("nl"):
        word = translation.gettext("English")
        html = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert f'<span lang="en">operate forklift</span> ({word};' in html
    assert "koken (" in html and f"koken ({word}" not in html
