"""The employer's anonymous search ranks the region's consented profiles with the matching
engine — for an occupation (chosen, or free words that resolve to one) or one of the
employer's own places — a page at a time, explained in words and without what an employer may
not see (issue #18)."""

import csv
import gzip

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import CandidateSkill
from perspectief.matching import engine_records
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.selectors import employer_search
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.models import Occupation, OccupationSkill, Skill
from tests.conftest import sign_in
from tests.factories import CandidateFactory, MembershipFactory, OrganisationFactory

ORDERPICKER = "http://data.europa.eu/esco/occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb"


def _esco_occupation(uri, label):
    """A real ESCO occupation with its real essential skills (first six)."""
    with gzip.open(engine_records.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["occupationUri"] == uri and r["relationType"] == "essential"
        ][:6]
    occupation = Occupation.objects.create(uri=uri, label_nl=label, label_en=label)
    skills = []
    for i, row in enumerate(rows):
        skill, _ = Skill.objects.get_or_create(
            uri=row["skillUri"], defaults={"label_en": f"{label} skill {i}"}
        )
        OccupationSkill.objects.create(occupation=occupation, skill=skill, relation="essential")
        skills.append(skill)
    return occupation, skills


def _other_occupation():
    """Another real ESCO occupation (the first one in the relations that is not order
    picking), for people who should not come up."""
    with gzip.open(engine_records.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        for row in csv.DictReader(f):
            if row["occupationUri"] != ORDERPICKER and row["relationType"] == "essential":
                return _esco_occupation(row["occupationUri"], "ander beroep")
    raise AssertionError("no other occupation")


@pytest.fixture
def region(world, make_member):
    km = make_member("klantmanager")
    # The shared fixture's made-up occupation is called "orderpicker" too.
    Occupation.objects.filter(pk=world.occupation.pk).update(
        label_nl="testberoep", label_en="test occupation"
    )
    picker, picker_skills = _esco_occupation(ORDERPICKER, "orderpicker")
    other, other_skills = _other_occupation()
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    account = EmployerAccount.objects.create(
        organisation=organisation,
        kvk_number="55667788",
        postcode=world.amsterdam.postcodes.first(),
    )
    user = MembershipFactory(organisation=organisation, role="werkgever")

    def person(occupation, skills, **extra):
        p = CandidateFactory(
            served_by=km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
            postcode=world.amsterdam.postcodes.first(),
            **extra,
        )
        p.occupations.add(occupation)
        for s in skills:
            CandidateSkill.objects.create(candidate=p, skill=s)
        return p

    pickers = [person(picker, picker_skills[: 6 - i]) for i in range(3)]
    others = [person(other, other_skills) for _ in range(2)]
    return {
        "account": account,
        "user": user,
        "picker": picker,
        "pickers": pickers,
        "others": others,
    }


@pytest.mark.django_db
def test_an_occupation_ranks_the_regions_order_pickers_first_and_explains_in_words(client, region):
    sign_in(client, region["user"].user)
    url = reverse("api:employer-candidates")
    result = client.get(url, {"occupationUri": ORDERPICKER}).json()
    assert result["ranked"] is True
    codes = [p["pseudonym"] for p in result["profiles"]]
    expected = [employer_side.code_for(region["account"], p) for p in region["pickers"]]
    # The order pickers, the one with most of the occupation's skills first; the people of
    # another occupation have no evidence for this search and are not listed.
    assert codes == expected
    assert result["total"] == 3
    fits = result["profiles"][0]["explanation"]
    criteria = {row["criterion"] for row in fits}
    assert "occupation" in criteria and "priority" not in criteria
    assert all(row["fit"] for row in fits)
    assert "score" not in result["profiles"][0]
    assert AccessRecord.objects.filter(activity="employer.anonymous_view").count() == 3
    event = AuditEvent.objects.get(event="employer.searched")
    assert event.changes["ranked_for"][1] == ORDERPICKER


@pytest.mark.django_db
def test_the_search_pages_through_the_ranking(client, region, monkeypatch):
    monkeypatch.setattr(employer_search, "PAGE_SIZE", 2)
    sign_in(client, region["user"].user)
    url = reverse("api:employer-candidates")
    first = client.get(url, {"occupationUri": ORDERPICKER}).json()
    second = client.get(url, {"occupationUri": ORDERPICKER, "page": 2}).json()
    assert (first["page"], first["pages"], len(first["profiles"])) == (1, 2, 2)
    assert (second["page"], len(second["profiles"])) == (2, 1)
    seen = [p["pseudonym"] for p in first["profiles"] + second["profiles"]]
    assert seen == [employer_side.code_for(region["account"], p) for p in region["pickers"]]
    page = client.get(reverse("employer:search"), {"occupation_uri": ORDERPICKER, "page": 2})
    assert page.status_code == 200
    assert "page=1" in page.content.decode()


@pytest.mark.django_db
def test_an_employers_own_place_ranks_with_its_own_requirements(client, region, world):
    from perspectief.vacancies.models import Vacancy, VacancySkill

    place = Vacancy.objects.create(
        employer=region["account"],
        title="Orderpicker DC",
        place_type="job",
        occupation=region["picker"],
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=10,
        status="open",
    )
    for skill in region["picker"].skill_relations.all():
        VacancySkill.objects.create(vacancy=place, skill=skill.skill, relation="essential")
    sign_in(client, region["user"].user)
    result = client.get(reverse("api:employer-candidates"), {"place": str(place.uuid)}).json()
    assert result["ranked"] is True
    assert [p["pseudonym"] for p in result["profiles"]] == [
        employer_side.code_for(region["account"], p) for p in region["pickers"]
    ]
    assert result["profiles"][0]["distance"] == "< 5 km"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        (
            {"occupationUri": "http://data.europa.eu/esco/occupation/does-not-exist"},
            "occupationUri",
        ),
        ({"occupation": "?!... ,,"}, "occupation"),
        ({"occupation": "x" * 10_000}, "occupation"),
    ],
)
def test_bad_search_input_is_a_clear_400(client, region, params, field):
    sign_in(client, region["user"].user)
    answer = client.get(reverse("api:employer-candidates"), params)
    assert answer.status_code == 400
    assert field in answer.json() or field in str(answer.json())
    assert not AuditEvent.objects.filter(event="employer.searched").exists()
    page = client.get(
        reverse("employer:search"), {k.replace("Uri", "_uri"): v for k, v in params.items()}
    )
    assert page.status_code == 400


@pytest.mark.django_db
def test_free_words_with_a_typo_find_the_order_pickers(client, region):
    sign_in(client, region["user"].user)
    result = client.get(reverse("api:employer-candidates"), {"occupation": "orderpiker"}).json()
    assert result["rankedFor"][0]["uri"] == ORDERPICKER
    assert {p["pseudonym"] for p in result["profiles"]} == {
        employer_side.code_for(region["account"], p) for p in region["pickers"]
    }
    page = client.get(reverse("employer:search"), {"occupation": "orderpiker"}).content.decode()
    for person in region["pickers"]:
        assert employer_side.code_for(region["account"], person) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        ({"occupation": "?!... ,,"}, "occupation"),
        ({"skill": "!!!"}, "skill"),
        ({"occupation": "x" * 10_000}, "occupation"),
        ({"hours": "abc"}, "hours"),
    ],
)
def test_what_the_employer_typed_wrong_comes_back_in_the_form_at_its_field(
    client, region, params, field
):
    """Typed in the search form: the form again with the message at the field (not the bare
    400 page), and no "no profiles found" as if it had searched."""
    sign_in(client, region["user"].user)
    page = client.get(reverse("employer:search"), params)
    assert page.status_code == 400
    assert "matching/employer/search.html" in [t.name for t in page.templates]
    assert page.context["form"].errors[field]
    assert f'id="id_{field}_error"' in page.content.decode()
    assert "result" not in page.context
    assert not AuditEvent.objects.filter(event="employer.searched").exists()


@pytest.mark.django_db
def test_a_skill_with_only_an_english_label_is_marked_for_the_employer(client, region):
    """From review of #18: the employer read English skill names unmarked in Dutch pages
    and in the API. The page marks them "(Engels)" and the API says ``englishOnly``."""
    first = region["pickers"][0]
    dutch = first.skills.select_related("skill").order_by("pk").first().skill
    Skill.objects.filter(pk=dutch.pk).update(label_nl="orders verzamelen")
    sign_in(client, region["user"].user)
    result = client.get(reverse("api:employer-candidates"), {"occupationUri": ORDERPICKER})
    profile = result.json()["profiles"][0]
    marked = {row["label"]: row["englishOnly"] for row in profile["skillLabels"]}
    assert marked.pop("orders verzamelen") is False
    assert marked and all(marked.values())  # the others have only an English label
    assert sorted(profile["skills"]) == sorted([*marked, "orders verzamelen"])
    page = client.get(reverse("employer:search"), {"occupation_uri": ORDERPICKER})
    html = page.content.decode()
    with translation.override("nl"):
        english, word = next(iter(marked)), pgettext("employer", "English")
    assert f'<span lang="en">{english}</span> ({word})' in html
    assert f"orders verzamelen ({word})" not in html
    with translation.override("en"):
        client.cookies.load({"django_language": "en"})
        again = client.get(reverse("api:employer-candidates"), {"occupationUri": ORDERPICKER})
        assert not any(r["englishOnly"] for r in again.json()["profiles"][0]["skillLabels"])


@pytest.mark.django_db
def test_the_employers_sentences_mark_a_skill_with_only_an_english_label(world):
    english = Skill.objects.create(uri="urn:s:1", label_en="pick orders", label_nl="")
    Skill.objects.create(uri="urn:s:2", label_en="cook", label_nl="koken")
    with translation.override("nl"):
        labels = employer_search.employer_skill_labels([english.uri, "urn:s:2"])
        word = pgettext("employer", "English")
    assert labels == {english.uri: f"pick orders ({word})", "urn:s:2": "koken"}


@pytest.mark.django_db
def test_a_search_by_occupation_explains_every_profile_with_points_and_sentences(client, region):
    """From review of #18: searching by occupation only, the profiles came without the
    sentences an adviser reads. Every profile now says per criterion its points out of
    the maximum and the facts, worded for a search (not "your place"), without what an
    employer may not see; the distance as a band, without points."""
    sign_in(client, region["user"].user)
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):  # the requests leave their language active
        result = client.get(reverse("api:employer-candidates"), {"occupation": "orderpicker"})
        profiles = result.json()["profiles"]
        assert len(profiles) == 3
        for profile in profiles:
            rows = {row["criterion"]: row for row in profile["explanation"]}
            assert {"occupation", "essential_skills", "distance"} <= set(rows)
            assert not set(rows) & {"priority", "motivation", "support", "readiness"}
            for name, row in rows.items():
                assert row["text"] and "your place" not in row["text"]
                if name == "distance":
                    assert (row["points"], row["max"]) == (None, None)
                    assert row["text"] == "distance to your location: < 5 km"
                else:
                    assert 0 <= row["points"] <= row["max"]
            assert rows["occupation"]["text"] == "wants the occupation you search for"
        best, last = (p["explanation"] for p in (profiles[0], profiles[-1]))
        essential = [
            next(r for r in rows if r["criterion"] == "essential_skills") for rows in (best, last)
        ]
        assert essential[0]["text"].startswith("has 6 of the 6 essential skills")
        assert essential[1]["text"] == "has 4 of the 6 essential skills; misses 2"
        assert essential[0]["points"] == essential[0]["max"] > essential[1]["points"]
        page = client.get(reverse("employer:search"), {"occupation": "orderpicker"})
        html = page.content.decode()
        points = f"Essential skills: {essential[1]['points']} of {essential[1]['max']} points"
        assert points in html
        assert "has 4 of the 6 essential skills; misses 2" in html


@pytest.mark.django_db
def test_credit_through_a_related_skill_alone_does_not_list_a_person(region):
    """From the walk of #18: a train dispatcher was listed for "orderpicker" on one
    essential skill credited through a related skill. Evidence is the occupation (or its
    group, or typical skills) or one of the essential skills itself."""
    from perspectief.matching.engine import records

    vacancy = records.Vacancy(id="v", essential_skills=["urn:a", "urn:b"], occupation="urn:o")
    related_only = records.Match(
        id="p",
        score=0.1,
        contributions={"occupation": 0.0, "essential_skills": 0.02},
        missing_essential=[{"skill": "urn:b", "teachable": False}],
        related_essential=[{"skill": "urn:a", "via": "urn:c"}],
    )
    holds_one = records.Match(
        id="q",
        score=0.2,
        contributions={"occupation": 0.0, "essential_skills": 0.16},
        missing_essential=[{"skill": "urn:b", "teachable": False}],
    )
    assert not employer_search._relevant(related_only, vacancy)
    assert employer_search._relevant(holds_one, vacancy)
