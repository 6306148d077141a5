"""For whom the work of routes and support at work waits (issue #16): the people an e-mail
goes to and whose inbox shows the work. Each rule is written twice, once for one object
(whom to tell: memberships) and once as a filter (what waits for one actor), and the two
give the same people; ``tests/routes/test_inbox.py`` holds them to it.

- *A hand-off* waits for everyone in the organisation it was handed to who may answer it
  (``routes.view``: the accept and decline buttons are theirs).
- *A partner's answer and the planner's stuck steps* wait for the person's klantmanager
  in the organisation that plans the route; when the person has no klantmanager there, for
  every planner (``routes.plan``) of that organisation.
- *A check-in or the confirmation of durable work* waits for whoever supports the person
  at work, in the supporting organisation: the plan's jobcoach; without one, the person's
  klantmanager when they work there; without either, everyone there who records support
  (``support.record``). Nobody is left out: a plan without a named supporter waits for the
  whole organisation.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission, Role

from ..models import Route, SupportPlan


def roles_with(permission: str) -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]


def _member(organisation: str, user: str, roles) -> Exists:
    """Whether the user in the outer row's ``user`` field is an active member of the
    organisation in its ``organisation`` field in one of ``roles`` (as ``members_of``)."""
    return Exists(
        Membership.objects.active().filter(
            organisation_id=OuterRef(organisation),
            user_id=OuterRef(user),
            user__is_active=True,
            role__in=list(roles),
        )
    )


# --- the route's planner -------------------------------------------------------------------


def planners(route: Route) -> list:
    """The memberships a partner's answer to a hand-off of ``route`` goes to."""
    members = list(members_of(route.organisation, permission=Permission.PLAN_ROUTES))
    own = [m for m in members if m.user_id == route.candidate.klantmanager_id]
    return own or members


def planned_by(actor: Actor, prefix: str = "") -> Q:
    """Routes (``prefix`` leads from the filtered model to the route) whose planning work
    waits for the actor, as :func:`planners`."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        return Q(pk__in=[])
    km_plans = _member(
        f"{prefix}organisation_id",
        f"{prefix}candidate__klantmanager_id",
        roles_with(Permission.PLAN_ROUTES),
    )
    return Q(**{f"{prefix}organisation_id": actor.organisation.pk}) & (
        Q(**{f"{prefix}candidate__klantmanager_id": actor.user.pk}) | ~Q(km_plans)
    )


# --- whoever supports the person at work ---------------------------------------------------


def supporters(plan: SupportPlan) -> list:
    """The memberships a missed check-in of ``plan`` goes to."""
    members = list(members_of(plan.organisation, permission=Permission.RECORD_SUPPORT))
    coach = [m for m in members if m.role == Role.JOBCOACH and m.user_id == plan.jobcoach_id]
    if coach:
        return coach
    own = [m for m in members if m.user_id == plan.candidate.klantmanager_id]
    return own or members


def supported_by(actor: Actor, prefix: str = "") -> Q:
    """Support plans (``prefix`` leads from the filtered model to the plan) whose work
    waits for the actor, as :func:`supporters`."""
    if not actor.has_perm(Permission.RECORD_SUPPORT):
        return Q(pk__in=[])
    org = f"{prefix}organisation_id"
    coach = Q(_member(org, f"{prefix}jobcoach_id", [Role.JOBCOACH]))
    klantmanager = Q(
        _member(org, f"{prefix}candidate__klantmanager_id", roles_with(Permission.RECORD_SUPPORT))
    )
    user = actor.user.pk
    mine_as_coach = (
        coach & Q(**{f"{prefix}jobcoach_id": user}) if actor.role == Role.JOBCOACH else Q(pk__in=[])
    )
    return Q(**{org: actor.organisation.pk}) & (
        mine_as_coach
        | (~coach & klantmanager & Q(**{f"{prefix}candidate__klantmanager_id": user}))
        | (~coach & ~klantmanager)
    )
