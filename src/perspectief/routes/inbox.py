"""What routes and support at work put in a person's inbox ("Mijn werkvoorraad",
``perspectief.notifications.inbox``), registered in ``RoutesConfig.ready()``:

- ``routes.handoffs`` — steps handed to the actor's organisation that wait for its answer,
  for those who may answer them (``routes.view``), by the code partners know the person by
  (as the route's page shows them until the step is accepted); due when the hand-off
  becomes stuck (``HANDOFF_ACCEPT_DAYS`` after it was handed over);
- ``routes.stuck_region`` — for the region's coordinator (``routes.stuck``) one item
  with the number of stuck steps on the doorbraak list, due since the oldest got stuck;
- ``routes.planning`` — for the route's planner (the person's klantmanager, see
  ``selectors.waiting``) the stuck steps of their routes and the hand-offs a partner
  declined, by the person's name (the planner sees it on the route's page);
- ``routes.support`` — for whoever supports the person at work: check-ins due within
  ``CHECK_IN_NOTICE_DAYS`` or missed, and six months in work that wait for a confirmation.

Each item is built from the same ``visible_to`` query as the page it links to, and leaves
the inbox when the work is done there (a hand-off answered, a step moving again or given
another owner, a check-in or a confirmation recorded). Every source answers ``[]`` without
a query for an actor it does not apply to, and reads a bounded number of rows: at most
``INBOX_LIMIT`` items of a kind, then one item that says how many more wait on the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perspectief.candidates.constants import AT_WORK
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.dates import add_months, day_month_year
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import (
    CHECK_IN_NOTICE_DAYS,
    DURABLE_MONTHS,
    INBOX_LIMIT,
    OPEN_STEPS,
    HandOff,
    PlanStatus,
)
from .models import CheckIn, Route, RouteStep, SupportPlan
from .selectors import routes as route_selectors
from .selectors.stuck import stuck_count, stuck_filter, stuck_rows
from .selectors.waiting import planned_by, supported_by


def _step_url(step: RouteStep) -> str:
    return reverse("route:detail", args=[step.route.uuid]) + f"#step-{step.uuid}"


def _capped(rows: list, total: Callable[[], int], more: Callable[[int], InboxItem]) -> list:
    """``rows`` were read with ``INBOX_LIMIT + 1``: beyond the limit, one item says how many
    more wait (``total`` counts them only then)."""
    if len(rows) <= INBOX_LIMIT:
        return rows
    return [*rows[:INBOX_LIMIT], more(total() - INBOX_LIMIT)]


# --- hand-offs to answer ---------------------------------------------------------------------


def _answer_by(step: RouteStep) -> date:
    """The day a hand-off should be answered by: after that it is stuck."""
    if step.handed_off_at is None:
        return step.planned_start
    handed = timezone.localtime(step.handed_off_at).date()
    return handed + timedelta(days=settings.HANDOFF_ACCEPT_DAYS)


def handoffs(actor: Actor) -> list[InboxItem]:
    if actor.role == Role.CANDIDATE or not actor.has_perm(Permission.VIEW_ROUTES):
        return []
    pending = route_selectors.handed_to(actor=actor).filter(handoff=HandOff.PENDING)
    items = [
        InboxItem(
            kind=Kind.HANDOFF,
            title=_("Accept or decline: %(step)s (%(person)s)")
            % {"step": step.title, "person": step.route.candidate.partner_label},
            detail=_("Handed over by %(org)s; planned %(start)s – %(end)s.")
            % {
                "org": step.route.organisation.name,
                "start": day_month_year(step.planned_start),
                "end": day_month_year(step.planned_end),
            },
            url=_step_url(step),
            due=_answer_by(step),
            key=f"routes.handoff:{step.uuid}",
        )
        for step in pending[: INBOX_LIMIT + 1]
    ]
    return _capped(
        items,
        pending.count,
        lambda n: InboxItem(
            kind=Kind.HANDOFF,
            title=ngettext(
                "%(n)s more step handed to your organisation waits for an answer",
                "%(n)s more steps handed to your organisation wait for an answer",
                n,
            )
            % {"n": n},
            url=reverse("route:home") + "#handed",
            due=min(i.due for i in items if i.due),
            key="routes.handoff:more",
        ),
    )


# --- stuck steps: the region's coordinator -------------------------------------------------


def stuck_region(actor: Actor) -> list[InboxItem]:
    """One item for the whole doorbraak list: the coordinator works from the list (by
    organisation, people by code), and a region can have hundreds of stuck steps."""
    if not actor.has_perm(Permission.VIEW_STUCK):
        return []
    count, since = stuck_count(actor=actor)
    if not count or since is None:
        return []
    return [
        InboxItem(
            kind=Kind.STUCK_STEP,
            title=ngettext(
                "%(n)s step of a route in the region is stuck",
                "%(n)s steps of routes in the region are stuck",
                count,
            )
            % {"n": count},
            detail=_(
                "Past their due date, or handed over and not answered in time; the oldest "
                "since %(date)s."
            )
            % {"date": day_month_year(since)},
            url=reverse("route:stuck"),
            due=since,
            key="routes.stuck_region",
        )
    ]


# --- the planner's own routes --------------------------------------------------------------


def _planned_steps(actor: Actor):
    """Steps of the routes whose planning waits for the actor, through the route page's
    rule (``Route.visible_to``, at the planning level: the organisation serves the person)."""
    served = Candidate.objects.served_by(actor.organisation).values("pk")
    routes = Route.objects.visible_to(actor).filter(planned_by(actor), candidate__in=served)
    return RouteStep.objects.filter(route__in=routes.values("pk")).select_related(
        "route__candidate", "owner"
    )


def _stuck_item(row) -> InboxItem:
    step = row.step
    if row.why == "handoff":
        detail = _("%(org)s has not answered the hand-off.") % {"org": step.owner.name}
    else:
        detail = _("Past its due date of %(date)s (%(org)s).") % {
            "date": day_month_year(step.planned_end),
            "org": step.owner.name,
        }
    return InboxItem(
        kind=Kind.STUCK_STEP,
        title=_("Stuck: %(step)s of %(person)s")
        % {"step": step.title, "person": step.route.candidate.full_name},
        detail=detail,
        url=_step_url(step),
        due=row.since,
        key=f"routes.stuck:{step.uuid}",
    )


def _declined_item(step: RouteStep) -> InboxItem:
    return InboxItem(
        kind=Kind.HANDOFF_ANSWERED,
        title=_("Declined by %(org)s: %(step)s of %(person)s")
        % {"org": step.owner.name, "step": step.title, "person": step.route.candidate.full_name},
        detail=_("“%(reason)s” Give the step another owner, or stop it.")
        % {"reason": step.decline_reason},
        url=_step_url(step),
        due=step.planned_start,
        key=f"routes.declined:{step.uuid}",
    )


def planning(actor: Actor) -> list[InboxItem]:
    """Stuck steps of the actor's routes, and hand-offs a partner declined (one item per
    step: a declined step that is also stuck shows as declined)."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        return []
    today = timezone.localdate()
    steps = _planned_steps(actor)
    declined = steps.filter(handoff=HandOff.DECLINED, status__in=OPEN_STEPS).order_by(
        "planned_start", "id"
    )
    stuck = steps.filter(stuck_filter(today)).exclude(handoff=HandOff.DECLINED)
    items = [_declined_item(s) for s in declined[: INBOX_LIMIT + 1]]
    first_stuck = stuck.order_by("planned_end", "id")[: INBOX_LIMIT + 1]
    items += [_stuck_item(row) for row in stuck_rows(first_stuck, today)]
    return _capped(
        items,
        lambda: declined.count() + len(stuck_rows(stuck, today)),
        lambda n: InboxItem(
            kind=Kind.STUCK_STEP,
            title=ngettext(
                "%(n)s more step of your routes needs you",
                "%(n)s more steps of your routes need you",
                n,
            )
            % {"n": n},
            url=reverse("route:home") + "#stuck",
            due=min((i.due for i in items if i.due), default=None),
            key="routes.planning:more",
        ),
    )


# --- support at work -----------------------------------------------------------------------


def _check_in_item(check_in: CheckIn, missed_before: date) -> InboxItem:
    plan = check_in.plan
    if check_in.due_on < missed_before:
        detail = _("Missed: it was due on %(date)s. %(work)s at %(employer)s.")
    else:
        detail = _("Due on %(date)s. %(work)s at %(employer)s.")
    return InboxItem(
        kind=Kind.CHECKIN,
        title=ngettext(
            "Check-in with %(person)s after %(n)s month",
            "Check-in with %(person)s after %(n)s months",
            check_in.month,
        )
        % {"person": plan.candidate.full_name, "n": check_in.month},
        detail=detail
        % {
            "date": day_month_year(check_in.due_on),
            "work": plan.job_title,
            "employer": plan.employer_display,
        },
        url=reverse("route:support-plan", args=[plan.uuid]),
        due=check_in.due_on,
        key=f"routes.checkin:{check_in.uuid}",
    )


def _confirmation_item(plan: SupportPlan) -> InboxItem:
    return InboxItem(
        kind=Kind.CHECKIN,
        title=_("Confirm durable work: %(person)s") % {"person": plan.candidate.full_name},
        detail=_(
            "Six months in work on %(date)s: record who confirmed whether the person still "
            "works as %(work)s at %(employer)s."
        )
        % {
            "date": day_month_year(plan.durable_due_on),
            "work": plan.job_title,
            "employer": plan.employer_display,
        },
        url=reverse("route:support-plan", args=[plan.uuid]),
        due=plan.durable_due_on,
        key=f"routes.confirm:{plan.uuid}",
        label=_("durable work to be confirmed"),
    )


def _not_confirmed_count(confirming, today: date) -> int:
    """How many of ``confirming`` are past six months (``SupportPlan.not_confirmed``),
    counted in SQL: whoever started on or before the day six months back is past them
    (``add_months`` only ever clamps a day down), so only the few days after it need the
    property — a region's placements are not read one by one (#20, national population)."""
    surely = add_months(today, -DURABLE_MONTHS)
    recent = confirming.filter(started_on__gt=surely).select_related(None).prefetch_related(None)
    return confirming.filter(started_on__lte=surely).count() + sum(
        1 for plan in recent if plan.not_confirmed
    )


def support(actor: Actor) -> list[InboxItem]:
    """Check-ins due within ``CHECK_IN_NOTICE_DAYS`` or missed, and placements past six
    months that nobody confirmed, for whoever supports the person at work."""
    if actor.role == Role.CANDIDATE or not actor.has_perm(Permission.RECORD_SUPPORT):
        return []
    today = timezone.localdate()
    plans = SupportPlan.objects.visible_to(actor).filter(supported_by(actor))
    check_ins = (
        CheckIn.objects.filter(
            plan__in=plans.filter(candidate__status__in=AT_WORK).values("pk"),
            plan__status__in=[PlanStatus.ACTIVE, PlanStatus.DURABLE],
            held_on__isnull=True,
            due_on__lte=today + timedelta(days=CHECK_IN_NOTICE_DAYS),
        )
        .select_related("plan__candidate", "plan__employer")
        .order_by("due_on", "id")
    )
    # Six months may be a few days more than add_months(-6) gives at a month's end; the
    # property decides.
    confirming = (
        plans.filter(
            status=PlanStatus.ACTIVE,
            confirmation__isnull=True,
            started_on__lte=add_months(today, -DURABLE_MONTHS) + timedelta(days=3),
        )
        # The employer by its own query: joined, PostgreSQL misjudged the few plans as one
        # and scanned every employer per plan (0.4 s with a national population).
        .select_related("candidate")
        .prefetch_related("employer")
        .order_by("started_on", "id")
    )
    missed_before = today - timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    items = [_check_in_item(c, missed_before) for c in check_ins[: INBOX_LIMIT + 1]]
    items += [_confirmation_item(p) for p in confirming[: INBOX_LIMIT + 1] if p.not_confirmed]
    return _capped(
        items,
        lambda: check_ins.count() + _not_confirmed_count(confirming, today),
        lambda n: InboxItem(
            kind=Kind.CHECKIN,
            title=ngettext(
                "%(n)s more check-in or confirmation waits",
                "%(n)s more check-ins or confirmations wait",
                n,
            )
            % {"n": n},
            url=reverse("route:support"),
            due=min((i.due for i in items if i.due), default=None),
            key="routes.support:more",
        ),
    )


def register() -> None:
    """Add the routes' sources to the inbox (from ``RoutesConfig.ready()``)."""
    SOURCES.register("routes.handoffs", handoffs, order=20)
    SOURCES.register("routes.stuck_region", stuck_region, order=21)
    SOURCES.register("routes.planning", planning, order=22)
    SOURCES.register("routes.support", support, order=23)
