"""Who may do what in the support services, refused in words: the national support team's
steps, and a region's programme manager's (with the step's own message). The same
predicates decide what each sees (:mod:`perspectief.support.query`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import PermissionDeniedError

from ..query import in_region, is_team


def require_team(actor: Actor) -> None:
    if not is_team(actor):
        raise PermissionDeniedError(_("Only the national support team can do this."))


def require_region_manager(actor: Actor, message: str) -> None:
    """A region's programme manager (``REPORT_PROGRESS`` in a region), else ``message``."""
    if not in_region(actor, Permission.REPORT_PROGRESS):
        raise PermissionDeniedError(message)
