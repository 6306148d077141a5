"""The employer's view of job seekers: an allowlisted projection under a pseudonym of its
own, named only while the person consents to meet *that* employer — in pages, API and
exports alike; searches rate-limited and logged (security promises 4, 5, 7 and 12)."""

import html
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.services.consent import consent_revoke
from perspectief.candidates.services.erasure import candidate_erase
from perspectief.core import bsn as bsn_lib
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.matching.models import EmployerPseudonym, Proposal
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.selectors.proposals import proposals_for_employer
from perspectief.matching.services import proposals
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.services import bulk
from tests.conftest import sign_in
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)

BSN = "111222333"
_kvk = itertools.count(10000000)
#: Further valid BSNs (elfproef), one per person the state machine creates.
_bsns = (str(n) for n in itertools.count(200000000) if bsn_lib.is_valid(str(n)))


def _employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    account = EmployerAccount.objects.create(organisation=organisation, kvk_number=str(next(_kvk)))
    user = MembershipFactory(organisation=organisation, role="werkgever")
    place = Vacancy.objects.create(
        employer=account,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=5,
        status="open",
    )
    return account, user, place


def _person(km, **extra):
    return CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        bsn=extra.pop("bsn", None),
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        email="sanne@example.invalid",
        **extra,
    )


@pytest.fixture
def setup(world, make_member):
    km = make_member("klantmanager")
    a = _employer(world)
    b = _employer(world)
    person = _person(km, first_name="Sanne", last_name="Zeldzaamnaam", bsn=BSN)
    for _account, _user, place in (a, b):
        proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    return km, a, b, person


def _profiles(membership, account):
    actor = actor_for(membership)
    return [
        data
        for _p, data in [
            (p, employer_side.profiles_for(actor, account, [p.candidate])[p.candidate_id])
            for p in proposals_for_employer(account).select_related("candidate")
        ]
    ]


@pytest.mark.django_db
def test_pseudonyms_are_stable_per_employer_and_differ_between_employers(setup):
    _km, (a, user_a, _), (b, _user_b, _), person = setup
    code_a = employer_side.code_for(a, person)
    assert re.fullmatch(r"K-[A-Z2-9]{4}-[A-Z2-9]{4}", code_a)
    assert employer_side.code_for(a, person) == code_a
    assert employer_side.code_for(b, person) != code_a
    assert _profiles(user_a, a)[0]["pseudonym"] == code_a


@pytest.mark.django_db
def test_anonymous_until_consent_for_this_employer_only(client, setup):
    km, (a, user_a, place_a), (_b, user_b, place_b), person = setup
    sign_in(client, user_a.user)
    page = client.get(reverse("employer:place", kwargs={"uuid": place_a.uuid}))
    content = page.content.decode()
    assert employer_side.code_for(a, person) in content
    for secret in ("Zeldzaamnaam", BSN, "sanne@example.invalid", str(person.uuid)):
        assert secret not in content
    proposal_a = Proposal.objects.get(vacancy=place_a)
    proposals.introduction_record(method="in_person", actor=actor_for(km), proposal=proposal_a)
    content = client.get(reverse("employer:place", kwargs={"uuid": place_a.uuid})).content.decode()
    assert "Zeldzaamnaam" in content and "sanne@example.invalid" in content
    assert BSN not in content
    # Employer B still sees an anonymous profile: consent is per employer.
    sign_in(client, user_b.user)
    content = client.get(reverse("employer:place", kwargs={"uuid": place_b.uuid})).content.decode()
    assert "Zeldzaamnaam" not in content
    api = client.get(reverse("api:employer-proposals")).json()
    assert api[0]["profile"]["name"] == "" and api[0]["profile"]["introduced"] is False
    # The motivation is the adviser's text for the employer, checked for names, BSNs and
    # contact details when it is written (tests/matching/test_proposal_flow.py).
    assert set(api[0]) == {"uuid", "vacancy", "status", "motivation", "profile"}


@pytest.mark.django_db
def test_export_follows_the_same_rule_and_is_logged(client, setup):
    _km, (a, user_a, place_a), _b, person = setup
    sign_in(client, user_a.user)
    url = reverse("employer:place-export", kwargs={"uuid": place_a.uuid})
    text = client.get(url).content.decode("utf-8-sig")
    assert employer_side.code_for(a, person) in text and "Zeldzaamnaam" not in text
    assert BSN not in text
    assert AccessRecord.objects.filter(
        activity="employer.anonymous_view", operation="export"
    ).exists()
    assert AuditEvent.objects.filter(event="employer.exported").exists()


@pytest.mark.django_db
def test_a_person_who_withdraws_is_anonymous_again_on_the_next_request(client, setup):
    km, (a, user_a, place_a), _b, person = setup
    proposals.introduction_record(
        method="in_person", actor=actor_for(km), proposal=Proposal.objects.get(vacancy=place_a)
    )
    person_user = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    person.user = person_user.user
    person.save(update_fields=["user"])
    consent = person.consents.get(scope=ConsentScope.INTRODUCTION)
    sign_in(client, person_user.user)
    self_page = client.get(reverse("candidates:self")).content.decode()
    assert html.escape(a.organisation.name) in self_page
    client.post(
        reverse("candidates:self-consent"),
        {"action": "revoke_introduction", "consent": str(consent.uuid)},
    )
    # The regional profile consent is untouched by withdrawing one introduction.
    assert person.consents.active().exists()
    sign_in(client, user_a.user)
    content = client.get(reverse("employer:place", kwargs={"uuid": place_a.uuid})).content.decode()
    assert "Zeldzaamnaam" not in content


@pytest.mark.django_db
def test_other_employers_places_and_proposals_answer_404(client, setup):
    _km, (_a, user_a, place_a), (_b, _user_b, place_b), _person = setup
    sign_in(client, user_a.user)
    assert client.get(reverse("employer:place", kwargs={"uuid": place_b.uuid})).status_code == 404
    other = Proposal.objects.get(vacancy=place_b)
    answer = reverse("employer:respond", kwargs={"uuid": other.uuid})
    assert client.post(answer, {"answer": "yes"}).status_code == 404
    own = Proposal.objects.get(vacancy=place_a)
    client.post(reverse("employer:respond", kwargs={"uuid": own.uuid}), {"answer": "yes"})
    own.refresh_from_db()
    assert own.status == "interested"


@pytest.mark.django_db
def test_search_finds_only_consented_available_people_of_the_region(client, world, make_member):
    km = make_member("klantmanager")
    account, user, _place = _employer(world)
    shared = _person(km, last_name="Gedeeld")
    CandidateFactory(served_by=km.organisation, status="werkfit", last_name="Nietgedeeld")
    stale = _person(km, last_name="Verouderd")
    stale.availability_confirmed_at = timezone.now() - timezone.timedelta(days=400)
    stale.save()
    sign_in(client, user.user)
    result = client.get(reverse("api:employer-candidates")).json()
    assert result["total"] == 1
    assert result["profiles"][0]["pseudonym"] == employer_side.code_for(account, shared)
    assert AccessRecord.objects.filter(activity="employer.anonymous_view").count() == 1
    assert AuditEvent.objects.filter(event="employer.searched").count() == 1


@pytest.mark.django_db
def test_searches_are_rate_limited_per_employer_and_the_limit_is_logged(
    client, world, make_member, settings
):
    settings.EMPLOYER_SEARCHES_PER_HOUR = 3
    km = make_member("klantmanager")
    _person(km)
    account, user, _place = _employer(world)
    colleague = MembershipFactory(organisation=account.organisation, role="werkgever")
    sign_in(client, user.user)
    url = reverse("api:employer-candidates")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    # A colleague of the same employer shares the limit (it is the employer's, not a user's).
    sign_in(client, colleague.user)
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    page = client.get(reverse("employer:search"), {"occupation": "x"})
    assert page.status_code == 429
    assert AuditEvent.objects.filter(event="employer.search_limited").count() == 2


@pytest.mark.django_db
def test_profiles_per_day_are_limited(client, world, make_member, settings):
    settings.EMPLOYER_PROFILES_PER_DAY = 2
    km = make_member("klantmanager")
    for _ in range(3):
        _person(km)
    _account, user, _place = _employer(world)
    sign_in(client, user.user)
    assert client.get(reverse("api:employer-candidates")).status_code == 429


@pytest.mark.django_db
def test_employer_asks_for_an_introduction_and_the_adviser_confirms(client, world, make_member):
    km = make_member("klantmanager")
    person = _person(km)
    _account, user, place = _employer(world)
    sign_in(client, user.user)
    code = client.get(reverse("api:employer-candidates")).json()["profiles"][0]["pseudonym"]
    client.post(reverse("employer:ask"), {"code": code, "vacancy": str(place.uuid)})
    proposal = Proposal.objects.get(vacancy=place, candidate=person)
    assert proposal.status == "requested"
    # A made-up code names nobody.
    with pytest.raises(NotFoundError):
        proposals.employer_ask(actor=actor_for(user), code="K-AAAA-AAAA", vacancy=place)
    proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


@pytest.mark.django_db
def test_proposals_need_a_visible_available_person_and_an_open_place(world, make_member):
    km = make_member("klantmanager")
    _account, _user, place = _employer(world)
    not_confirmed = CandidateFactory(served_by=km.organisation, status="werkfit")
    with pytest.raises(Exception, match=r"reconfirmed|bevestigd"):
        proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=not_confirmed)
    stranger = CandidateFactory(  # served elsewhere, no regional consent: out of sight
        served_by=make_member("klantmanager", "AM22").organisation,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
    )
    with pytest.raises(NotFoundError):
        proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=stranger)
    place.status = "closed"
    place.save()
    with pytest.raises(Exception, match="open"):
        proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=_person(km))
    assert not Proposal.objects.exists()


class IntroductionConsentMachine(RuleBasedStateMachine):
    """Grant, withdraw and view in any order: an employer sees the person's identity exactly
    while that person's introduction consent for *that* employer is active."""

    world = None
    km = None

    def __init__(self):
        super().__init__()
        self.employers = [_employer(self.world), _employer(self.world)]
        self.bsn = next(_bsns)
        self.person = _person(self.km, last_name="Staatmachine", bsn=self.bsn)
        self.proposals = [
            proposals.proposal_create(
                actor=actor_for(self.km), vacancy=place, candidate=self.person
            )
            for _a, _u, place in self.employers
        ]
        self.consented = [False, False]

    @rule(which=st.integers(0, 1))
    def grant(self, which):
        proposals.introduction_record(
            method="in_person", actor=actor_for(self.km), proposal=self.proposals[which]
        )
        self.consented[which] = True

    @rule(which=st.integers(0, 1))
    def revoke(self, which):
        account = self.employers[which][0]
        consent = self.person.consents.filter(
            scope=ConsentScope.INTRODUCTION, employer=account, revoked_at__isnull=True
        ).first()
        if consent is not None:
            consent_revoke(actor=actor_for(self.km), consent=consent)
        self.consented[which] = False

    @invariant()
    def identity_only_with_active_consent(self):
        for which, (account, user, _place) in enumerate(self.employers):
            (data,) = _profiles(user, account)
            assert data["introduced"] is self.consented[which]
            assert ("Staatmachine" in data["name"]) is self.consented[which]
            assert self.bsn not in str(data)


@pytest.mark.django_db
def test_introduction_consent_state_machine(world, make_member):
    IntroductionConsentMachine.world = world
    IntroductionConsentMachine.km = make_member("klantmanager")
    run_state_machine_as_test(
        IntroductionConsentMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


@pytest.mark.django_db
def test_export_neutralises_spreadsheet_formulas(client, setup):
    km, (_a, user_a, place_a), _b, person = setup
    person.first_name, person.last_name = "=HYPERLINK(1)", "Formule"
    person.save()
    proposals.introduction_record(
        method="in_person", actor=actor_for(km), proposal=Proposal.objects.get(vacancy=place_a)
    )
    sign_in(client, user_a.user)
    url = reverse("employer:place-export", kwargs={"uuid": place_a.uuid})
    rows = client.get(url).content.decode("utf-8-sig").splitlines()
    assert ";'=HYPERLINK(1) Formule;" in rows[1]


# --- from the review of this change --------------------------------------------------------


@pytest.mark.django_db
def test_partners_see_a_label_not_the_name_in_proposals_and_cohort(client, setup, make_member):
    km, (_a, _user_a, place_a), _b, person = setup
    bulk.cohort_add(actor=actor_for(km), vacancy=place_a, candidate=person)
    intermediary = make_member("intermediair")  # sees the person through regional consent
    sign_in(client, intermediary.user)
    page = client.get(reverse("vacancies:detail", kwargs={"uuid": place_a.uuid})).content
    assert b"Zeldzaamnaam" not in page and person.partner_label.encode() in page
    cohort = client.get(reverse("api:vacancy-cohort", kwargs={"uuid": place_a.uuid})).json()
    assert cohort["members"][0]["name"] == person.partner_label


@pytest.mark.django_db
def test_only_the_proposer_or_a_serving_organisation_changes_a_proposal(
    client, setup, make_member, world
):
    km, (_a, _user_a, place_a), _b, person = setup
    proposal = Proposal.objects.get(vacancy=place_a)
    intermediary = make_member("intermediair")
    with pytest.raises(PermissionDeniedError):
        proposals.proposal_withdraw(actor=actor_for(intermediary), proposal=proposal)
    member = bulk.cohort_add(actor=actor_for(km), vacancy=place_a, candidate=person)
    with pytest.raises(PermissionDeniedError):
        bulk.cohort_remove(actor=actor_for(intermediary), member=member)
    # A job coach working for another employer sees no proposals to employer A at all.
    coach = MembershipFactory(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        role="jobcoach",
    )
    TOTPDeviceFactory(user=coach.user)
    sign_in(client, coach.user)
    listed = client.get(reverse("api:proposal-list"), {"candidate": str(person.uuid)})
    assert listed.status_code == 200 and listed.json() == []
    action = reverse("matching:proposal-action", kwargs={"uuid": proposal.uuid})
    assert client.post(action, {"action": "withdraw"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    proposals.proposal_withdraw(actor=actor_for(km), proposal=proposal)  # the proposer may


@pytest.mark.django_db
def test_distance_is_a_band_so_moving_the_place_does_not_locate_the_person(setup):
    _km, (a, user_a, place_a), _b, person = setup
    (data,) = employer_side.profiles_for(actor_for(user_a), a, [person], vacancy=place_a).values()
    assert data["distance"] in {label for _limit, label in employer_side.DISTANCE_BANDS}
    assert employer_side.distance_band(14.2) == "5-15 km"
    assert employer_side.distance_band(31) == "> 30 km"


@pytest.mark.django_db
def test_withdrawn_regional_consent_or_erasure_ends_what_employers_see(setup, make_member):
    km, (a, _user_a, place_a), _b, _p = setup
    intermediary = make_member("intermediair")
    shared = _person(km, last_name="Gedeeld")  # the intermediary sees them by consent only
    proposals.proposal_create(actor=actor_for(intermediary), vacancy=place_a, candidate=shared)
    assert proposals_for_employer(a).filter(candidate=shared).exists()
    consent_revoke(actor=actor_for(km), consent=shared.consents.get())
    assert not proposals_for_employer(a).filter(candidate=shared).exists()
    # The gemeente's own proposal stays (legal task); erasure removes it and the pseudonyms.
    own = _person(km, last_name="Gewist")
    proposals.proposal_create(actor=actor_for(km), vacancy=place_a, candidate=own)
    employer_side.codes_for(a, [own])
    own.status = "uitgestroomd"
    own.save()
    candidate_erase(actor=actor_for(km), candidate=own)
    assert not Proposal.objects.filter(candidate=own).exists()
    assert not EmployerPseudonym.objects.filter(candidate=own).exists()


@pytest.mark.django_db
def test_reading_proposals_of_a_person_over_the_api_is_logged(client, setup):
    km, _a, _b, person = setup
    sign_in(client, km.user)
    before = AccessRecord.objects.filter(activity="candidate.proposal").count()
    client.get(reverse("api:proposal-list"), {"candidate": str(person.uuid)})
    assert AccessRecord.objects.filter(activity="candidate.proposal").count() == before + 2


@pytest.mark.django_db
def test_tampered_ids_in_forms_are_not_found_not_errors(client, setup):
    km, (_a, user_a, _place_a), _b, person = setup
    sign_in(client, user_a.user)
    assert client.post(reverse("employer:ask"), {"vacancy": "x", "code": "y"}).status_code == 302
    sign_in(client, km.user)
    propose = reverse("matching:propose", kwargs={"uuid": person.uuid})
    assert client.post(propose, {"vacancy": "not-a-uuid"}).status_code == 302


@pytest.mark.django_db
def test_a_pseudonym_collision_gets_another_code(setup, monkeypatch):
    _km, (a, _user_a, _place_a), _b, person = setup
    other = CandidateFactory()
    real = employer_side.code_for
    monkeypatch.setattr(
        employer_side,
        "code_for",
        lambda e, c, attempt=0: "K-SAME-CODE" if attempt == 0 else real(e, c, attempt),
    )
    codes = employer_side.codes_for(a, [person, other])
    assert len(set(codes.values())) == 2
