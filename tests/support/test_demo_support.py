"""The demo's support team: the last completed quarter's questionnaire published, Groot
Amsterdam's answer on time and Rijnmond's late, one reflection round with two partners'
answers; idempotent."""

import pytest

from perspectief.demo.lessons import create_demo_lessons
from perspectief.demo.population import create_demo_population
from perspectief.demo.support import create_demo_support
from perspectief.support.models import Answer, Questionnaire
from perspectief.support.selectors.progress import overview


@pytest.mark.django_db
def test_demo_support(demo_geography):
    create_demo_population()
    assert create_demo_support() == 2
    assert create_demo_support() == 0
    progress = Questionnaire.objects.get(kind="voortgang")
    assert progress.is_published
    states = {row.region.code: row.state for row in overview(progress)}
    assert states == {"AM18": "answered", "AM22": "late", "AM01": "overdue"}
    round_ = Questionnaire.objects.get(kind="reflectie")
    assert round_.region.code == "AM18"
    assert round_.responses.filter(status="ingediend").count() == 2
    figures = progress.responses.get(region__code="AM18").answers.filter(from_platform=True)
    assert figures.count() == 5


@pytest.mark.django_db
def test_demo_links_two_good_examples_to_shared_lessons(demo_geography):
    create_demo_population()
    create_demo_lessons()
    create_demo_support()
    linked = Answer.objects.filter(lessons__isnull=False).distinct()
    assert {(a.response.region.code, a.question.tag) for a in linked} == {
        ("AM18", "goede_voorbeelden"),
        ("AM22", "goede_voorbeelden"),
    }
    assert all(a.lessons.get().visibility == "gedeeld" for a in linked)
