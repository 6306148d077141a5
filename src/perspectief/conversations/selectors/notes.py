"""Reads of the notes between partners about a person."""

from __future__ import annotations

from uuid import UUID

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.models import Membership
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateOrganisation
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Actor
from perspectief.core.exceptions import NotFoundError
from perspectief.organisations.models import Organisation

from ..constants import SHOWN
from ..models import Note, NoteRead
from ..query import PEOPLE_ROLES, sees_people


def person_for_notes(*, actor: Actor, uuid: UUID | str) -> tuple[Candidate, str]:
    """The person whose notes the actor reads or adds to, with the actor's access level
    (``candidates.selectors.people``); absent and not visible answer the same. Not logged
    here: the caller logs what it does with the person."""
    candidate = (
        Candidate.objects.visible_to(actor).filter(uuid=uuid).first()
        if sees_people(actor)
        else None
    )
    if candidate is None:
        raise NotFoundError(_("Job seeker not found."))
    return candidate, candidate_selectors.access_level(actor, candidate)


def notes_about(*, actor: Actor, candidate: Candidate):
    """The notes about the person the actor may read, newest first."""
    return (
        Note.objects.visible_to(actor)
        .filter(person=candidate)
        .select_related("author__user", "author_organisation", "addressed_to")
        .order_by("-created_at", "-id")
    )


def shown_notes(*, actor: Actor, candidate: Candidate) -> tuple[list[Note], set[int], int]:
    """The newest notes for the person's page, which of them the actor has not read yet,
    and how many there are in all."""
    query = notes_about(actor=actor, candidate=candidate)
    notes = list(query[:SHOWN])
    total = len(notes) if len(notes) < SHOWN else query.count()
    read = set(
        NoteRead.objects.filter(
            membership=actor.membership, note_id__in=[n.pk for n in notes]
        ).values_list("note_id", flat=True)
    )
    unread = {n.pk for n in notes if n.pk not in read and n.author_id != actor.membership.pk}
    return notes, unread, total


def addressable(candidate: Candidate):
    """The organisations a note about the person can be addressed to: those that may see
    the person — the organisations that serve them and, while the person's regional
    consent holds, the organisations of the region whose staff see job seekers."""
    serves = models.Exists(
        CandidateOrganisation.objects.filter(
            candidate=candidate, organisation_id=models.OuterRef("pk"), is_active=True
        )
    )
    may_see = models.Q(serves)
    if candidate.consents.active(ConsentScope.REGIONAL_PROFILE).exists():
        staff = models.Exists(
            Membership.objects.active().filter(
                organisation_id=models.OuterRef("pk"), role__in=PEOPLE_ROLES
            )
        )
        may_see |= models.Q(region_id=candidate.region_id) & models.Q(staff)
    return Organisation.objects.filter(is_active=True).filter(may_see).order_by("name", "id")
