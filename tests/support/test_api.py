"""/api/v1/support/...: the support team's work, read-only, with the pages' visibility. The
team sees every region; a region's programme manager its own progress responses and
requests, its partners its own reflection rounds — another region's data is not in any
answer, also not when asked for by its code. The SZW analyst and employers get 403."""

from datetime import date

import pytest
from django.utils import timezone

from perspectief.support.services import questionnaires, requests, responses

from ..conftest import sign_in
from .conftest import open_round

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/support/questionnaires",
    "/api/v1/support/responses",
    "/api/v1/support/reflections",
    "/api/v1/support/requests",
]


def _published(team):
    made = questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(year=2026, quarter=3, deadline=date(2026, 10, 15)),
    )
    return questionnaires.publish(actor=team, questionnaire=made)


def _answer(actor, questionnaire, text, *, submit=True):
    answers = {
        responses.field_name(q): text for q in questionnaire.questions.exclude(kind="platform")
    }
    return responses.response_save(
        actor=actor, questionnaire=questionnaire, answers=answers, submit=submit
    )


@pytest.fixture
def both_answered(team, pm, pm_rotterdam):
    questionnaire = _published(team)
    _answer(pm, questionnaire, "Amsterdam schrijft")
    _answer(pm_rotterdam, questionnaire, "Rotterdam schrijft")
    return questionnaire


def test_the_team_sees_every_regions_state_and_a_manager_only_the_own(
    client, team, pm, pm_rotterdam, both_answered
):
    sign_in(client, team.user)
    body = client.get(URLS[0]).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["uuid"] == str(both_answered.uuid) and row["title"] == "Voortgang 2026 K3"
    states = {r["region"]: r["state"] for r in row["regions"]}
    assert set(states) == {"AM18", "AM22"} and set(states.values()) <= {"answered", "late"}
    sign_in(client, pm_rotterdam.user)
    [row] = client.get(URLS[0]).json()["results"]
    assert [r["region"] for r in row["regions"]] == ["AM22"]


def test_a_draft_questionnaire_is_not_listed(client, team):
    questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(year=2026, quarter=2, deadline=date(2026, 7, 15)),
    )
    sign_in(client, team.user)
    assert client.get(URLS[0]).json()["count"] == 0


def test_responses_mark_the_platforms_figures_and_stay_in_the_region(
    client, team, pm, pm_rotterdam, both_answered
):
    sign_in(client, team.user)
    body = client.get(URLS[1], {"questionnaire": str(both_answered.uuid)}).json()
    assert sorted(r["region"] for r in body["results"]) == ["AM18", "AM22"]
    amsterdam = client.get(URLS[1], {"region": "am18"}).json()["results"]
    assert [r["region"] for r in amsterdam] == ["AM18"]
    answers = amsterdam[0]["answers"]
    figures = [a for a in answers if a["kind"] == "platform"]
    written = [a for a in answers if a["kind"] == "tekst"]
    assert len(figures) == 5 and all(a["fromPlatform"] and not a["text"] for a in figures)
    assert all(a["computedOn"] == str(timezone.localdate()) for a in figures)
    assert {a["figure"] for a in figures} >= {"matches", "spend"}
    assert written and all(a["text"] == "Amsterdam schrijft" for a in written)
    assert not any(a["fromPlatform"] for a in written)
    assert {a["tag"] for a in written} == {"", "knelpunten", "goede_voorbeelden"}
    # Rotterdam's programme manager: its own response only, also when asking for Amsterdam.
    sign_in(client, pm_rotterdam.user)
    assert [r["region"] for r in client.get(URLS[1]).json()["results"]] == ["AM22"]
    assert client.get(URLS[1], {"region": "AM18"}).json()["count"] == 0
    assert "Amsterdam schrijft" not in client.get(URLS[1]).content.decode()
    assert client.get(URLS[1], {"region": "XX99"}).status_code == 400


def test_the_team_does_not_see_a_regions_draft(client, team, pm):
    questionnaire = _published(team)
    _answer(pm, questionnaire, "Nog een concept", submit=False)
    sign_in(client, team.user)
    assert client.get(URLS[1]).json()["count"] == 0
    sign_in(client, pm.user)
    [draft] = client.get(URLS[1]).json()["results"]
    assert draft["status"] == "concept" and draft["submittedAt"] is None


def test_reflections_for_the_regions_partners_and_the_team(client, team, pm, actor_as):
    round_ = open_round(pm)
    partner = actor_as("klantmanager", "AM18")
    answers = {responses.field_name(q): "Samen werkt het" for q in round_.questions.all()}
    responses.response_save(actor=partner, questionnaire=round_, answers=answers, submit=True)
    sign_in(client, partner.user)
    [row] = client.get(URLS[2]).json()["results"]
    assert row["uuid"] == str(round_.uuid) and row["region"] == "AM18"
    assert [q["optional"] for q in row["questions"]] == [False, False, False, True]
    [answered] = row["responses"]
    assert answered["organisation"] == partner.organisation.name
    assert [a["text"] for a in answered["answers"]] == ["Samen werkt het"] * 4
    # Another region's partner and programme manager see none of it.
    for outsider in (actor_as("klantmanager", "AM22"), actor_as("programmamanager", "AM22")):
        sign_in(client, outsider.user)
        assert client.get(URLS[2]).json()["count"] == 0
        assert client.get(URLS[2], {"region": "AM18"}).json()["count"] == 0
    sign_in(client, team.user)
    year = round_.period_end.year
    quarter = (round_.period_end.month - 1) // 3 + 1
    assert client.get(URLS[2], {"region": "AM18"}).json()["count"] == 1
    assert client.get(URLS[2], {"period": f"{year}-Q{quarter}"}).json()["count"] == 1
    assert client.get(URLS[2], {"period": f"{year + 2}-Q1"}).json()["count"] == 0
    assert client.get(URLS[2], {"period": "2026-Q5"}).status_code == 400


def test_requests_for_the_team_and_the_own_region(client, team, pm, pm_rotterdam):
    asked = requests.request_ask(
        actor=pm,
        data=requests.RequestInput(subject="Werkgevers", question="Hoe?", pillar="vraag"),
    )
    requests.request_answer(actor=team, request=asked, answer="Bel ons")
    requests.request_ask(
        actor=pm_rotterdam,
        data=requests.RequestInput(subject="Scholing", question="Wat?", pillar="scholing"),
    )
    sign_in(client, team.user)
    assert client.get(URLS[3]).json()["count"] == 2
    [answered] = client.get(URLS[3], {"status": "beantwoord"}).json()["results"]
    assert answered["region"] == "AM18" and answered["answer"] == "Bel ons"
    assert client.get(URLS[3], {"status": "klaar"}).status_code == 400
    sign_in(client, pm_rotterdam.user)
    [own] = client.get(URLS[3]).json()["results"]
    assert own["subject"] == "Scholing" and own["answer"] == ""
    assert client.get(URLS[3], {"region": "AM18"}).json()["count"] == 0


@pytest.mark.parametrize("role", ["analist_szw", "werkgever"])
def test_the_ministry_and_employers_get_403(client, role, make_member, both_answered):
    sign_in(client, make_member(role, "AM18").user)
    assert [client.get(url).status_code for url in URLS] == [403] * 4


def test_signed_out_gets_401(client):
    assert [client.get(url).status_code for url in URLS] == [401] * 4


def test_an_undeclared_or_bad_parameter_is_a_400(client, team):
    sign_in(client, team.user)
    assert [client.get(url, {"x": "1"}).status_code for url in URLS] == [400] * 4
    assert client.get(URLS[1], {"questionnaire": "not-a-uuid"}).status_code == 400
    assert client.get(URLS[2], {"period": "\x00"}).status_code == 400
