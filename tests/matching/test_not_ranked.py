""" "Why is this person not in the list?" (#18 part 3): per hard condition in words, the
health condition hidden from users without that permission, the links from the ranked page
and the shortlist, and the same explanation on the run pages and in the API."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.matching.engine import conditions
from perspectief.matching.engine.records import Candidate, Weights
from perspectief.matching.models import MatchRun, MatchSuggestion
from perspectief.matching.selectors import not_ranked
from perspectief.matching.services import shortlists
from perspectief.matching.views import ranking as ranking_views
from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import CohortMember, IntakePhase
from tests.conftest import matchable_person, sign_in
from tests.factories import CandidateFactory

from .engine.test_engine import UTRECHT
from .test_explanations import english, person, place  # noqa: F401 (english: autouse)

# --- why is this person not in the list? ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "c", "v", "expected"),
    [
        (
            conditions.REACH,
            person(max_distance_km=15),
            place(at=UTRECHT),
            "km from the place; will travel up to 15 km",
        ),
        (conditions.LICENCE, person(), place(), "has no driving licence; the place asks for one"),
        (
            conditions.AVAILABILITY,
            person(available_from=date(2027, 3, 1)),
            place(start_date=date(2027, 1, 1)),
            "available from 1 March 2027; the place starts on 1 January 2027",
        ),
        (
            conditions.HOURS,
            person(max_hours=20),
            place(hours=38),
            "can work 20 hours a week; the place asks 38 hours and allows no part time",
        ),
        (
            conditions.HOURS,
            person(max_hours=20),
            place(hours=38, min_hours=24),
            "can work 20 hours a week; the place asks at least 24 hours",
        ),
        (
            conditions.LOAD,
            person(max_load=1),
            place(load=3),
            "can carry only light work; this work is heavy",
        ),
        (
            conditions.LOCATION,
            Candidate(id="c"),
            place(),
            "no postcode known: the distance to the place cannot be computed",
        ),
    ],
)
def test_each_hard_condition_in_words(code, c, v, expected):
    assert expected in not_ranked.condition_text(code, c, v, sees_health=False)


@pytest.mark.django_db
def test_the_sector_by_its_name(world):
    Sector.objects.get_or_create(
        code="G",
        defaults={"name": "Groot- en detailhandel", "division_from": "45", "division_to": "47"},
    )
    said = not_ranked.condition_text(
        conditions.SECTOR, person(excluded_sectors=["G"]), place(sector="G"), sees_health=False
    )
    assert said == "will not work in the sector " + Sector.objects.get(code="G").name


def test_the_work_demands_only_as_fits_and_only_with_the_health_permission():
    c, v = person(limitations=["heavy_lifting"]), place(demands=["heavy_lifting"])
    said = not_ranked.condition_text(conditions.WORK_DEMANDS, c, v, sees_health=True)
    assert said == "does not fit what the work demands"
    hidden = not_ranked.condition_text(conditions.WORK_DEMANDS, c, v, sees_health=False)
    assert hidden == "a condition only the klantmanager can see"
    assert "lifting" not in said + hidden


def far_away(km):
    """A matchable person in Rotterdam who travels at most 10 km (the place is in Amsterdam)."""
    person = matchable_person(km, [], postcode=Postcode.objects.get(code="3011"))
    person.max_travel_km = 10
    person.save(update_fields=["max_travel_km"])
    return person


def _patched(monkeypatch, **person_fields):
    """The person's record with soft factors the profile does not hold yet (#18 fields)."""
    original = not_ranked.person_for_engine

    def with_fields(candidate, *args):
        return dataclasses.replace(original(candidate, *args), **person_fields)

    monkeypatch.setattr(not_ranked, "person_for_engine", with_fields)


def _place_patched(monkeypatch, **place_fields):
    original = not_ranked.place_for_engine
    monkeypatch.setattr(
        not_ranked,
        "place_for_engine",
        lambda vacancy: dataclasses.replace(original(vacancy), **place_fields),
    )


@pytest.mark.django_db
def test_an_account_manager_sees_why_a_20_hour_person_is_not_ranked_for_a_bulk_request(
    client, region, monkeypatch
):
    """The Done-when of #18: for a bulk request, a person who can carry 20 hours is not
    ranked for a 38-hour place that allows no part time, and the page says why."""
    place, person = region.place, region.person
    place.hours_per_week = 38
    place.save(update_fields=["hours_per_week"])
    IntakePhase.objects.create(vacancy=place, starts_on=date(2027, 3, 1), places=2)
    CohortMember.objects.create(vacancy=place, candidate=person, added_by=region.km.organisation)
    _patched(monkeypatch, max_hours=20)
    sign_in(client, region.am.user)
    url = reverse("matching:not-ranked", kwargs={"uuid": place.uuid})
    before = AccessRecord.objects.filter(activity="candidate.matching").count()
    page = client.get(url, {"person": person.partner_label})
    assert page.status_code == 200
    assert page.context["reasons"] == [
        {
            "code": conditions.HOURS,
            "text": "can work 20 hours a week; the place asks 38 hours and allows no part time",
        }
    ]
    assert person.partner_label in page.content.decode()
    assert person.last_name not in page.content.decode()  # the WSP does not serve the person
    assert AccessRecord.objects.filter(activity="candidate.matching").count() == before + 1
    # The ranked page of the bulk request links the cohort member who is not in it (the
    # engine's mask on the hours, as #18 adds it, stands in here).
    original = ranking_views.ranked_candidates
    monkeypatch.setattr(
        ranking_views,
        "ranked_candidates",
        lambda **kw: [(c, m) for c, m in original(**kw) if c.pk != person.pk],
    )
    ranked = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    listed = ranked.context["not_listed"]
    assert [p["code"] for p in listed] == [person.partner_label] and listed[0]["cohort"]
    assert f"?person={person.partner_label}" in ranked.content.decode()


@pytest.mark.django_db
def test_the_health_condition_is_hidden_without_the_permission(client, region, monkeypatch):
    _patched(monkeypatch, limitations=["heavy_lifting"])
    _place_patched(monkeypatch, demands=["heavy_lifting"])
    url = reverse("matching:not-ranked", kwargs={"uuid": region.place.uuid})
    code = {"person": region.person.partner_label}
    sign_in(client, region.km.user)  # the klantmanager holds the health permission
    assert client.get(url, code).context["reasons"] == [
        {"code": conditions.WORK_DEMANDS, "text": "does not fit what the work demands"}
    ]
    sign_in(client, region.am.user)  # the account manager does not
    assert client.get(url, code).context["reasons"] == [
        {"code": not_ranked.RESTRICTED, "text": "a condition only the klantmanager can see"}
    ]


@pytest.mark.django_db
def test_why_not_for_matchability_reach_and_licence_from_the_profile(client, place, make_member):
    km = make_member("klantmanager")
    url = reverse("matching:not-ranked", kwargs={"uuid": place.uuid})
    sign_in(client, km.user)

    def reasons(candidate):
        return client.get(url, {"person": candidate.partner_label}).context["reasons"]

    waiting = CandidateFactory(
        served_by=km.organisation, status="aangemeld", availability_confirmed_at=timezone.now()
    )
    assert [r["code"] for r in reasons(waiting)] == [not_ranked.NOT_MATCHABLE]
    assert "status" in reasons(waiting)[0]["text"]
    stale = matchable_person(km, [])
    stale.availability_confirmed_at = timezone.now() - timedelta(days=400)
    stale.save(update_fields=["availability_confirmed_at"])
    assert "availability last confirmed on" in reasons(stale)[0]["text"]
    far = far_away(km)
    assert [r["code"] for r in reasons(far)] == [conditions.REACH]
    place.driving_licence = True
    place.save(update_fields=["driving_licence"])
    near = matchable_person(km, [])
    assert [r["code"] for r in reasons(near)] == [conditions.LICENCE]
    # Every condition met: the person's explained score instead.
    near.driving_licence = True
    near.save(update_fields=["driving_licence"])
    page = client.get(url, {"person": near.partner_label.lower()})  # case does not matter
    assert page.context["reasons"] == [] and page.context["row"]["criteria"]
    most = round(100 * Weights().essential_skills)
    assert f"essential skills: 0 out of {most}" in page.content.decode()
    # Bad input: a clear message, no error page.
    for bad in ("K-NIEMAND", "x" * 10_000, "!!!"):
        page = client.get(url, {"person": bad})
        assert page.status_code == 200 and page.context["error"]
    # Without a code: only the form.
    assert client.get(url).context.get("reasons") is None


@pytest.mark.django_db
def test_a_person_out_of_sight_cannot_be_asked_about(client, place, make_member):
    km = make_member("klantmanager")
    stranger = CandidateFactory(served_by=make_member("klantmanager", "AM22").organisation)
    sign_in(client, km.user)
    url = reverse("matching:not-ranked", kwargs={"uuid": place.uuid})
    page = client.get(url, {"person": stranger.partner_label})
    assert page.context["error"] and "reasons" not in page.context
    assert not AccessRecord.objects.for_subject("candidate", stranger.uuid).exists()


@pytest.mark.django_db
def test_the_shortlist_links_an_unranked_entry_to_the_reasons(client, place, make_member):
    km = make_member("klantmanager")
    waiting = CandidateFactory(served_by=km.organisation, status="aangemeld")
    shortlists.shortlist_add(actor=actor_for(km), vacancy=place, candidate=waiting, reason="x")
    sign_in(client, km.user)
    html = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode()
    link = reverse("matching:not-ranked", kwargs={"uuid": place.uuid})
    assert f"{link}?person={waiting.partner_label}" in html


# --- the pages and the API use the same explanation -------------------------------------------


@pytest.mark.django_db
def test_the_ranked_page_shows_points_out_of_the_maximum_with_the_sentence(
    client, place, esco, make_member
):
    _occupation, skills = esco
    km = make_member("klantmanager")
    matchable_person(km, skills[:2], hours_per_week=24)
    sign_in(client, km.user)
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    [row] = page.context["rows"]
    by_name = {c["criterion"]: c for c in row["criteria"]}
    assert by_name["hours"]["text"] == "wants to work 24 hours a week; the place is 32 hours a week"
    assert by_name["essential_skills"]["text"] == "has 2 of the 3 essential skills; misses 1"
    # No occupation given, but skills the place asks that are typical of its occupation.
    assert by_name["occupation"]["text"] == (
        "did not give this occupation, but has skills the place asks that are typical of it"
    )
    html = page.content.decode()
    assert '<dl class="criteria">' in html
    assert f"hours: {by_name['hours']['points']} out of {by_name['hours']['max']}" in html
    assert "wants to work 24 hours a week; the place is 32 hours a week" in html
    assert row["score_max"] == 100
    # The note above the list names every hard condition the engine applies (#18 added the
    # hours and load a person can carry and the sectors they will not work in).
    note = html[html.index('<p class="help">Hard conditions') :].split("</p>", 1)[0]
    for condition in ("travel distance", "driving licence", "in time", "hours", "load", "sector"):
        assert condition in note


@pytest.mark.django_db
def test_run_pages_and_api_name_a_related_skill_and_give_the_same_criteria(
    client, world, place, esco, make_member
):
    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills[:1], regional_consent=True)
    partner_member = make_member("intermediair")
    run = MatchRun.objects.create(
        region=world.amsterdam.region, started_for=km.organisation, status="done"
    )
    MatchSuggestion.objects.create(
        run=run,
        vacancy=place,
        candidate=person,
        rank=1,
        score=0.5,
        contributions={"essential_skills": 0.25, "hours": 0.07, "priority": 0.0},
        missing=[{"skill": skills[2].uri, "teachable": False}],
        related=[{"skill": skills[1].uri, "via": skills[0].uri, "credit": 0.5}],
    )
    sign_in(client, km.user)
    url = reverse("matching:run-place", kwargs={"uuid": run.uuid, "vacancy": place.uuid})
    page = client.get(url)
    [row] = page.context["rows"]
    essential = next(c for c in row["criteria"] if c["criterion"] == "essential_skills")
    assert essential["text"] == (
        "has 1 of the 3 essential skills; 1 in part through a related skill "
        "(skill 1, via skill 0); misses 1"
    )
    assert row["related"] == [{"label": "skill 1", "via": "skill 0"}]
    assert [m["label"] for m in row["missing"]] == ["skill 2"]
    html = page.content.decode()
    assert "skill 1, via skill 0" in html
    # The API: the same per-criterion list, the priority only for the serving organisation.
    api_url = reverse("api:match-run-suggestions", kwargs={"uuid": run.uuid})
    [served] = client.get(api_url).json()["results"]
    assert served["explanation"] == [
        {k: c[k] for k in ("criterion", "label", "points", "max", "text")} for c in row["criteria"]
    ]
    assert [c["criterion"] for c in served["explanation"]] == [
        "essential_skills",
        "hours",
        "priority",
    ]
    assert served["relatedEssentialSkills"][0]["via"] == skills[0].uri
    # A partner (through the person's regional consent): no priority criterion.
    sign_in(client, partner_member.user)
    [partner] = client.get(api_url).json()["results"]
    assert [c["criterion"] for c in partner["explanation"]] == ["essential_skills", "hours"]


@pytest.mark.django_db
def test_a_run_page_says_where_the_occupation_points_came_from_as_the_run_kept_it(
    client, world, place, esco, make_member
):
    """The run kept "group" with the suggestion: the page says so, though half the points
    read without it would say "typical skills" (as for a run from before it was kept)."""
    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills[:1])
    run = MatchRun.objects.create(
        region=world.amsterdam.region, started_for=km.organisation, status="done"
    )
    common = {"run": run, "vacancy": place, "candidate": person, "rank": 1, "score": 0.5}
    half = {"essential_skills": 0.25, "occupation": Weights().occupation / 2}
    kept = MatchSuggestion.objects.create(**common, contributions=half, occupation_via="group")
    url = reverse("matching:run-place", kwargs={"uuid": run.uuid, "vacancy": place.uuid})
    sign_in(client, km.user)

    def said() -> str:
        [row] = client.get(url).context["rows"]
        return next(c["text"] for c in row["criteria"] if c["criterion"] == "occupation")

    assert said() == "wants an occupation in the same occupational group"
    kept.occupation_via = ""  # a run from before: read from the points
    kept.save()
    assert (
        said()
        == "did not give this occupation, but has skills the place asks that are typical of it"
    )


@pytest.mark.django_db
def test_the_api_says_why_a_person_is_not_ranked(client, place, make_member):
    km = make_member("klantmanager")
    far = far_away(km)
    near = matchable_person(km, [])
    sign_in(client, km.user)
    url = reverse("api:vacancy-match-explanation", kwargs={"uuid": place.uuid})
    body = client.get(url, {"candidate": str(far.uuid)}).json()
    assert body["ranked"] is False and body["score"] is None and body["explanation"] == []
    assert [r["code"] for r in body["reasons"]] == ["reach"]
    assert "will travel up to 10 km" in body["reasons"][0]["text"]
    body = client.get(url, {"candidate": str(near.uuid)}).json()
    assert body["ranked"] is True and body["reasons"] == []
    assert {c["criterion"] for c in body["explanation"]} >= {"essential_skills", "distance"}
    assert all(
        set(c) == {"criterion", "label", "points", "max", "text"} for c in body["explanation"]
    )
    assert client.get(url).status_code == 400
    assert client.get(url, {"candidate": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_an_adviser_names_a_person_their_organisation_supports_by_name(client, region):
    """From the walk of #18: an adviser knows the person's name, not the code (which no page
    of their own people shows). A name finds only people the organisation supports."""
    url = reverse("matching:not-ranked", kwargs={"uuid": region.place.uuid})
    sign_in(client, region.km.user)
    page = client.get(url, {"person": "  sanne   ZELDZAAMNAAM "})
    assert page.status_code == 200 and page.context["candidate"] == region.person
    assert "error" not in page.context
    namesake = CandidateFactory(
        served_by=region.km.organisation, first_name="Sanne", last_name="Zeldzaamnaam-Bos"
    )
    page = client.get(url, {"person": "Zeldzaamnaam"})
    assert page.context.get("candidate") is None and "error" not in page.context
    assert set(page.context["same_name"]) == {region.person, namesake}
    assert f"?person={namesake.partner_label}" in page.content.decode()
    # The WSP does not support the person: the name finds nobody, the code still does —
    # with the score's maximum explained (the priority points are left out for everyone,
    # and not named).
    sign_in(client, region.am.user)
    page = client.get(url, {"person": "Sanne Zeldzaamnaam"})
    assert page.context["error"] and page.context.get("candidate") is None
    page = client.get(url, {"person": region.person.partner_label})
    assert page.context["candidate"] == region.person
    assert page.context["row"]["priority_left_out"]
    assert page.context["row"]["score_max"] < 100
    html = page.content.decode()
    assert "one criterion counts only for the organisations" in html
    assert "priorit" not in html.lower()
