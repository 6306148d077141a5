"""Which kinds of organisation may hold a role (memberships are kept here; the roles and
their permissions are in ``perspectief.core.authz``)."""

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
    Role.FUNCTIONAL_ADMIN: frozenset({Kind.REGION, Kind.GEMEENTE}),
    Role.CANDIDATE: frozenset({Kind.GEMEENTE, Kind.UWV}),
}
