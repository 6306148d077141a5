"""The leeragenda's rules: a result is required, no personal data in any text (BSN or a
name of one of the region's people; nothing saved), who sees which lesson, sharing, and
that a region takes a lesson over once; every change audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.candidates import personal_data
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.lessons.models import Adoption, Lesson, Reaction
from perspectief.lessons.services.lessons import lesson_save, lesson_share
from perspectief.lessons.services.responses import adoption_add, reaction_add

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import lesson_data, make_activity, make_plan

pytestmark = pytest.mark.django_db


def _events(name):
    return AuditEvent.objects.filter(event=name).count()


def test_a_lesson_is_saved_internal_with_its_tags_and_audited(pm_amsterdam, write_lesson):
    lesson = write_lesson(pm_amsterdam, pillars=["route", "vraag", "route"])
    assert lesson.region_id == pm_amsterdam.region_id
    assert lesson.visibility == "intern"
    assert lesson.pillars == "vraag,route"  # each once, in the list's order
    assert lesson.target_groups == "statushouder"
    event = AuditEvent.objects.get(event="lesson.created")
    assert event.target_id == str(lesson.uuid)
    assert event.changes["outcome"] == [None, "mislukt"]


@pytest.mark.parametrize("result", ["", "   "])
def test_a_lesson_without_a_result_is_refused_and_nothing_saved(pm_amsterdam, result):
    with pytest.raises(ValidationError) as refused:
        lesson_save(actor=pm_amsterdam, data=lesson_data(result=result))
    assert "result" in refused.value.message_dict
    assert not Lesson.objects.exists()
    assert _events("lesson.created") == 0


def test_a_bsn_in_any_text_is_refused_naming_the_field(pm_amsterdam):
    with pytest.raises(ValidationError) as refused:
        lesson_save(actor=pm_amsterdam, data=lesson_data(worked="Cliënt 111 222 333 kreeg werk."))
    message = refused.value.message_dict["worked"][0]
    assert "BSN" in message and "111" not in message
    assert not Lesson.objects.exists()


def test_a_name_of_one_of_the_regions_people_is_refused(world, pm_amsterdam):
    postcode = world.amsterdam.postcodes.first()
    CandidateFactory(first_name="Fatima", last_name="el Amrani", postcode=postcode)
    for text in ("Fatima el Amrani kreeg een baan.", "fatima el amrani kreeg een baan."):
        with pytest.raises(ValidationError) as refused:
            lesson_save(actor=pm_amsterdam, data=lesson_data(failed=text))
        assert list(refused.value.message_dict) == ["failed"]
        assert "Amrani" not in refused.value.message_dict["failed"][0]
        # The field named as the form labels it, with its capital.
        label = str(Lesson._meta.get_field("failed").verbose_name)
        assert f"“{label[0].upper()}{label[1:]}”" in refused.value.message_dict["failed"][0]
    assert not Lesson.objects.exists()
    # A first name alone, or a last name alone, names nobody.
    lesson_save(actor=pm_amsterdam, data=lesson_data(failed="Fatima en de familie Amrani."))


def test_a_name_of_another_regions_person_is_not_looked_for(world, pm_amsterdam):
    CandidateFactory(
        first_name="Kees",
        last_name="Bakker",
        postcode=PostcodeFactory(code="3012", municipality=world.rotterdam),
    )
    lesson = lesson_save(actor=pm_amsterdam, data=lesson_data(tried="Met Kees Bakker van ORAM."))
    assert lesson.pk


def test_the_name_check_queries_a_big_region_without_reading_its_people(
    world, django_assert_max_num_queries
):
    postcode = world.amsterdam.postcodes.first()
    CandidateFactory(first_name="Jan", last_name="de Vries", postcode=postcode)
    text = "Het werkgeversservicepunt belde met Jan de Vries. " + "woord " * 400
    with django_assert_max_num_queries(2):
        assert personal_data.names_in({"result": text}, world.am18.pk) == "result"


def test_visibility_internal_for_the_region_shared_for_everyone(
    world, pm_amsterdam, pm_rotterdam, make_member, write_lesson
):
    internal = write_lesson(pm_amsterdam, title="Intern")
    shared = lesson_share(actor=pm_amsterdam, lesson=write_lesson(pm_amsterdam, title="Gedeeld"))
    own_colleague = actor_for(make_member("klantmanager", "AM18"))
    analyst = actor_for(make_member("analist_szw", "AM18"))
    team = actor_for(make_member("ondersteuningsteam", "AM18"))
    employer = actor_for(make_member("werkgever", "AM18"))

    def seen(actor):
        return set(Lesson.objects.visible_to(actor).values_list("title", flat=True))

    assert seen(pm_amsterdam) == seen(own_colleague) == {"Intern", "Gedeeld"}
    assert seen(pm_rotterdam) == seen(analyst) == seen(team) == {"Gedeeld"}
    assert seen(employer) == set()
    assert internal.visibility == "intern" and shared.shared_at is not None
    assert _events("lesson.shared") == 1


def test_only_the_regions_own_writers_change_a_lesson(
    pm_amsterdam, pm_rotterdam, write_lesson, make_member
):
    lesson = write_lesson(pm_amsterdam)
    with pytest.raises(NotFoundError):
        lesson_save(actor=pm_rotterdam, data=lesson_data(title="Overschreven"), lesson=lesson)
    with pytest.raises(PermissionDeniedError):
        lesson_save(actor=actor_for(make_member("ondersteuningsteam", "AM18")), data=lesson_data())
    changed = lesson_save(actor=pm_amsterdam, data={"title": "Beter"}, lesson=lesson)
    assert changed.title == "Beter"
    event = AuditEvent.objects.get(event="lesson.changed")
    assert event.changes == {"title": ["Proefplaatsingen bij zorgwerkgevers", "Beter"]}


def test_the_activity_must_be_of_the_regions_own_plan(world, pm_amsterdam, pm_rotterdam):
    plan = make_plan(
        pm_rotterdam, world.am22, world.rotterdam, start=date(2026, 1, 1), end=date(2027, 12, 31)
    )
    theirs = make_activity(pm_rotterdam, plan)
    with pytest.raises(ValidationError) as refused:
        lesson_save(actor=pm_amsterdam, data=lesson_data(activity=theirs))
    assert "activity" in refused.value.message_dict


def test_a_region_takes_a_shared_lesson_over_once(
    pm_amsterdam, pm_rotterdam, write_lesson, make_member
):
    lesson = write_lesson(pm_amsterdam)
    with pytest.raises(NotFoundError):  # internal: Rotterdam does not see it
        adoption_add(actor=pm_rotterdam, lesson=lesson)
    lesson_share(actor=pm_amsterdam, lesson=lesson)
    with pytest.raises(ValidationError):  # not its own lesson
        adoption_add(actor=pm_amsterdam, lesson=lesson)
    adoption_add(actor=pm_rotterdam, lesson=lesson, note="Met een jobcoach erbij.")
    colleague = actor_for(make_member("klantmanager", "AM22"))
    with pytest.raises(ValidationError) as refused:
        adoption_add(actor=colleague, lesson=lesson)
    assert "already" in str(refused.value) or "al" in str(refused.value)
    assert Adoption.objects.filter(lesson=lesson).count() == 1
    assert _events("lesson.adopted") == 1


def test_reactions_are_checked_for_personal_data_too(
    world, pm_amsterdam, pm_rotterdam, write_lesson
):
    lesson = lesson_share(actor=pm_amsterdam, lesson=write_lesson(pm_amsterdam))
    CandidateFactory(
        first_name="Ahmed",
        last_name="Yilmaz",
        postcode=PostcodeFactory(code="3013", municipality=world.rotterdam),
    )
    with pytest.raises(ValidationError):
        reaction_add(
            actor=pm_rotterdam,
            lesson=lesson,
            kind="ook_geprobeerd",
            text="Bij ons kreeg Ahmed Yilmaz zo een baan.",
        )
    reaction_add(
        actor=pm_rotterdam,
        lesson=lesson,
        kind="ook_geprobeerd",
        text="Wij probeerden dit ook, met een jobcoach.",
    )
    assert Reaction.objects.get().region_id == world.am22.pk
    assert _events("lesson.reaction_added") == 1


def test_dates_in_order(pm_amsterdam):
    with pytest.raises(ValidationError):
        lesson_save(
            actor=pm_amsterdam,
            data=lesson_data(started_on=date(2026, 5, 1), ended_on=date(2026, 5, 1) - timedelta(1)),
        )
