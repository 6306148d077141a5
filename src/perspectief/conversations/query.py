"""Who sees which note and which conversation (``visible_to``), and whose inbox a note or a
message waits in (``waiting_for``): one rule each, used by the pages, the API, the inbox
and the e-mail alike."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

from perspectief.accounts.models import Membership
from perspectief.candidates.models import Candidate, CandidateOrganisation
from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission, Role

from .hooks import partner_waiting, partnered

#: Roles that see job seekers: they read notes, and the organisation's messages.
PEOPLE_ROLES = sorted(
    r for r, perms in ROLE_PERMISSIONS.items() if Permission.VIEW_CANDIDATES in perms
)


def _model(name: str) -> Any:
    """A model of this app, looked up when a query is built: the models import this module."""
    return apps.get_model("conversations", name)


def sees_people(actor: Actor) -> bool:
    """Staff who may see job seekers (never an employer, the job seeker or an administrator)."""
    return (
        actor is not None
        and actor.role != Role.CANDIDATE
        and actor.has_perm(Permission.VIEW_CANDIDATES)
    )


def _serves(organisation_id, person: str = "person_id") -> models.Exists:
    return models.Exists(
        CandidateOrganisation.objects.filter(
            candidate_id=models.OuterRef(person),
            organisation_id=organisation_id,
            is_active=True,
        )
    )


def for_the_klantmanager(actor: Actor) -> models.Q:
    """Work for an organisation goes to the person's own klantmanager when they work there
    (a gemeente has hundreds of klantmanagers; one of them knows the person); otherwise to
    everyone of the organisation who sees job seekers. ``services.*.recipients`` applies the
    same rule to the e-mail."""
    klantmanager_works_here = models.Exists(
        Membership.objects.active().filter(
            user_id=models.OuterRef("person__klantmanager_id"),
            user__is_active=True,
            organisation_id=actor.organisation.pk,
            role__in=PEOPLE_ROLES,
        )
    )
    return (
        models.Q(person__klantmanager_id__isnull=True)
        | models.Q(person__klantmanager_id=actor.user.pk)
        | ~models.Q(klantmanager_works_here)
    )


class NoteQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """Exactly those who may see the person read the notes about them: the organisations
        that serve the person and, with the person's consent, the partners in the region
        (``Candidate.visible_to``). Staff only: not employers, not the person (they get the
        notes with all their data on request), not an administrator."""
        if not sees_people(actor):
            return self.none()
        people = Candidate.objects.visible_to(actor).filter(pk=models.OuterRef("person_id"))
        return self.filter(models.Exists(people))

    def waiting_for(self, actor: Actor):
        """Notes in the actor's inbox: addressed to the actor's organisation, or to everyone
        when the organisation serves the person; the person's klantmanager first (see
        :func:`for_the_klantmanager`); not written by the actor, not read by the actor, not
        older than the actor's membership."""
        if not sees_people(actor):
            return self.none()
        organisation = actor.organisation.pk
        addressed = models.Q(addressed_to_id=organisation) | models.Q(
            models.Q(addressed_to__isnull=True) & _serves(organisation)
        )
        read = models.Exists(
            _model("NoteRead").objects.filter(
                note_id=models.OuterRef("pk"), membership=actor.membership
            )
        )
        return (
            self.visible_to(actor)
            .filter(addressed, for_the_klantmanager(actor))
            .filter(created_at__gte=actor.membership.created_at)
            .exclude(author=actor.membership)
            .exclude(read)
        )


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """The person sees their own conversations; staff who see job seekers see their own
        organisation's conversation with a person it serves, or one it may message as a
        partner (``hooks.PARTNERS``: the jobcoach of an organisation supporting the person
        at work). Partners who see the person through consent, employers and
        administrators see none."""
        if actor is None:
            return self.none()
        current = self.filter(person__merged_into__isnull=True, person__anonymised_at__isnull=True)
        if actor.role == Role.CANDIDATE:
            return current.filter(person__user_id=actor.user.pk)
        if not sees_people(actor):
            return self.none()
        organisation = actor.organisation.pk
        return current.filter(
            models.Q(organisation_id=organisation)
            & (models.Q(_serves(organisation)) | partnered(actor))
        )

    def unread_by_person(self):
        return self.filter(last_staff_post_at__isnull=False).filter(
            models.Q(person_read_at__isnull=True)
            | models.Q(person_read_at__lt=models.F("last_staff_post_at"))
        )

    def unread_by_staff(self):
        return self.filter(last_person_post_at__isnull=False).filter(
            models.Q(staff_read_at__isnull=True)
            | models.Q(staff_read_at__lt=models.F("last_person_post_at"))
        )

    def waiting_for(self, actor: Actor):
        """Conversations in the actor's inbox: for the person, the ones with a message they
        have not read; for staff, their organisation's conversations with a message of the
        person nobody there has read: with the person's klantmanager first where the
        organisation serves the person, by the partner's rule where it does not
        (``hooks.Partner.waiting``, as its e-mail)."""
        if actor is not None and actor.role == Role.CANDIDATE:
            return self.visible_to(actor).unread_by_person()
        if not sees_people(actor):
            return self.none()
        serves = models.Q(_serves(actor.organisation.pk))
        return (
            self.visible_to(actor)
            .unread_by_staff()
            .filter((serves & for_the_klantmanager(actor)) | (~serves & partner_waiting(actor)))
        )
