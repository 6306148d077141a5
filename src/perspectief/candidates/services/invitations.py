"""Inviting a job seeker to Mijn Perspectief (their own page): who may invite them, and
what accepting does, as the ``job_seeker`` purpose of accounts' invitations
(``accounts.hooks.INVITATION_PURPOSES``; registered in ``CandidatesConfig.ready()``).

A klantmanager of an organisation that serves the person invites them into that
organisation, in the job-seeker role. Accepting ties the new account to that person's record
and to nobody else's, in the acceptance's transaction: a record already tied to another
account, or an account already tied to another record, refuses it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from perspectief.accounts.constants import InvitationPurpose
from perspectief.accounts.hooks import INVITATION_PURPOSES, Purpose
from perspectief.accounts.models import Invitation
from perspectief.accounts.services.invitations import invitation_create
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..models import Candidate


def _served(actor: Actor, subject_uuid) -> Candidate:
    """The person, when the actor's organisation serves them (404 otherwise, alike)."""
    candidate = (
        Candidate.objects.visible_to(actor)
        .served_by(actor.organisation)
        .filter(uuid=subject_uuid)
        .first()
    )
    if candidate is None:
        raise NotFoundError(_("Job seeker not found."))
    return candidate


def authorise(actor: Actor, *, organisation, role: str, subject_uuid, sending: bool = True) -> None:
    """A klantmanager invites a person their organisation serves, into that organisation;
    a person who has an account already is not invited again."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES) or actor.membership is None:
        raise PermissionDeniedError(
            _("Only a klantmanager of an organisation that serves the person invites them.")
        )
    if role != Role.CANDIDATE:
        raise ValidationError({"role": _("A job seeker is invited in the job-seeker role.")})
    if organisation.pk != actor.organisation.pk:
        raise ValidationError(_("A job seeker is invited into your own organisation."))
    candidate = _served(actor, subject_uuid)
    if sending and candidate.user_id is not None:
        raise ValidationError(
            _("This person already has an account for Mijn Perspectief: no invitation is needed.")
        )


def sent(*, actor: Actor, invitation: Invitation) -> None:
    """Sending the invitation uses the person's e-mail address: a processing of their data."""
    assert invitation.subject_uuid is not None  # a job seeker's invitation names the person
    candidate = Candidate.objects.get(uuid=invitation.subject_uuid)
    access.record_candidate(
        actor, candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CHANGE
    )


def accept(*, invitation: Invitation, user, actor: Actor) -> None:
    """Tie the new account to the person's record (in the acceptance's transaction)."""
    assert invitation.subject_uuid is not None  # a job seeker's invitation names the person
    candidate = (
        Candidate.objects.select_for_update()
        .filter(uuid=invitation.subject_uuid, merged_into=None, anonymised_at=None)
        .first()
    )
    if candidate is None:
        raise ValidationError(
            _("The record this invitation was for no longer exists. Ask for a new invitation.")
        )
    if candidate.user_id is not None and candidate.user_id != user.pk:
        raise ValidationError(
            _(
                "Your record is already tied to another account. Sign in with that account, "
                "or ask your klantmanager."
            )
        )
    if Candidate.objects.filter(user=user).exclude(pk=candidate.pk).exists():
        raise ValidationError(_("This account is already tied to another person's record."))
    if candidate.user_id is None:
        candidate.user = user
        candidate.save(update_fields=["user", "updated_at"])
        audit.record(
            "candidate.account_linked",
            actor=actor,
            target=candidate,
            changes={"user": [None, str(user.uuid)]},
        )
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_SELF, Operation.CHANGE)


def page(invitation: Invitation, user=None) -> str:
    """The person's page, where the klantmanager sees and manages the invitation."""
    return reverse("candidates:detail", args=[invitation.subject_uuid]) + "#invitation"


def reachable(actor: Actor) -> Q:
    """The person's page with the invitation's block: people the actor's organisation
    serves (as ``_served``), as a subquery for accounts' inbox."""
    if actor.organisation is None:
        return Q(pk__in=[])
    served = Candidate.objects.visible_to(actor).served_by(actor.organisation)
    return Q(subject_uuid__in=served.values("uuid"))


@transaction.atomic
def job_seeker_invite(*, actor: Actor, candidate: Candidate, email: str) -> Invitation:
    """Invite the person to Mijn Perspectief at ``email`` (again: a new link, the old one
    stops working)."""
    return invitation_create(
        actor=actor,
        email=email,
        organisation=actor.organisation,
        role=Role.CANDIDATE,
        purpose=InvitationPurpose.JOB_SEEKER,
        subject_uuid=candidate.uuid,
    )


def register() -> None:
    INVITATION_PURPOSES.register(
        InvitationPurpose.JOB_SEEKER,
        Purpose(authorise=authorise, page=page, sent=sent, accept=accept, reachable=reachable),
        order=30,
    )
