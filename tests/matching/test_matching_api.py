"""The match workflow over the API: shortlists, introduction, outcomes, the regional run and
its suggestions — the same rules as the pages, errors as problem+json in Dutch."""

import uuid

import pytest

from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import Candidate, Consent
from perspectief.matching.models import MatchRun, MatchSuggestion, Proposal, ShortlistEntry
from perspectief.vacancies.models import Vacancy
from tests.conftest import matchable_person, sign_in
from tests.factories import CandidateFactory, MembershipFactory, OrganisationFactory


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.django_db
def test_shortlist_over_the_api(client, place, esco, make_member, world):
    _occupation, skills = esco
    km = make_member("klantmanager")
    ranked = matchable_person(km, skills, last_name="Gerankt")
    far = matchable_person(km, skills, last_name="Veraf")
    far.postcode = world.rotterdam.postcodes.first()  # out of reach: not ranked
    far.save()
    sign_in(client, km.user)
    url = f"/api/v1/vacancies/{place.uuid}/shortlist"
    added = _post(client, url, {"candidate": str(ranked.uuid)})
    assert added.status_code == 201, added.json()
    assert added.json()["engineScore"] > 0 and added.json()["name"].endswith("Gerankt")
    refused = _post(client, url, {"candidate": str(far.uuid)})
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    [problem] = refused.json()["invalidParams"]
    assert problem["name"] == "reason" and "geef aan waarom" in problem["reason"]
    with_reason = _post(client, url, {"candidate": str(far.uuid), "reason": "verhuist naar A'dam"})
    assert with_reason.status_code == 201 and with_reason.json()["engineScore"] is None
    # A partner sees the entries of people it may see (none here) and how many others.
    sign_in(client, make_member("intermediair").user)
    listed = client.get(url).json()
    assert listed == {"entries": [], "othersNotVisible": 2}
    # Taken off by the organisation that added them.
    sign_in(client, km.user)
    entry = ShortlistEntry.objects.get(candidate=far)
    assert client.delete(f"/api/v1/shortlist/{entry.uuid}").status_code == 204
    assert list(ShortlistEntry.objects.values_list("candidate", flat=True)) == [ranked.pk]


@pytest.mark.django_db
def test_from_proposal_to_hire_over_the_api(client, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills)
    boss = MembershipFactory(organisation=place.employer.organisation, role="werkgever")
    sign_in(client, km.user)
    proposed = _post(
        client, "/api/v1/proposals", {"vacancy": str(place.uuid), "candidate": str(person.uuid)}
    )
    assert proposed.status_code == 201
    uuid = proposed.json()["uuid"]
    # No outcome before the introduction by name.
    early = _post(client, f"/api/v1/proposals/{uuid}/outcome", {"hired": True})
    assert early.status_code == 400
    # The klantmanager says how the person agreed (issue #14 item 9).
    unsaid = _post(client, f"/api/v1/proposals/{uuid}/introduction")
    assert unsaid.status_code == 400
    assert unsaid.json()["invalidParams"][0]["name"] == "method"
    introduced = _post(client, f"/api/v1/proposals/{uuid}/introduction", {"method": "phone"})
    assert introduced.status_code == 200 and introduced.json()["status"] == "introduced"
    consent = Consent.objects.get(scope="introduction", candidate=person)
    assert (consent.method, consent.statement_version) == ("phone", "1")
    # The employer: a hire needs the start date, then fills a place.
    sign_in(client, boss.user)
    url = f"/api/v1/employer/proposals/{uuid}/outcome"
    missing = _post(client, url, {"hired": True})
    assert missing.status_code == 400
    assert any(p["name"] == "start_date" for p in missing.json()["invalidParams"])
    hired = _post(client, url, {"hired": True, "startDate": "2027-03-01", "contract": "vast"})
    assert hired.status_code == 200 and hired.json()["status"] == "hired"
    place.refresh_from_db()
    assert place.places_filled == 1
    assert Candidate.objects.get(pk=person.pk).status == "geplaatst"
    proposal = Proposal.objects.get()
    assert (str(proposal.start_date), proposal.contract) == ("2027-03-01", "vast")


@pytest.mark.django_db
def test_not_hired_and_withdrawn_over_the_api(client, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    one, two = matchable_person(km, skills), matchable_person(km, skills[:1])
    sign_in(client, km.user)
    uuids = [
        _post(
            client, "/api/v1/proposals", {"vacancy": str(place.uuid), "candidate": str(p.uuid)}
        ).json()["uuid"]
        for p in (one, two)
    ]
    _post(client, f"/api/v1/proposals/{uuids[0]}/introduction", {"method": "in_person"})
    no_reason = _post(client, f"/api/v1/proposals/{uuids[0]}/outcome", {"hired": False})
    assert no_reason.status_code == 400
    rejected = _post(
        client, f"/api/v1/proposals/{uuids[0]}/outcome", {"hired": False, "reason": "te ver"}
    )
    assert rejected.json()["status"] == "rejected"
    withdrawn = _post(client, f"/api/v1/proposals/{uuids[1]}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = _post(client, f"/api/v1/proposals/{uuids[1]}/withdraw")
    assert again.status_code == 400


@pytest.mark.django_db
def test_matching_run_over_the_api(
    client, world, place, esco, make_member, django_capture_on_commit_callbacks
):
    _occupation, skills = esco
    km = make_member("klantmanager")
    own = matchable_person(km, skills, last_name="Eigen")
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    shared = CandidateFactory(
        served_by=uwv,
        status="werkfit",
        availability_confirmed_at=own.availability_confirmed_at,
        max_travel_km=30,
        regional_consent=True,
        last_name="Gedeeld",
    )
    for skill in skills:
        shared.skills.create(skill=skill, source="stated")
    shared.target_group_rows.create(group="statushouder")  # a priority group
    am = make_member("accountmanager")
    sign_in(client, am.user)
    with django_capture_on_commit_callbacks(execute=True):
        started = _post(client, "/api/v1/match-runs")
    assert started.status_code == 202 and started.json()["status"] == "pending"
    run_url = f"/api/v1/match-runs/{started.json()['uuid']}"
    detail = client.get(run_url).json()
    assert (detail["status"], detail["placesTotal"], detail["percent"]) == ("done", 1, 100)
    assert detail["assigned"] == 2  # two positions, two people
    # The klantmanager reviews: own client by name, UWV's client by label, no priority.
    sign_in(client, km.user)
    page = client.get(f"{run_url}/suggestions", {"vacancy": str(place.uuid)}).json()
    assert page["count"] == 2
    rows = {r["candidate"]: r for r in page["results"]}
    assert rows[str(own.uuid)]["name"].endswith("Eigen")
    partner_row = rows[str(shared.uuid)]
    assert "Gedeeld" not in partner_row["name"] and "priority" not in partner_row["contributions"]
    stored = MatchSuggestion.objects.get(candidate=shared)
    assert stored.contributions["priority"] > 0
    assert partner_row["score"] == pytest.approx(stored.score - stored.contributions["priority"])
    assert partner_row["rank"] is None and rows[str(own.uuid)]["rank"] >= 1
    review = f"/api/v1/match-suggestions/{rows[str(own.uuid)]['uuid']}/review"
    bad = _post(client, review, {"action": "send"})
    assert bad.status_code == 400
    done = _post(client, review, {"action": "propose"})
    assert done.status_code == 200 and done.json()["status"] == "proposed"
    assert Proposal.objects.get().candidate == own
    # Only the WSP starts runs.
    assert _post(client, "/api/v1/match-runs").status_code == 403


@pytest.mark.django_db
def test_a_place_of_another_region_has_no_shortlist_for_you(client, place, make_member):
    sign_in(client, make_member("klantmanager", region_code="AM22").user)
    assert client.get(f"/api/v1/vacancies/{place.uuid}/shortlist").status_code == 404


@pytest.mark.django_db
def test_run_suggestions_are_ordered_by_the_score_the_caller_sees(
    client, world, place, esco, make_member
):
    """A partner sees scores without the hidden priority bonus; if the list were ordered by
    the full score, an inversion (0.258 above 0.304 … shown as 0.224) would tell who got the
    bonus (#14 item 19). And a person on the page is logged once, not once per place."""
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    priority, plain = (
        CandidateFactory(served_by=uwv, status="werkfit", regional_consent=True, last_name=n)
        for n in ("Voorrang", "Gewoon")
    )
    am = make_member("accountmanager")
    run = MatchRun.objects.create(
        region=world.amsterdam.region, started_for=am.organisation, status="done"
    )
    second = Vacancy.objects.get(pk=place.pk)
    second.pk, second.uuid, second.title = None, uuid.uuid4(), "Tweede"
    second.save()

    def suggest(person, vacancy, rank, score, bonus):
        contributions = {"essential_skills": score - bonus, "priority": bonus}
        return MatchSuggestion.objects.create(
            run=run,
            vacancy=vacancy,
            candidate=person,
            rank=rank,
            score=score,
            contributions=contributions,
        )

    suggest(priority, place, 1, 0.304, 0.08)  # shown to a partner as 0.224
    suggest(plain, place, 2, 0.258, 0.0)
    suggest(priority, second, 1, 0.5, 0.08)
    sign_in(client, am.user)  # the WSP serves neither person
    url = f"/api/v1/match-runs/{run.uuid}/suggestions"
    rows = client.get(url, {"vacancy": str(place.uuid)}).json()["results"]
    assert [r["score"] for r in rows] == pytest.approx([0.258, 0.224])
    assert [r["candidate"] for r in rows] == [str(plain.uuid), str(priority.uuid)]
    # UWV serves both: it sees the full scores, in the run's order.
    uwv_member = make_member("klantmanager")
    uwv_member.organisation = uwv
    uwv_member.save()
    sign_in(client, uwv_member.user)
    rows = client.get(url, {"vacancy": str(place.uuid)}).json()["results"]
    assert [r["score"] for r in rows] == pytest.approx([0.304, 0.258])
    # One access record per person shown, however many places they are suggested for.
    sign_in(client, am.user)
    before = AccessRecord.objects.count()
    assert len(client.get(url).json()["results"]) == 3
    assert AccessRecord.objects.count() - before == 2


@pytest.mark.django_db
def test_a_shortlist_is_ordered_by_the_score_the_caller_sees(client, world, place, make_member):
    """The shared shortlist was ordered by the full score, priority bonus included, while a
    partner sees the score without it: the order gave the bonus away (#14 item 19)."""
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    priority, plain = (
        CandidateFactory(served_by=uwv, status="werkfit", regional_consent=True, last_name=n)
        for n in ("Voorrang", "Gewoon")
    )
    for person, score, bonus in ((priority, 0.304, 0.08), (plain, 0.258, 0.0)):
        ShortlistEntry.objects.create(
            vacancy=place,
            candidate=person,
            added_for=uwv,
            engine_score=score,
            engine_priority=bonus,
        )
    sign_in(client, make_member("accountmanager").user)  # serves neither person
    entries = client.get(f"/api/v1/vacancies/{place.uuid}/shortlist").json()["entries"]
    assert [e["candidate"] for e in entries] == [str(plain.uuid), str(priority.uuid)]
