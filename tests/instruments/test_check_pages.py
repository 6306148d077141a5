""" "Wat kan deze werkgever krijgen?" for a real case (#17 check): the done-when hire of a
57-year-old who had WW, the facts that are unknown named, the fill-in form, the employer's
view without the person's benefit, age, limitation or name, and who may see which case."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import CandidateTargetGroup, HealthInformation
from perspectief.core.dates import add_months
from perspectief.instruments.loaders import load_instruments
from perspectief.instruments.views import check_rows
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.matching.services.proposals import introduction_record
from perspectief.organisations.models import EmployerAccount
from perspectief.routes.services.support import plan_for_hire
from perspectief.vacancies.models import CohortMember, IntakePhase, Vacancy
from tests.conftest import sign_in
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=20)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, -12 * years)


@pytest.fixture
def case(world, make_member):
    load_instruments()
    km = make_member("klantmanager")
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    employer = EmployerAccount.objects.create(organisation=organisation, kvk_number="11112222")
    employer_user = MembershipFactory(organisation=organisation, role="werkgever")
    place = Vacancy.objects.create(
        employer=employer,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        wage_min="15.00",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    person = CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        first_name="Gerrit",
        last_name="Zeldzaamnaam",
        benefit="ww",
        date_of_birth=_years_before(START, 57) - datetime.timedelta(days=40),
    )
    proposal = Proposal.objects.create(
        vacancy=place,
        candidate=person,
        proposed_for=km.organisation,
        status="hired",
        start_date=START,
        contract="tijdelijk",
    )
    return km, employer, employer_user, place, person, proposal


def _partner(world, role="accountmanager"):
    """Staff of UWV's WSP, who see the person through the regional consent (no name)."""
    organisation = OrganisationFactory(kind="uwv", municipality=world.amsterdam, region=world.am18)
    membership = MembershipFactory(organisation=organisation, role=role)
    TOTPDeviceFactory(user=membership.user)
    return membership


def _english(client):
    client.cookies.load({"django_language": "en"})
    return client


def _section(html: str, code: str) -> str:
    match = re.search(rf'<section class="card" id="instrument-{code}".*?</section>', html, re.S)
    assert match, f"no section for {code}"
    return re.sub(r"\s+", " ", match.group(0))


def _page(client, membership, url, **params):
    sign_in(_english(client), membership.user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_hire_of_a_57_year_old_with_ww_shows_lkv_no_risk_and_the_trial(client, case, world):
    *_rest, proposal = case
    am = _partner(world)
    url = reverse("instruments:check-proposal", args=[proposal.uuid])
    html = _page(client, am, url)
    lkv = _section(html, "LKV")
    assert "category: older employee" in lkv
    assert "at most € 6,000 a year" in lkv
    assert "36 months" in lkv
    # The records cannot prove the person did not work here before: can't tell yet, and
    # the missing fact is named.
    assert "Can't tell yet" in lkv
    assert "missing: worked for this employer in the 6 months before" in lkv
    assert "<strong>met</strong>: 56 or older at the start" in lkv
    assert "not confirmed" in lkv
    no_risk = _section(html, "NO_RISK")
    assert "Can't tell yet" in no_risk and "weeks on benefit" in no_risk
    trial = _section(html, "PROEFPLAATSING")
    assert "passed" in trial and "was possible before the start" in trial
    assert "Not known yet:" in html and "weeks on benefit" in html
    # The account manager sees the person through consent: no name.
    assert "Zeldzaamnaam" not in html


@pytest.mark.django_db
def test_what_the_adviser_adds_recomputes_the_answer(client, case, world):
    *_rest, proposal = case
    am = _partner(world)
    url = reverse("instruments:check-proposal", args=[proposal.uuid])
    html = _page(client, am, url, workedHereBefore="no", weeksOnBenefit="60")
    lkv = _section(html, "LKV")
    assert "Qualifies" in lkv and "Can't tell yet" not in lkv
    assert "€ 5,075.20" in lkv  # 32 hours × 52 weeks × € 3,05, under the maximum
    assert "Total over the duration" in lkv and "€ 15,225.60" in lkv
    assert "Qualifies" in _section(html, "NO_RISK")
    # Worked here before: no LKV, and the reason says which condition failed.
    html = _page(client, am, url, workedHereBefore="yes")
    lkv = _section(html, "LKV")
    assert "Does not qualify" in lkv
    assert "<strong>not met</strong>: Did not work for this employer" in lkv


@pytest.mark.django_db
def test_the_fill_in_form_refuses_bad_values_with_the_reason(client, case, world):
    _km, _employer, _user, place, _person, proposal = case
    am = _partner(world)
    url = reverse("instruments:check-proposal", args=[proposal.uuid])
    html = _page(client, am, url, hoursPerWeek="80", wageValuePercent="veel")
    assert "must be between 0 and 60" in html
    assert "give a number" in html
    assert 'value="80"' in html  # nothing typed is lost
    # The answer is still the one from the records (32 hours, not 80).
    assert "€ 5,075.20" in _section(html, "LKV")
    client.cookies.load({"django_language": "nl"})
    html = client.get(url, {"hoursPerWeek": "0"}).content.decode()
    assert "geef meer dan 0 uur per week" in html
    place.place_type = "leerwerkplek"
    place.save()
    html = client.get(url, {"trainingCompany": "no"}).content.decode()
    assert "een BBL-leerbaan kan alleen bij een erkend leerbedrijf" in html


@pytest.mark.django_db
def test_the_serving_klantmanager_sees_the_name_and_a_recorded_limitation(client, case):
    km, _employer, _user, _place, person, proposal = case
    HealthInformation.objects.create(candidate=person, functional_limitations="Rug")
    CandidateTargetGroup.objects.create(candidate=person, group="banenafspraak")
    url = reverse("instruments:check-proposal", args=[proposal.uuid])
    html = _page(client, km, url)
    assert "Gerrit Zeldzaamnaam" in html
    # With a limitation and the register, the no-risk policy's first category applies.
    assert "Qualifies" in _section(html, "NO_RISK")
    assert "Also applies" in _section(html, "LKV") or "May also apply" in _section(html, "LKV")
    assert (
        AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
        .filter(activity="candidate.health")
        .exists()
    )


@pytest.mark.django_db
def test_the_read_is_in_the_access_log(client, case, world):
    *_rest, person, proposal = case
    am = _partner(world)
    _page(client, am, reverse("instruments:check-proposal", args=[proposal.uuid]))
    records = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
    assert records.filter(activity="candidate.partner_view", operation="read").exists()


@pytest.mark.django_db
def test_the_employer_sees_no_benefit_age_limitation_or_name(client, case):
    _km, _employer, employer_user, _place, person, proposal = case
    HealthInformation.objects.create(candidate=person, functional_limitations="Rug")
    url = reverse("instruments:employer-check", args=[proposal.uuid])
    html = _page(client, employer_user, url)
    assert "Orderpicker" in html and "LKV" in html
    assert "at most € 6,000 a year" in html
    assert "Your account manager can tell you why" in html
    # What a reader sees: the text, not the markup (a CSRF token may spell anything).
    text = re.sub(r"<[^>]+>", " ", html)
    for secret in (
        "Zeldzaamnaam",
        "Gerrit",
        r"\bWW\b",
        "unemployment",
        "older employee",
        "56 or older",
        r"\b57\b",
        "limitation",
        "Rug",
        "banenafspraak",
        "Not known",
        "worked for this employer",
    ):
        assert not re.search(secret, text), secret
    assert (
        AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
        .filter(activity="employer.anonymous_view")
        .exists()
    )


@pytest.mark.django_db
def test_the_employer_page_links_and_dutch_addresses_with_u(client, case):
    *_rest, employer_user, place, _person, proposal = case
    sign_in(client, employer_user.user)
    page = client.get(reverse("employer:place", args=[place.uuid])).content.decode()
    assert reverse("instruments:employer-check", args=[proposal.uuid]) in page


@pytest.mark.django_db
def test_other_employers_and_organisations_do_not_find_the_case(client, case, make_member):
    *_rest, proposal = case
    other = make_member("werkgever")
    EmployerAccount.objects.create(organisation=other.organisation, kvk_number="99998888")
    sign_in(client, other.user)
    assert client.get(reverse("instruments:employer-check", args=[proposal.uuid])).status_code == (
        404
    )
    assert client.get(reverse("instruments:check-proposal", args=[proposal.uuid])).status_code == (
        403
    )
    # Staff of another region do not see the person: not found.
    elsewhere = make_member("accountmanager", "AM22")
    sign_in(client, elsewhere.user)
    assert client.get(reverse("instruments:check-proposal", args=[proposal.uuid])).status_code == (
        404
    )
    # A programme manager sees instruments but not people.
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    assert client.get(reverse("instruments:check-proposal", args=[proposal.uuid])).status_code == (
        403
    )


@pytest.mark.django_db
def test_a_hire_outside_the_platform_and_a_cohort_place(client, case):
    km, _employer, _user, place, person, _proposal = case
    hire = OutsideHire.objects.create(
        candidate=person,
        employer_name="Bakkerij De Korrel",
        job_title="Bakker",
        contract="vast",
        start_date=START,
        recorded_for=km.organisation,
    )
    html = _page(client, km, reverse("instruments:check-hire", args=[hire.uuid]))
    assert "Bakker, Bakkerij De Korrel" in html
    assert "hours per week" in html  # not recorded for an outside hire: asked
    phase = IntakePhase.objects.create(
        vacancy=place, starts_on=TODAY + datetime.timedelta(30), places=2
    )
    member = CohortMember.objects.create(
        vacancy=place, candidate=person, phase=phase, added_by=km.organisation
    )
    html = client.get(reverse("instruments:check-cohort", args=[member.uuid])).content.decode()
    lkv = _section(html, "LKV")
    assert "older employee" in lkv
    # Before the start, the trial placement can still be asked for.
    assert "passed" not in _section(html, "PROEFPLAATSING")


@pytest.mark.django_db
def test_the_person_page_links_to_the_case(client, case):
    km, *_rest, person, proposal = case
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[person.uuid])).content.decode()
    assert reverse("instruments:check-proposal", args=[proposal.uuid]) in page


@pytest.mark.django_db
def test_the_support_plan_and_the_cohort_link_to_the_case(client, case):
    km, _employer, _user, place, person, proposal = case
    plan = plan_for_hire(actor=actor_for(km), proposal=proposal)
    sign_in(client, km.user)
    page = client.get(reverse("route:support-plan", args=[plan.uuid])).content.decode()
    assert reverse("instruments:check-proposal", args=[proposal.uuid]) in page
    member = CohortMember.objects.create(vacancy=place, candidate=person, added_by=km.organisation)
    page = client.get(reverse("vacancies:detail", args=[place.uuid])).content.decode()
    assert reverse("instruments:check-cohort", args=[member.uuid]) in page


@pytest.mark.django_db
def test_the_employer_sees_the_name_only_after_the_introduction(client, case):
    km, _employer, employer_user, _place, _person, proposal = case
    url = reverse("instruments:employer-check", args=[proposal.uuid])
    assert "Zeldzaamnaam" not in _page(client, employer_user, url)
    introduction_record(method="in_person", actor=actor_for(km), proposal=proposal)
    assert "Gerrit Zeldzaamnaam" in _page(client, employer_user, url)


def _new_application(request):  # pragma: no cover - only reversed, never called
    raise AssertionError


#: A stand-in for the applications page (built by another part of #17), so the link shows.
urlpatterns = [
    path(
        "instruments/",
        include(([path("new/", _new_application, name="application-new")], "instruments")),
    ),
]


def test_an_eligible_instrument_links_to_the_application_once_that_page_exists():
    query = {"proposal": "abc", "instrument": "LKV", "category": "oudere_werknemer"}
    with override_settings(ROOT_URLCONF=__name__):
        url = check_rows.application_url(query)
    assert url == "/instruments/new/?proposal=abc&instrument=LKV&category=oudere_werknemer"
    # Without the page (a URL configuration that lacks it), no link rather than an error.
    with override_settings(ROOT_URLCONF="perspectief.instruments.urls.check"):
        assert check_rows.application_url(query) is None


@pytest.mark.django_db
def test_the_adviser_who_records_applications_gets_the_link(client, case, world):
    *_rest, proposal = case
    am = _partner(world)
    url = reverse("instruments:check-proposal", args=[proposal.uuid])
    html = _page(client, am, url, workedHereBefore="no")
    if check_rows.application_url({}) is None:  # the applications page is not there yet
        assert "Record the application" not in html
    else:
        assert f"proposal={proposal.uuid}&amp;instrument=LKV&amp;category=oudere_werknemer" in (
            html
        )


@pytest.mark.django_db
def test_a_deadline_before_today_is_marked_passed(client, case, world):
    *_rest, person, proposal = case
    proposal.start_date = add_months(TODAY, -4)
    proposal.save()
    person.date_of_birth = _years_before(proposal.start_date, 57)
    person.save()
    html = _page(
        client, _partner(world), reverse("instruments:check-proposal", args=[proposal.uuid])
    )
    lkv = _section(html, "LKV")
    due = add_months(proposal.start_date, 3)
    assert f"by {due.day} {due:%B} {due.year}" in lkv and "passed" in lkv
    # Three months after a start today is still ahead: not passed.
    proposal.start_date = TODAY
    proposal.save()
    html = client.get(reverse("instruments:check-proposal", args=[proposal.uuid])).content.decode()
    assert "passed" not in _section(html, "LKV")
