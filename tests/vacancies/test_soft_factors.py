"""What a place asks and offers, for the soft factors of matching (#18): the fewest hours it
accepts (part time), the physical load, the support it offers (an adjusted place always
offers an adjusted place) and what the work demands. Checked in the database, the service,
the forms (the employer's and the WSP's), the import, the API and on the place's page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.imports import runner
from perspectief.imports.models import ImportJob
from perspectief.imports.tasks import import_actor
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.forms.places import VacancyForm
from perspectief.vacancies.importers import PlaceImport
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import places as services

from ..conftest import sign_in
from ..factories import MembershipFactory, OrganisationFactory
from .wsp_helpers import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    return EmployerAccount.objects.create(organisation=organisation, kvk_number="11112222")


def _data(world, **extra):
    return {
        "title": "Orderpicker",
        "place_type": "job",
        "hours_per_week": 38,
        "contract": "vast",
        "postcode": world.amsterdam.postcodes.first(),
        "places": 5,
        **extra,
    }


def _form(**extra):
    return {
        "title": "Orderpicker",
        "place_type": "job",
        "places": "3",
        "hours_per_week": "38",
        "contract": "vast",
        "postcode": "1011 AB",
        **extra,
    }


def test_the_table_keeps_part_time_within_the_hours_and_knows_the_loads(employer, world):
    am = actor_for(MembershipFactory(organisation=employer.organisation, role="werkgever"))
    place = services.vacancy_save(actor=am, employer=employer, data=_data(world))
    for bad in ({"min_hours_per_week": 39}, {"min_hours_per_week": 0}, {"physical_load": "x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Vacancy.objects.filter(pk=place.pk).update(**bad)
    Vacancy.objects.filter(pk=place.pk).update(min_hours_per_week=38, physical_load="heavy")


def test_the_service_names_the_field_and_stores_nothing_half(employer, world, make_member):
    am = actor_for(make_member("accountmanager"))
    with pytest.raises(ValidationError) as refused:
        services.vacancy_save(actor=am, employer=employer, data=_data(world, min_hours_per_week=40))
    assert set(refused.value.message_dict) == {"min_hours_per_week"}
    with pytest.raises(ValidationError) as refused:
        services.vacancy_save(
            actor=am, employer=employer, data=_data(world, work_demands=["juggling"])
        )
    assert set(refused.value.message_dict) == {"work_demands"}
    assert not Vacancy.objects.exists()
    place = services.vacancy_save(
        actor=am,
        employer=employer,
        data=_data(
            world,
            min_hours_per_week=24,
            physical_load="medium",
            support_offered=["flexible_hours", "jobcoach"],
            work_demands=["night_shifts", "heavy_lifting"],
        ),
    )
    assert place.support_offered == "jobcoach,flexible_hours"
    assert place.work_demand_list == ["heavy_lifting", "night_shifts"]


def test_an_adjusted_place_offers_an_adjusted_place(employer, world, make_member):
    am = actor_for(make_member("accountmanager"))
    adjusted = services.vacancy_save(
        actor=am,
        employer=employer,
        data=_data(world, place_type="aangepaste_plek", support_offered=["jobcoach"]),
    )
    assert adjusted.support_offered_list == ["adjusted", "jobcoach"]
    job = services.vacancy_save(actor=am, employer=employer, data=_data(world, title="Ander"))
    assert job.support_offered_list == []


def test_the_place_form_refuses_part_time_above_the_hours(world):
    form = VacancyForm(_form(min_hours_per_week="40", physical_load="zwaar"))
    assert not form.is_valid()
    assert {"min_hours_per_week", "physical_load"} <= set(form.errors)
    assert "zwaar" in form.errors["physical_load"][0]  # Django's Dutch: "… geen geldige keuze"
    with translation.override("en"):
        form = VacancyForm(_form(min_hours_per_week="40"))
        assert not form.is_valid()
        assert "(38)" in form.errors["min_hours_per_week"][0]


def test_the_employer_states_what_the_place_asks_and_offers_and_the_page_shows_it(
    employer, world, client
):
    boss = MembershipFactory(organisation=employer.organisation, role="werkgever")
    sign_in(client, boss.user)
    response = client.post(
        reverse("vacancies:create"),
        {
            "employer": str(employer.uuid),
            **_form(
                min_hours_per_week="20",
                physical_load="heavy",
                work_demands=["heavy_lifting", "long_standing"],
                support_offered=["jobcoach"],
            ),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    place = Vacancy.objects.get()
    assert (place.min_hours_per_week, place.physical_load) == (20, "heavy")
    assert (place.work_demands, place.support_offered) == (
        "heavy_lifting,long_standing",
        "jobcoach",
    )
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("vacancies:detail", args=[place.uuid])).content.decode()
    assert "part time from 20 hours" in html
    assert "heavy lifting, standing or walking for long" in html and "a jobcoach" in html
    edit = client.get(reverse("vacancies:edit", args=[place.uuid]))
    assert edit.context["form"].initial["work_demands"] == ["heavy_lifting", "long_standing"]
    # A place without part time says so.
    Vacancy.objects.filter(pk=place.pk).update(min_hours_per_week=None)
    html = client.get(reverse("vacancies:detail", args=[place.uuid])).content.decode()
    assert "no part time" in html


def test_emptying_what_a_place_asks_on_its_form_stores_it_empty(employer, world, client):
    """The check of #18's review on the place form: part time, physical load, start date
    and what the work demands, emptied on the edit form, are stored empty and shown so."""
    boss = MembershipFactory(organisation=employer.organisation, role="werkgever")
    sign_in(client, boss.user)
    full = _form(
        min_hours_per_week="20",
        physical_load="heavy",
        work_demands=["heavy_lifting"],
        support_offered=["jobcoach"],
        start_date="2030-01-06",
    )
    client.post(reverse("vacancies:create"), {"employer": str(employer.uuid), **full})
    place = Vacancy.objects.get()
    assert (place.min_hours_per_week, place.physical_load) == (20, "heavy")
    emptied = {k: v for k, v in full.items() if k not in ("work_demands", "support_offered")}
    emptied.update(min_hours_per_week="", physical_load="", start_date="")
    response = client.post(reverse("vacancies:edit", args=[place.uuid]), emptied)
    assert response.status_code == 302, response.context["form"].errors
    place.refresh_from_db()
    assert (place.min_hours_per_week, place.physical_load, place.start_date) == (None, "", None)
    assert (place.work_demands, place.support_offered) == ("", "")
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("vacancies:detail", args=[place.uuid])).content.decode()
    assert "no part time" in html and "part time from 20" not in html


def test_the_wsp_states_them_when_a_request_becomes_a_place(
    client, world, make_member, django_capture_on_commit_callbacks
):
    from .test_request_conversion import _form as convert_form

    am = make_member("accountmanager")
    item = file_request(world, django_capture_on_commit_callbacks)
    sign_in(client, am.user)
    url = reverse("vacancies:request-convert", args=[item.uuid])
    bad = client.post(url, convert_form(min_hours_per_week="33"))
    assert bad.status_code == 200 and "min_hours_per_week" in bad.context["form"].errors
    assert not Vacancy.objects.exists()
    client.post(
        url,
        convert_form(min_hours_per_week="16", physical_load="light", support_offered=["jobcoach"]),
    )
    place = Vacancy.objects.get()
    assert (place.min_hours_per_week, place.physical_load, place.support_offered) == (
        16,
        "light",
        "jobcoach",
    )


# -- the import ------------------------------------------------------------------------------

HEADER = (
    "kvk;referentie;titel;soort;uren_per_week;contract;postcode;aantal_plekken;"
    "min_uren_per_week;fysieke_belasting;ondersteuning;werkeisen"
)


def _run(organisation, rows):
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    job = ImportJob.objects.create(
        kind="places", organisation=organisation, filename="plekken.csv", content=content
    )
    actor = import_actor(organisation, None, channel="test", permissions=PlaceImport.permissions)
    runner.run(job, actor=actor)
    job.refresh_from_db()
    return job


def test_the_import_reads_them_and_rejects_each_bad_value_with_its_reason(employer, make_member):
    wsp = make_member("accountmanager").organisation
    kvk = employer.kvk_number
    rows = [
        f"{kvk};V-1;Orderpicker;job;38;vast;1011;2;24;zwaar;jobcoach;Zwaar tillen,nachtdiensten",
        f"{kvk};V-2;Inpakker;aangepaste_plek;20;vast;1011;1;;;;",
        f"{kvk};V-3;Kantine;job;30;vast;1011;1;;extreem;massage;jongleren",
        f"{kvk};V-4;Bezorger;job;20;vast;1011;1;32;;;",
    ]
    job = _run(wsp, rows)
    assert (job.created, job.rejected) == (2, 2)
    picker = Vacancy.objects.get(reference="V-1")
    assert (picker.min_hours_per_week, picker.physical_load) == (24, "heavy")
    assert (picker.support_offered, picker.work_demands) == (
        "jobcoach",
        "heavy_lifting,night_shifts",
    )
    packer = Vacancy.objects.get(reference="V-2")
    assert packer.min_hours_per_week is None and packer.support_offered_list == ["adjusted"]
    rejected = {r.line: r for r in job.rejections.all()}
    for column in ("fysieke_belasting", "ondersteuning", "werkeisen"):
        assert f"{column}:" in rejected[4].reason_nl and f"{column}:" in rejected[4].reason_en
    assert "extreem" in rejected[4].reason_en and "jongleren" in rejected[4].reason_en
    # Part time above the hours: refused by the service, named by its column.
    assert "min_uren_per_week:" in rejected[5].reason_nl
    assert "min_uren_per_week:" in rejected[5].reason_en
    again = _run(wsp, rows[:2])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


# -- the API ---------------------------------------------------------------------------------


def test_the_api_gives_and_takes_them(employer, world, make_member, client):
    sign_in(client, make_member("accountmanager").user)
    body = {
        "employer": str(employer.uuid),
        "title": "Orderpicker",
        "placeType": "aangepaste_plek",
        "hoursPerWeek": 32,
        "contract": "vast",
        "postcode": "1011 AB",
        "places": 2,
        "minHoursPerWeek": 16,
        "physicalLoad": "light",
        "supportOffered": ["flexible_hours"],
        "workDemands": ["customer_contact"],
    }
    created = client.post(reverse("api:vacancy-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["minHoursPerWeek"], data["physicalLoad"]) == (16, "light")
    assert data["supportOffered"] == ["adjusted", "flexible_hours"]
    assert data["workDemands"] == ["customer_contact"]
    bad = client.post(
        reverse("api:vacancy-list"),
        {**body, "minHoursPerWeek": 33, "physicalLoad": "x", "workDemands": ["juggling"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    names = {p["name"] for p in bad.json()["invalidParams"]}
    assert "physicalLoad" in names and any(n.startswith("workDemands") for n in names)
    part_time = client.post(
        reverse("api:vacancy-list"),
        {**body, "minHoursPerWeek": 33},
        content_type="application/json",
    )
    assert part_time.status_code == 400
    assert {p["name"] for p in part_time.json()["invalidParams"]} == {"minHoursPerWeek"}
    assert Vacancy.objects.count() == 1
