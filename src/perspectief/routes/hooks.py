"""What routes adds to lower apps' processes (not pages): the organisation supporting a
person at work may exchange messages with the person (``perspectief.conversations.hooks``),
while the support runs. Registered in ``RoutesConfig.ready()``.

The person writes to the supporting organisation as to one that serves them; the plan's
supporters (``selectors.waiting.supporters``: the plan's jobcoach, otherwise the person's
klantmanager there, otherwise everyone there who records support) are told and find it in
their inbox; everyone of that organisation who records support reads and answers it on
the support plan's page. When the plan ends (durable or dropped out) the person can no
longer write to the organisation, and its staff no longer read the conversation.

It also tells the funding overview (``perspectief.funding.commitments``) what route steps
commit to a pot: the sum of their amounts, and per pot the steps without the person (the
route's page is linked only for those who may see the route).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.conversations.hooks import PARTNERS, Partner
from perspectief.core.authz import Actor, Permission
from perspectief.funding import commitments
from perspectief.funding.models import FundingPot
from perspectief.organisations.models import Organisation

from .constants import PlanStatus, StepStatus
from .models import Route, RouteStep, SupportPlan
from .selectors.waiting import supported_by, supporters


def _running() -> QuerySet:
    return SupportPlan.objects.filter(status=PlanStatus.ACTIVE)


def supporting_organisations(candidate: Candidate) -> QuerySet:
    """The organisations supporting the person at work now (an active support plan)."""
    return Organisation.objects.filter(
        pk__in=_running().filter(candidate=candidate).values("organisation_id")
    )


def supported_people(actor: Actor) -> QuerySet:
    """The people the actor's organisation supports at work now, for staff who record
    support (the jobcoaches)."""
    if actor is None or not actor.has_perm(Permission.RECORD_SUPPORT):
        return SupportPlan.objects.none().values("candidate_id")
    return _running().filter(organisation_id=actor.organisation.pk).values("candidate_id")


def waiting_people(actor: Actor) -> QuerySet:
    """The people whose messages wait for the actor: of running plans whose work waits for
    the actor (``supported_by``, the same rule as ``supporters``)."""
    if actor is None:
        return SupportPlan.objects.none().values("candidate_id")
    return _running().filter(supported_by(actor)).values("candidate_id")


def message_recipients(candidate: Candidate, organisation: Organisation) -> list:
    """Whom of the supporting organisation a message of the person tells."""
    plan = (
        _running()
        .filter(candidate=candidate, organisation=organisation)
        .select_related("organisation", "candidate")
        .order_by("-started_on", "-id")
        .first()
    )
    return supporters(plan) if plan is not None else []


def plan_urls(organisation: Organisation, people: list[Candidate]) -> dict[int, str]:
    """The running support plan's page of each person (uuids only), where the supporting
    organisation reads the conversation."""
    plans = (
        _running()
        .filter(organisation=organisation, candidate__in=[p.pk for p in people])
        .order_by("started_on", "id")
        .values_list("candidate_id", "uuid")
    )
    # The newest plan wins: later rows overwrite earlier ones.
    return {
        candidate_id: reverse("route:support-plan", args=[uuid]) + "#messages"
        for candidate_id, uuid in plans
    }


SUPPORT_AT_WORK = Partner(
    organisations=supporting_organisations,
    people=supported_people,
    waiting=waiting_people,
    recipients=message_recipients,
    urls=plan_urls,
    activity=ProcessingActivity.SUPPORT_AT_WORK,
)


def register() -> None:
    PARTNERS.register("routes.support_at_work", SUPPORT_AT_WORK, order=10)
    commitments.SOURCES.register("routes.steps", ROUTE_STEPS, order=10)


# --- What route steps commit to a funding pot ---------------------------------------------


def _paying_steps() -> QuerySet:
    """Steps paid from a pot; a stopped step releases its amount."""
    return RouteStep.objects.filter(
        funding_pot__isnull=False, funding_amount__isnull=False
    ).exclude(status=StepStatus.STOPPED)


def step_totals(pot_ids: list[int], region_id: int) -> dict[int, Decimal]:
    rows = (
        _paying_steps()
        .filter(funding_pot_id__in=pot_ids, route__candidate__region_id=region_id)
        .values("funding_pot_id")
        .annotate(total=Sum("funding_amount"))
    )
    return {row["funding_pot_id"]: row["total"] for row in rows}


def step_lines(actor: Actor, pot: FundingPot) -> list[commitments.Line]:
    """The pot's steps: what, who carries it out, when and how much, never the person;
    the route's page is linked for those who may see that route."""
    steps = list(
        _paying_steps()
        .filter(funding_pot=pot, route__candidate__region_id=actor.region_id)
        .select_related("owner", "route")
        .order_by("planned_start", "id")
    )
    visible = set(
        Route.objects.visible_to(actor)
        .filter(pk__in={step.route_id for step in steps})
        .values_list("pk", flat=True)
    )
    return [
        commitments.Line(
            what=f"{step.title} ({step.get_kind_display()})",
            organisation=step.owner.name,
            amount=step.funding_amount or Decimal(0),
            status=str(step.get_status_display()),
            start=step.planned_start,
            end=step.planned_end,
            url=reverse("route:detail", args=[step.route.uuid]) + f"#step-{step.uuid}"
            if step.route_id in visible
            else "",
        )
        for step in steps
    ]


ROUTE_STEPS = commitments.Source(label=_("Route steps"), totals=step_totals, lines=step_lines)
