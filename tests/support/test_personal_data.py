"""What a region writes for the support team holds no personal data, by the leeragenda's own
check (``candidates.personal_data``): progress answers (bottlenecks and good examples among
them), reflection answers and the round's own question, support requests and the team's
answer. A BSN or the full name of one of the region's people is refused naming the field,
in Dutch, and nothing is saved — also in a draft."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.audit.models import AuditEvent
from perspectief.support.models import Answer, Questionnaire, Response, SupportRequest
from perspectief.support.services import questionnaires, requests, responses

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import open_round

pytestmark = pytest.mark.django_db

NAMED = "Het gesprek met Fatima el Amrani liep goed af."
BSN = "Cliënt 111 222 333 kreeg een baan."


@pytest.fixture
def person(world):
    return CandidateFactory(
        first_name="Fatima", last_name="el Amrani", postcode=world.amsterdam.postcodes.first()
    )


def _progress(team):
    made = questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(year=2026, quarter=3, deadline=date(2026, 10, 15)),
    )
    return questionnaires.publish(actor=team, questionnaire=made)


def _written(questionnaire, **by_tag):
    """A fine text for every written question; ``by_tag`` overrides one by its tag."""
    out = {}
    for question in questionnaire.questions.exclude(kind="platform"):
        out[responses.field_name(question)] = by_tag.get(question.tag or "none", "Goed gegaan")
    return out


@pytest.mark.parametrize("tag", ["none", "knelpunten", "goede_voorbeelden"])
@pytest.mark.parametrize("submit", [False, True])
def test_a_progress_answer_naming_a_person_is_refused_naming_the_question(
    team, pm, person, tag, submit
):
    questionnaire = _progress(team)
    question = questionnaire.questions.get(kind="tekst", tag="" if tag == "none" else tag)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        responses.response_save(
            actor=pm,
            questionnaire=questionnaire,
            answers=_written(questionnaire, **{tag: NAMED}),
            submit=submit,
        )
    assert list(refused.value.message_dict) == [responses.field_name(question)]
    message = refused.value.message_dict[responses.field_name(question)][0]
    assert message.startswith(f"“{question.text}”")
    # Dutch once the lead has merged the translations; the msgid until then.
    assert "noemt iemand uit de regio bij naam" in message or "names one of" in message
    assert "Amrani" not in message
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="support.response").exists()


def test_a_bsn_in_a_progress_answer_is_refused(team, pm):
    questionnaire = _progress(team)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        responses.response_save(
            actor=pm,
            questionnaire=questionnaire,
            answers=_written(questionnaire, knelpunten=BSN),
            submit=False,
        )
    [message] = [m for messages in refused.value.message_dict.values() for m in messages]
    assert "BSN" in message and "111" not in message
    assert not Response.objects.exists()


def test_a_reflection_answer_naming_a_person_is_refused_and_nothing_saved(pm, person, actor_as):
    questionnaire = open_round(pm)
    partner = actor_as("klantmanager", "AM18")
    questions = list(questionnaire.questions.order_by("order"))
    answers = {responses.field_name(q): "Samen optrekken werkt." for q in questions}
    answers[responses.field_name(questions[1])] = NAMED.lower()
    with pytest.raises(ValidationError) as refused:
        responses.response_save(
            actor=partner, questionnaire=questionnaire, answers=answers, submit=True
        )
    assert list(refused.value.message_dict) == [responses.field_name(questions[1])]
    assert questions[1].text in refused.value.message_dict[responses.field_name(questions[1])][0]
    assert not Response.objects.exists()
    # The same answers without the name are saved: the check refuses the name, not the text.
    answers[responses.field_name(questions[1])] = "Het gesprek liep goed af."
    assert responses.response_save(
        actor=partner, questionnaire=questionnaire, answers=answers, submit=True
    ).is_submitted


def test_a_name_of_another_regions_person_is_not_looked_for(world, pm):
    CandidateFactory(
        first_name="Kees",
        last_name="Bakker",
        postcode=PostcodeFactory(code="3012", municipality=world.rotterdam),
    )
    questionnaire = open_round(pm)
    answers = {
        responses.field_name(q): "Met Kees Bakker van ORAM." for q in questionnaire.questions.all()
    }
    partner_response = responses.response_save(
        actor=pm, questionnaire=questionnaire, answers=answers, submit=True
    )
    assert partner_response.is_submitted


def test_the_rounds_own_question_is_checked_too(pm, person):
    with pytest.raises(ValidationError) as refused:
        open_round(pm, extra="Hoe gaat het met Fatima el Amrani?")
    assert list(refused.value.message_dict) == ["extra_question"]
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("field", ["subject", "question"])
def test_a_support_request_naming_a_person_is_refused(pm, person, field):
    data = {"subject": "Werkgevers bereiken", "question": "Hoe pakken jullie dit aan?"}
    data[field] = NAMED if field == "question" else "Fatima el Amrani"
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        requests.request_ask(actor=pm, data=requests.RequestInput(pillar="vraag", **data))
    assert list(refused.value.message_dict) == [field]
    label = {"subject": "Onderwerp", "question": "Vraag"}[field]
    assert refused.value.message_dict[field][0].startswith(f"“{label}”")  # in Dutch
    assert not SupportRequest.objects.exists()


def test_the_teams_answer_is_checked_against_the_requests_region(team, pm, person):
    asked = requests.request_ask(
        actor=pm,
        data=requests.RequestInput(subject="Werkgevers", question="Hoe?", pillar="vraag"),
    )
    with pytest.raises(ValidationError) as refused:
        requests.request_answer(actor=team, request=asked, answer=f"Bel over {BSN}")
    assert list(refused.value.message_dict) == ["answer"]
    with pytest.raises(ValidationError):
        requests.request_answer(actor=team, request=asked, answer=NAMED)
    asked.refresh_from_db()
    assert asked.answer == "" and asked.status == "open"


def test_the_page_shows_the_refusal_at_the_field(client_as, team, person):
    questionnaire = _progress(team)
    client, _membership = client_as("programmamanager")
    question = questionnaire.questions.get(tag="knelpunten")
    page = client.post(
        reverse("support:progress", args=[questionnaire.uuid]),
        _written(questionnaire, knelpunten=NAMED) | {"action": "save"},
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert list(form.errors) == [responses.field_name(question)]
    assert not Response.objects.exists()
