"""What notes and messages put in "Mijn werkvoorraad" (``perspectief.notifications.inbox``):
notes for the actor's organisation not yet read by the actor, and messages nobody on the
reading side has read. Each item links to the page where it is read; reading it there
takes it out of the inbox. Built from the same ``visible_to`` as those pages."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from perspectief.candidates.models import CandidateOrganisation
from perspectief.core.authz import Actor, Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import INBOX_LIMIT
from .hooks import partner_urls
from .models import Conversation, Note
from .query import sees_people
from .services.messages import staff_url
from .services.notes import notes_url


def _person(candidate, *, full: bool) -> str:
    """The person as the actor may name them on the person's page: by name for an
    organisation that serves them, by the partner code for others."""
    return candidate.full_name if full else candidate.partner_label


def _served(actor: Actor) -> models.Exists:
    """Whether the actor's organisation serves the person of the row."""
    return models.Exists(
        CandidateOrganisation.objects.filter(
            candidate_id=models.OuterRef("person_id"),
            organisation_id=actor.organisation.pk,
            is_active=True,
        )
    )


def notes_source(actor: Actor) -> list[InboxItem]:
    """Notes for the actor's organisation (or for everyone, where it serves the person)
    that the actor has not read."""
    if not sees_people(actor):
        return []
    notes = (
        Note.objects.waiting_for(actor)
        .annotate(served=_served(actor))
        .select_related("person", "author_organisation")
        .order_by("-created_at", "-id")[:INBOX_LIMIT]
    )
    return [
        InboxItem(
            kind=Kind.NOTE,
            title=_("Note about %(person)s") % {"person": _person(n.person, full=n.served)},
            url=notes_url(n.person),
            detail=_("From %(organisation)s") % {"organisation": n.author_organisation.name},
            key=f"note:{n.uuid}",
        )
        for n in notes
    ]


def messages_source(actor: Actor) -> list[InboxItem]:
    """For the job seeker: conversations with a message they have not read. For staff:
    their organisation's conversations with a message of the person nobody there read."""
    if actor is None:
        return []
    if actor.role == Role.CANDIDATE:
        conversations = (
            Conversation.objects.waiting_for(actor)
            .select_related("organisation")
            .order_by("-last_staff_post_at")[:INBOX_LIMIT]
        )
        return [
            InboxItem(
                kind=Kind.MESSAGE,
                title=_("New message from %(organisation)s")
                % {"organisation": c.organisation.name},
                url=reverse("conversations:own"),
                key=f"message:{c.uuid}",
            )
            for c in conversations
        ]
    if not sees_people(actor):
        return []
    conversations = list(
        Conversation.objects.waiting_for(actor)
        .annotate(served=_served(actor))
        .select_related("person")
        .order_by("-last_person_post_at")[:INBOX_LIMIT]
    )
    # A partner (the jobcoach of an organisation supporting the person at work) reads the
    # conversation on its own page: one more query, only when there are such messages.
    partners = [c.person for c in conversations if not c.served]
    urls = partner_urls(actor.organisation, partners) if partners else {}
    return [
        InboxItem(
            kind=Kind.MESSAGE,
            title=_("Message from %(person)s") % {"person": c.person.full_name},
            url=urls.get(c.person_id) or staff_url(c.person),
            key=f"message:{c.uuid}",
        )
        for c in conversations
    ]


def register() -> None:
    SOURCES.register("conversations.notes", notes_source, order=70)
    SOURCES.register("conversations.messages", messages_source, order=71)
