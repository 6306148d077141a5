""" "Who looked at my data": the person's own access log in words — day, organisation, role,
what and why — without user names or identifiers, and nothing about other people."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from perspectief.audit.models import AccessRecord, subject_pseudonym

from ..conftest import sign_in
from ..factories import CandidateFactory

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.mark.django_db
def test_the_person_sees_who_looked_in_words_and_nothing_of_others(client, make_member, settings):
    km = make_member("klantmanager")
    seeker = make_member("werkzoekende")
    person = CandidateFactory(served_by=km.organisation, user=seeker.user)
    # Names Faker never gives: the page shows the person's own name, which Faker may have
    # drawn from the same family names (CI once found "Broeders" twice).
    km.user.last_name = "Kijkertjesz"
    km.user.save(update_fields=["last_name"])
    other = CandidateFactory(served_by=km.organisation, last_name="Anderenbeek-Vreemd")
    elsewhere = make_member("klantmanager", "AM22")
    sign_in(client, km.user)
    client.get(reverse("candidates:detail", args=[person.uuid]))
    client.get(reverse("candidates:detail", args=[person.uuid]))
    client.get(reverse("candidates:detail", args=[other.uuid]))
    sign_in(client, elsewhere.user)
    assert client.get(reverse("candidates:detail", args=[person.uuid])).status_code == 404

    sign_in(client, seeker.user)
    client.get(reverse("candidates:self"))  # the person's own visit
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("candidates:self-access-log"))
    assert response.status_code == 200
    rows = response.context["rows"]
    # The two reads of the person's page on one day are one line, said twice; the refused
    # attempt from the other region showed nothing and is left out, like the own visits.
    assert len(rows) == 1
    (row,) = rows
    assert row.organisation == km.organisation.name
    assert row.times == 2
    page = response.content.decode()
    assert escape(km.organisation.name) in page
    assert "client manager (klantmanager)" in page  # the role in words
    assert "guidance to work" in page  # the purpose in words
    assert "viewed" in page
    # No staff names, user names or identifiers; nothing about the other person.
    assert km.user.username not in page and km.user.last_name not in page
    assert str(person.uuid) not in page and not UUID.search(page)
    assert "candidate.service" not in page
    assert other.last_name not in page
    # Looking at the list is itself recorded (as the person's own processing).
    assert AccessRecord.objects.filter(
        activity="candidate.self", actor_user_id=seeker.user.pk
    ).exists()


@pytest.mark.django_db
def test_an_account_without_a_record_has_no_log(client, make_member):
    seeker = make_member("werkzoekende")
    sign_in(client, seeker.user)
    assert client.get(reverse("candidates:self-access-log")).status_code == 404


@pytest.mark.django_db
def test_the_log_is_paged(client, make_member):
    km = make_member("klantmanager")
    seeker = make_member("werkzoekende")
    person = CandidateFactory(served_by=km.organisation, user=seeker.user)
    AccessRecord.objects.bulk_create(
        AccessRecord(
            trace_id="t",
            started_at=f"2026-0{1 + day // 28}-{1 + day % 28:02d}T10:00:00+01:00",
            activity="candidate.service",
            data_subject=subject_pseudonym("candidate", person.uuid),
            data_subject_type="candidate",
            actor_user_id=km.user.pk,
            actor_display=km.user.username,
            organisation_id=km.organisation.pk,
            organisation_name=km.organisation.name,
            role="klantmanager",
            channel="web",
            operation="read",
            result="ok",
        )
        for day in range(45)
    )
    sign_in(client, seeker.user)
    first = client.get(reverse("candidates:self-access-log"))
    assert len(first.context["rows"]) == 30
    assert first.context["rows"][0].day > first.context["rows"][-1].day
    second = client.get(reverse("candidates:self-access-log") + "?page=2")
    assert len(second.context["rows"]) == 15
    assert client.get(reverse("candidates:self-access-log") + "?page=x").status_code == 400
