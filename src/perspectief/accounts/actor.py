"""The actor: who does something, for which organisation, in which role and region.

Every service takes ``actor`` as a keyword argument; audit and access records are written
from it. A user with several memberships acts in one of them at a time (chosen in the
context switcher, or fixed by the API token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perspectief.core.authz import NATIONAL_ROLES

if TYPE_CHECKING:
    from perspectief.organisations.models import Organisation
    from perspectief.regions.models import Region

    from .models import Membership, User


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership
    region: Region | None
    channel: str = "web"  # web, api or cli

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def region_id(self) -> int | None:
        return self.region.pk if self.region is not None else None

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_ROLES

    def has_perm(self, permission: str) -> bool:
        return permission in self.membership.permissions

    def __str__(self):
        return f"{self.user.username} ({self.membership})"


def actor_for(membership: Membership, *, region: Region | None = None, channel: str = "web"):
    """Build the actor for a membership; national roles may pick any region."""
    if region is None or membership.role not in NATIONAL_ROLES:
        region = membership.organisation.region
    return Actor(user=membership.user, membership=membership, region=region, channel=channel)


@dataclass(frozen=True)
class SystemActor:
    """A batch run on behalf of an organisation (the CLI import), optionally attributed to
    the person who started it. It holds exactly the permissions it is given."""

    organisation: Organisation
    permissions: frozenset[str]
    user: User | None = None
    channel: str = "cli"
    membership: None = None
    role: str = "system"

    @property
    def region(self):
        return self.organisation.region

    @property
    def region_id(self):
        return self.organisation.region_id

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    def __str__(self):
        return f"system ({self.organisation})"
