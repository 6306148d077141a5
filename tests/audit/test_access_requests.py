"""The functioneel beheerder answers a request for access (AVG art. 15): finds the person by
BSN (blind index, never in a URL) or by name and date of birth, filters the person's
processings, exports them and prints a readable overview in Dutch; every search, look-up
and export is itself in the access log (issue #14 item 7)."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory

BSN = "111222333"


def _log(candidate):
    return AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid)


def _inspections(candidate):
    return _log(candidate).filter(activity=ProcessingActivity.ACCESS_LOG_INSPECT)


@pytest.fixture
def setting(make_member, world, client):
    officer = make_member("functioneel_beheerder", "AM18")
    km = make_member("klantmanager", "AM18")
    jobcoach = MembershipFactory(
        role="jobcoach",
        organisation=OrganisationFactory(kind="intermediary", municipality=world.amsterdam),
    )
    person = CandidateFactory(
        served_by=km.organisation,
        bsn=BSN,
        first_name="Fenna",
        last_name="Ubbink",
        date_of_birth=datetime.date(1990, 4, 2),
    )
    # Three processings: the klantmanager (two activities, today), the jobcoach (40 days ago).
    for activity in (ProcessingActivity.CANDIDATE_SERVICE, ProcessingActivity.ROUTE_PLAN):
        access.record_candidate(actor_for(km), person, activity)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40)):
        access.record_candidate(actor_for(jobcoach), person, ProcessingActivity.CANDIDATE_HEALTH)
    sign_in(client, officer.user)
    return {
        "officer": officer,
        "km": km,
        "jobcoach": jobcoach,
        "person": person,
        "client": client,
    }


@pytest.mark.django_db
def test_find_a_person_by_bsn_without_the_bsn_in_any_url(setting):
    client, person = setting["client"], setting["person"]
    response = client.post(reverse("access-log"), {"bsn": "111 222 333"})
    assert response.status_code == 302
    assert BSN not in response["Location"]
    assert response["Location"].endswith(f"?person={person.uuid}")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Fenna Ubbink" in page.content.decode()
    assert page.context["page"].paginator.count >= 3
    # The search and the look-up are both in the person's log, neither request names the BSN.
    searches = _inspections(person)
    assert {r.request for r in searches} == {"POST /access-log/", "GET /access-log/"}
    assert not AccessRecord.objects.filter(request__contains=BSN).exists()


@pytest.mark.django_db
def test_a_person_of_another_region_is_not_found_by_bsn(make_member, world, client):
    officer = make_member("functioneel_beheerder", "AM22")
    km = make_member("klantmanager", "AM18")
    CandidateFactory(served_by=km.organisation, bsn=BSN)
    sign_in(client, officer.user)
    response = client.post(reverse("access-log"), {"bsn": BSN})
    assert response.status_code == 200
    assert response.context["found"] == []
    assert "Geen persoon uit je regio gevonden" in response.content.decode() or (
        "No person" in response.content.decode()
    )
    assert not AccessRecord.objects.filter(activity=ProcessingActivity.ACCESS_LOG_INSPECT).exists()


@pytest.mark.django_db
def test_an_invalid_bsn_or_too_little_to_search_on_is_refused(setting):
    client = setting["client"]
    wrong = client.post(reverse("access-log"), {"bsn": "123456789"})
    assert wrong.status_code == 400 and "elfproef" in wrong.content.decode()
    bare = client.post(reverse("access-log"), {"last_name": "Ubbink"})
    assert bare.status_code == 400
    assert "achternaam en geboortedatum" in bare.content.decode()


@pytest.mark.django_db
def test_find_by_name_and_date_of_birth_lists_the_people_and_logs_each(setting):
    client, person = setting["client"], setting["person"]
    twin = CandidateFactory(
        served_by=setting["km"].organisation,
        first_name="Femke",
        last_name="Ubbink",
        date_of_birth=person.date_of_birth,
    )
    CandidateFactory(  # same name, other date of birth: not found
        served_by=setting["km"].organisation,
        last_name="Ubbink",
        date_of_birth=datetime.date(1971, 1, 1),
    )
    response = client.post(
        reverse("access-log"), {"last_name": " ubbink ", "date_of_birth": "1990-04-02"}
    )
    assert response.status_code == 200
    assert {p.uuid for p in response.context["found"]} == {str(person.uuid), str(twin.uuid)}
    assert _inspections(person).count() == 1 and _inspections(twin).count() == 1
    # With the first name it is one person: straight to the log.
    one = client.post(
        reverse("access-log"),
        {"last_name": "Ubbink", "first_name": "fenna", "date_of_birth": "1990-04-02"},
    )
    assert one.status_code == 302 and str(person.uuid) in one["Location"]


@pytest.mark.django_db
def test_filter_by_period_user_organisation_and_activity(setting):
    client, person, km = setting["client"], setting["person"], setting["km"]
    url = reverse("access-log")

    def count(**params):
        response = client.get(url, {"person": str(person.uuid), **params})
        assert response.status_code == 200, response.content
        return response.context["page"].paginator.count

    assert count(activity="route.plan") == 1
    assert count(user=km.user.username) == 2
    assert count(organisation=str(setting["jobcoach"].organisation.pk)) == 1
    today = timezone.localdate()
    month_ago = (today - datetime.timedelta(days=30)).isoformat()
    assert count(until=month_ago) == 1  # the jobcoach's, 40 days ago
    assert count(**{"from": month_ago, "user": km.user.username}) == 2
    assert count(**{"from": (today + datetime.timedelta(days=1)).isoformat()}) == 0
    bad = client.get(url, {"person": str(person.uuid), "from": "gisteren"})
    assert bad.status_code == 400 and "jjjj-mm-dd" in bad.content.decode()


@pytest.mark.django_db
def test_export_the_result_as_csv_and_the_export_is_logged(setting):
    client, person, km = setting["client"], setting["person"], setting["km"]
    response = client.get(
        reverse("access-log-export"), {"person": str(person.uuid), "user": km.user.username}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Tijd", "Verwerkingsactiviteit", "Handeling", "Organisatie"]
    assert len(rows) == 3  # the klantmanager's two processings
    assert {row[5] for row in rows[1:]} == {km.user.username}
    assert all("." not in row[1].split()[0] for row in rows[1:])  # words, not codes
    exports = _inspections(person).filter(operation="export")
    assert exports.count() == 1 and exports.get().request == "GET /access-log/export/"


@pytest.mark.django_db
def test_a_readable_overview_for_the_person_in_dutch(setting, client):
    person, km = setting["person"], setting["km"]
    client.cookies.load({"django_language": "en"})  # the officer reads English…
    response = setting["client"].get(reverse("access-log-overview"), {"person": str(person.uuid)})
    assert response.status_code == 200
    text = response.content.decode()
    # …the overview for the person is Dutch, in words: organisation, data, purpose, when.
    assert "Overzicht van de verwerking van persoonsgegevens" in text
    assert escape(km.organisation.name) in text
    assert "functionele beperkingen" in text  # which data (jobcoach: health)
    assert "begeleiding naar werk" in text  # why (the klantmanager's legal task)
    assert timezone.localdate().strftime("%Y") in text
    printed = re.sub(r'<p class="document__actions">.*?</p>', "", text, flags=re.S)
    for code in ("candidate.service", "route.plan", "candidate.health", str(person.uuid)):
        assert code not in printed
    assert _inspections(person).filter(operation="export").count() == 1


@pytest.mark.django_db
def test_another_regions_officer_gets_404_on_export_and_overview(setting, make_member, client):
    other = make_member("functioneel_beheerder", "AM22")
    sign_in(client, other.user)
    for name in ("access-log-export", "access-log-overview"):
        response = client.get(reverse(name), {"person": str(setting["person"].uuid)})
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["access-log", "access-log-export", "access-log-overview"])
@pytest.mark.parametrize("value", ["²", "١٢", "-1", "1.0"])
def test_an_organisation_filter_that_is_no_plain_number_is_a_400(setting, name, value):
    """``str.isdigit`` also says yes to superscripts and other scripts' digits, which
    ``int()`` refuses (or reads as another number): a 400, never a 500 (#14 review)."""
    client, person = setting["client"], setting["person"]
    client.raise_request_exception = False
    response = client.get(reverse(name), {"person": str(person.uuid), "organisation": value})
    assert response.status_code == 400
