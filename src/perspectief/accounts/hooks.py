"""What an invitation of each purpose means: who may send it, where it is managed, and
what accepting it does besides giving the account its role.

``accounts`` sends invitations and turns them into accounts, but a job seeker's invitation
ties the new account to that person's record, which ``candidates`` (a higher layer) keeps.
So every purpose is a :class:`Purpose` registered in :data:`INVITATION_PURPOSES`: this app
registers staff and employers' users (:func:`register`, from ``AccountsConfig.ready()``),
``candidates`` registers job seekers from its own ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from perspectief.core.authz import STAFF_ROLES, Actor, Permission, Role
from perspectief.core.contributions import Contributions
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount, Organisation

from .constants import InvitationPurpose
from .models import User


@dataclass(frozen=True)
class Purpose:
    """One purpose of invitation.

    ``authorise(actor, *, organisation, role, subject_uuid, sending)`` raises when ``actor``
    may not invite someone into ``organisation`` in ``role`` (``PermissionDeniedError``,
    ``NotFoundError``, or a ``ValidationError`` that says what is wrong). It runs when an
    invitation is sent (``sending``: also whether a new invitation makes sense, e.g. the
    person has no account yet), when one is revoked, and once more at acceptance for the
    membership that sent it: an inviter who has lost the right, or a person no longer
    served, makes the link stop working.

    ``page(invitation, user=None)`` is where the invitation is managed (after sending it
    again or revoking it); with the new account, the page where the inviter finds it (the
    link in the e-mail that tells them the invitation was accepted).

    ``sent(actor=, invitation=)``, when given, runs in the transaction that sends an
    invitation (the first time or again), e.g. to log the processing of a person's data.

    ``accept(invitation=, user=, actor=)``, when given, runs in the acceptance's transaction
    after the membership is made (``actor`` is the new membership's); a ``ValidationError``
    undoes the acceptance and its message is shown to the invitee.

    ``reachable(actor)``, when given, is a filter (``Q``) on invitations of this purpose:
    those whose ``page`` with the new account the actor may open now (the same
    ``visible_to`` as that page, as a subquery). The inbox lists an accepted invitation to
    its inviter only while it is reachable; without it, none of this purpose.
    """

    authorise: Callable[..., None]
    page: Callable[..., str]
    sent: Callable[..., None] | None = None
    accept: Callable[..., None] | None = None
    reachable: Callable[[Actor], Q] | None = None


#: The purposes of invitations, by the key stored in ``Invitation.purpose``.
INVITATION_PURPOSES = Contributions[Purpose]("what an invitation of each purpose means")


def purpose_for(key: str) -> Purpose:
    found = dict(INVITATION_PURPOSES.items()).get(key)
    if found is None:
        raise ValidationError({"purpose": _("Unknown kind of invitation.")})
    return found


def _no_person(subject_uuid: Any) -> None:
    if subject_uuid is not None:
        raise ValidationError(_("Only a job seeker's invitation names a person."))


def authorise_staff(
    actor: Actor, *, organisation, role: str, subject_uuid=None, sending: bool = True
) -> None:
    """The functional administrator invites staff into the organisations of their region."""
    if not actor.has_perm(Permission.MANAGE_USERS):
        raise PermissionDeniedError(_("Only a functional administrator invites colleagues."))
    _no_person(subject_uuid)
    if role not in STAFF_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "Invite colleagues in a staff role here. An employer's users are invited "
                    "by its account owner, job seekers by their klantmanager."
                )
            }
        )
    managed = Organisation.objects.managed_by(actor).filter(is_active=True)
    if not managed.filter(pk=organisation.pk).exists():
        raise NotFoundError(_("Organisation not found."))


def authorise_employer_user(
    actor: Actor, *, organisation, role: str, subject_uuid=None, sending: bool = True
) -> None:
    """The account owner of an employer invites that employer's users."""
    _no_person(subject_uuid)
    if role != Role.EMPLOYER:
        raise ValidationError({"role": _("An employer's users get the employer role.")})
    account = EmployerAccount.objects.visible_to(actor).filter(organisation=organisation).first()
    if account is None:
        raise NotFoundError(_("Employer not found."))
    if not (
        actor.has_perm(Permission.MANAGE_EMPLOYERS)
        and actor.membership is not None
        and account.owner_id == actor.membership.pk
    ):
        raise PermissionDeniedError(_("Only the employer's account owner invites its users."))


def staff_page(invitation, user=None) -> str:
    if user is not None:
        return reverse("accounts:manage-user", args=[user.uuid])
    return reverse("accounts:manage-users") + "#invitations"


def employer_page(invitation, user=None) -> str:
    # Through the organisation, so a list that selected ``organisation__employer_account``
    # asks no query per invitation.
    account = invitation.organisation.employer_account
    return reverse("organisations:employer", args=[account.uuid])


def staff_reachable(actor: Actor) -> Q:
    """The new colleague's page: users the administrator sees (a role in their region)."""
    return Q(accepted_user__in=User.objects.visible_to(actor).values("pk"))


def employer_reachable(actor: Actor) -> Q:
    """The employer's page with its invitations, which only its account owner sees."""
    if actor.membership is None:
        return Q(pk__in=[])
    accounts = EmployerAccount.objects.visible_to(actor).filter(owner_id=actor.membership.pk)
    return Q(organisation__employer_account__in=accounts.values("pk"))


def register() -> None:
    INVITATION_PURPOSES.register(
        InvitationPurpose.STAFF,
        Purpose(authorise=authorise_staff, page=staff_page, reachable=staff_reachable),
        order=10,
    )
    INVITATION_PURPOSES.register(
        InvitationPurpose.EMPLOYER_USER,
        Purpose(
            authorise=authorise_employer_user, page=employer_page, reachable=employer_reachable
        ),
        order=20,
    )
