"""Writing a note between partners about a person, and marking notes read."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.organisations.models import Organisation

from ..constants import NOTE_MAX_LENGTH
from ..models import Note, NoteRead, cleaned_text
from ..query import sees_people
from ..selectors.notes import addressable

EMPTY = _("The note is empty. Write what your partners need to know.")
TOO_LONG = _("The note is too long: at most %(max)d characters, this one has %(length)d.")


def notes_url(candidate: Candidate) -> str:
    """Where the notes about the person are read (no name in the link: a uuid)."""
    return reverse("candidates:detail", args=[candidate.uuid]) + "#notes"


def recipients_in(organisation: Organisation, person: Candidate) -> list[Membership]:
    """Who of the organisation is told that something about the person waits: the person's
    klantmanager when they work there, otherwise everyone there who sees job seekers
    (``query.for_the_klantmanager`` is the same rule for the inbox)."""
    members = list(members_of(organisation, permission=Permission.VIEW_CANDIDATES))
    own = [m for m in members if person.klantmanager_id and m.user_id == person.klantmanager_id]
    return own or members


def recipients(note: Note) -> list[Membership]:
    """Who is told of a new note: the addressed organisation, or, addressed to everyone, the
    organisations that serve the person; never its author."""
    if note.addressed_to is not None:
        organisations: Iterable[Organisation] = [note.addressed_to]
    else:
        organisations = Organisation.objects.filter(
            is_active=True, servings__candidate=note.person, servings__is_active=True
        ).order_by("pk")
    author_user = note.author.user_id if note.author else None
    found: dict[int, Membership] = {}
    for organisation in organisations:
        for membership in recipients_in(organisation, note.person):
            if membership.user_id != author_user:
                found.setdefault(membership.pk, membership)
    return list(found.values())


@transaction.atomic
def note_add(
    *, actor: Actor, candidate: Candidate, text: str, addressed_to: Organisation | None = None
) -> Note:
    """A note about the person, by staff who may see the person, to one organisation that
    may see the person or to everyone who may. Audited, in the access log, and the
    addressees are e-mailed that a note waits (the e-mail names nobody)."""
    if not sees_people(actor):
        raise PermissionDeniedError()
    person = Candidate.objects.visible_to(actor).filter(pk=candidate.pk).first()
    if person is None:
        raise NotFoundError(_("Job seeker not found."))
    text = cleaned_text(text, limit=NOTE_MAX_LENGTH, empty=EMPTY, too_long=TOO_LONG)
    if addressed_to is not None and not addressable(person).filter(pk=addressed_to.pk).exists():
        raise ValidationError(
            {"addressed_to": _("This organisation may not see the person: choose another.")}
        )
    note = Note.objects.create(
        person=person,
        author=actor.membership,
        author_organisation=actor.organisation,
        addressed_to=addressed_to,
        text=text,
    )
    NoteRead.objects.create(note=note, membership=actor.membership)
    audit.record(
        "note.added",
        actor=actor,
        target=note,
        changes={
            "person": [None, str(person.uuid)],
            "addressed_to": [None, str(addressed_to.uuid) if addressed_to else "everyone"],
            "length": [None, len(text)],
        },
    )
    level = candidate_selectors.access_level(actor, person)
    access.record_candidate(
        actor, person, candidate_selectors.activity_for(level), Operation.CREATE
    )
    notify(kind=Kind.NOTE, memberships=recipients(note), url=notes_url(person))
    return note


def notes_read(*, actor: Actor, notes: Iterable[Note]) -> int:
    """The actor has opened these notes (the person's notes section): they leave the
    actor's inbox. Not audited: a read receipt changes nothing about the person."""
    rows = [NoteRead(note=note, membership=actor.membership) for note in notes]
    if not rows or actor.membership is None:
        return 0
    NoteRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
