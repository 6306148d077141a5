"""Notes between partners about a person, and the conversations between a job seeker and
each organisation that serves them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH
from .query import ConversationQuerySet, NoteQuerySet


def cleaned_text(text: str | None, *, limit: int, empty: Promise, too_long: Promise) -> str:
    """The text without surrounding white space, refused when it is empty or longer than
    ``limit`` (``too_long`` is formatted with ``max`` and ``length``)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError(str(empty), code="empty")
    if len(cleaned) > limit:
        raise ValidationError(
            str(too_long) % {"max": limit, "length": len(cleaned)}, code="too_long"
        )
    return cleaned


class Note(BaseModel):
    """A note from one partner about a person: a hand-off, a question to the school or the
    jobcoach. Everyone who may see the person reads it on the person's page; the organisation
    it is addressed to (or, addressed to everyone, the organisations that serve the person)
    finds it in the inbox and gets an e-mail that a note waits."""

    person = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="partner_notes",
    )
    author = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressed_to = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: to everyone who may see the person."),
    )
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="note_person_newest"),
            models.Index(fields=["addressed_to", "-created_at"], name="note_addressed_newest"),
        ]

    def __str__(self):
        return f"{self.author_organisation} {self.created_at:%Y-%m-%d}"


class NoteRead(models.Model):
    """That one membership has read a note (opened the person's notes). Kept per membership,
    not per organisation: a note is something each addressee should know, so a colleague
    having read it does not take it out of your inbox."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reads")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note read")
        verbose_name_plural = _("notes read")
        constraints = [models.UniqueConstraint(fields=["note", "membership"], name="noteread_once")]

    def __str__(self):
        return f"{self.note_id} read by {self.membership_id}"


class Conversation(BaseModel):
    """The messages between a job seeker and one organisation that serves them (the
    klantmanager's gemeente, the jobcoach's organisation). Each organisation has its own
    conversation with the person: one that serves the person reads only its own.

    Who wrote last and who has read what is kept here, so the inbox finds unread messages
    without reading every message."""

    person = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_person_post_at = models.DateTimeField(_("last message of the person"), null=True)
    last_staff_post_at = models.DateTimeField(_("last message of the organisation"), null=True)
    person_read_at = models.DateTimeField(_("read by the person"), null=True)
    staff_read_at = models.DateTimeField(_("read by the organisation"), null=True)
    staff_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="conversation_one_per_organisation"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "last_person_post_at"], name="conversation_org_waiting"
            )
        ]

    def __str__(self):
        return f"{self.person_id} — {self.organisation}"

    @property
    def unread_by_person(self) -> bool:
        last = self.last_staff_post_at
        return last is not None and (self.person_read_at is None or last > self.person_read_at)

    @property
    def unread_by_staff(self) -> bool:
        last = self.last_person_post_at
        return last is not None and (self.staff_read_at is None or last > self.staff_read_at)


class Post(BaseModel):
    """One message in a conversation: from the person, or from someone of the organisation."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="posts"
    )
    from_person = models.BooleanField(_("written by the job seeker"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "-created_at"], name="post_conversation_newest")
        ]

    def __str__(self):
        return f"{self.conversation_id} {self.created_at:%Y-%m-%d %H:%M}"
