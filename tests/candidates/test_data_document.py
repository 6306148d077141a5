"""The person's data: a readable document next to the machine-readable file (AVG art. 15 and
20) — every field with its label, dates as dates, yes/no, occupations and skills by name,
the processings in words; and a tidy JSON (issue #14 item 8)."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import CandidateSkill
from perspectief.routes.models import Route, RouteStep, SupportPlan
from perspectief.taxonomy.models import Occupation, Skill

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory

ESCO = "http://data.europa.eu/esco/"
BSN = "111222333"


@pytest.fixture
def person(make_member, world):
    km = make_member("klantmanager")
    candidate = CandidateFactory(
        served_by=km.organisation,
        bsn=BSN,
        date_of_birth=datetime.date(1990, 4, 2),
        driving_licence=True,
        hours_per_week=32,
        available_from=datetime.date(2027, 1, 4),
        barriers="taal,vervoer",
        regional_consent=True,
    )
    occupation = Occupation.objects.create(uri=ESCO + "occupation/x1", label_nl="orderpicker")
    candidate.occupations.add(occupation)
    skill = Skill.objects.create(uri=ESCO + "skill/y1", label_nl="heftruck besturen")
    CandidateSkill.objects.create(candidate=candidate, skill=skill, source="tested")
    access.record_candidate(actor_for(km), candidate, ProcessingActivity.CANDIDATE_SERVICE)
    route = Route.objects.create(candidate=candidate, organisation=km.organisation)
    RouteStep.objects.create(
        route=route,
        kind="werkfit",
        title="Werkfit-traject",
        owner=km.organisation,
        planned_start=datetime.date(2027, 1, 4),
        planned_end=datetime.date(2027, 2, 1),
    )
    plan = SupportPlan.objects.create(
        candidate=candidate,
        employer=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        job_title="Orderpicker",
        organisation=km.organisation,
        started_on=datetime.date(2026, 10, 1),
    )
    plan.check_ins.create(
        month=1,
        due_on=datetime.date(2026, 11, 1),
        held_on=datetime.date(2026, 11, 2),
        with_person=True,
        outcome="well",
    )
    seeker = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    candidate.user = seeker.user
    candidate.save(update_fields=["user"])
    return km, seeker, candidate


@pytest.mark.django_db
def test_the_json_is_tidy(person, client):
    _km, seeker, _candidate = person
    sign_in(client, seeker.user)
    response = client.get(reverse("candidates:self-export"))
    raw = response.content.decode()
    data = json.loads(raw)
    assert '"True"' not in raw and '"False"' not in raw
    assert data["profile"]["driving_licence"] is True
    assert data["profile"]["hours_per_week"] == 32
    assert data["profile"]["barriers"] == ["taal", "vervoer"]
    assert data["date_of_birth"] == "1990-04-02"
    assert data["profile"]["available_from"] == "2027-01-04"
    moments = [data["consents"][0]["given"], *(p["time"] for p in data["processings"])]
    for moment in moments:  # ISO 8601 to the second, with the offset
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", moment), moment
    assert data["occupations"] == [{"uri": ESCO + "occupation/x1", "label": "orderpicker"}]
    assert data["skills"][0]["label"] == "heftruck besturen"
    assert data["consents"][0]["method"] == "in_person"
    assert data["consents"][0]["statement_version"] == "1"


@pytest.mark.django_db
def test_the_person_reads_their_data_as_a_document_in_words(person, client):
    km, seeker, candidate = person
    sign_in(client, seeker.user)
    assert (
        reverse("candidates:self-document")
        in client.get(reverse("candidates:self")).content.decode()
    )
    response = client.get(reverse("candidates:self-document"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    main = page[page.index("<main") :]
    # Every field with its label, dates as dates, yes/no, names instead of URIs and codes.
    assert re.search(r"<dt>Geboortedatum</dt><dd>2 april 1990</dd>", main)
    assert re.search(r"<dt>Rijbewijs \(B\)</dt><dd>ja</dd>", main)
    assert re.search(r"<dt>Beschikbaar vanaf</dt><dd>4 januari 2027</dd>", main)
    assert "orderpicker" in main and "heftruck besturen" in main
    assert BSN in main  # the person's own BSN, for the person
    assert "Nederlandse taal" in main  # a barrier by its name
    for raw in (ESCO, "True", "taal,vervoer", "candidate.service", "participatiewet<"):
        assert raw not in main, raw
    assert "Werkfit-traject" in main and "4 januari 2027 – 1 februari 2027" in main
    assert "Begeleiding op het werk: Orderpicker" in main and "gaat goed" in main
    # The processings in words: who, what data, why.
    assert "begeleiding naar werk" in main and escape(km.organisation.name) in main
    # Shown, so a read.
    reads = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid).filter(
        activity=ProcessingActivity.CANDIDATE_EXPORT, operation="read"
    )
    assert reads.count() == 1


@pytest.mark.django_db
def test_the_klantmanager_prints_the_document_only_for_people_they_serve(
    person, client, make_member
):
    km, _seeker, candidate = person
    sign_in(client, km.user)
    detail = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert reverse("candidates:document", args=[candidate.uuid]) in detail
    response = client.get(reverse("candidates:document", args=[candidate.uuid]))
    assert response.status_code == 200 and "2 april 1990" in response.content.decode()
    other = make_member("klantmanager", "AM22")
    sign_in(client, other.user)
    assert client.get(reverse("candidates:document", args=[candidate.uuid])).status_code == 404


@pytest.mark.django_db
def test_functional_limitations_in_the_document_follow_the_health_permission(person, monkeypatch):
    """Health data have their own permission and processing activity (security promise
    10): the document shows functional limitations to staff only with that permission, and
    logs it as a health read; the person always sees their own (#14 review)."""
    from perspectief.accounts.actor import Actor
    from perspectief.candidates.models import HealthInformation
    from perspectief.candidates.services.export import candidate_document, candidate_export
    from perspectief.core.authz import Permission

    km, seeker, candidate = person
    HealthInformation.objects.update_or_create(
        candidate=candidate, defaults={"functional_limitations": "Geen zwaar tillen"}
    )
    health = AccessRecord.objects.filter(activity=ProcessingActivity.CANDIDATE_HEALTH)

    def titles(membership):
        document = candidate_document(actor=actor_for(membership), candidate=candidate)
        return [str(s.title) for s in document]

    assert "Functionele beperkingen" in titles(km)
    assert health.count() == 1  # read as health data, besides the export
    assert "Functionele beperkingen" in titles(seeker)  # the person's own
    real = Actor.has_perm
    monkeypatch.setattr(Actor, "has_perm", lambda a, p: p != Permission.VIEW_HEALTH and real(a, p))
    assert "Functionele beperkingen" not in titles(km)
    assert health.count() == 1
    # The file for a computer follows the same rule.
    exported = candidate_export(actor=actor_for(km), candidate=candidate)
    assert exported["functional_limitations"] is None and health.count() == 1
