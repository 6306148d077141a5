"""The leeragenda's pages and /api/v1/lessons: search (text, outcome, region), equal weight
for failures, the activity's numbers from the platform (suppressed as on the plan page),
writing with a refusal that saves nothing, sharing and taking over."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from perspectief.candidates.models import JourneyTransition
from perspectief.catalogue.models import Offer
from perspectief.lessons.models import Adoption, Lesson
from perspectief.lessons.selectors import activity_numbers
from perspectief.lessons.services.lessons import lesson_save, lesson_share
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.monitoring.selectors.breakdowns import Tables
from perspectief.monitoring.services.plans import plan_set_status
from perspectief.routes.models import Route, RouteStep

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory
from .conftest import lesson_data, make_activity, make_plan

pytestmark = pytest.mark.django_db


def _placed_through(world, activity_offer, school, gemeente, n, day, first):
    for _ in range(n):
        person = CandidateFactory(served_by=gemeente)
        JourneyTransition.objects.create(
            candidate=person,
            from_status="bemiddelbaar",
            to_status="geplaatst",
            occurred_on=day,
            cause="hire",
        )
        if activity_offer is not None:
            route = Route.objects.create(candidate=person, organisation=gemeente)
            RouteStep.objects.create(
                route=route,
                kind="stage",
                title="Proefplaatsing",
                owner=school,
                offer=activity_offer,
                planned_start=first,
                planned_end=day,
            )


@pytest.fixture
def counted(world, pm_amsterdam):
    """A plan in force since the last completed quarter, with an activity whose service six
    of the twelve people placed in that quarter used."""
    year, quarter = completed_quarters(1)[0]
    first, last = quarter_bounds(year, quarter)
    plan = make_plan(
        pm_amsterdam, world.am18, world.amsterdam, start=first, end=first + timedelta(days=700)
    )
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)
    offer = Offer.objects.create(
        provider=school,
        region=world.am18,
        kind="stage",
        title="Proefplaatsing zorg",
        funding="regio",
    )
    activity = make_activity(pm_amsterdam, plan, offers=[offer])
    plan_set_status(actor=pm_amsterdam, plan=plan, status="active")
    day = first + timedelta(days=10)
    _placed_through(world, offer, school, plan.lead, 6, day, first)
    _placed_through(world, None, school, plan.lead, 6, day, first)
    return activity, first, last


def test_the_activitys_numbers_are_the_plan_pages_own(
    client, world, pm_amsterdam, pm_rotterdam, counted
):
    activity, first, last = counted
    lesson = lesson_save(actor=pm_amsterdam, data=lesson_data(activity=activity))
    assert lesson.activity_kind == "praktijkleren"  # taken from the activity
    numbers = activity_numbers(lesson)
    assert (numbers.start, numbers.end) == (first, last)
    assert numbers.value("matches") == 6
    since = Tables(world.am18.pk).since(
        "activity",
        activity.pk,
        "matches",
        activity.plan.period_start,
        activity.plan.period_end,
        numbers.computed_on,
    )
    assert since.value == 6
    # Another region reads the same numbers over the API, with their quarters.
    lesson_share(actor=pm_amsterdam, lesson=lesson)
    sign_in(client, pm_rotterdam.user)
    numbers = client.get(f"/api/v1/lessons/{lesson.uuid}").json()["activityNumbers"]
    assert (numbers["start"], numbers["end"]) == (first.isoformat(), last.isoformat())
    assert {n["indicator"]: n["value"] for n in numbers["numbers"]}["matches"] == 6


def test_a_small_number_is_hidden(client, world, pm_amsterdam):
    year, quarter = completed_quarters(1)[0]
    first, _last = quarter_bounds(year, quarter)
    plan = make_plan(
        pm_amsterdam, world.am18, world.amsterdam, start=first, end=first + timedelta(days=700)
    )
    school = OrganisationFactory(kind="school", municipality=world.amsterdam)
    offer = Offer.objects.create(
        provider=school, region=world.am18, kind="stage", title="Proef", funding="regio"
    )
    activity = make_activity(pm_amsterdam, plan, offers=[offer])
    plan_set_status(actor=pm_amsterdam, plan=plan, status="active")
    _placed_through(world, offer, school, plan.lead, 2, first + timedelta(days=3), first)
    _placed_through(world, None, school, plan.lead, 8, first + timedelta(days=3), first)
    lesson = lesson_share(
        actor=pm_amsterdam,
        lesson=lesson_save(actor=pm_amsterdam, data=lesson_data(activity=activity)),
    )
    assert activity_numbers(lesson).value("matches") is None
    sign_in(client, pm_amsterdam.user)
    page = client.get(reverse("lessons:detail", args=[lesson.uuid])).content.decode()
    assert "<td>x</td>" in page


def test_search_finds_shared_lessons_of_other_regions_not_their_internal_ones(
    client, world, pm_amsterdam, pm_rotterdam
):
    shared = lesson_share(
        actor=pm_amsterdam, lesson=lesson_save(actor=pm_amsterdam, data=lesson_data())
    )
    lesson_save(actor=pm_amsterdam, data=lesson_data(title="Nog niet klaar", outcome="gelukt"))
    sign_in(client, pm_rotterdam.user)
    page = client.get(reverse("lessons:list"), {"q": "proefplaatsing"}).content.decode()
    assert shared.title in page and "Nog niet klaar" not in page
    page = client.get(reverse("lessons:list"), {"q": "bestaat-niet"}).content.decode()
    assert shared.title not in page
    page = client.get(reverse("lessons:list"), {"outcome": "gelukt"}).content.decode()
    assert shared.title not in page
    assert client.get(reverse("lessons:list"), {"outcome": "fout"}).status_code == 400
    assert (
        client.get(
            reverse("lessons:detail", args=[Lesson.objects.get(title="Nog niet klaar").uuid])
        ).status_code
        == 404
    )


def test_failures_are_shown_like_successes_and_not_sorted_below(client, pm_amsterdam):
    lesson_save(actor=pm_amsterdam, data=lesson_data(title="Les gelukt", outcome="gelukt"))
    lesson_save(actor=pm_amsterdam, data=lesson_data(title="Les mislukt", outcome="mislukt"))
    sign_in(client, pm_amsterdam.user)
    page = client.get(reverse("lessons:list")).content.decode()
    assert page.index("Les mislukt") < page.index("Les gelukt")  # newest first
    # The same badge, the outcome in words.
    assert page.count('<span class="badge">') == 2


def test_writing_on_the_page_refuses_personal_data_and_saves_nothing(client, world, pm_amsterdam):
    sign_in(client, pm_amsterdam.user)
    form = {
        **lesson_data(result="BSN 111222333 kreeg werk"),
        "pillars": ["route"],
        "target_groups": ["statushouder"],
        "sectors": [],
    }
    form.pop("sectors")
    response = client.post(reverse("lessons:create"), form)
    assert response.status_code == 200
    assert "BSN" in response.content.decode()
    assert not Lesson.objects.exists()
    form["result"] = "Twee van de twaalf kregen werk."
    response = client.post(reverse("lessons:create"), form)
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "lessons:detail", args=[lesson.uuid]
    )
    client.post(reverse("lessons:action", args=[lesson.uuid]), {"action": "share"})
    lesson.refresh_from_db()
    assert lesson.visibility == "gedeeld"


def test_another_region_marks_a_lesson_taken_over_on_the_page(
    client, world, pm_amsterdam, pm_rotterdam
):
    lesson = lesson_share(
        actor=pm_amsterdam, lesson=lesson_save(actor=pm_amsterdam, data=lesson_data())
    )
    sign_in(client, pm_rotterdam.user)
    url = reverse("lessons:action", args=[lesson.uuid])
    client.post(url, {"action": "adopt", "note": "Met jobcoach"})
    client.post(url, {"action": "adopt", "note": "Nog eens"})
    assert Adoption.objects.filter(lesson=lesson).count() == 1
    page = client.get(reverse("lessons:detail", args=[lesson.uuid])).content.decode()
    assert "Rijnmond" in page and "Met jobcoach" in page


def test_api_lists_and_details_in_camel_case(
    client, world, pm_amsterdam, pm_rotterdam, make_member
):
    shared = lesson_share(
        actor=pm_amsterdam, lesson=lesson_save(actor=pm_amsterdam, data=lesson_data())
    )
    internal = lesson_save(actor=pm_amsterdam, data=lesson_data(title="Intern"))
    sign_in(client, pm_rotterdam.user)
    body = client.get("/api/v1/lessons", {"q": "proefplaatsing"}).json()
    assert body["count"] == 1 and set(body) >= {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert row["uuid"] == str(shared.uuid) and row["forWhom"] and row["region"] == "AM18"
    assert row["pillars"] == ["vraag", "route"] and row["targetGroups"] == ["statushouder"]
    assert client.get("/api/v1/lessons", {"outcome": "gelukt"}).json()["count"] == 0
    assert client.get("/api/v1/lessons", {"region": "AM22"}).json()["count"] == 0
    assert client.get("/api/v1/lessons", {"outcome": "fout"}).status_code == 400
    detail = client.get(f"/api/v1/lessons/{shared.uuid}").json()
    assert detail["activityNumbers"] is None and detail["adoptions"] == []
    assert client.get(f"/api/v1/lessons/{internal.uuid}").status_code == 404
    employer = make_member("werkgever", "AM18")
    sign_in(client, employer.user)
    assert client.get("/api/v1/lessons").status_code == 403


def test_the_result_is_not_offered_as_optional_and_its_absence_is_said(client, pm_amsterdam):
    """The service refuses a lesson without a result, so the form must not label the field
    optional; leaving it empty says what is missing, under the field, and saves nothing."""
    sign_in(client, pm_amsterdam.user)
    page = client.get(reverse("lessons:create")).content.decode()
    label = re.search(r'<label for="id_result">(.*?)</label>', page, re.S)
    assert label is not None and not re.search("optional|optioneel", label.group(1))
    response = client.post(reverse("lessons:create"), lesson_data(result="  "))
    assert response.status_code == 200
    assert 'id="id_result_error"' in response.content.decode()
    assert not Lesson.objects.exists()


def test_a_refused_save_lists_the_marked_fields_on_top_linked_to_them(client, pm_amsterdam):
    """The form is long: a refusal far down (a name in "What failed") is listed above the
    form, linked to its field, so it is seen without scrolling."""
    CandidateFactory(first_name="Fatima", last_name="el Amrani", region_id=pm_amsterdam.region_id)
    sign_in(client, pm_amsterdam.user)
    page = client.post(
        reverse("lessons:create"), lesson_data(failed="Fatima el Amrani haakte af.", sectors=[])
    ).content.decode()
    summary = page[page.index('id="error-summary"') : page.index("<form method")]
    assert 'href="#id_failed"' in summary
    assert 'href="#id_result"' not in summary
    assert not Lesson.objects.exists()


def test_a_lesson_without_dates_says_when_in_one_dash(client, pm_amsterdam):
    """Neither date known: "—", not "— – still running or not known"."""
    lesson = lesson_save(actor=pm_amsterdam, data=lesson_data())
    sign_in(client, pm_amsterdam.user)
    page = client.get(reverse("lessons:detail", args=[lesson.uuid])).content.decode()
    assert "— –" not in page
    lesson_save(actor=pm_amsterdam, lesson=lesson, data={"started_on": date(2026, 3, 1)})
    page = client.get(reverse("lessons:detail", args=[lesson.uuid])).content.decode()
    assert re.search(r"2026 – \S", page)


def test_a_refused_reaction_keeps_what_was_typed_and_says_why(
    client, world, pm_amsterdam, pm_rotterdam
):
    """A reaction naming one of the region's people is refused: the page comes back with
    the typed text and the refusal under the field, nothing saved; then it is added."""
    lesson = lesson_share(
        actor=pm_amsterdam, lesson=lesson_save(actor=pm_amsterdam, data=lesson_data())
    )
    CandidateFactory(first_name="Fatima", last_name="el Amrani", region_id=lesson.region_id)
    sign_in(client, pm_rotterdam.user)
    url = reverse("lessons:action", args=[lesson.uuid])
    typed = "Bij ons kreeg Fatima el Amrani via de proefplaatsing een vaste baan."
    response = client.post(url, {"action": "react", "kind": "ook_geprobeerd", "text": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert typed in page and 'id="id_text_error"' in page
    assert not lesson.reactions.exists()
    response = client.post(url, {"action": "react", "kind": "ook_geprobeerd", "text": "Ook hier."})
    assert response.status_code == 302 and lesson.reactions.count() == 1


def test_a_refused_adoption_note_keeps_the_note(client, world, pm_amsterdam, pm_rotterdam):
    lesson = lesson_share(
        actor=pm_amsterdam, lesson=lesson_save(actor=pm_amsterdam, data=lesson_data())
    )
    sign_in(client, pm_rotterdam.user)
    note = "Overgenomen; contact via BSN 111222333."
    response = client.post(
        reverse("lessons:action", args=[lesson.uuid]), {"action": "adopt", "note": note}
    )
    assert response.status_code == 400 and note in response.content.decode()
    assert not Adoption.objects.exists()


def test_the_activities_are_offered_under_their_plans_title(client, world, pm_amsterdam):
    plan = make_plan(
        pm_amsterdam,
        world.am18,
        world.amsterdam,
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        title="Doe-agenda Perspectief op Werk 2026-2027",
    )
    activity = make_activity(pm_amsterdam, plan, name="Proefplaatsingen in de zorg")
    sign_in(client, pm_amsterdam.user)
    page = client.get(reverse("lessons:create")).content.decode()
    assert '<optgroup label="Doe-agenda Perspectief op Werk 2026-2027">' in page
    assert f'<option value="{activity.pk}">Proefplaatsingen in de zorg</option>' in page
    response = client.post(reverse("lessons:create"), lesson_data(activity=activity.pk, sectors=[]))
    assert response.status_code == 302
    assert Lesson.objects.get().activity == activity


def test_a_name_is_marked_in_the_same_round_as_a_missing_result(client, pm_amsterdam):
    """Not first "describe the result" and only after that "names one of the region's
    people": both are marked at once."""
    CandidateFactory(first_name="Fatima", last_name="el Amrani", region_id=pm_amsterdam.region_id)
    sign_in(client, pm_amsterdam.user)
    page = client.post(
        reverse("lessons:create"),
        lesson_data(result="", failed="Fatima el Amrani haakte af.", sectors=[]),
    ).content.decode()
    assert 'id="id_result_error"' in page and 'id="id_failed_error"' in page
    assert "Amrani" not in page[page.index('id="id_failed_error"') :].split("</ul>")[0]
    assert not Lesson.objects.exists()
