"""In Debian's Chromium, end to end through the pages, the "done when" of the leeragenda
(issue #19, item 1): the programme manager of Groot Amsterdam (pm.amsterdam) writes a
lesson about a failed activity of the region's plan. A first try names one of the region's
people in the result: refused, with the field named, and nothing saved. Saved, the lesson
shows the activity's numbers pulled from the platform (matches of people whose route used
its service, as the plan page counts them) with their source and date; she shares it. The
programme manager of Rijnmond (pm.rotterdam) finds it by searching "proefplaatsing" and
marks it taken over; the lesson then lists "taken over by region Rijnmond".

The ORM arranges what has its own pages elsewhere: the demo population, the plan in force
since the last completed quarter with its activity and service, and the people placed
then (six through the activity's service, six without). The UI is Dutch first; a control
whose words are new in this change is found by its Dutch or English name (the translations
are compiled at merge) or by its field."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.models import JourneyTransition
from perspectief.catalogue.models import Offer
from perspectief.core.dates import day_month_year
from perspectief.demo.population import create_demo_population
from perspectief.lessons.models import Adoption, Lesson
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.services.activities import ActivityInput, activity_save
from perspectief.monitoring.services.plans import PlanInput, plan_save, plan_set_status
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Region
from perspectief.routes.models import Route, RouteStep

from ..factories import CandidateFactory, OrganisationFactory
from .conftest import main_nav, screenshot, sign_in_as, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITY = "Proefplaatsingen in de thuiszorg"
TITLE = "Proefplaatsingen in de thuiszorg leverden weinig banen op"


def _arrange():
    """The plan of Groot Amsterdam since the last completed quarter, its activity with a
    service, and twelve people placed in that quarter: six through the service."""
    Region.objects.filter(code="AM18").update(name="Groot Amsterdam")
    Region.objects.filter(code="AM22").update(name="Rijnmond")
    create_demo_population()
    manager = actor_for(Membership.objects.get(user__username="pm.amsterdam"))
    gemeente = Organisation.objects.get(name="Gemeente Amsterdam")
    school = OrganisationFactory(kind="school", municipality=gemeente.municipality)
    year, quarter = completed_quarters(1)[0]
    first, last = quarter_bounds(year, quarter)
    plan = plan_save(
        actor=manager,
        data=PlanInput(
            title="Doe-agenda Groot Amsterdam",
            period_start=first,
            period_end=first + timedelta(days=700),
            lead=gemeente,
            employer_lead="Werkgeversvereniging",
            ambition=100,
            budget=Decimal("500000"),
        ),
    )
    offer = Offer.objects.create(
        provider=school, region=plan.region, kind="stage", title="Proefplaats zorg", funding="regio"
    )
    activity_save(
        actor=manager,
        plan=plan,
        data=ActivityInput(ACTIVITY, "praktijkleren", gemeente, Decimal("50000"), offers=[offer]),
    )
    plan_set_status(actor=manager, plan=plan, status="active")
    day = first + timedelta(days=12)
    for i in range(12):
        person = CandidateFactory(served_by=gemeente)
        JourneyTransition.objects.create(
            candidate=person,
            from_status="bemiddelbaar",
            to_status="geplaatst",
            occurred_on=day,
            cause="hire",
        )
        if i < 6:
            RouteStep.objects.create(
                route=Route.objects.create(candidate=person, organisation=gemeente),
                kind="stage",
                title="Proefplaats",
                owner=school,
                offer=offer,
                planned_start=first,
                planned_end=day,
            )
    # One of the region's people, whom a lesson must not name.
    CandidateFactory(first_name="Fatima", last_name="el Amrani", served_by=gemeente)
    return first, last


def _words(*alternatives: str):
    return re.compile("|".join(re.escape(a) for a in alternatives))


def test_a_failed_activity_shared_found_and_taken_over(page, live_server, demo_geography, settings):
    settings.DEMO_MODE = True  # the second factor's code is shown on the page
    base = live_server.url
    first, last = _arrange()

    # pm.amsterdam writes the lesson from the leeragenda.
    sign_in_as(page, base, "pm.amsterdam")
    main_nav(page).get_by_role("link", name="Leeragenda").click()
    page.get_by_role("link", name=_words("Nieuwe les", "New lesson")).click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_outcome").select_option("mislukt")
    page.locator("#id_activity").select_option(label=ACTIVITY)
    page.locator("#id_tried").fill(
        "Een proefplaatsing van zes weken bij drie thuiszorgorganisaties, met behoud van uitkering."
    )
    page.locator("#id_for_whom").fill("Herintreders met een zorgachtergrond")
    page.locator("#id_result").fill("Fatima el Amrani kreeg als enige een contract.")
    page.locator("#id_failed").fill(
        "De organisaties hadden geen tijd om te begeleiden: de proefplaatsing werd een "
        "gratis werkweek."
    )
    page.locator("#id_conditions").fill("Een jobcoach die het eerste uur meegaat.")
    page.locator("input[name=pillars][value=route]").check()
    page.locator("input[name=target_groups][value=statushouder]").check()
    page.get_by_role("button", name=_words("Opslaan", "Save")).click()
    # Refused: the result names one of the region's people; nothing saved.
    errors = page.locator("#id_result_error")
    expect(errors).to_be_visible()
    expect(errors).not_to_contain_text("Amrani")
    assert not Lesson.objects.exists()
    page.locator("#id_result").fill(
        "Van de twaalf proefplaatsingen liep er één uit op een contract."
    )
    page.get_by_role("button", name=_words("Opslaan", "Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    screenshot(page, "lessons-written")

    # The activity's numbers, from the platform, with their source and date.
    with translation.override("nl"):
        start, end = day_month_year(first), day_month_year(last)
        today = day_month_year(timezone.localdate())
    numbers = page.locator("section", has=page.locator("#numbers-heading"))
    expect(numbers.locator("caption")).to_contain_text(start)
    expect(numbers.locator("caption")).to_contain_text(end)
    matches = numbers.locator("tbody tr").first
    expect(matches.locator("td")).to_have_text("6")
    expect(numbers).to_contain_text("Doe-agenda Groot Amsterdam")  # the source
    expect(numbers.locator("p")).to_contain_text(today)  # computed live, dated
    lesson = Lesson.objects.get()
    assert lesson.outcome == "mislukt" and lesson.visibility == "intern"
    assert lesson.activity.name == ACTIVITY

    page.get_by_role(
        "button", name=_words("Delen met alle regio", "Share with all regions")
    ).click()
    expect(page.locator(".messages")).to_be_visible()
    lesson.refresh_from_db()
    assert lesson.visibility == "gedeeld"
    sign_out(page)

    # pm.rotterdam finds it by searching, and marks it taken over by Rijnmond.
    sign_in_as(page, base, "pm.rotterdam")
    main_nav(page).get_by_role("link", name="Leeragenda").click()
    page.locator("#id_q").fill("proefplaatsing")
    page.get_by_role("button", name=_words("Zoeken", "Search")).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.locator("#id_note").fill("Wij proberen het met een jobcoach erbij.")
    page.get_by_role("button", name=_words("overgenomen", "taken over")).click()
    adoptions = page.locator("#adoptions + ul")
    expect(adoptions).to_contain_text("Rijnmond")
    expect(adoptions).to_contain_text("Wij proberen het met een jobcoach erbij.")
    screenshot(page, "lessons-taken-over")
    adoption = Adoption.objects.get()
    assert adoption.lesson == lesson and adoption.region.code == "AM22"
