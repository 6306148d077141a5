"""A questionnaire's title is said in the reader's language from its kind and period, not
stored in the language of whoever made it; a title the team typed is kept as typed. The
migration empties the default titles stored before (in either language)."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from perspectief.support.models import Questionnaire
from perspectief.support.services import questionnaires, reflection

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "perspectief.support.migrations.0002_questionnaire_title_said_in_the_readers_language"
)


def _progress(team, title=""):
    return questionnaires.progress_create(
        actor=team,
        data=questionnaires.ProgressInput(
            year=2026, quarter=3, deadline=date(2026, 10, 15), title=title
        ),
    )


def test_the_default_title_follows_the_readers_language(team):
    with translation.override("nl"):  # made in the Dutch UI
        made = _progress(team)
    made.refresh_from_db()
    assert made.title == ""
    with translation.override("en"):
        assert made.display_title == "Progress 2026 Q3"
        assert str(made) == "Progress 2026 Q3"
    with translation.override("nl"):  # the msgid until the lead compiles the translations
        assert made.display_title in ("Voortgang 2026 K3", "Progress 2026 Q3")


def test_a_typed_title_is_kept_in_every_language(team):
    made = _progress(team, title="  Voortgang zomer 2026 ")
    for language in ("nl", "en"):
        with translation.override(language):
            assert made.display_title == "Voortgang zomer 2026"


def test_a_reflection_round_is_titled_in_the_readers_language(actor_as):
    pm = actor_as("programmamanager", "AM18")
    with translation.override("en"):
        made = reflection.round_open(
            actor=pm,
            data=reflection.RoundInput(
                period_start=date(2026, 7, 1),
                period_end=date(2026, 9, 30),
                deadline=date(2026, 10, 14),
            ),
        )
    made.refresh_from_db()
    assert made.title == ""
    with translation.override("nl"):
        assert made.display_title == "Reflectie Groot Amsterdam 1 jul. 2026 – 30 sep. 2026"
    with translation.override("en"):
        assert made.display_title == "Reflection Groot Amsterdam 1 Jul 2026 – 30 Sep 2026"


@pytest.mark.parametrize(
    ("language", "shown"),
    # Dutch: the msgid until the lead compiles the translations of this branch.
    [("nl", ("Voortgang 2026 K3", "Progress 2026 Q3")), ("en", ("Progress 2026 Q3",))],
)
def test_the_pages_show_the_title_in_the_readers_language(client_as, team, language, shown):
    with translation.override("nl" if language == "en" else "en"):  # made in the other one
        made = _progress(team)
    client, _membership = client_as("ondersteuningsteam")
    page = client.get(
        reverse("support:questionnaire", args=[made.uuid]), HTTP_ACCEPT_LANGUAGE=language
    )
    with translation.override(language):
        expected = str(made)
    assert expected in shown
    assert f"<h1>{expected}</h1>" in page.content.decode()


def test_the_migration_empties_default_titles_and_keeps_typed_ones(world, team):
    stored = {
        "Progress Q3 2026": (2026, 3),
        "Voortgang Q4 2026": (2026, 4),
        "Voortgang Q2 2026": (2026, 1),  # not this quarter's default: typed
        "Kwartaaluitvraag zomer": (2025, 3),
    }
    for title, (year, quarter) in stored.items():
        Questionnaire.objects.create(
            kind="voortgang",
            title=title,
            year=year,
            quarter=quarter,
            period_start=date(year, 3 * quarter - 2, 1),
            period_end=date(year, 3 * quarter, 28),
            deadline=date(year, 12, 31),
        )
    for word in ("Reflectie", "Reflection"):
        Questionnaire.objects.create(
            kind="reflectie",
            title=f"{word} Groot Amsterdam 1-7-2026 – 30-9-2026",
            region=world.am18,
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
            deadline=date(2026, 10, 14),
        )
    migration.forget_default_titles(apps, None)
    titles = sorted(Questionnaire.objects.values_list("title", flat=True))
    assert titles == ["", "", "", "", "Kwartaaluitvraag zomer", "Voortgang Q2 2026"]
    migration.store_dutch_titles(apps, None)
    assert Questionnaire.objects.filter(title="Voortgang Q4 2026").exists()
    assert (
        Questionnaire.objects.filter(title="Reflectie Groot Amsterdam 1-7-2026 – 30-9-2026").count()
        == 2
    )
