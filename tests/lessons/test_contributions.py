"""The leeragenda in the apps below it: lessons about an activity on the plan's page, and
the quarter's lessons in its quarterly report — each only as its reader may see them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from perspectief.lessons.services.lessons import lesson_save, lesson_share
from perspectief.monitoring.about import about_activities
from perspectief.monitoring.panels import quarter_lessons

from .conftest import lesson_data, make_activity, make_plan

TODAY = timezone.localdate()


@pytest.fixture
def activity(world, pm_amsterdam):
    plan = make_plan(
        pm_amsterdam,
        world.am18,
        world.amsterdam,
        start=TODAY - timedelta(days=200),
        end=TODAY + timedelta(days=200),
    )
    return make_activity(pm_amsterdam, plan)


@pytest.mark.django_db
def test_a_plan_activity_links_the_lessons_about_it_that_the_reader_may_see(
    activity, pm_amsterdam, pm_rotterdam
):
    internal = lesson_save(actor=pm_amsterdam, data=lesson_data(activity=activity))
    own = about_activities(pm_amsterdam, [activity])
    ((heading, links),) = own[activity.pk]
    assert heading == "Lessen over deze activiteit"
    assert [link.text for link in links] == ["Proefplaatsingen bij zorgwerkgevers (mislukt)"]
    assert links[0].url == f"/lessons/{internal.uuid}/"
    # Another region does not see an internal lesson, until it is shared.
    assert about_activities(pm_rotterdam, [activity]) == {}
    lesson_share(actor=pm_amsterdam, lesson=internal)
    assert activity.pk in about_activities(pm_rotterdam, [activity])


@pytest.mark.django_db
def test_the_quarterly_report_lists_the_quarters_lessons_shared_ones_for_the_ministry(
    world, pm_amsterdam
):
    internal = lesson_save(actor=pm_amsterdam, data=lesson_data(title="Intern", result="x" * 400))
    shared = lesson_save(actor=pm_amsterdam, data=lesson_data(title="Gedeeld", outcome="gestopt"))
    lesson_share(actor=pm_amsterdam, lesson=shared)
    start, end = TODAY - timedelta(days=10), TODAY + timedelta(days=10)
    items = quarter_lessons(world.am18, start, end, shared_only=False)
    assert [(i.title, i.label) for i in items] == [("Intern", "mislukt"), ("Gedeeld", "gestopt")]
    assert len(items[0].text) == 300 and items[0].text.endswith("…")
    ministry = quarter_lessons(world.am18, start, end, shared_only=True)
    assert [i.title for i in ministry] == ["Gedeeld"]
    # Another region's report, or a quarter before they were written, has none of them.
    assert quarter_lessons(world.am22, start, end, shared_only=False) == []
    earlier = quarter_lessons(world.am18, start - timedelta(days=100), start, shared_only=False)
    assert internal.title not in [i.title for i in earlier]
