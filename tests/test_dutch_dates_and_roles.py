"""Issue #14 item 13: a Dutch page shows Dutch dates ("6 dec.", not "6 Dec") and roles in words
("analist SZW", not ``analist_szw``). Dates are formatted one way: Django's localized ``date``
filter for full and numeric dates, ``perspectief.core.dates`` for abbreviated months."""

import datetime
import json
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.candidates.models import Candidate
from perspectief.core import dates
from perspectief.core.authz import Role
from perspectief.vacancies.models import EmployerRequest
from perspectief.vacancies.services import bulk

from .conftest import sign_in
from .monitoring.helpers import transition as _transition
from .vacancies.test_bulk_requests import employer, place  # noqa: F401 (fixtures)

SRC = Path(__file__).resolve().parents[1] / "src" / "perspectief"
ENGLISH_MONTH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|"
    r"June|July|August|September|October|November|December)\b"
)
ROLE_IDENTIFIER = re.compile(r"\b(" + "|".join(v for v in Role.values if "_" in v) + r")\b")


def _text(response) -> str:
    """What a reader sees: the page without its tags, scripts and attribute values, and without
    the names of the people and users in the database: Faker's Dutch first names include "Jan",
    which is a name there, not a month."""
    html = response.content.decode()
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    names = set()
    for model in (get_user_model(), Candidate):
        for first, last in model.objects.values_list("first_name", "last_name"):
            names.update(name for name in (first, last) if name)
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text)
    return text


# --- the one helper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "day", "expected", "with_year"),
    [
        ("nl", datetime.date(2026, 12, 6), "6 dec.", "6 dec. 2026"),
        ("nl", datetime.date(2027, 3, 1), "1 mrt.", "1 mrt. 2027"),
        ("nl", datetime.date(2027, 5, 9), "9 mei", "9 mei 2027"),
        ("en", datetime.date(2026, 12, 6), "6 Dec", "6 Dec 2026"),
    ],
)
def test_an_abbreviated_date_is_written_as_the_language_writes_it(
    language, day, expected, with_year
):
    with translation.override(language):
        assert dates.day_month(day) == expected
        assert dates.day_month_year(day) == with_year


def test_an_abbreviated_moment_is_in_local_time(settings):
    late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 1 January in NL
    with translation.override("nl"), timezone.override("Europe/Amsterdam"):
        assert dates.day_month(late) == "1 jan."


def test_no_template_or_code_abbreviates_a_month_its_own_way():
    """``date:"M"`` gives "Dec" on a Dutch page and ``strftime("%b")`` is English whatever the
    language: both go through ``perspectief.core.dates`` instead."""
    offending = []
    month_letters = re.compile(r"(?<!\\)[MbN]")  # month abbreviations of Django's own
    for path in sorted((SRC / "templates").rglob("*.html")):
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if fmt.isupper():  # a named format (DATE_FORMAT, SHORT_DATETIME_FORMAT, ...)
                continue
            if month_letters.search(fmt.replace("F", "")):
                offending.append(f"{path.relative_to(SRC)}: {fmt}")
    for path in sorted(SRC.rglob("*.py")):
        if re.search(r"%[bBaA]\b|:%[bBaA]", path.read_text()):
            offending.append(str(path.relative_to(SRC)))
    assert offending == []


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_place_page_writes_its_dates_in_dutch(client, place, make_member):  # noqa: F811
    membership = make_member("accountmanager")
    actor = actor_for(membership)
    bulk.phase_add(
        actor=actor, vacancy=place, starts_on=datetime.date(2027, 3, 1), places=40, note="eerste"
    )
    bulk.phase_add(
        actor=actor, vacancy=place, starts_on=datetime.date(2027, 12, 6), places=20, note="twee"
    )
    sign_in(client, membership.user)
    with translation.override("nl"):
        text = _text(client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})))
    assert ENGLISH_MONTH.findall(text) == []
    assert "1 mrt. 2027" in text  # the fill chart's caption


@pytest.mark.django_db
def test_a_message_writes_a_date_as_the_pages_do(place, make_member):  # noqa: F811
    from django.core.exceptions import ValidationError

    actor = actor_for(make_member("accountmanager"))
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        bulk.phase_add(actor=actor, vacancy=place, starts_on=datetime.date(2027, 2, 1), places=1)
    assert "(1-3-2027)" in refused.value.message_dict["starts_on"][0]


@pytest.mark.django_db
def test_the_dashboard_chart_names_the_months_in_dutch(client, world, make_member):
    from .factories import CandidateFactory

    km = make_member("klantmanager")
    for month in (3, 5, 10, 12):
        _transition(
            CandidateFactory(served_by=km.organisation), "geplaatst", datetime.date(2025, month, 2)
        )
    sign_in(client, make_member("programmamanager").user)
    with translation.override("nl"):
        response = client.get(
            reverse("monitoring:dashboard"), {"start": "2025-01-01", "end": "2025-12-31"}
        )
    text = _text(response)
    assert ENGLISH_MONTH.findall(text) == []
    for label in ("mrt.", "mei", "okt.", "dec."):
        assert f">{label}</text>" in response.content.decode()


@pytest.mark.django_db
def test_the_request_queue_writes_its_dates_in_dutch(client, make_member, world):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)):
        item = EmployerRequest.objects.create(
            region=world.am18,
            company_name="Lasbedrijf De Vonk",
            contact_name="Marja Smit",
            email="marja@example.invalid",
            postcode=world.amsterdam.postcodes.first(),
            message="Wij zoeken 3 lassers",
            due_at=timezone.now() + datetime.timedelta(days=4),
        )
    EmployerRequest.objects.filter(pk=item.pk).update(
        first_contact_at=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    )
    sign_in(client, make_member("accountmanager").user)
    with translation.override("nl"):
        text = _text(client.get(reverse("vacancies:requests")))
    assert "Lasbedrijf De Vonk" in text
    assert ENGLISH_MONTH.findall(text) == []
    assert "24 nov. 11:00" in text and "1 dec." in text


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_the_role_as_a_code_and_in_words(client, make_member):
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    me = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="nl").json()
    assert (me["role"], me["roleLabel"]) == ("analist_szw", "analist SZW")
    officer = make_member("functioneel_beheerder")
    access.record(
        actor=actor_for(analyst),
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=officer.user.uuid,
    )
    sign_in(client, officer.user)
    body = client.get(
        reverse("api:access-log"), {"person": str(officer.user.uuid)}, HTTP_ACCEPT_LANGUAGE="nl"
    ).json()
    [record] = [r for r in body["results"] if r["activity"] == "account.view"]
    assert (record["role"], record["roleLabel"]) == ("analist_szw", "analist SZW")


def test_the_demo_lists_its_accounts_with_the_roles_in_words(settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    out = StringIO()
    with translation.override("nl"):
        call_command("demo", "--list-accounts", stdout=out)
    table = out.getvalue()
    assert ROLE_IDENTIFIER.findall(table) == []
    assert "analist SZW" in table and "functioneel beheerder" in table
    # The JSON, read by scripts, keeps the code next to the words.
    out = StringIO()
    call_command("demo", "--list-accounts", "--json", stdout=out)
    assert {"analist_szw"} <= {a["role"] for a in json.loads(out.getvalue())}


@pytest.mark.django_db
def test_the_pages_that_show_roles_show_them_in_words(client, make_member):
    officer = make_member("functioneel_beheerder")
    analyst = make_member("analist_szw")
    access.record(
        actor=actor_for(analyst),
        activity=ProcessingActivity.ACCOUNT_VIEW,
        subject_type=SubjectType.USER,
        subject_id=officer.user.uuid,
    )
    sign_in(client, officer.user)
    with translation.override("nl"):
        pages = [
            client.get(reverse("home")),
            client.get(reverse("accounts:profile")),
            client.get(reverse("access-log"), {"person": str(officer.user.uuid)}),
            client.get(reverse("access-log-overview"), {"person": str(officer.user.uuid)}),
        ]
    for response in pages:
        assert response.status_code == 200
        assert ROLE_IDENTIFIER.findall(_text(response)) == []
    assert "analist SZW" in _text(pages[2]) and "functioneel beheerder" in _text(pages[1])


@pytest.mark.django_db
def test_the_home_page_says_a_role_once_when_the_organisation_is_named_after_it(
    client, make_member
):
    """Walk of #19: "als Landelijk ondersteuningsteam voor Landelijk ondersteuningsteam
    Perspectief op Werk"."""
    team = make_member("ondersteuningsteam")
    team.organisation.name = "Landelijk ondersteuningsteam Perspectief op Werk"
    team.organisation.save(update_fields=["name"])
    manager = make_member("programmamanager")
    with translation.override("nl"):
        sign_in(client, team.user)
        said = _text(client.get(reverse("home")))
        sign_in(client, manager.user)
        other = _text(client.get(reverse("home")))
        once = gettext("You work here for %(org)s.") % {"org": team.organisation.name}
    assert once in said  # "Je werkt hier voor Landelijk ondersteuningsteam Perspectief op Werk."
    assert "als Landelijk ondersteuningsteam" not in said
    assert re.search(r"Je werkt hier als \S[^.]* voor ", other)  # another role: both said
    # The header bar too: the organisation's name, not "role · the same words again".
    assert not re.search(r"ondersteuningsteam\s+·\s+Landelijk", said)
    assert "Landelijk ondersteuningsteam Perspectief op Werk" in said
    assert re.search(r"[Pp]rogrammamanager\s+· ", other)
