"""The job seeker's own page: the places they were proposed for, and their own yes or no to
meeting each employer (issue #16, item 4). The consent records the version of the text
shown and how it was given; a no is recorded too; both are audited and in the access log;
nobody answers for someone else's proposal."""

import pytest
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates import consent_statements
from perspectief.matching.models import Proposal
from perspectief.matching.services import proposals
from tests.conftest import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English texts (the product speaks Dutch by default)."""
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

STATEMENT = consent_statements.current("introduction")
OWN = reverse("candidates:self")


@pytest.fixture
def proposed(region):
    return proposals.proposal_create(
        actor=actor_for(region.am),
        vacancy=region.place,
        candidate=region.person,
        motivation="Ervaring in de logistiek.",
    )


def answer_url(proposal):
    return reverse("matching:own-answer", kwargs={"uuid": proposal.uuid})


def test_the_own_page_lists_the_places_with_yes_and_no(region, proposed, client):
    r = region
    sign_in(client, r.seeker.user)
    page = client.get(OWN).content.decode()
    assert 'id="proposals"' in page
    assert "Orderpicker" in page and r.employer.organisation.name in page
    assert "Ervaring in de logistiek." in page
    assert STATEMENT.text("en") in page  # the text the answer refers to
    assert answer_url(proposed) in page
    assert f'name="statement_version" value="{STATEMENT.version}"' in page
    # Someone with nothing proposed reads that, and sees no one else's places.
    sign_in(client, r.other_seeker.user)
    other = client.get(OWN).content.decode()
    assert "Orderpicker" not in other and answer_url(proposed) not in other


def test_yes_records_the_persons_consent_with_the_text_version_and_method(region, proposed, client):
    r = region
    sign_in(client, r.seeker.user)
    response = client.post(
        answer_url(proposed), {"answer": "yes", "statement_version": STATEMENT.version}
    )
    assert response.status_code == 302 and response["Location"].endswith("#proposals")
    consent = r.person.consents.get(scope="introduction")
    assert consent.employer == r.employer
    assert (consent.method, consent.statement_version) == ("self", STATEMENT.version)
    assert consent.recorded_by == r.seeker.user
    assert consent.approved_at is None  # double opt-in: the klantmanager confirms
    proposed.refresh_from_db()
    assert (proposed.person_answer, proposed.person_statement_version) == (
        "agreed",
        STATEMENT.version,
    )
    assert proposed.person_answer_method == "self" and proposed.person_answered_at
    assert proposed.status == "proposed"  # the employer does not see the name yet
    event = AuditEvent.objects.get(event="proposal.person_answered")
    assert event.changes["person_answer"] == [None, "agreed"]
    assert AccessRecord.objects.filter(
        activity="candidate.consent", actor_user_id=r.seeker.user_id
    ).exists()
    # A second click changes nothing.
    client.post(answer_url(proposed), {"answer": "yes", "statement_version": STATEMENT.version})
    assert AuditEvent.objects.filter(event="proposal.person_answered").count() == 1
    # The page now offers only "No, rather not" (the yes waits for the klantmanager).
    page = client.get(OWN).content.decode()
    assert 'name="answer" value="yes"' not in page and 'name="answer" value="no"' in page


def test_no_is_recorded_and_withdraws_a_yes_still_waiting(region, proposed, client):
    r = region
    sign_in(client, r.seeker.user)
    client.post(answer_url(proposed), {"answer": "yes", "statement_version": STATEMENT.version})
    client.post(answer_url(proposed), {"answer": "no", "statement_version": STATEMENT.version})
    proposed.refresh_from_db()
    assert (proposed.person_answer, proposed.person_statement_version) == (
        "declined",
        STATEMENT.version,
    )
    assert proposed.person_answer_method == "self"
    consent = r.person.consents.get(scope="introduction")
    assert consent.revoked_at is not None and consent.revoked_by == r.seeker.user
    assert list(
        AuditEvent.objects.filter(event="proposal.person_answered")
        .order_by("pk")
        .values_list("changes__person_answer", flat=True)
    ) == [[None, "agreed"], ["agreed", "declined"]]
    # The klantmanager can no longer confirm a yes that was withdrawn.
    assert proposals.pending_introduction(proposed) is None


def test_another_persons_proposal_is_not_found_and_staff_may_not_answer(region, proposed, client):
    r = region
    sign_in(client, r.other_seeker.user)
    body = {"answer": "yes", "statement_version": STATEMENT.version}
    assert client.post(answer_url(proposed), body).status_code == 404
    missing = reverse(
        "matching:own-answer", kwargs={"uuid": "00000000-0000-4000-8000-000000000000"}
    )
    assert client.post(missing, body).status_code == 404
    sign_in(client, r.km.user)
    assert client.post(answer_url(proposed), body).status_code == 403
    assert not r.person.consents.filter(scope="introduction").exists()
    assert Proposal.objects.get(pk=proposed.pk).person_answer == ""


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"answer": "maybe", "statement_version": STATEMENT.version}, "Choose yes or no."),
        ({"answer": "yes", "statement_version": "0"}, "The text has changed"),
    ],
)
def test_a_wrong_answer_or_an_old_text_records_nothing(region, proposed, client, body, says):
    sign_in(client, region.seeker.user)
    page = client.post(answer_url(proposed), body, follow=True).content.decode()
    assert says in page
    assert not region.person.consents.filter(scope="introduction").exists()
    assert Proposal.objects.get(pk=proposed.pk).person_answer == ""


def test_a_proposal_past_the_question_cannot_be_answered(region, proposed, client):
    r = region
    proposals.proposal_withdraw(actor=actor_for(r.am), proposal=proposed)
    sign_in(client, r.seeker.user)
    page = client.post(
        answer_url(proposed),
        {"answer": "yes", "statement_version": STATEMENT.version},
        follow=True,
    ).content.decode()
    assert "no longer asks for your answer" in page
    assert not r.person.consents.filter(scope="introduction").exists()
    assert answer_url(proposed) not in client.get(OWN).content.decode()  # no buttons
