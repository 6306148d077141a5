"""Reads of the conversations between a job seeker and the organisations serving them
(and the partners they may message, ``hooks.PARTNERS``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from perspectief.candidates.models import Candidate, CandidateOrganisation
from perspectief.core.authz import Actor
from perspectief.organisations.models import Organisation

from ..constants import SHOWN
from ..hooks import partner_organisations, partnered
from ..models import Conversation, Post
from ..query import sees_people


@dataclass
class Thread:
    """One conversation as a page shows it: the newest messages, oldest first."""

    organisation: Organisation
    conversation: Conversation | None
    posts: list[Post] = field(default_factory=list)
    total: int = 0
    unread: bool = False
    #: The person can no longer write to the organisation (it stopped serving or supporting
    #: them): the conversation stays readable.
    closed: bool = False


def own_record(actor: Actor) -> Candidate | None:
    """The job seeker's own record (``None`` when no record is linked to the account)."""
    return Candidate.objects.visible_to(actor).first()


def serving_organisations(candidate: Candidate):
    """The organisations that serve the person now."""
    return Organisation.objects.filter(
        is_active=True, servings__candidate=candidate, servings__is_active=True
    ).order_by("name", "id")


def serves(candidate: Candidate, organisation: Organisation) -> bool:
    return CandidateOrganisation.objects.filter(
        candidate=candidate, organisation=organisation, is_active=True
    ).exists()


def message_organisations(candidate: Candidate):
    """The organisations the person can write to now: those serving them and the partners
    (``hooks.PARTNERS``: an organisation supporting them at work)."""
    serving = models.Exists(
        CandidateOrganisation.objects.filter(
            candidate=candidate, organisation_id=models.OuterRef("pk"), is_active=True
        )
    )
    return (
        Organisation.objects.filter(is_active=True)
        .filter(models.Q(serving) | partner_organisations(candidate))
        .order_by("name", "id")
    )


def answerable(actor: Actor):
    """The people whose conversation with the actor's organisation the actor reads and
    answers: those the organisation serves (and the actor sees), and those it may message
    as a partner. Nobody for anyone but staff who see job seekers."""
    if not sees_people(actor):
        return Candidate.objects.none()
    served = Candidate.objects.visible_to(actor).served_by(actor.organisation)
    partner = Candidate.objects.filter(
        partnered(actor, field="pk"), merged_into__isnull=True, anonymised_at__isnull=True
    )
    return served | partner


def _posts(conversation: Conversation, limit: int) -> tuple[list[Post], int]:
    query = conversation.posts.select_related("author").order_by("-created_at", "-id")
    posts = list(query[:limit])
    total = len(posts) if len(posts) < limit else query.count()
    return posts[::-1], total


def own_threads(actor: Actor, candidate: Candidate, *, limit: int = SHOWN) -> list[Thread]:
    """The job seeker's conversations: one per organisation they can write to (empty where
    nothing was written yet), then earlier ones with organisations they no longer can
    (``closed``: readable, no new messages)."""
    conversations = {
        c.organisation_id: c
        for c in Conversation.objects.visible_to(actor)
        .filter(person=candidate)
        .select_related("organisation")
    }
    threads = []
    for organisation in message_organisations(candidate):
        threads.append(_thread(organisation, conversations.pop(organisation.pk, None), limit))
    for conversation in sorted(conversations.values(), key=lambda c: c.organisation.name):
        threads.append(_thread(conversation.organisation, conversation, limit))
        threads[-1].closed = True
    for thread in threads:
        thread.unread = bool(thread.conversation and thread.conversation.unread_by_person)
    return threads


def staff_thread(actor: Actor, candidate: Candidate, *, limit: int = SHOWN) -> Thread | None:
    """The conversation of the actor's organisation with a person it serves or may message
    as a partner (``None`` for anyone else: partners who see the person through consent
    read no messages)."""
    if not sees_people(actor):
        return None
    conversation = (
        Conversation.objects.visible_to(actor)
        .filter(person=candidate, organisation=actor.organisation)
        .select_related("organisation")
        .first()
    )
    if conversation is None:
        if not answerable(actor).filter(pk=candidate.pk).exists():
            return None
        return Thread(organisation=actor.organisation, conversation=None)
    thread = _thread(conversation.organisation, conversation, limit)
    thread.unread = conversation.unread_by_staff
    return thread


def _thread(organisation: Organisation, conversation: Conversation | None, limit: int) -> Thread:
    if conversation is None:
        return Thread(organisation=organisation, conversation=None)
    posts, total = _posts(conversation, limit)
    return Thread(organisation=organisation, conversation=conversation, posts=posts, total=total)
