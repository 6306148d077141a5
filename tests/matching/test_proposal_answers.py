"""A proposal carries a short motivation for the employer, and an employer's "not suitable"
names its reason (issue #16, item 5): checked at the boundary with a message that says what
to change, stored, shown to the employer and the proposer — in pages and API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.matching.constants import MOTIVATION_MAX_LENGTH
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

GOOD = "Vijf jaar ervaring als orderpicker, heeft een heftruckcertificaat."


@pytest.mark.parametrize(
    ("motivation", "says"),
    [
        ("x" * (MOTIVATION_MAX_LENGTH + 1), f"{MOTIVATION_MAX_LENGTH} characters at most"),
        ("Haar BSN is 111 222 333, check het maar.", "Leave the BSN out"),
        ("Sanne werkt graag in een team.", "Leave the person's name out"),
        ("Mevrouw zeldzaamnaam is punctueel.", "Leave the person's name out"),
        ("Bel 06-1234 5678 voor een afspraak.", "Leave phone numbers out"),
        ("Mail sanne@example.invalid", "Leave e-mail addresses out"),
    ],
)
def test_a_motivation_with_personal_data_or_too_long_is_refused(region, motivation, says):
    r = region
    with pytest.raises(ValidationError) as refused:
        proposals.proposal_create(
            actor=actor_for(r.km), vacancy=r.place, candidate=r.person, motivation=motivation
        )
    assert says in refused.value.message_dict["motivation"][0]
    assert not Proposal.objects.exists()  # nothing half-done


def test_the_motivation_is_stored_and_shown_to_the_employer_and_the_adviser(region, client):
    r = region
    sign_in(client, r.km.user)
    client.post(
        reverse("matching:propose", kwargs={"uuid": r.person.uuid}),
        {"vacancy": str(r.place.uuid), "action": "propose", "motivation": f"  {GOOD}  "},
    )
    proposal = Proposal.objects.get()
    assert proposal.motivation == GOOD
    event = AuditEvent.objects.get(event="proposal.created")
    assert event.changes["motivation"] == [None, GOOD]
    assert (
        GOOD
        in client.get(reverse("candidates:detail", kwargs={"uuid": r.person.uuid})).content.decode()
    )
    sign_in(client, r.bosses[0].user)
    page = client.get(reverse("employer:place", kwargs={"uuid": r.place.uuid})).content.decode()
    assert GOOD in page and f'id="proposal-{proposal.uuid}"' in page
    assert "Zeldzaamnaam" not in page
    api = client.get(reverse("api:employer-proposals")).json()
    assert api[0]["motivation"] == GOOD


def test_a_refused_motivation_on_the_page_says_why_and_proposes_nobody(region, client):
    r = region
    sign_in(client, r.km.user)
    answer = client.post(
        reverse("matching:propose", kwargs={"uuid": r.person.uuid}),
        {"vacancy": str(r.place.uuid), "action": "propose", "motivation": "Sanne is top"},
        follow=True,
    )
    assert "naam" in answer.content.decode() or "name" in answer.content.decode()
    assert not Proposal.objects.exists()


def test_the_motivation_over_the_api(region, client):
    r = region
    sign_in(client, r.am.user)
    url = "/api/v1/proposals"
    body = {"vacancy": str(r.place.uuid), "candidate": str(r.person.uuid)}
    refused = client.post(
        url, {**body, "motivation": "BSN 111222333"}, content_type="application/json"
    )
    assert refused.status_code == 400 and not Proposal.objects.exists()
    made = client.post(url, {**body, "motivation": GOOD}, content_type="application/json")
    assert made.status_code == 201 and made.json()["motivation"] == GOOD


@pytest.fixture
def proposed(region):
    return proposals.proposal_create(
        actor=actor_for(region.am), vacancy=region.place, candidate=region.person, motivation=GOOD
    )


def test_not_suitable_asks_for_a_reason_from_the_list(region, proposed):
    boss = actor_for(region.bosses[0])
    with pytest.raises(ValidationError) as refused:
        proposals.employer_respond(actor=boss, proposal=proposed, interested=False)
    assert refused.value.message_dict == {"reason": ["Choose why the person is not suitable."]}
    with pytest.raises(ValidationError) as refused:
        proposals.employer_respond(actor=boss, proposal=proposed, interested=False, reason="mood")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # another reason needs words
        proposals.employer_respond(actor=boss, proposal=proposed, interested=False, reason="other")
    assert refused.value.message_dict == {"note": ["Describe the other reason in a few words."]}
    with pytest.raises(ValidationError) as refused:
        proposals.employer_respond(
            actor=boss, proposal=proposed, interested=False, reason="skills", note="x" * 501
        )
    assert "500 characters at most" in refused.value.message_dict["note"][0]
    proposed.refresh_from_db()
    assert proposed.status == "proposed" and proposed.responded_at is None
    proposals.employer_respond(
        actor=boss, proposal=proposed, interested=False, reason="other", note="Geen rijbewijs"
    )
    proposed.refresh_from_db()
    assert (proposed.status, proposed.not_suitable_reason) == ("not_interested", "other")
    assert proposed.employer_note == "Geen rijbewijs"
    event = AuditEvent.objects.get(event="proposal.answered")
    assert event.changes["reason"] == [None, "other"]


def test_the_reason_is_given_on_the_page_and_shown_to_the_proposer(region, proposed, client):
    r = region
    sign_in(client, r.bosses[0].user)
    respond = reverse("employer:respond", kwargs={"uuid": proposed.uuid})
    missing = client.post(respond, {"answer": "no"}, follow=True).content.decode()
    assert "Choose why the person is not suitable." in missing or "Kies waarom" in missing
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    client.post(respond, {"answer": "no", "reason": "distance", "note": "Te ver"})
    proposed.refresh_from_db()
    assert (proposed.status, proposed.not_suitable_reason) == ("not_interested", "distance")
    label = proposed.get_not_suitable_reason_display()
    sign_in(client, r.am.user)
    person_page = client.get(
        reverse("candidates:detail", kwargs={"uuid": r.person.uuid})
    ).content.decode()
    assert label in person_page and "Te ver" in person_page
    place_page = client.get(
        reverse("vacancies:detail", kwargs={"uuid": r.place.uuid})
    ).content.decode()
    assert label in place_page


def test_the_reason_over_the_api(region, proposed, client):
    sign_in(client, region.bosses[0].user)
    url = reverse("api:employer-proposal-answer", kwargs={"uuid": proposed.uuid})
    refused = client.post(url, {"interested": False}, content_type="application/json")
    assert refused.status_code == 400
    assert "reason" in refused.content.decode()
    unknown = client.post(
        url, {"interested": False, "reason": "mood"}, content_type="application/json"
    )
    assert unknown.status_code == 400
    done = client.post(
        url, {"interested": False, "reason": "filled"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "not_interested"
    sign_in(client, region.am.user)
    listed = client.get("/api/v1/proposals", {"vacancy": str(region.place.uuid)}).json()
    assert listed[0]["notSuitableReason"] == "filled"
