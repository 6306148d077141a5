"""Matching in the platform: ranked, explained candidates for a place among the people an
adviser may see (names only for serving organisations), ranked places for a person, and an
access record for every person ranked."""

import csv
import gzip

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.audit.models import AccessRecord
from perspectief.matching import adapters
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.models import Occupation, Skill
from perspectief.vacancies.models import Vacancy, VacancySkill

from .conftest import sign_in
from .factories import CandidateFactory, OrganisationFactory


@pytest.fixture
def esco(db):
    """An occupation and three of its essential skills, with their real ESCO URIs."""
    with gzip.open(adapters.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        rows = [r for r in csv.DictReader(f) if r["relationType"] == "essential"][:50]
    occupation_uri = rows[0]["occupationUri"]
    skill_uris = [r["skillUri"] for r in rows if r["occupationUri"] == occupation_uri][:3]
    occupation = Occupation.objects.create(uri=occupation_uri, label_nl="testberoep")
    skills = [
        Skill.objects.create(uri=uri, label_nl=f"vaardigheid {i}", label_en=f"skill {i}")
        for i, uri in enumerate(skill_uris)
    ]
    return occupation, skills


@pytest.fixture
def place(world, esco):
    occupation, skills = esco
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="12121212",
    )
    vacancy = Vacancy.objects.create(
        employer=employer,
        title="Testplek",
        place_type="job",
        occupation=occupation,
        hours_per_week=32,
        contract="vast",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    for skill in skills:
        VacancySkill.objects.create(vacancy=vacancy, skill=skill, relation="essential")
    return vacancy


def _person(km, skills, **extra):
    person = CandidateFactory(
        served_by=km.organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        max_travel_km=30,
        **extra,
    )
    for skill in skills:
        person.skills.create(skill=skill, source="stated")
    return person


@pytest.mark.django_db
def test_ranked_candidates_explained_and_logged(client, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    _person(km, skills, last_name="Allesweter")
    some = _person(km, skills[:1], last_name="Beetjewel")
    _person(km, [], last_name="Nogniet", regional_consent=True)
    CandidateFactory(served_by=km.organisation, status="aangemeld")  # not matchable: absent
    sign_in(client, km.user)
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    html = page.content.decode()
    assert html.index("Allesweter") < html.index("Beetjewel") < html.index("Nogniet")
    assert "vaardigheid 2" in html  # the gap of the one with a single skill
    assert AccessRecord.objects.filter(activity="candidate.matching").count() == 3
    # A partner (regional consent only) sees the label, not the name, and no priority.
    sign_in(client, make_member("intermediair").user)
    html = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid})).content.decode()
    assert "Nogniet" not in html and "Allesweter" not in html
    assert "priorit" not in html.lower()
    # Places for a person, explained.
    sign_in(client, km.user)
    html = client.get(reverse("matching:places", kwargs={"uuid": some.uuid})).content.decode()
    assert "Testplek" in html and "vaardigheid 1" in html


@pytest.mark.django_db
def test_adapter_maps_the_profile_to_the_engine(place, esco, make_member):
    occupation, skills = esco
    km = make_member("klantmanager")
    person = _person(km, skills, driving_licence=True, hours_per_week=24, dutch_level="B1")
    person.target_group_rows.create(group="langdurig")
    record = adapters.candidate_record(person)
    assert record.skills == [s.uri for s in skills]
    assert (record.hours, record.dutch_level, record.priority) == (24, 3, 1.0)
    assert record.lat is not None and record.max_distance_km == 30
    v = adapters.vacancy_record(place)
    assert v.occupation == occupation.uri and len(v.essential_skills) == 3 and v.places == 2


@pytest.mark.django_db
def test_shortlist_records_the_engine_verdict_or_a_reason(client, place, esco, make_member):
    from perspectief.accounts.actor import actor_for
    from perspectief.core.exceptions import PermissionDeniedError
    from perspectief.matching import services
    from perspectief.matching.models import ShortlistEntry

    _occupation, skills = esco
    km = make_member("klantmanager")
    ranked = _person(km, skills, last_name="Gerankt")
    waiting = CandidateFactory(served_by=km.organisation, status="aangemeld", regional_consent=True)
    actor = actor_for(km)
    entry = services.shortlist_add(actor=actor, vacancy=place, candidate=ranked)
    assert entry.engine_score is not None and entry.reason == ""
    with pytest.raises(Exception, match=r"reden|reason"):
        services.shortlist_add(actor=actor, vacancy=place, candidate=waiting)
    other = services.shortlist_add(
        actor=actor, vacancy=place, candidate=waiting, reason="sterke motivatie, net aangemeld"
    )
    assert other.engine_score is None
    with pytest.raises(Exception, match="shortlist"):
        services.shortlist_add(actor=actor, vacancy=place, candidate=ranked)
    # Another organisation sees the label and cannot take the gemeente's entry off.
    intermediary = make_member("intermediair")
    with pytest.raises(PermissionDeniedError):
        services.shortlist_remove(actor=actor_for(intermediary), entry=other)
    sign_in(client, intermediary.user)
    html = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode()
    assert waiting.partner_label in html and waiting.last_name not in html
    ranked_page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    assert ranked_page.status_code == 200
    services.shortlist_remove(actor=actor, entry=other)
    assert list(ShortlistEntry.objects.values_list("candidate_id", flat=True)) == [ranked.pk]
