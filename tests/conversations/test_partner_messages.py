"""Messages with the jobcoach of an organisation that supports the person at work but does
not serve them (issue #16, item 4): ``routes`` registers the supporting organisation as a
partner (``conversations.hooks.PARTNERS``) while the support plan runs. The person writes
to it as to a serving organisation; the plan's jobcoach is told, reads and answers on the
support plan's page (they do not see the person's page); when the plan ends the person
still reads the conversation but writes no more, and the organisation reads it no more."""

from html import escape
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.conversations.inbox import messages_source
from perspectief.conversations.models import Conversation, Post
from perspectief.conversations.services.messages import message_send
from perspectief.core.authz import Role
from perspectief.core.exceptions import NotFoundError
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import inbox_for
from perspectief.routes.constants import PlanStatus
from perspectief.routes.models import SupportPlan

from ..conftest import sign_in
from ..factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db

OWN = "/messages/"


def _member(organisation, role=Role.JOBCOACH):
    membership = MembershipFactory(organisation=organisation, role=role)
    TOTPDeviceFactory(user=membership.user)
    return membership


def _titles(member):
    return [i.title for i in inbox_for(actor_for(member)) if i.kind == Kind.MESSAGE]


def _plan(person, organisation, jobcoach=None, status=PlanStatus.ACTIVE):
    return SupportPlan.objects.create(
        candidate=person,
        employer_name="Bakkerij de Korenaar",
        job_title="Inpakker",
        organisation=organisation,
        jobcoach=jobcoach,
        started_on="2026-01-05",
        status=status,
    )


def _records(person, operation):
    records = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, person.uuid)
    return list(records.filter(operation=operation).values_list("activity", flat=True))


@pytest.fixture
def support(people, world):
    """``people.other`` (served by the gemeente, no regional consent, an account of their
    own) works with support of an SW-bedrijf that does not serve them: the plan's jobcoach
    ``coach``, a colleague jobcoach; an SW-bedrijf whose support ended and one that never
    supported them."""
    sw = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam, region=world.am18)
    coach, colleague = _member(sw), _member(sw)
    plan = _plan(people.other, sw, jobcoach=coach.user)
    ended = OrganisationFactory(kind="sw_bedrijf", municipality=world.amsterdam, region=world.am18)
    ended_coach = _member(ended)
    _plan(people.other, ended, jobcoach=ended_coach.user, status=PlanStatus.DURABLE)
    stranger = OrganisationFactory(
        kind="sw_bedrijf", municipality=world.amsterdam, region=world.am18
    )
    return SimpleNamespace(
        sw=sw,
        coach=coach,
        colleague=colleague,
        plan=plan,
        ended=ended,
        ended_coach=ended_coach,
        stranger=stranger,
        stranger_coach=_member(stranger),
        person=people.other,
        seeker=people.other_seeker,
    )


def _plan_url(plan):
    return reverse("route:support-plan", args=[plan.uuid])


def test_the_jobcoach_of_a_supporting_organisation_is_told_reads_and_answers(
    people, support, client, django_capture_on_commit_callbacks
):
    sign_in(client, support.seeker.user)
    page = client.get(OWN).content.decode()
    # The gemeente serving them and the SW-bedrijf supporting them: a choice, and no
    # organisation whose support ended or that never supported them.
    assert f'value="{support.sw.uuid}"' in page and f'value="{people.gemeente.uuid}"' in page
    assert str(support.ended.uuid) not in page and str(support.stranger.uuid) not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            OWN, {"text": "Mijn rooster verandert.", "organisation": str(support.sw.uuid)}
        )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.conversation.organisation == support.sw and post.from_person
    # The plan's jobcoach is told (not the colleague, not the gemeente), with a link to
    # the support plan's page and no name or words of the message.
    [sent] = mail.outbox
    assert sent.to == [support.coach.user.email]
    assert f"{_plan_url(support.plan)}#messages" in sent.body
    assert support.person.last_name not in sent.subject + sent.body
    assert "rooster" not in sent.body
    assert _records(support.person, Operation.CREATE) == [ProcessingActivity.CANDIDATE_SELF]
    # The inbox: the coach only; the item links to the support plan's page.
    [item] = messages_source(actor_for(support.coach))
    assert item.title == f"Message from {support.person.full_name}"
    assert item.url == f"{_plan_url(support.plan)}#messages"
    for member in (support.colleague, people.km, support.ended_coach, support.stranger_coach):
        assert _titles(member) == [], member
    # The coach does not see the person's page (no serving, no consent) but the plan's.
    sign_in(client, support.coach.user)
    person_page = reverse("candidates:detail", args=[support.person.uuid])
    assert client.get(person_page).status_code == 404
    page = client.get(_plan_url(support.plan)).content.decode()
    assert 'id="messages"' in page and "Mijn rooster verandert." in page
    assert _titles(support.coach) == []  # read: out of the inbox
    # The coach answers; back to the plan's page; the person is told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:reply", args=[support.person.uuid]),
            {"text": "Dank je, ik bel je werkgever."},
        )
    assert response.status_code == 302
    assert response["Location"] == f"{_plan_url(support.plan)}#messages"
    [sent] = mail.outbox
    assert sent.to == [support.seeker.user.email]
    assert sorted(_records(support.person, Operation.CREATE)) == sorted(
        [ProcessingActivity.CANDIDATE_SELF, ProcessingActivity.SUPPORT_AT_WORK]
    )
    assert AuditEvent.objects.filter(event="message.sent").count() == 2
    assert _titles(support.seeker) == [f"New message from {support.sw.name}"]
    # The person reads the answer on /messages/ and on their own page.
    sign_in(client, support.seeker.user)
    assert "Dank je, ik bel je werkgever." in client.get(OWN).content.decode()
    own = client.get(reverse("candidates:self")).content.decode()
    assert "Dank je, ik bel je werkgever." in own
    assert _titles(support.seeker) == []
    # The gemeente serving the person does not read the SW-bedrijf's conversation.
    gemeente = Conversation.objects.visible_to(actor_for(people.km))
    assert not gemeente.filter(organisation=support.sw).exists()


def test_without_a_plan_without_a_jobcoach_everyone_who_records_support_is_told(
    people, support, client, django_capture_on_commit_callbacks
):
    support.plan.jobcoach = None
    support.plan.save(update_fields=["jobcoach"])
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            actor=actor_for(support.seeker),
            candidate=support.person,
            text="Vraag",
            organisation=support.sw,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [support.coach.user.email, support.colleague.user.email]
    )
    assert len(_titles(support.coach)) == len(_titles(support.colleague)) == 1
    # One of them reads it on the plan's page: out of both inboxes.
    sign_in(client, support.colleague.user)
    assert client.get(_plan_url(support.plan)).status_code == 200
    assert _titles(support.coach) == _titles(support.colleague) == []


def test_an_organisation_without_a_running_plan_cannot_be_chosen_nor_read(people, support, client):
    message_send(actor=actor_for(support.coach), candidate=support.person, text="Hoi")
    sign_in(client, support.seeker.user)
    for organisation in (support.ended, support.stranger):
        refused = client.post(OWN, {"text": "Hallo", "organisation": str(organisation.uuid)})
        assert refused.status_code == 200
        assert "You cannot write to this organisation" in refused.content.decode()
    assert not Post.objects.filter(text="Hallo").exists()
    for member in (support.ended_coach, support.stranger_coach):
        with pytest.raises(NotFoundError):
            message_send(actor=actor_for(member), candidate=support.person, text="x")
        sign_in(client, member.user)
        url = reverse("conversations:reply", args=[support.person.uuid])
        assert client.post(url, {"text": "x"}).status_code == 404
        assert not Conversation.objects.visible_to(actor_for(member)).exists()
    # The SW-bedrijf's conversation is its own: the one whose support ended reads none.
    assert Post.objects.filter(conversation__organisation=support.sw).count() == 1


def test_when_the_support_ends_the_person_reads_but_writes_no_more(people, support, client):
    message_send(
        actor=actor_for(support.seeker),
        candidate=support.person,
        text="Het gaat goed",
        organisation=support.sw,
    )
    message_send(actor=actor_for(support.coach), candidate=support.person, text="Mooi zo")
    SupportPlan.objects.filter(pk=support.plan.pk).update(status=PlanStatus.DURABLE)
    sign_in(client, support.seeker.user)
    page = client.get(OWN).content.decode()
    assert "Het gaat goed" in page and "Mooi zo" in page
    assert f"{escape(support.sw.name)} no longer helps you" in page
    assert f'value="{support.sw.uuid}"' not in page
    refused = client.post(OWN, {"text": "Nog een vraag", "organisation": str(support.sw.uuid)})
    assert "You cannot write to this organisation" in refused.content.decode()
    assert not Post.objects.filter(text="Nog een vraag").exists()
    # The organisation no longer reads or answers it.
    sign_in(client, support.coach.user)
    page = client.get(_plan_url(support.plan)).content.decode()
    assert "Mooi zo" not in page and 'id="messages"' not in page
    url = reverse("conversations:reply", args=[support.person.uuid])
    assert client.post(url, {"text": "x"}).status_code == 404
    assert not Conversation.objects.visible_to(actor_for(support.coach)).exists()


def test_an_organisation_that_serves_and_supports_keeps_the_serving_rule(people, support):
    """The gemeente serves the person and supports them at work: one conversation, read on
    the person's page; the person's klantmanager is told, as for any serving."""
    _plan(support.person, people.gemeente, jobcoach=people.jobcoach.user)
    message_send(
        actor=actor_for(support.seeker),
        candidate=support.person,
        text="Vraag",
        organisation=people.gemeente,
    )
    [item] = messages_source(actor_for(people.km))
    assert item.url == reverse("candidates:detail", args=[support.person.uuid]) + "#messages"
    assert Conversation.objects.filter(organisation=people.gemeente).count() == 1
