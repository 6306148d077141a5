"""Proposals tell the people whose work they are (issue #16, items 1, 2 and 5): the employer
when a person is proposed and when the answer is overdue, the proposer and the person's
klantmanager when the employer answers, the proposer before a proposal closes, the region's
WSP when a matching run is done. After the commit, once per event, with a link that names
nobody (the suite's mail check refuses any name or BSN in a message)."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.candidates.services.consent import consent_revoke
from perspectief.matching.models import MatchRun, Proposal
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.services import outcomes, proposals, runs
from perspectief.matching.tasks import remind_proposals
from perspectief.notifications.constants import Kind, Status
from perspectief.notifications.models import Message

pytestmark = pytest.mark.django_db


def sent(kind) -> dict[int, list[str]]:
    """Per recipient (user pk), the links of the messages of ``kind``."""
    out: dict[int, list[str]] = {}
    for user_id, url in Message.objects.filter(kind=kind).values_list("recipient_id", "url"):
        out.setdefault(user_id, []).append(url)
    return out


def users(*memberships) -> set[int]:
    return {m.user_id for m in memberships}


def propose(r, actor_membership=None, **extra):
    return proposals.proposal_create(
        actor=actor_for(actor_membership or r.am),
        vacancy=r.place,
        candidate=r.person,
        motivation=extra.pop("motivation", "Vijf jaar ervaring in een magazijn."),
    )


def test_a_proposal_tells_the_employers_users_after_the_commit(
    region, django_capture_on_commit_callbacks
):
    r = region
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal = propose(r)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    url = reverse("employer:place", kwargs={"uuid": r.place.uuid}) + f"#proposal-{proposal.uuid}"
    # The two active users of the employer; not the ended membership, not another employer.
    assert sent(Kind.PROPOSAL_NEW) == {b.user_id: [url] for b in r.bosses}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.user.email for b in r.bosses)
    body = mail.outbox[0].body
    assert url in body and str(r.person.uuid) not in body and "Geachte" in body


def test_a_rolled_back_proposal_tells_nobody(region, django_capture_on_commit_callbacks):
    r = region
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            propose(r)
            raise RuntimeError("the action fails after the proposal")
    assert mail.outbox == [] and not Proposal.objects.exists()


def test_the_employers_answer_tells_the_proposer_and_the_persons_klantmanager_once(
    region, django_capture_on_commit_callbacks
):
    r = region
    proposal = propose(r)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.employer_respond(
            actor=actor_for(r.bosses[0]), proposal=proposal, interested=True, note="Graag!"
        )
    url = reverse("candidates:detail", kwargs={"uuid": r.person.uuid}) + "#proposals"
    # The person's own klantmanager (named), the proposer; not the colleague, not the
    # other WSP adviser, not the other gemeente, not the employer.
    assert sent(Kind.EMPLOYER_ANSWER) == {r.km.user_id: [url], r.am.user_id: [url]}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([r.km.user.email, r.am.user.email])


def test_without_a_named_klantmanager_every_klantmanager_of_the_serving_organisation_hears(
    region, django_capture_on_commit_callbacks
):
    r = region
    r.person.klantmanager = None
    r.person.save(update_fields=["klantmanager"])
    proposal = propose(r)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.employer_respond(
            actor=actor_for(r.bosses[0]), proposal=proposal, interested=False, reason="hours"
        )
    assert set(sent(Kind.EMPLOYER_ANSWER)) == users(r.km, r.colleague, r.am)


def test_an_employer_asking_for_a_person_and_its_outcome_tell_the_klantmanager(
    region, django_capture_on_commit_callbacks
):
    r = region
    code = employer_side.codes_for(r.employer, [r.person])[r.person.pk]
    with django_capture_on_commit_callbacks(execute=True):
        asked = proposals.employer_ask(actor=actor_for(r.bosses[0]), code=code, vacancy=r.place)
    assert set(sent(Kind.EMPLOYER_ANSWER)) == users(r.km)  # the employer proposed nobody
    proposals.introduction_record(actor=actor_for(r.km), proposal=asked, method="phone")
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.outcome_record(
            actor=actor_for(r.bosses[1]), proposal=asked, hired=False, reason="Te weinig uren"
        )
    assert set(sent(Kind.EMPLOYER_ANSWER)) == users(r.km)
    # An adviser recording the outcome is no answer of the employer: nobody is told.
    Message.objects.all().delete()
    other = proposals.proposal_create(
        actor=actor_for(r.km), vacancy=r.other_place, candidate=r.person
    )
    proposals.introduction_record(actor=actor_for(r.km), proposal=other, method="phone")
    outcomes.outcome_record(actor=actor_for(r.km), proposal=other, hired=False, reason="Geen")
    assert sent(Kind.EMPLOYER_ANSWER) == {}


def _age(proposal, days):
    Proposal.objects.filter(pk=proposal.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_daily_task_reminds_the_employer_and_warns_the_proposer_once(
    region, settings, django_capture_on_commit_callbacks
):
    settings.PROPOSAL_REMIND_DAYS, settings.PROPOSAL_CLOSE_DAYS = 10, 60
    r = region
    proposal = propose(r)
    employer_url = Message.objects.filter(kind=Kind.PROPOSAL_NEW).first().url
    _age(proposal, 11)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_proposals() == {"reminded": 1, "closed": 0, "closing_notices": 0}
    assert sent(Kind.PROPOSAL_REMINDER) == {b.user_id: [employer_url] for b in r.bosses}
    assert mail.outbox[-1].extra_headers["X-Perspectief-Kind"] == Kind.PROPOSAL_REMINDER
    # The reminder did not move the proposal's waiting time: it closes on the same day.
    proposal.refresh_from_db()
    assert timezone.now() - proposal.updated_at > datetime.timedelta(days=10)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_proposals() == {"reminded": 0, "closed": 0, "closing_notices": 0}
    assert Message.objects.count() == before  # run twice: nothing new
    _age(proposal, 54)  # within the seven days before the close
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_proposals() == {"reminded": 0, "closed": 0, "closing_notices": 1}
        assert remind_proposals() == {"reminded": 0, "closed": 0, "closing_notices": 0}
    person_url = reverse("candidates:detail", kwargs={"uuid": r.person.uuid}) + "#proposals"
    assert sent(Kind.PROPOSAL_CLOSING) == {r.am.user_id: [person_url]}  # the proposer only
    closing = Message.objects.get(kind=Kind.PROPOSAL_CLOSING)
    assert closing.status == Status.HELD  # this kind goes in the daily overview
    proposal.refresh_from_db()
    assert proposal.closing_notice_at is not None
    before = Message.objects.count()
    _age(proposal, 61)
    assert remind_proposals() == {"reminded": 0, "closed": 1, "closing_notices": 0}
    assert Message.objects.count() == before


def test_the_proposer_who_left_is_replaced_by_the_advisers_of_the_organisation(region, settings):
    settings.PROPOSAL_REMIND_DAYS, settings.PROPOSAL_CLOSE_DAYS = 10, 60
    r = region
    proposal = propose(r)
    r.am.is_active = False
    r.am.save(update_fields=["is_active"])
    _age(proposal, 55)
    remind_proposals()
    assert set(sent(Kind.PROPOSAL_CLOSING)) == users(r.am_colleague)


def test_no_reminder_for_a_proposal_the_employer_no_longer_sees(region, settings):
    settings.PROPOSAL_REMIND_DAYS, settings.PROPOSAL_CLOSE_DAYS = 10, 60
    r = region
    proposal = propose(r)  # the WSP does not serve the person: shown by the regional consent
    for consent in r.person.consents.all():
        consent_revoke(actor=actor_for(r.km), consent=consent)
    _age(proposal, 11)
    assert remind_proposals()["reminded"] == 1
    assert sent(Kind.PROPOSAL_REMINDER) == {}


def test_a_finished_run_asks_its_starter_and_the_regions_wsp_to_review(
    region, django_capture_on_commit_callbacks
):
    r = region
    run = MatchRun.objects.create(
        region=r.am.organisation.region, started_by=r.am.user, started_for=r.am.organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        runs.execute(run, actor=runs.run_actor(run))
    url = reverse("matching:run", kwargs={"uuid": run.uuid})
    # The account managers of the region (who started it among them), not of another region.
    region_ams = Message.objects.filter(kind=Kind.RUN_REVIEW).values_list("recipient", flat=True)
    assert r.am.user_id in region_ams and r.am_colleague.user_id in region_ams
    assert r.far_am.user_id not in region_ams
    assert set(Message.objects.filter(kind=Kind.RUN_REVIEW).values_list("url", flat=True)) == {url}
    assert len(region_ams) == len(set(region_ams))  # once each
