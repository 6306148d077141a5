"""What the action plan puts in a person's inbox ("Mijn werkvoorraad",
``perspectief.notifications.inbox``), registered in ``MonitoringConfig.ready()``:

- ``monitoring.borging`` — for the region's programme manager: each item of what should last
  after a plan that was still *planned* when the plan ended (found by the daily
  :func:`perspectief.monitoring.services.borging.check_borging`). It leaves the inbox when
  the item is marked arranged or not arranged on the plan's page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission, Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .services.borging import plan_url, waiting_check


def borging_checks(actor: Actor) -> list[InboxItem]:
    if (
        actor is None
        or actor.role != Role.PROGRAMME_MANAGER
        or not actor.has_perm(Permission.MANAGE_PLANS)
        or not actor.region_id
    ):
        return []
    return [
        InboxItem(
            kind=Kind.BORGING_CHECK,
            title=_("Check what lasts after the plan: %(what)s") % {"what": item.what},
            detail=_("%(plan)s (owner: %(owner)s)")
            % {"plan": item.plan.title, "owner": item.owner.name},
            url=plan_url(item.plan),
            due=item.plan.period_end,
            key=f"monitoring.borging:{item.pk}",
        )
        for item in waiting_check(actor.region_id)
    ]


def register() -> None:
    SOURCES.register("monitoring.borging", borging_checks, order=85)
