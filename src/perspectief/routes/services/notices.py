"""Telling people that work of routes and support at work waits for them (issue #16): a
step handed to their organisation, a partner's answer to a hand-off, and — once a day —
check-ins that became missed and steps that became stuck.

A message names nobody and carries no personal data: ``notifications.services.notify``
sends a fixed text per kind with a link (a UUID, never a name or BSN) to the page where the
recipient, signed in, sees what they may see. It is called inside the transaction of the
action that causes it and leaves after commit; whom it goes to is
:mod:`perspectief.routes.selectors.waiting`'s rule, the same as the inbox's.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.core.authz import Permission, Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from ..constants import MISSED_NOTICE_DAYS
from ..models import CheckIn, Route, RouteStep
from ..selectors.stuck import stuck_filter, stuck_rows
from ..selectors.support import missed_filter
from ..selectors.waiting import planners, supporters

log = logging.getLogger("perspectief.routes")


def route_url(route: Route) -> str:
    return reverse("route:detail", args=[route.uuid])


def handoff_made(step: RouteStep) -> None:
    """A step was handed to ``step.owner``: its members who may answer hear of it."""
    notify(
        kind=Kind.HANDOFF,
        memberships=members_of(step.owner, permission=Permission.VIEW_ROUTES),
        url=route_url(step.route),
    )


def handoff_answered(step: RouteStep) -> None:
    """The partner accepted or declined: the route's planner hears of it."""
    notify(kind=Kind.HANDOFF_ANSWERED, memberships=planners(step.route), url=route_url(step.route))


# --- the daily job ----------------------------------------------------------------------------


def _missed_check_ins(today: date, now) -> int:
    """Check-ins that became missed (within ``MISSED_NOTICE_DAYS``) and were not told
    about yet: their supporters hear of it, once per check-in."""
    grace = timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    check_ins = list(
        CheckIn.objects.select_for_update(of=("self",))
        .filter(
            missed_filter(today),
            missed_notified_at__isnull=True,
            due_on__gte=today - grace - timedelta(days=MISSED_NOTICE_DAYS),
            plan__candidate__merged_into__isnull=True,
            plan__candidate__anonymised_at__isnull=True,
        )
        .select_related("plan__organisation", "plan__candidate")
        .order_by("due_on", "id")
    )
    for check_in in check_ins:
        plan = check_in.plan
        notify(
            kind=Kind.CHECKIN,
            memberships=supporters(plan),
            url=reverse("route:support-plan", args=[plan.uuid]),
        )
    CheckIn.objects.filter(pk__in=[c.pk for c in check_ins]).update(missed_notified_at=now)
    return len(check_ins)


def _stuck_steps(today: date, now) -> int:
    """Steps that became stuck and were not told about yet: the programme managers of the
    person's region hear of it, once per step (the message links to the doorbraak list,
    so each manager gets one message however many steps got stuck)."""
    candidates = list(
        RouteStep.objects.select_for_update(of=("self",))
        .filter(
            stuck_filter(today),
            stuck_notified_at__isnull=True,
            route__candidate__merged_into__isnull=True,
            route__candidate__anonymised_at__isnull=True,
        )
        .select_related("route__candidate")
        .order_by("planned_end", "id")
    )
    rows = stuck_rows(candidates, today)
    by_region: dict[int, list[RouteStep]] = defaultdict(list)
    for row in rows:
        by_region[row.step.route.candidate.region_id].append(row.step)
    managers = Membership.objects.active().filter(
        role=Role.PROGRAMME_MANAGER,
        organisation__region_id__in=list(by_region),
        user__is_active=True,
    )
    url = reverse("route:stuck")
    for region_id in by_region:
        notify(
            kind=Kind.STUCK_STEP,
            memberships=managers.filter(organisation__region_id=region_id).select_related(
                "user", "organisation"
            ),
            url=url,
        )
    RouteStep.objects.filter(pk__in=[r.step.pk for r in rows]).update(stuck_notified_at=now)
    return len(rows)


@transaction.atomic
def notify_due_work(*, today: date | None = None) -> dict[str, int]:
    """Once a day: tell the supporters of check-ins that became missed and the region's
    programme managers of steps that became stuck. Running it again tells nobody twice."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = {
        "missed_check_ins": _missed_check_ins(today, now),
        "stuck_steps": _stuck_steps(today, now),
    }
    log.info("routes due work told missed=%(missed_check_ins)d stuck=%(stuck_steps)d", result)
    return result
