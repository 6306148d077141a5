"""Places: created by the employer or the region's account managers, validated, with the
number still open; other employers and other regions see nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import NotFoundError
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import places as services

from ..conftest import sign_in
from ..factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    return EmployerAccount.objects.create(organisation=organisation, kvk_number="11112222")


def _data(world, **extra):
    return {
        "title": "Orderpicker",
        "place_type": "job",
        "hours_per_week": 32,
        "contract": "vast",
        "postcode": world.amsterdam.postcodes.first(),
        "places": 5,
        **extra,
    }


@pytest.mark.django_db
def test_employer_user_creates_own_place_with_skills_and_fills_it(employer, world):
    user = MembershipFactory(organisation=employer.organisation, role="werkgever")
    actor = actor_for(user)
    vacancy = services.vacancy_save(
        actor=actor,
        employer=employer,
        data=_data(world),
        essential=[world.skill],
        teachable=[world.skill],
    )
    assert vacancy.skills.get().teachable
    services.vacancy_command(actor=actor, vacancy=vacancy, command="open")
    # The employer filled places itself: recorded with the reason (the count is never typed).
    day = datetime.date(2026, 11, 2)
    services.outside_fill_record(
        actor=actor, vacancy=vacancy, places=3, filled_on=day, reason="werkgever"
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "open" and vacancy.places_open == 2
    services.outside_fill_record(
        actor=actor, vacancy=vacancy, places=2, filled_on=day, reason="intern"
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "filled" and vacancy.places_open == 0
    assert {"vacancy.created", "vacancy.status_changed", "vacancy.filled_outside"} <= set(
        AuditEvent.objects.values_list("event", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"places": 0}, "places"),
        ({"places": -3}, "places"),
        (
            {"start_date": datetime.date(2027, 3, 1), "closing_date": datetime.date(2027, 2, 1)},
            "__all__",
        ),
        ({"hours_per_week": 70}, "__all__"),
    ],
)
def test_bad_places_are_refused_and_nothing_is_stored(employer, world, make_member, extra, field):
    am = make_member("accountmanager")
    with pytest.raises(ValidationError):
        services.vacancy_save(actor=actor_for(am), employer=employer, data=_data(world, **extra))
    assert not Vacancy.objects.exists()


@pytest.mark.django_db
def test_other_employers_and_regions_cannot_see_or_change(employer, world, make_member, client):
    am = make_member("accountmanager")
    vacancy = services.vacancy_save(actor=actor_for(am), employer=employer, data=_data(world))
    other_employer = make_member("werkgever")
    elsewhere = make_member("accountmanager", "AM22")
    for member in (other_employer, elsewhere):
        assert not Vacancy.objects.visible_to(actor_for(member)).exists()

    with pytest.raises(NotFoundError):
        services.vacancy_command(actor=actor_for(elsewhere), vacancy=vacancy, command="open")
    sign_in(client, other_employer.user)
    assert client.get(reverse("vacancies:detail", args=[vacancy.uuid])).status_code == 404


@pytest.mark.django_db
def test_web_form_creates_a_place_and_reports_bad_input(employer, world, make_member, client):
    am = make_member("accountmanager")
    sign_in(client, am.user)
    bad = client.post(
        reverse("vacancies:create"),
        {
            "employer": str(employer.uuid),
            "title": "Lasser",
            "place_type": "job",
            "places": "0",
            "hours_per_week": "32",
            "contract": "vast",
            "postcode": "9999",
            "essential_skills": "vliegen naar de maan",
            "start_date": "2027-03-01",
            "closing_date": "2027-02-01",
        },
    )
    assert bad.status_code == 200
    assert {"places", "postcode", "essential_skills", "closing_date"} <= set(
        bad.context["form"].errors
    )
    ok = client.post(
        reverse("vacancies:create"),
        {
            "employer": str(employer.uuid),
            "title": "Lasser",
            "place_type": "leerwerkplek",
            "places": "3",
            "hours_per_week": "32",
            "contract": "tijdelijk",
            "postcode": "1011 AB",
            "occupation": "orderpicker",
        },
    )
    assert ok.status_code == 302
    vacancy = Vacancy.objects.get()
    assert vacancy.occupation == world.occupation and vacancy.places_open == 3


@pytest.mark.django_db
def test_api_creates_lists_and_refuses_bad_places(employer, world, make_member, client):
    am = make_member("accountmanager")
    sign_in(client, am.user)
    body = {
        "employer": str(employer.uuid),
        "title": "Orderpicker",
        "placeType": "job",
        "hoursPerWeek": 32,
        "contract": "vast",
        "postcode": "1011 AB",
        "places": 100,
        "occupation": "orderpicker",
        "essentialSkills": [world.skill.uri],
        "teachableSkills": [world.skill.uri],
    }
    created = client.post(reverse("api:vacancy-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["placesOpen"] == 100
    assert created.json()["skills"][0]["teachable"] is True
    listing = client.get(reverse("api:vacancy-list"), {"status": "draft"}).json()
    assert listing["count"] == 1
    bad = client.post(
        reverse("api:vacancy-list"),
        {**body, "places": 0, "postcode": "9999", "essentialSkills": ["maanlanding"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    names = {p["name"] for p in bad.json()["invalidParams"]}
    assert {"places", "postcode", "essentialSkills"} <= names
    assert Vacancy.objects.count() == 1


@pytest.mark.django_db
def test_places_and_employers_filter_by_sector_occupation_and_municipality(
    client, employer, world, make_member
):
    logistics = Sector.objects.create(
        code="H", name="Vervoer en opslag", division_from="49", division_to="53"
    )
    care = Sector.objects.create(code="Q", name="Zorg", division_from="86", division_to="88")
    employer.sector = logistics
    employer.save()
    other = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="33334444",
        sector=care,
    )
    Vacancy.objects.create(employer=employer, occupation=world.occupation, **_data(world))
    Vacancy.objects.create(employer=other, **_data(world, title="Verzorgende"))
    sign_in(client, make_member("accountmanager").user)
    url = reverse("api:vacancy-list")
    titles = lambda **q: [v["title"] for v in client.get(url, q).json()["results"]]  # noqa: E731
    assert titles(sector="h") == ["Orderpicker"]
    assert titles(sector="Q") == ["Verzorgende"]
    assert titles(occupation=world.occupation.uri) == ["Orderpicker"]
    assert sorted(titles(municipality="GM0363")) == ["Orderpicker", "Verzorgende"]
    assert titles(municipality="GM0599") == []
    refused = client.get(url, {"sector": "Z"})
    assert refused.status_code == 400 and "sector" in refused.content.decode()
    employers = client.get(reverse("api:employer-list"), {"sector": "Q"}).json()["results"]
    assert [e["kvkNumber"] for e in employers] == ["33334444"]
    page = client.get(reverse("vacancies:list"), {"sector": "H", "occupation": "orderp"})
    assert "Orderpicker" in page.content.decode() and "Verzorgende" not in page.content.decode()
