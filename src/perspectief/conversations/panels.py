"""What notes and messages add to a person's pages and data (``perspectief.candidates.panels``):
the notes between partners and the organisation's messages with the person on the
person's page, the person's messages on their own page, and both in the person's data
(AVG art. 15 and 20). Registered in ``ConversationsConfig.ready()``.

The person's page logged reading the person already; these sections add no access record
of their own (as the other panels). Opening a section reads what it shows: the notes and
messages shown leave the reader's inbox.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import OWN_PAGE, PERSON_DATA, PERSON_PAGE, DataPart
from perspectief.candidates.selectors.document import Section, text
from perspectief.candidates.selectors.export import plain
from perspectief.core.contributions import Panel

from .constants import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, SHOWN
from .forms.messages import MessageForm
from .forms.notes import NoteForm
from .models import Conversation, Note
from .query import sees_people
from .selectors import messages as message_selectors
from .selectors import notes as note_selectors
from .services import messages as message_services
from .services import notes as note_services

#: How many messages of each conversation the own page shows (the rest on /messages/).
OWN_PAGE_POSTS = 5


def notes_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """The notes between partners about the person, and the form to add one: for staff
    who may see the person. Opening the section reads the notes shown."""
    actor = request.actor
    if not sees_people(actor):
        return None
    notes, unread, total = note_selectors.shown_notes(actor=actor, candidate=candidate)
    note_services.notes_read(actor=actor, notes=[n for n in notes if n.pk in unread])
    return {
        "candidate": candidate,
        "notes": notes,
        "unread": unread,
        "total": total,
        "shown": SHOWN,
        "form": NoteForm(organisations=note_selectors.addressable(candidate)),
        "max_length": NOTE_MAX_LENGTH,
    }


def staff_messages_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """The conversation of the actor's organisation with the person it serves, and the
    form to write to the person. Opening the section reads the person's messages."""
    actor = request.actor
    thread = message_selectors.staff_thread(actor, candidate)
    if thread is None:
        return None
    message_services.conversation_read(actor=actor, conversation=thread.conversation)
    return {
        "candidate": candidate,
        "thread": thread,
        "has_account": candidate.user_id is not None,
        "form": MessageForm(),
        "max_length": MESSAGE_MAX_LENGTH,
    }


def partner_messages_panel(request, *, candidate: Candidate) -> dict | None:
    """The conversation of the actor's organisation with a person it messages as a partner
    (``hooks.PARTNERS``), for the partner's own page (the support plan): its staff do not
    see the person's page. ``None`` where the organisation serves the person (they read it
    on the person's page) or may not message them."""
    actor = request.actor
    if not sees_people(actor) or message_selectors.serves(candidate, actor.organisation):
        return None
    return staff_messages_panel(request, candidate=candidate, level="partner")


#: The partner's section, for a higher app to put on its page (``routes``' support plan).
PARTNER_MESSAGES = Panel("conversations/panels/person_messages.html", partner_messages_panel)


def own_messages_panel(request, *, candidate: Candidate) -> dict:
    """The person's newest messages with each organisation that supports them, and the
    form to write; all of them on ``/messages/``."""
    actor = request.actor
    threads = message_selectors.own_threads(actor, candidate, limit=OWN_PAGE_POSTS)
    for thread in threads:
        message_services.conversation_read(actor=actor, conversation=thread.conversation)
    writable = list(message_selectors.message_organisations(candidate))
    return {
        "threads": [t for t in threads if t.posts],
        "unread": sum(1 for t in threads if t.unread),
        "form": MessageForm(organisations=writable),
        "can_write": bool(writable),
        "max_length": MESSAGE_MAX_LENGTH,
    }


def _notes(candidate: Candidate):
    return Note.objects.filter(person=candidate).select_related(
        "author_organisation", "addressed_to"
    )


def notes_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The notes partners wrote about the person, for the file of their data."""
    return [
        {
            "written": plain(n.created_at),
            "by": n.author_organisation.name,
            "to": n.addressed_to.name if n.addressed_to else None,
            "text": n.text,
        }
        for n in _notes(candidate).order_by("created_at", "id")
    ]


def notes_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The notes partners wrote about the person, in words."""
    section = Section(
        _("Notes between the organisations about you"), empty=_("No notes were written.")
    )
    section.headers = [_("Written on"), _("By"), _("For"), _("Note")]
    section.rows = [
        [
            text(n.created_at),
            n.author_organisation.name,
            n.addressed_to.name if n.addressed_to else _("everyone who may see your data"),
            n.text,
        ]
        for n in _notes(candidate).order_by("created_at", "id")
    ]
    return [section]


def _conversations(candidate: Candidate):
    return (
        Conversation.objects.filter(person=candidate)
        .select_related("organisation")
        .prefetch_related("posts")
        .order_by("organisation__name", "id")
    )


def messages_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The person's conversations with the organisations that serve them."""
    return [
        {
            "with": c.organisation.name,
            "messages": [
                {
                    "sent": plain(p.created_at),
                    "from": "person" if p.from_person else "organisation",
                    "text": p.text,
                }
                for p in c.posts.all()
            ],
        }
        for c in _conversations(candidate)
    ]


def messages_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The person's messages, in words."""
    section = Section(_("Your messages"), empty=_("No messages were sent."))
    section.headers = [_("Sent on"), _("With"), _("From"), _("Message")]
    for c in _conversations(candidate):
        for p in c.posts.all():
            section.rows.append(
                [
                    text(p.created_at),
                    c.organisation.name,
                    _("you") if p.from_person else c.organisation.name,
                    p.text,
                ]
            )
    return [section]


def register() -> None:
    """Add the sections and parts to the person's pages and data (from ``ready()``)."""
    PERSON_PAGE.register(
        "notes", Panel("conversations/panels/person_notes.html", notes_panel), order=150
    )
    PERSON_PAGE.register(
        "messages",
        Panel("conversations/panels/person_messages.html", staff_messages_panel),
        order=160,
    )
    OWN_PAGE.register(
        "messages", Panel("conversations/panels/own_messages.html", own_messages_panel), order=5
    )
    PERSON_DATA.register("notes", DataPart("notes", notes_export, notes_document), order=55)
    PERSON_DATA.register(
        "messages", DataPart("messages", messages_export, messages_document), order=56
    )
