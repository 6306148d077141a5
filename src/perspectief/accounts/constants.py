"""Which kinds of organisation may hold a role (memberships are kept here; the roles and
their permissions are in ``perspectief.core.authz``), and the purposes of invitations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Role
from perspectief.organisations.constants import OrganisationKind as Kind

#: Which kinds of organisation a role can be held in.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.KLANTMANAGER: frozenset({Kind.GEMEENTE, Kind.UWV, Kind.SW_BEDRIJF}),
    Role.ACCOUNTMANAGER: frozenset({Kind.GEMEENTE, Kind.UWV}),
    Role.EMPLOYER: frozenset({Kind.EMPLOYER}),
    Role.INTERMEDIARY: frozenset({Kind.INTERMEDIARY, Kind.SW_BEDRIJF}),
    Role.TRAINING_ADVISOR: frozenset({Kind.SCHOOL}),
    Role.JOBCOACH: frozenset(
        {Kind.GEMEENTE, Kind.UWV, Kind.SW_BEDRIJF, Kind.INTERMEDIARY, Kind.SCHOOL, Kind.EMPLOYER}
    ),
    Role.PROGRAMME_MANAGER: frozenset({Kind.REGION, Kind.GEMEENTE}),
    Role.SZW_ANALYST: frozenset({Kind.MINISTRY}),
    Role.SUPPORT_TEAM: frozenset({Kind.PROGRAMME}),
    Role.FUNCTIONAL_ADMIN: frozenset({Kind.REGION, Kind.GEMEENTE}),
    Role.CANDIDATE: frozenset({Kind.GEMEENTE, Kind.UWV}),
}


class InvitationPurpose(models.TextChoices):
    """Why someone is invited, which decides who may invite and what acceptance does
    (``hooks.INVITATION_PURPOSES``)."""

    STAFF = "staff", _("a colleague")
    EMPLOYER_USER = "employer_user", _("a user of an employer")
    JOB_SEEKER = "job_seeker", _("a job seeker (Mijn Perspectief)")


#: How long an invitation link works.
INVITATION_DAYS = 7

#: How long an invitation is kept after its link stopped working (for the lists, the inbox
#: and questions about it); then it is deleted (its audit events stay).
INVITATION_KEPT_DAYS = 90
