"""The support team's services: the progress questionnaire (fixed questions once
published, late marking from the recorded times, the platform's figures marked and not
editable), reminders once per stage, reflection refused outside the region, requests."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.lessons.models import Lesson
from perspectief.monitoring.models import ActionPlan, PlanActivity, Spend
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.notifications.models import Message
from perspectief.support.constants import Figure, ReminderStage
from perspectief.support.models import Answer, Questionnaire, Reminder, Response
from perspectief.support.services import questionnaires, requests, responses
from perspectief.support.services.reminders import remind_questionnaires

from .conftest import open_round

pytestmark = pytest.mark.django_db


def _published(team, *, deadline=None, year=2026, quarter=3):
    made = questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(
            year=year, quarter=quarter, deadline=deadline or date(2026, 10, 15)
        ),
    )
    return questionnaires.publish(actor=team, questionnaire=made)


def _written(questionnaire):
    return {
        responses.field_name(q): "Goed gegaan"
        for q in questionnaire.questions.all()
        if q.kind != "platform"
    }


def test_only_the_team_makes_a_questionnaire_and_once_a_quarter(team, pm):
    data = questionnaires.ProgressInput(year=2026, quarter=3, deadline=date(2026, 10, 15))
    with pytest.raises(PermissionDeniedError):
        questionnaires.progress_create(actor=pm, data=data)
    made = questionnaires.progress_create(actor=team, data=data)
    assert "2026 Q3" in made.display_title or "2026 K3" in made.display_title
    assert made.questions.filter(kind="platform").count() == 5
    assert made.questions.filter(tag="knelpunten").count() == 1
    with pytest.raises(ValidationError) as refused:
        questionnaires.progress_create(actor=team, data=data)
    assert "quarter" in refused.value.message_dict
    assert Questionnaire.objects.count() == 1


@pytest.mark.parametrize("deadline", [date(2026, 9, 30), date(2026, 8, 1), date(2026, 6, 1)])
def test_a_deadline_on_or_before_the_quarters_last_day_is_refused(team, deadline):
    data = questionnaires.ProgressInput(year=2026, quarter=3, deadline=deadline)
    with pytest.raises(ValidationError) as refused:
        questionnaires.progress_create(actor=team, data=data)
    assert "deadline" in refused.value.message_dict
    assert not Questionnaire.objects.exists()


def test_questions_are_fixed_once_published(team):
    questionnaire = _published(team)
    count = questionnaire.questions.count()
    with pytest.raises(ValidationError):
        questionnaires.question_add(
            actor=team,
            questionnaire=questionnaire,
            data=questionnaires.QuestionInput(text="Nog een vraag?", kind="tekst"),
        )
    assert questionnaire.questions.count() == count


def test_a_figure_question_needs_its_figure(team):
    draft = questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(year=2026, quarter=2, deadline=date(2026, 7, 15)),
    )
    with pytest.raises(ValidationError) as refused:
        questionnaires.question_add(
            actor=team,
            questionnaire=draft,
            data=questionnaires.QuestionInput(text="Hoeveel?", kind="platform"),
        )
    assert "figure" in refused.value.message_dict


def test_publishing_tells_every_region_with_a_programme_manager_once(team, pm, pm_rotterdam):
    questionnaire = _published(team)
    assert Reminder.objects.filter(questionnaire=questionnaire, stage="gepubliceerd").count() == 2
    told = Message.objects.filter(kind=Kind.PROGRESS_QUESTIONNAIRE)
    assert {m.recipient_id for m in told} == {pm.user.pk, pm_rotterdam.user.pk}
    items = [i for i in inbox_for(pm) if i.kind == Kind.PROGRESS_QUESTIONNAIRE]
    assert [i.due for i in items] == [questionnaire.deadline]


def test_a_late_answer_is_accepted_and_marked_late(team, pm, pm_rotterdam):
    questionnaire = _published(team, deadline=timezone.localdate() - timedelta(days=1))
    late = responses.response_save(
        actor=pm, questionnaire=questionnaire, answers=_written(questionnaire), submit=True
    )
    assert late.is_submitted and late.late
    on_time = _published(team, deadline=timezone.localdate(), quarter=2)
    answered = responses.response_save(
        actor=pm_rotterdam, questionnaire=on_time, answers=_written(on_time), submit=True
    )
    assert not answered.late
    # Computed from the recorded moment: a minute past the deadline's day is late.
    deadline_end = timezone.make_aware(datetime.combine(on_time.deadline, datetime.max.time()))
    answered.submitted_at = deadline_end + timedelta(minutes=1)
    assert answered.late
    # Submitting takes it out of the inbox.
    assert not [i for i in inbox_for(pm) if i.url.endswith(f"{questionnaire.uuid}/")]


def test_submitting_needs_the_written_answers_and_saves_nothing_otherwise(team, pm):
    questionnaire = _published(team)
    with pytest.raises(ValidationError) as refused:
        responses.response_save(actor=pm, questionnaire=questionnaire, answers={}, submit=True)
    assert refused.value.message_dict
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_submitted_response_is_final(team, pm):
    questionnaire = _published(team)
    responses.response_save(
        actor=pm, questionnaire=questionnaire, answers=_written(questionnaire), submit=True
    )
    with pytest.raises(ValidationError):
        responses.response_save(
            actor=pm, questionnaire=questionnaire, answers=_written(questionnaire), submit=True
        )


def test_platform_figures_are_marked_and_a_typed_value_is_ignored(team, pm, world):
    plan = ActionPlan.objects.create(
        region=world.am18,
        title="Doe-agenda",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        lead=pm.organisation,
        employer_lead="Werkgevers",
        ambition=250,
        budget=Decimal("1000000"),
        status="active",
    )
    activity = PlanActivity.objects.create(
        plan=plan, name="Jobcoaching", kind="praktijkleren", owner=pm.organisation, budget=1000
    )
    Spend.objects.create(activity=activity, spent_on=date(2026, 8, 1), amount=Decimal("1500.50"))
    Spend.objects.create(activity=activity, spent_on=date(2026, 10, 1), amount=Decimal("99"))
    questionnaire = _published(team)
    figure_questions = {q.figure: q for q in questionnaire.questions.filter(kind="platform")}
    typed = _written(questionnaire) | {
        responses.field_name(q): "999" for q in figure_questions.values()
    }
    response = responses.response_save(
        actor=pm, questionnaire=questionnaire, answers=typed, submit=False
    )
    answers = {a.question.figure: a for a in response.answers.filter(from_platform=True)}
    assert set(answers) == set(Figure.values)
    assert all(a.computed_on == timezone.localdate() for a in answers.values())
    assert answers[Figure.SPEND].number == Decimal("1500.50")  # the quarter's spend only
    assert answers[Figure.AMBITION].number == 250
    assert answers[Figure.MATCHES].number == 0  # none recorded: zero reveals nobody
    assert Decimal(999) not in {a.number for a in answers.values()}


def test_reminders_go_once_before_and_once_after_the_deadline(team, pm, pm_rotterdam):
    deadline = date(2026, 10, 15)
    questionnaire = _published(team, deadline=deadline)
    responses.response_save(
        actor=pm_rotterdam,
        questionnaire=questionnaire,
        answers=_written(questionnaire),
        submit=True,
    )
    assert remind_questionnaires(today=deadline - timedelta(days=10)) == 0
    assert remind_questionnaires(today=deadline - timedelta(days=5)) == 1
    assert remind_questionnaires(today=deadline - timedelta(days=4)) == 0
    assert remind_questionnaires(today=deadline + timedelta(days=1)) == 1
    assert remind_questionnaires(today=deadline + timedelta(days=2)) == 0
    stages = Reminder.objects.filter(region=pm.region).values_list("stage", flat=True)
    assert sorted(stages) == sorted([ReminderStage.PUBLISHED, ReminderStage.BEFORE, "verlopen"])
    # Rotterdam submitted: told at publication only.
    assert Reminder.objects.filter(region=pm_rotterdam.region).count() == 1
    assert Message.objects.filter(kind=Kind.PROGRESS_REMINDER, recipient=pm.user).exists()
    assert not Message.objects.filter(kind=Kind.PROGRESS_REMINDER, recipient=pm_rotterdam.user)


def test_a_reflection_by_someone_outside_the_region_is_refused(pm, actor_as):
    questionnaire = open_round(pm)
    outsider = actor_as("klantmanager", "AM22")
    answers = {responses.field_name(q): "Iets" for q in questionnaire.questions.all()}
    with pytest.raises(PermissionDeniedError) as refused:
        responses.response_save(
            actor=outsider, questionnaire=questionnaire, answers=answers, submit=True
        )
    assert "Groot Amsterdam" in str(refused.value.message)
    assert not Response.objects.exists()
    partner = actor_as("klantmanager", "AM18")
    made = responses.response_save(
        actor=partner, questionnaire=questionnaire, answers=answers, submit=True
    )
    assert made.organisation == partner.organisation
    with pytest.raises(ValidationError):  # once per organisation
        responses.response_save(
            actor=partner, questionnaire=questionnaire, answers=answers, submit=True
        )


def test_the_extra_reflection_question_is_optional(pm, actor_as):
    questionnaire = open_round(pm)
    partner = actor_as("jobcoach", "AM18")
    standard = {
        responses.field_name(q): "Iets" for q in questionnaire.questions.filter(required=True)
    }
    assert len(standard) == 3
    made = responses.response_save(
        actor=partner, questionnaire=questionnaire, answers=standard, submit=True
    )
    assert made.is_submitted


def test_support_request_and_answer_go_both_ways(team, pm):
    asked = requests.request_ask(
        actor=pm,
        data=requests.RequestInput(subject="Werkgevers bereiken", question="Hoe?", pillar="vraag"),
    )
    assert [i.kind for i in inbox_for(team)] == [Kind.SUPPORT_REQUEST]
    with pytest.raises(PermissionDeniedError):
        requests.request_answer(actor=pm, request=asked, answer="Zelf")
    requests.request_answer(actor=team, request=asked, answer="Bel ons")
    assert not [i for i in inbox_for(team) if i.kind == Kind.SUPPORT_REQUEST]
    assert [i.kind for i in inbox_for(pm) if i.kind == Kind.SUPPORT_ANSWER] == [Kind.SUPPORT_ANSWER]
    asked.refresh_from_db()
    requests.answer_seen(actor=pm, request=asked)
    assert not [i for i in inbox_for(pm) if i.kind == Kind.SUPPORT_ANSWER]


def test_only_shared_lessons_are_linked_to_a_bottleneck(team, pm):
    questionnaire = _published(team)
    response = responses.response_save(
        actor=pm, questionnaire=questionnaire, answers=_written(questionnaire), submit=True
    )
    bottleneck = response.answers.get(question__tag="knelpunten")
    internal, shared = (
        Lesson.objects.create(
            region=pm.region,
            organisation=pm.organisation,
            title=f"Les {visibility}",
            outcome="mislukt",
            visibility=visibility,
        )
        for visibility in ("intern", "gedeeld")
    )
    with pytest.raises(ValidationError):
        questionnaires.link_lessons(actor=team, answer=bottleneck, lessons=[internal])
    questionnaires.link_lessons(actor=team, answer=bottleneck, lessons=[shared])
    assert list(bottleneck.lessons.all()) == [shared]


def test_the_team_sees_submitted_responses_only(team, pm):
    questionnaire = _published(team)
    draft = responses.response_save(actor=pm, questionnaire=questionnaire, answers={}, submit=False)
    assert not Response.objects.visible_to(team).filter(pk=draft.pk).exists()
    assert Response.objects.visible_to(actor_for(pm.membership)).filter(pk=draft.pk).exists()
