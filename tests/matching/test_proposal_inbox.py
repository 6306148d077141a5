"""What matching puts in "Mijn werkvoorraad" (issue #16, item 1): each item exactly for
those whose work it is and who may see the page it links to, named only as that page would
name the person (an employer: by its profile code), and gone once the work is done there."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.accounts.actor import actor_for
from perspectief.candidates import consent_statements
from perspectief.candidates.models import Candidate, CandidateOrganisation
from perspectief.candidates.services.consent import consent_revoke
from perspectief.matching import inbox as matching_inbox
from perspectief.matching.inbox import answers, closing, employer_waiting, own_questions, run_review
from perspectief.matching.models import EmployerPseudonym, MatchRun, MatchSuggestion, Proposal
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.services import introductions, notices, proposals, runs
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.vacancies.models import Vacancy
from tests.conftest import sign_in
from tests.factories import CandidateFactory


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English texts (the product speaks Dutch by default)."""
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

VERSION = consent_statements.current("introduction").version


def titles(source, membership) -> list[str]:
    return [item.title for item in source(actor_for(membership))]


def everyone(r):
    return [
        r.km,
        r.colleague,
        r.am,
        r.am_colleague,
        r.other_km,
        r.far_am,
        *r.bosses,
        r.other_boss,
        r.seeker,
        r.other_seeker,
    ]


def holders(source, r) -> set[int]:
    """The memberships (pk) that get at least one item of ``source``."""
    return {m.pk for m in everyone(r) if source(actor_for(m))}


@pytest.fixture
def proposed(region):
    return proposals.proposal_create(
        actor=actor_for(region.am), vacancy=region.place, candidate=region.person
    )


def test_an_employer_who_wants_to_meet_waits_for_the_klantmanagers_introduction(
    region, proposed, client
):
    r = region
    assert holders(answers, r) == set()  # proposed, nobody has answered: no next step yet
    proposals.employer_respond(actor=actor_for(r.bosses[0]), proposal=proposed, interested=True)
    # The person's own klantmanager; not the colleague (a klantmanager is named), not the
    # proposer (who cannot introduce), not the gemeente that sees the person by consent.
    assert holders(answers, r) == {r.km.pk}
    [item] = answers(actor_for(r.km))
    assert item.kind == Kind.EMPLOYER_ANSWER
    assert "Sanne Zeldzaamnaam" in item.title and "plan the introduction" in item.title
    assert item.url == reverse("candidates:detail", kwargs={"uuid": r.person.uuid}) + "#proposals"
    assert item.due == timezone.localdate() + datetime.timedelta(days=5)
    # The linked page is one the klantmanager may open, with the action on it.
    sign_in(client, r.km.user)
    page = client.get(item.url.split("#")[0]).content.decode()
    assert reverse("matching:proposal-action", kwargs={"uuid": proposed.uuid}) in page
    client.post(
        reverse("matching:proposal-action", kwargs={"uuid": proposed.uuid}),
        {"action": "introduce", "method": "phone", "statement_version": VERSION},
    )
    proposed.refresh_from_db()
    assert proposed.status == "introduced"
    assert answers(actor_for(r.km)) == []  # done on the page: gone


def test_without_a_named_klantmanager_the_serving_team_sees_it(region, proposed):
    r = region
    r.person.klantmanager = r.other_km.user  # named, but works for another gemeente
    r.person.save(update_fields=["klantmanager"])
    proposals.employer_respond(actor=actor_for(r.bosses[0]), proposal=proposed, interested=True)
    assert holders(answers, r) == {r.km.pk, r.colleague.pk}
    proposals.proposal_withdraw(actor=actor_for(r.colleague), proposal=proposed)
    assert holders(answers, r) == set()


def test_an_employers_request_to_meet_waits_for_the_klantmanager(region):
    r = region
    code = employer_side.codes_for(r.employer, [r.person])[r.person.pk]
    asked = proposals.employer_ask(actor=actor_for(r.bosses[0]), code=code, vacancy=r.place)
    assert holders(answers, r) == {r.km.pk}
    assert "asks to meet Sanne Zeldzaamnaam" in titles(answers, r.km)[0]
    # The person is asked too, on their own page.
    assert holders(own_questions, r) == {r.seeker.pk}
    proposals.introduction_record(actor=actor_for(r.km), proposal=asked, method="in_person")
    assert holders(answers, r) == set() and holders(own_questions, r) == set()


def test_the_persons_yes_waits_for_the_klantmanagers_confirmation(region, proposed, client):
    r = region
    assert titles(own_questions, r.seeker) == [
        "You were proposed for Orderpicker at "
        f"{r.employer.organisation.name}. Do you want to meet them?"
    ]
    assert own_questions(actor_for(r.other_seeker)) == []
    introductions.person_answer(
        actor=actor_for(r.seeker), proposal=proposed, agree=True, statement_version=VERSION
    )
    assert own_questions(actor_for(r.seeker)) == []  # answered: gone
    assert holders(answers, r) == {r.km.pk}
    assert "agreed to meet" in titles(answers, r.km)[0]
    # The employer then wants to meet: one item says both (the "done when").
    proposals.employer_respond(actor=actor_for(r.bosses[0]), proposal=proposed, interested=True)
    assert titles(answers, r.km) == [
        f"{r.employer.organisation.name} wants to meet Sanne Zeldzaamnaam, who agreed: "
        "confirm the introduction"
    ]
    # The klantmanager confirms on the person's page (no method to choose: the person's).
    sign_in(client, r.km.user)
    page = client.get(reverse("candidates:detail", kwargs={"uuid": r.person.uuid})).content
    assert b'value="introduce"' in page
    assert "waiting for the klantmanager's agreement" in page.decode()  # not in effect
    client.post(
        reverse("matching:proposal-action", kwargs={"uuid": proposed.uuid}),
        {"action": "introduce"},
    )
    consent = r.person.consents.get(scope="introduction")
    assert (consent.method, consent.statement_version) == ("self", VERSION)
    assert consent.approved_by == r.km.user
    proposed.refresh_from_db()
    assert proposed.status == "introduced"
    assert holders(answers, r) == set()


def test_the_persons_no_asks_the_proposer_and_klantmanager_to_withdraw(region, proposed):
    r = region
    introductions.person_answer(
        actor=actor_for(r.seeker), proposal=proposed, agree=False, statement_version=VERSION
    )
    assert holders(answers, r) == {r.km.pk, r.am.pk}
    # The WSP does not serve the person: it sees the partner code, as on the person's page.
    [for_wsp] = titles(answers, r.am)
    assert "Zeldzaamnaam" not in for_wsp and r.person.partner_label in for_wsp
    assert "Sanne Zeldzaamnaam" in titles(answers, r.km)[0]
    proposals.proposal_withdraw(actor=actor_for(r.am), proposal=proposed)
    assert holders(answers, r) == set()


def test_proposals_about_to_close_wait_for_the_proposer_and_the_klantmanager(
    region, proposed, settings
):
    settings.PROPOSAL_CLOSE_DAYS = 60
    r = region
    assert holders(closing, r) == set()
    updated = timezone.now() - datetime.timedelta(days=55)
    Proposal.objects.filter(pk=proposed.pk).update(updated_at=updated)
    assert holders(closing, r) == {r.am.pk, r.km.pk}
    [item] = closing(actor_for(r.am))
    assert item.kind == Kind.PROPOSAL_CLOSING
    # Sixty days after the local day of the last move (55 days ago may be in summer time:
    # not always today + 5 in the hour before midnight).
    assert item.due == timezone.localdate(updated) + datetime.timedelta(days=60)
    assert "Zeldzaamnaam" not in item.title
    proposals.employer_respond(actor=actor_for(r.bosses[1]), proposal=proposed, interested=True)
    assert holders(closing, r) == set()


def test_the_employer_sees_what_waits_for_its_answer_by_profile_code(region, proposed, client):
    r = region
    assert holders(employer_waiting, r) == {b.pk for b in r.bosses}
    [item] = employer_waiting(actor_for(r.bosses[0]))
    code = employer_side.code_for(r.employer, r.person)
    assert item.title == f"Candidate {code} for Orderpicker waits for your answer"
    assert item.kind == Kind.PROPOSAL_NEW
    assert item.url.startswith(reverse("employer:place", kwargs={"uuid": r.place.uuid}))
    assert not EmployerPseudonym.objects.exists()  # reading the inbox stores nothing
    # Introduced by name, still waiting for an answer: the inbox keeps to the code.
    proposals.introduction_record(actor=actor_for(r.km), proposal=proposed, method="phone")
    [item] = employer_waiting(actor_for(r.bosses[0]))
    assert "Zeldzaamnaam" not in item.title and "Sanne" not in item.title
    # The inbox page of the employer shows the code, never the name.
    sign_in(client, r.bosses[0].user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert code in page and "Zeldzaamnaam" not in page
    # The page it links to shows the proposal (the code, anchored).
    place = client.get(item.url.split("#")[0]).content.decode()
    assert f'id="proposal-{proposed.uuid}"' in place
    client.post(reverse("employer:respond", kwargs={"uuid": proposed.uuid}), {"answer": "yes"})
    assert holders(employer_waiting, r) == set()


def test_a_reminded_proposal_is_due_at_the_close(region, proposed, settings):
    settings.PROPOSAL_REMIND_DAYS, settings.PROPOSAL_CLOSE_DAYS = 10, 60
    Proposal.objects.filter(pk=proposed.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=11), reminded_at=timezone.now()
    )
    [item] = employer_waiting(actor_for(region.bosses[0]))
    assert item.kind == Kind.PROPOSAL_REMINDER
    assert item.due == timezone.localdate() + datetime.timedelta(days=49)


def test_an_employer_no_longer_allowed_to_see_the_proposal_has_nothing_waiting(region, proposed):
    for consent in region.person.consents.all():
        consent_revoke(actor=actor_for(region.km), consent=consent)
    assert holders(employer_waiting, region) == set()


def _run(r):
    run = MatchRun.objects.create(
        region=r.am.organisation.region,
        started_by=r.am.user,
        started_for=r.am.organisation,
        status="done",
        finished_at=timezone.now(),
    )
    suggestion = MatchSuggestion.objects.create(
        run=run, vacancy=r.place, candidate=r.person, rank=1, score=0.8
    )
    return run, suggestion


def test_run_suggestions_wait_for_the_wsp_and_the_serving_klantmanagers(region):
    r = region
    run, suggestion = _run(r)
    # The WSP (it starts runs) and the gemeente that serves the person; not the gemeente
    # that sees the person only by consent, not another region, no employer.
    assert holders(run_review, r) == {r.am.pk, r.am_colleague.pk, r.km.pk, r.colleague.pk}
    [item] = run_review(actor_for(r.km))
    assert item.url == reverse("matching:run", kwargs={"uuid": run.uuid})
    assert item.title == "1 suggestion of the matching run to review"
    runs.suggestion_review(actor=actor_for(r.km), suggestion=suggestion, action="dismiss")
    assert holders(run_review, r) == set()


def test_the_inbox_page_of_each_adviser_holds_matchings_items(region, proposed, client):
    r = region
    proposals.employer_respond(actor=actor_for(r.bosses[0]), proposal=proposed, interested=True)
    assert [i.kind for i in inbox_for(actor_for(r.km))] == [Kind.EMPLOYER_ANSWER]
    sign_in(client, r.km.user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "plan the introduction" in page or "kennismaking" in page


def test_the_sources_cost_the_same_for_many_proposals(region, settings):
    """A klantmanager may serve 2,000 people: the number of queries does not grow with them."""
    r = region

    def add(n):
        for _ in range(n):
            person = CandidateFactory(
                served_by=r.km.organisation,
                regional_consent=True,
                status="werkfit",
                availability_confirmed_at=timezone.now(),
            )
            proposal = proposals.proposal_create(
                actor=actor_for(r.am), vacancy=r.place, candidate=person
            )
            proposals.employer_respond(
                actor=actor_for(r.bosses[0]), proposal=proposal, interested=True
            )

    def cost():
        actor = actor_for(r.km)
        with CaptureQueriesContext(connection) as queries:
            for source in (answers, closing, run_review):
                source(actor)
        return len(queries)

    add(2)
    few = cost()
    add(8)
    assert len(answers(actor_for(r.km))) == 10
    assert cost() == few


def test_an_employer_with_many_waiting_reads_a_bounded_list(region, monkeypatch):
    monkeypatch.setattr(matching_inbox, "INBOX_LIMIT", 1)
    r = region
    for _ in range(3):
        person = CandidateFactory(
            served_by=r.km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
        proposals.proposal_create(actor=actor_for(r.km), vacancy=r.place, candidate=person)
    items = employer_waiting(actor_for(r.bosses[0]))
    assert len(items) == 2
    assert items[-1].title == "2 more candidates wait for your answer"
    assert items[-1].url == reverse("employer:home")


@pytest.mark.parametrize("named", ["own", "elsewhere", "nobody"])
def test_the_mail_and_the_inbox_pick_the_same_klantmanagers(region, proposed, named):
    """Whom an employer's answer is mailed to in the serving organisations is whose inbox
    shows the next step (the proposer is told too, but the step is not theirs)."""
    r = region
    r.person.klantmanager = {"own": r.colleague.user, "elsewhere": r.other_km.user}.get(named)
    r.person.save(update_fields=["klantmanager"])
    proposals.employer_respond(actor=actor_for(r.bosses[0]), proposal=proposed, interested=True)
    mailed = {m.pk for m in notices.serving_members(r.person)}
    assert mailed == holders(answers, r)
    assert mailed == ({r.colleague.pk} if named == "own" else {r.km.pk, r.colleague.pk})


def _most_rows(sql: str) -> int:
    """The most rows any step of the query's plan produced (rows × loops, as run)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        [top] = cursor.fetchone()[0]

    def walk(node):
        yield node["Actual Rows"] * node["Actual Loops"]
        for child in node.get("Plans", []):
            yield from walk(child)

    return max(walk(top["Plan"]))


def test_on_postgresql_the_run_review_count_never_pairs_every_person_with_every_place(region):
    """A gemeente serving 2,000 people counted a run's open suggestions in 200 ms on
    PostgreSQL: the served filter, a second ``IN`` subquery, let the planner pair every
    served person with every place before looking at a suggestion (bench/test_bench_inbox).
    As an ``EXISTS`` on the suggestion's own person no step reads more rows than the
    people and the suggestions together."""
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    r = region
    people = Candidate.objects.bulk_create(
        Candidate(first_name="Naam", last_name=f"{i}", region=r.person.region) for i in range(300)
    )
    CandidateOrganisation.objects.bulk_create(
        CandidateOrganisation(
            candidate=p, organisation=r.km.organisation, legal_basis="participatiewet"
        )
        for p in people
    )
    places = Vacancy.objects.bulk_create(
        Vacancy(
            employer=r.employer,
            title=f"Plek {n}",
            place_type="job",
            hours_per_week=32,
            contract="tijdelijk",
            postcode=r.place.postcode,
            places=1,
            status="open",
        )
        for n in range(20)
    )
    run = MatchRun.objects.create(
        region=r.am.organisation.region, started_for=r.am.organisation, status="done"
    )
    suggestions = MatchSuggestion.objects.bulk_create(
        MatchSuggestion(run=run, vacancy=place, candidate=p, rank=n, score=0.5)
        for place in places
        for n, p in enumerate(people[:10], start=1)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        [item] = run_review(actor_for(r.km))
    assert item.title == f"{len(suggestions)} suggestions of the matching run to review"
    [count] = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert _most_rows(count) <= len(people) + len(suggestions) + 10
