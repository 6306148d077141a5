"""Messages between a job seeker and the organisations that serve them: sending one, and
reading a conversation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.models import Membership
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.organisations.models import Organisation

from ..constants import MESSAGE_MAX_LENGTH
from ..models import Conversation, Post, cleaned_text
from ..query import sees_people
from ..selectors.messages import serving_organisations
from .notes import recipients_in

EMPTY = _("Your message is empty. Write something first.")
TOO_LONG = _("Your message is too long. Use at most %(max)d characters (now %(length)d).")


def staff_url(candidate: Candidate) -> str:
    """Where staff read the conversation: the person's page (a uuid, no name)."""
    return reverse("candidates:detail", args=[candidate.uuid]) + "#messages"


def person_memberships(candidate: Candidate):
    """The job seeker's own account, in its role of job seeker."""
    if candidate.user_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.active()
        .filter(user_id=candidate.user_id, user__is_active=True, role=Role.CANDIDATE)
        .select_related("user", "organisation")
    )


def _sides(
    actor: Actor, candidate: Candidate, organisation: Organisation | None
) -> tuple[Candidate, Organisation, bool]:
    """The person, the organisation of the conversation and whether the person writes;
    refused for anyone else than the person or staff of an organisation serving them."""
    if actor is not None and actor.role == Role.CANDIDATE:
        person = Candidate.objects.visible_to(actor).filter(pk=candidate.pk).first()
        if person is None:
            raise NotFoundError(_("Job seeker not found."))
        serving = serving_organisations(person)
        if organisation is None and serving.count() == 1:
            organisation = serving.first()
        if organisation is None or not serving.filter(pk=organisation.pk).exists():
            raise ValidationError(
                {"organisation": _("Choose the organisation you want to write to.")}
            )
        return person, organisation, True
    if not sees_people(actor):
        raise PermissionDeniedError()
    person = (
        Candidate.objects.visible_to(actor)
        .served_by(actor.organisation)
        .filter(pk=candidate.pk)
        .first()
    )
    if person is None:
        raise NotFoundError(_("Job seeker not found."))
    return person, actor.organisation, False


@transaction.atomic
def message_send(
    *, actor: Actor, candidate: Candidate, text: str, organisation: Organisation | None = None
) -> Post:
    """A message in the conversation between the person and an organisation serving them:
    written by the person (to ``organisation``, one that serves them) or by staff of such an
    organisation (to the person). The other side is e-mailed that a message waits (the
    e-mail names nobody); audited and in the access log."""
    person, organisation, from_person = _sides(actor, candidate, organisation)
    text = cleaned_text(text, limit=MESSAGE_MAX_LENGTH, empty=EMPTY, too_long=TOO_LONG)
    conversation, _created = Conversation.objects.select_for_update().get_or_create(
        person=person, organisation=organisation
    )
    post = Post.objects.create(
        conversation=conversation, from_person=from_person, author=actor.user, text=text
    )
    now = post.created_at
    if from_person:
        conversation.last_person_post_at = conversation.person_read_at = now
        fields = ["last_person_post_at", "person_read_at"]
    else:
        conversation.last_staff_post_at = conversation.staff_read_at = now
        conversation.staff_read_by = actor.user
        fields = ["last_staff_post_at", "staff_read_at", "staff_read_by"]
    conversation.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "message.sent",
        actor=actor,
        target=post,
        changes={
            "conversation": [None, str(conversation.uuid)],
            "from": [None, "person" if from_person else "organisation"],
            "length": [None, len(text)],
        },
    )
    activity = (
        ProcessingActivity.CANDIDATE_SELF if from_person else ProcessingActivity.CANDIDATE_SERVICE
    )
    access.record_candidate(actor, person, activity, Operation.CREATE)
    if from_person:
        notify(
            kind=Kind.MESSAGE,
            memberships=recipients_in(organisation, person),
            url=staff_url(person),
        )
    else:
        notify(
            kind=Kind.MESSAGE,
            memberships=person_memberships(person),
            url=reverse("conversations:own"),
        )
    return post


def conversation_read(*, actor: Actor, conversation: Conversation | None) -> bool:
    """The actor opened the conversation: what the other side wrote is read now and leaves
    the inbox. Not audited (nothing about the person changes); ``True`` when it was unread."""
    if conversation is None:
        return False
    now = timezone.now()
    query = Conversation.objects.filter(pk=conversation.pk)
    if actor.role == Role.CANDIDATE:
        changed = query.unread_by_person().update(person_read_at=now)
    else:
        changed = query.unread_by_staff().update(staff_read_at=now, staff_read_by=actor.user)
    return bool(changed)
