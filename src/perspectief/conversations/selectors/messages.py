"""Reads of the conversations between a job seeker and the organisations serving them."""

from __future__ import annotations

from dataclasses import dataclass, field

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.organisations.models import Organisation

from ..constants import SHOWN
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


def own_record(actor: Actor) -> Candidate | None:
    """The job seeker's own record (``None`` when no record is linked to the account)."""
    return Candidate.objects.visible_to(actor).first()


def serving_organisations(candidate: Candidate):
    """The organisations that serve the person now: the person can write to each."""
    return Organisation.objects.filter(
        is_active=True, servings__candidate=candidate, servings__is_active=True
    ).order_by("name", "id")


def _posts(conversation: Conversation, limit: int) -> tuple[list[Post], int]:
    query = conversation.posts.select_related("author").order_by("-created_at", "-id")
    posts = list(query[:limit])
    total = len(posts) if len(posts) < limit else query.count()
    return posts[::-1], total


def own_threads(actor: Actor, candidate: Candidate, *, limit: int = SHOWN) -> list[Thread]:
    """The job seeker's conversations: one per organisation serving them (empty where
    nothing was written yet), then earlier ones with organisations that no longer do."""
    conversations = {
        c.organisation_id: c
        for c in Conversation.objects.visible_to(actor)
        .filter(person=candidate)
        .select_related("organisation")
    }
    threads = []
    for organisation in serving_organisations(candidate):
        threads.append(_thread(organisation, conversations.pop(organisation.pk, None), limit))
    for conversation in sorted(conversations.values(), key=lambda c: c.organisation.name):
        threads.append(_thread(conversation.organisation, conversation, limit))
    for thread in threads:
        thread.unread = bool(thread.conversation and thread.conversation.unread_by_person)
    return threads


def staff_thread(actor: Actor, candidate: Candidate, *, limit: int = SHOWN) -> Thread | None:
    """The conversation of the actor's organisation with a person it serves (``None`` for
    anyone else: partners who see the person through consent read no messages)."""
    if not sees_people(actor):
        return None
    conversation = (
        Conversation.objects.visible_to(actor)
        .filter(person=candidate, organisation=actor.organisation)
        .select_related("organisation")
        .first()
    )
    if conversation is None:
        serves = serving_organisations(candidate).filter(pk=actor.organisation.pk).exists()
        if not serves:
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
