"""Routes through the pages and the API (issue #6, part 6): who sees what of a person on a
route, forms that refuse bad input, the doorbraak list by code, the person's own route."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.catalogue import services
from perspectief.core.dates import add_months
from perspectief.routes.models import Route, RouteStep, RouteTemplate, SupportPlan
from perspectief.routes.services import routes as route_services
from perspectief.routes.services import templates as route_templates
from perspectief.routes.services.templates import TemplateStepInput

from ..conftest import matchable_person, sign_in
from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory

TODAY = timezone.localdate


@pytest.fixture
def setting(world, make_member):
    km = make_member("klantmanager")
    school = make_member("opleidingsadviseur")
    offer = services.offer_save(
        actor=actor_for(school),
        data={
            "kind": "nt2",
            "title": "Nederlands op de werkvloer",
            "funding": "regio",
            "online": True,
        },
    )
    edition = services.edition_add(
        actor=actor_for(school), offer=offer, starts_on=TODAY() + timedelta(days=14), seats=5
    )
    template = route_templates.template_save(
        actor=actor_for(km),
        name="Taal en werk",
        description="",
        steps=[
            TemplateStepInput("werkfit", "Werkfit", 2),
            TemplateStepInput("nt2", "Taal", 8, offer),
        ],
    )
    person = CandidateFactory(
        served_by=km.organisation,
        first_name="Gerolt",
        last_name="Pannekoeke",
        email="gerolt@example.invalid",
    )
    return {
        "km": km,
        "school": school,
        "offer": offer,
        "edition": edition,
        "template": template,
        "person": person,
    }


@pytest.mark.django_db
def test_a_klantmanager_builds_the_route_and_the_school_sees_the_person_once_it_accepts(
    client, setting
):
    km, school, person = setting["km"], setting["school"], setting["person"]
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", kwargs={"uuid": person.uuid}))
    start_url = reverse("route:start", kwargs={"uuid": person.uuid})
    assert start_url in page.content.decode()
    response = client.post(start_url, {"template": setting["template"].pk})
    route = Route.objects.get(candidate=person)
    assert response.url == reverse("route:detail", kwargs={"uuid": route.uuid})
    body = client.get(response.url).content.decode()
    assert "Werkfit" in body and "Taal" in body and "wacht op acceptatie" in body
    # A step on a start of the course: owner and dates from the start.
    response = client.post(
        reverse("route:step-add", kwargs={"uuid": route.uuid}),
        {"kind": "nt2", "edition": setting["edition"].pk},
    )
    assert response.status_code == 200  # overlaps the template's course: refused, shown
    assert "overlapt" in response.content.decode()
    # The school, waiting to answer, sees the code partners know the person by.
    sign_in(client, school.user)
    home = client.get(reverse("route:home")).content.decode()
    assert person.partner_label in home and "Pannekoeke" not in home
    detail = client.get(reverse("route:detail", kwargs={"uuid": route.uuid})).content.decode()
    assert person.partner_label in detail and "Pannekoeke" not in detail
    assert "gerolt@example.invalid" not in detail
    step = route.steps.get(kind="nt2")
    client.post(reverse("route:step-action", kwargs={"uuid": step.uuid}), {"action": "accept"})
    detail = client.get(reverse("route:detail", kwargs={"uuid": route.uuid})).content.decode()
    assert "Pannekoeke" in detail and "gerolt@example.invalid" in detail
    # Every look is in the access log, as a step of the route.
    assert AccessRecord.objects.filter(activity="route.step").exists()
    # Declining needs a reason; the school cannot start a step that is not its own.
    werkfit = route.steps.get(kind="werkfit")
    response = client.post(
        reverse("route:step-action", kwargs={"uuid": werkfit.uuid}), {"action": "start"}
    )
    werkfit.refresh_from_db()
    assert werkfit.status == "planned"


@pytest.mark.django_db
def test_the_doorbraak_list_shows_codes_and_the_person_sees_their_own_route(
    client, setting, make_member
):
    km, person = setting["km"], setting["person"]
    route = route_services.route_start(
        actor=actor_for(km), candidate=person, template=setting["template"]
    )
    RouteStep.objects.filter(route=route, handoff="pending").update(
        handed_off_at=timezone.now() - timedelta(days=30)
    )
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get(reverse("route:stuck")).content.decode()
    assert person.partner_label in body and "Pannekoeke" not in body
    assert "niet beantwoord" in body
    # The person sees their own route on "My data".
    own = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    person.user = own.user
    person.save()
    sign_in(client, own.user)
    body = client.get(reverse("candidates:self")).content.decode()
    assert "Mijn route" in body and "Werkfit" in body and "Taal" in body


@pytest.mark.django_db
def test_support_plan_page_records_check_ins_and_refuses_bad_ones(client, setting, world):
    km, person = setting["km"], setting["person"]
    employer = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    plan = SupportPlan.objects.create(
        candidate=person,
        employer=employer,
        job_title="Magazijnmedewerker",
        organisation=km.organisation,
        started_on=TODAY() - timedelta(days=40),
    )
    for month in (1, 3, 6, 12):
        plan.check_ins.create(month=month, due_on=add_months(plan.started_on, month))
    person.status = "geplaatst"
    person.save()
    sign_in(client, km.user)
    url = reverse("route:support-plan", kwargs={"uuid": plan.uuid})
    response = client.post(
        url,
        {"action": "check-in", "ci-month": "1", "ci-held_on": str(TODAY()), "ci-outcome": "well"},
    )
    assert response.status_code == 200  # nobody was spoken to
    assert not plan.check_ins.filter(held_on__isnull=False).exists()
    response = client.post(
        url,
        {
            "action": "check-in",
            "ci-month": "1",
            "ci-held_on": str(TODAY()),
            "ci-outcome": "at_risk",
            "ci-with_person": "on",
            "ci-channel": "phone",
            "ci-note": "Moeite met de vroege dienst",
        },
    )
    assert response.status_code == 302
    # Held at a distance, and recorded as such (coaching by phone counts).
    assert plan.check_ins.get(month=1).channel == "phone"
    assert "telefonisch" in client.get(url).content.decode()
    listing = client.get(reverse("route:support")).content.decode()
    assert "Pannekoeke" in listing and "risico op uitval" in listing
    client.post(url, {"action": "drop-out", "do-on": str(TODAY()), "do-reason": "Ziek"})
    person.refresh_from_db()
    assert person.status == "uitgevallen"


@pytest.mark.django_db
def test_templates_are_kept_on_a_page(client, setting, make_member):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    rows = {
        "name": "Zorg",
        "kind_1": "werkfit",
        "title_1": "Werkfit",
        "weeks_1": "4",
        "kind_2": "nt2",
        "offer_2": setting["offer"].pk,
    }
    # The course has no duration of its own: the row needs its weeks.
    response = client.post(reverse("route:template-new"), rows)
    assert response.status_code == 200 and "Stap 2" in response.content.decode()
    assert not RouteTemplate.objects.filter(name="Zorg").exists()
    response = client.post(reverse("route:template-new"), {**rows, "weeks_2": "8"})
    assert response.status_code == 302
    template = RouteTemplate.objects.get(name="Zorg")
    assert [(s.title, s.weeks, s.offer) for s in template.steps.all()] == [
        ("Werkfit", 4, None),
        ("Nederlands op de werkvloer", 8, setting["offer"]),
    ]


@pytest.mark.django_db
def test_places_for_someone_at_work_are_for_orientation_only(client, place, esco, make_member):

    km = make_member("klantmanager")
    _occupation, skills = esco
    person = matchable_person(actor_for(km), skills, postcode=place.postcode)
    sign_in(client, km.user)
    url = reverse("matching:places", kwargs={"uuid": person.uuid})
    body = client.get(url).content.decode()
    assert "Testplek" in body and "Voorstellen aan de werkgever" in body
    person.status = "geplaatst"
    person.save()
    body = client.get(url).content.decode()
    assert "Voorstellen aan de werkgever" not in body
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):  # the request leaves its language active
        body = client.get(url).content.decode()
    assert "cannot be proposed now (status: placed)" in body
