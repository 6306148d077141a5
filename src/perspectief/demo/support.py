"""The demo's national support team (``ot.landelijk``): the progress questionnaire of the
last completed quarter, published, answered by Groot Amsterdam on time and by Rijnmond after
the deadline (so the overview shows one late), and one reflection round of Groot Amsterdam
answered by two partners (the gemeente and the SW company); two good examples linked to
shared lessons of the leeragenda (when the demo's lessons are made first). Idempotent; a
few writes, so the demo stays fast."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.demo.credentials import refuse_in_production
from perspectief.lessons.constants import Visibility
from perspectief.lessons.models import Lesson
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.support.constants import QuestionTag
from perspectief.support.models import Answer, Questionnaire, Response
from perspectief.support.services import questionnaires, reflection, responses

PROGRESS_ANSWERS = {
    "pm.amsterdam": {
        "": "Het leerwerkbedrijf in de logistiek is gestart met twaalf plaatsen; de "
        "proefplaatsingen bij twee grote werkgevers liepen goed.",
        QuestionTag.BOTTLENECKS: "Werkgevers haken af door de administratie rond de "
        "loonkostensubsidie; de doorlooptijd van de doelgroepverklaring is lang.",
        QuestionTag.GOOD_EXAMPLES: "Eén vast aanspreekpunt per werkgever bij het "
        "Werkgeversservicepunt: werkgevers blijven meedoen.",
    },
    "pm.rotterdam": {
        "": "De jobcoaching voor statushouders is gestart; de taalcursus op de werkvloer "
        "liep minder goed dan gehoopt.",
        QuestionTag.BOTTLENECKS: "Te weinig jobcoaches beschikbaar; wachttijden van zes weken.",
        QuestionTag.GOOD_EXAMPLES: "Samen met het mbo een praktijkverklaring in de zorg.",
    },
}

#: Bottlenecks and good examples the team linked to a shared lesson: (manager, tag, title).
LINKED_LESSONS = (
    (
        "pm.rotterdam",
        QuestionTag.GOOD_EXAMPLES,
        "Praktijkleren logistiek met de werkgever als leerbedrijf",
    ),
    ("pm.amsterdam", QuestionTag.GOOD_EXAMPLES, "Werkgeversontbijt in Zaandam"),
)

REFLECTIONS = {
    "km.amsterdam": (
        "De warme overdracht tussen gemeente en UWV werkt: minder mensen vallen tussen wal en "
        "schip.",
        "De proefplaatsingen in de schoonmaak zijn gestopt: de begeleiding was te dun.",
        "Meer jobcoaches, en één aanspreekpunt bij de scholen.",
    ),
    "jc.amsterdam": (
        "Begeleiding op de werkvloer in de eerste maand houdt mensen aan het werk.",
        "De terugkoppeling van werkgevers na een voorstel duurt te lang.",
        "Een snellere route voor de loonkostensubsidie.",
    ),
}


def _actor(username: str):
    membership = Membership.objects.filter(user__username=username, is_active=True).first()
    return actor_for(membership) if membership is not None else None


def _answers(questionnaire, texts: dict | tuple) -> dict[str, str]:
    out = {}
    for question in questionnaire.questions.exclude(kind="platform"):
        if isinstance(texts, dict):
            out[responses.field_name(question)] = texts.get(question.tag, "")
        elif question.order <= len(texts):
            out[responses.field_name(question)] = texts[question.order - 1]
    return out


def _link_lessons(team, progress) -> None:
    """The team links a few answers to shared lessons of the leeragenda (when the demo's
    lessons are there), so the bottlenecks page shows what a link looks like."""
    for username, tag, title in LINKED_LESSONS:
        lesson = Lesson.objects.filter(title=title, visibility=Visibility.SHARED).first()
        answer = Answer.objects.filter(
            response__questionnaire=progress,
            response__submitted_by__username=username,
            question__tag=tag,
        ).first()
        if lesson is not None and answer is not None:
            questionnaires.link_lessons(actor=team, answer=answer, lessons=[lesson])


@transaction.atomic
def create_demo_support() -> int:
    """Return how many questionnaires were made (0 when the demo has them already)."""
    refuse_in_production()
    team = _actor("ot.landelijk")
    year, quarter = completed_quarters(1)[0]
    if team is None or Questionnaire.objects.filter(year=year, quarter=quarter).exists():
        return 0
    start, end = quarter_bounds(year, quarter)
    today = timezone.localdate()
    # Three weeks after the quarter, but passed by now so that one answer can be late
    # (and after the quarter's last day, as the service asks).
    deadline = max(
        min(end + timedelta(days=21), today - timedelta(days=3)), end + timedelta(days=1)
    )
    draft = questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(year=year, quarter=quarter, deadline=deadline),
    )
    progress = questionnaires.publish(actor=team, questionnaire=draft)
    moments = {
        "pm.amsterdam": deadline - timedelta(days=2),
        "pm.rotterdam": deadline + timedelta(days=1),
    }
    for username, texts in PROGRESS_ANSWERS.items():
        manager = _actor(username)
        if manager is None:
            continue
        response = responses.response_save(
            actor=manager, questionnaire=progress, answers=_answers(progress, texts), submit=True
        )
        # As if submitted on that day (Rijnmond after the deadline: marked late).
        moment = timezone.make_aware(datetime.combine(moments[username], time(10)))
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    _link_lessons(team, progress)
    made = 1
    manager = _actor("pm.amsterdam")
    if manager is not None:
        round_ = reflection.round_open(
            actor=manager,
            data=reflection.RoundInput(
                period_start=start,
                period_end=end,
                deadline=end + timedelta(days=14),
                extra_question="Wat vinden werkgevers van de samenwerking?",
            ),
        )
        for username, said in REFLECTIONS.items():
            partner = _actor(username)
            if partner is not None:
                responses.response_save(
                    actor=partner,
                    questionnaire=round_,
                    answers=_answers(round_, said),
                    submit=True,
                )
        made += 1
    return made
