"""Messages between a job seeker and the organisations that serve them (or that they may
message as partners, ``hooks.PARTNERS``): sending one, and reading a conversation."""

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
from ..hooks import Partner, partner_of, partner_urls
from ..models import Conversation, Post, cleaned_text
from ..query import sees_people
from ..selectors.messages import answerable, message_organisations, serves
from .notes import recipients_in

EMPTY = _("Your message is empty. Write something first.")
TOO_LONG = _("Your message is too long. Use at most %(max)d characters (now %(length)d).")
NOT_YOURS = _(
    "You cannot write to this organisation: it does not help you (any more). "
    "Choose one of the organisations in the list."
)


def staff_url(candidate: Candidate, organisation: Organisation | None = None) -> str:
    """Where staff of ``organisation`` read the conversation (a uuid, no name): the
    person's page for an organisation serving the person; the page the partner names for
    one that messages the person as a partner (the support plan)."""
    if organisation is not None and not serves(candidate, organisation):
        url = partner_urls(organisation, [candidate]).get(candidate.pk)
        if url:
            return url
    return reverse("candidates:detail", args=[candidate.uuid]) + "#messages"


def _partner(candidate: Candidate, organisation: Organisation) -> Partner | None:
    """The partner rule the organisation messages the person by; ``None`` when it serves
    the person (the serving rule applies: the person's klantmanager first)."""
    return None if serves(candidate, organisation) else partner_of(candidate, organisation)


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
    refused for anyone else than the person or staff of an organisation serving them (or
    messaging them as a partner)."""
    if actor is not None and actor.role == Role.CANDIDATE:
        person = Candidate.objects.visible_to(actor).filter(pk=candidate.pk).first()
        if person is None:
            raise NotFoundError(_("Job seeker not found."))
        allowed = message_organisations(person)
        if organisation is None and allowed.count() == 1:
            organisation = allowed.first()
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Choose the organisation you want to write to.")}
            )
        if not allowed.filter(pk=organisation.pk).exists():
            raise ValidationError({"organisation": NOT_YOURS})
        return person, organisation, True
    if not sees_people(actor):
        raise PermissionDeniedError()
    person = answerable(actor).filter(pk=candidate.pk).first()
    if person is None:
        raise NotFoundError(_("Job seeker not found."))
    return person, actor.organisation, False


@transaction.atomic
def message_send(
    *, actor: Actor, candidate: Candidate, text: str, organisation: Organisation | None = None
) -> Post:
    """A message in the conversation between the person and an organisation serving them
    (or a partner, ``hooks.PARTNERS``): written by the person (to ``organisation``, one
    they can write to) or by staff of such an organisation (to the person). The other side
    is e-mailed that a message waits (the e-mail names nobody); audited and in the access
    log."""
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
    partner = _partner(person, organisation)
    if from_person:
        access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_SELF, Operation.CREATE)
        notify(
            kind=Kind.MESSAGE,
            memberships=(
                recipients_in(organisation, person)
                if partner is None
                else partner.recipients(person, organisation)
            ),
            url=staff_url(person, organisation),
        )
    else:
        activity = ProcessingActivity.CANDIDATE_SERVICE if partner is None else partner.activity
        access.record_candidate(actor, person, activity, Operation.CREATE)
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
