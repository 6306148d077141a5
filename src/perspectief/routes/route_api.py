"""/api/v1/routes, route-steps, route-templates, stuck, support-plans and a person's
journey: the same services, visibility rules and access log as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.constants import JourneyStatus, TransitionCause
from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission
from perspectief.organisations.models import Organisation

from . import planning, route_selectors, support
from .constants import (
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
    HandOff,
    PlanStatus,
    StepKind,
    StepStatus,
)
from .models import Offer, OfferEdition, Route, RouteStep, RouteTemplate, SupportPlan


class StepSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=StepKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = serializers.UUIDField(
        source="owner.uuid",
        required=False,
        allow_null=True,
        help_text="Organisation; empty: the caller's own, or the provider of the offer.",
    )
    ownerName = serializers.CharField(source="owner.name", read_only=True)
    offer = serializers.UUIDField(source="offer.uuid", required=False, allow_null=True)
    edition = serializers.UUIDField(
        source="edition.uuid",
        required=False,
        allow_null=True,
        help_text="A start of the offer; its dates are taken over when none are given.",
    )
    plannedStart = serializers.DateField(source="planned_start", required=False, allow_null=True)
    plannedEnd = serializers.DateField(source="planned_end", required=False, allow_null=True)
    actualStart = serializers.DateField(source="actual_start", read_only=True, allow_null=True)
    actualEnd = serializers.DateField(source="actual_end", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=StepStatus.choices, read_only=True)
    stopReason = serializers.CharField(source="stop_reason", read_only=True)
    handoff = serializers.ChoiceField(choices=HandOff.choices, read_only=True)
    declineReason = serializers.CharField(source="decline_reason", read_only=True)


def _resolve(model, value, field: str, queryset=None):
    if not value:
        return None
    found = (queryset if queryset is not None else model.objects).filter(uuid=value).first()
    if found is None:
        raise serializers.ValidationError({field: [_("unknown")]})
    return found


def _step_input(request, data: dict) -> planning.StepInput:
    actor = get_actor(request)
    return planning.step_input(
        kind=data["kind"],
        own=actor.organisation,
        title=data.get("title") or "",
        owner=_resolve(Organisation, (data.get("owner") or {}).get("uuid"), "owner"),
        offer=_resolve(Offer, (data.get("offer") or {}).get("uuid"), "offer"),
        edition=_resolve(OfferEdition, (data.get("edition") or {}).get("uuid"), "edition"),
        planned_start=data.get("planned_start"),
        planned_end=data.get("planned_end"),
    )


class RouteSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    candidate = serializers.UUIDField(source="candidate.uuid", read_only=True)
    person = serializers.SerializerMethodField(
        help_text="The name for the organisations that serve the person or accepted a step; "
        "otherwise the code partners know the person by."
    )
    journeyStatus = serializers.SerializerMethodField()
    plannedBy = serializers.CharField(source="organisation.name", read_only=True)
    steps = serializers.SerializerMethodField(
        help_text="All steps for the planner and the person; an organisation a step was "
        "handed to sees its own steps only."
    )

    def get_person(self, route) -> str:
        if getattr(route, "level", None) == route_selectors.PENDING:
            return route.candidate.partner_label
        return route.candidate.full_name

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, route):
        steps = getattr(route, "shown", None)
        return StepSerializer(route.steps.all() if steps is None else steps, many=True).data

    def get_journeyStatus(self, route) -> str | None:
        if getattr(route, "level", None) in (route_selectors.PLAN, route_selectors.SELF):
            return route.candidate.status
        return None


class RouteStartSerializer(serializers.Serializer):
    candidate = serializers.UUIDField()
    template = serializers.UUIDField(required=False, allow_null=True)
    startOn = serializers.DateField(required=False, allow_null=True)


@extend_schema(tags=["routes"])
class RouteList(APIView):
    """Routes the caller's organisation plans or has a step in; POST starts a route for a
    person the organisation serves (from a template of the region, or empty)."""

    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(
        parameters=[OpenApiParameter("candidate", str, description="a job seeker's uuid")],
        responses=RouteSerializer(many=True),
    )
    def get(self, request):
        actor = get_actor(request)
        routes = Route.objects.visible_to(actor).select_related("candidate", "organisation")
        if request.query_params.get("candidate"):
            from perspectief.core.ids import parse_uuid

            routes = routes.filter(candidate__uuid=parse_uuid(request.query_params["candidate"]))
        rows = []
        for route in routes.prefetch_related("steps__owner", "steps__offer", "steps__edition")[
            :500
        ]:
            route.level = route_selectors.route_level(actor, route)
            route.shown = route_selectors.shown_steps(actor, route, route.level)
            route_selectors.log_route(actor, route, route.level)
            rows.append(route)
        return Response(RouteSerializer(rows, many=True).data)

    @extend_schema(request=RouteStartSerializer, responses={201: RouteSerializer})
    def post(self, request):
        actor = get_actor(request)
        if not actor.has_perm(Permission.PLAN_ROUTES):
            raise PermissionDenied()
        data = RouteStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = (
            Candidate.objects.served_by(actor.organisation)
            .filter(uuid=data.validated_data["candidate"])
            .first()
        )
        if candidate is None:
            raise NotFound()
        template = _resolve(
            RouteTemplate,
            data.validated_data.get("template"),
            "template",
            RouteTemplate.objects.filter(region_id=candidate.region_id),
        )
        route = planning.route_start(
            actor=actor,
            candidate=candidate,
            template=template,
            start_on=data.validated_data.get("startOn"),
        )
        route.level = route_selectors.PLAN
        return Response(RouteSerializer(route).data, status=status.HTTP_201_CREATED)


def _route(request, uuid) -> Route:
    actor = get_actor(request)
    route, level = route_selectors.route_get_for_actor(actor=actor, uuid=uuid)
    route.level = level
    route.shown = route_selectors.shown_steps(actor, route, level)
    return route


@extend_schema(tags=["routes"])
class RouteDetail(APIView):
    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(responses=RouteSerializer)
    def get(self, request, uuid):
        return Response(RouteSerializer(_route(request, uuid)).data)


@extend_schema(tags=["routes"])
class RouteSteps(APIView):
    """Add a step; a step owned by another organisation waits for its acceptance."""

    permission_classes = [Requires(Permission.PLAN_ROUTES)]

    @extend_schema(request=StepSerializer, responses={201: StepSerializer})
    def post(self, request, uuid):
        route = _route(request, uuid)
        if route.level != route_selectors.PLAN:
            raise NotFound()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = planning.step_add(
            actor=get_actor(request), route=route, data=_step_input(request, data.validated_data)
        )
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)


def _step(request, uuid) -> RouteStep:
    visible = Route.objects.visible_to(get_actor(request)).values("pk")
    step = RouteStep.objects.filter(route__in=visible, uuid=uuid).select_related("route").first()
    if step is None:
        raise NotFound()
    return step


@extend_schema(tags=["routes"])
class RouteStepDetail(APIView):
    """Change a step that has not ended (all fields, as on adding), or remove a planned one."""

    permission_classes = [Requires(Permission.PLAN_ROUTES)]

    @extend_schema(request=StepSerializer, responses=StepSerializer)
    def put(self, request, uuid):
        step = _step(request, uuid)
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = planning.step_change(
            actor=get_actor(request), step=step, data=_step_input(request, data.validated_data)
        )
        return Response(StepSerializer(step).data)

    @extend_schema(responses={204: None})
    def delete(self, request, uuid):
        planning.step_remove(actor=get_actor(request), step=_step(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepActionSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="For decline and stop."
    )


STEP_ACTIONS = ("accept", "decline", "start", "complete", "stop")


@extend_schema(tags=["routes"])
class RouteStepAction(APIView):
    """``accept`` or ``decline`` a hand-off (the owner); ``start``, ``complete`` or
    ``stop`` a step (the owner once accepted, or the planning organisation)."""

    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(
        request=StepActionSerializer,
        responses=StepSerializer,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=STEP_ACTIONS)],
    )
    def post(self, request, uuid, action):
        if action not in STEP_ACTIONS:
            raise NotFound()
        actor = get_actor(request)
        step = _step(request, uuid)
        data = StepActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        on, reason = data.validated_data.get("on"), data.validated_data["reason"]
        if action in ("accept", "decline"):
            step = planning.handoff_answer(
                actor=actor, step=step, accept=action == "accept", reason=reason
            )
        elif action == "start":
            step = planning.step_start(actor=actor, step=step, on=on)
        elif action == "complete":
            step = planning.step_complete(actor=actor, step=step, on=on)
        else:
            step = planning.step_stop(actor=actor, step=step, reason=reason, on=on)
        return Response(StepSerializer(step).data)


# --- templates ------------------------------------------------------------------------------


class TemplateStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    weeks = serializers.IntegerField(min_value=1, max_value=104, required=False, allow_null=True)
    offer = serializers.UUIDField(source="offer.uuid", required=False, allow_null=True)


class TemplateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    active = serializers.BooleanField(source="is_active", read_only=True)
    steps = TemplateStepSerializer(many=True)


def _template_steps(request, items) -> list[planning.TemplateStepInput]:
    actor = get_actor(request)
    offers = Offer.objects.filter(region_id=actor.region_id)
    out = []
    for item in items:
        offer = _resolve(Offer, (item.get("offer") or {}).get("uuid"), "steps", offers)
        out.append(
            planning.TemplateStepInput(
                kind=item["kind"],
                title=item.get("title") or (offer.title if offer else ""),
                weeks=item.get("weeks") or (offer.duration_weeks if offer else 0) or 0,
                offer=offer,
            )
        )
    return out


@extend_schema(tags=["routes"])
class TemplateList(APIView):
    permission_classes = [Requires(Permission.MANAGE_ROUTE_TEMPLATES)]

    @extend_schema(responses=TemplateSerializer(many=True))
    def get(self, request):
        templates = RouteTemplate.objects.filter(
            region_id=get_actor(request).region_id
        ).prefetch_related("steps__offer")
        return Response(TemplateSerializer(templates, many=True).data)

    @extend_schema(request=TemplateSerializer, responses={201: TemplateSerializer})
    def post(self, request):
        data = TemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = planning.template_save(
            actor=get_actor(request),
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            steps=_template_steps(request, data.validated_data["steps"]),
        )
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["routes"])
class TemplateDetail(APIView):
    permission_classes = [Requires(Permission.MANAGE_ROUTE_TEMPLATES)]

    def _get(self, request, uuid) -> RouteTemplate:
        found = RouteTemplate.objects.filter(
            region_id=get_actor(request).region_id, uuid=uuid
        ).first()
        if found is None:
            raise NotFound()
        return found

    @extend_schema(responses=TemplateSerializer)
    def get(self, request, uuid):
        return Response(TemplateSerializer(self._get(request, uuid)).data)

    @extend_schema(request=TemplateSerializer, responses=TemplateSerializer)
    def put(self, request, uuid):
        template = self._get(request, uuid)
        data = TemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = planning.template_save(
            actor=get_actor(request),
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            steps=_template_steps(request, data.validated_data["steps"]),
            template=template,
        )
        return Response(TemplateSerializer(template).data)

    @extend_schema(responses={204: None})
    def delete(self, request, uuid):
        """Take the template out of use (routes made from it keep their steps)."""
        planning.template_retire(actor=get_actor(request), template=self._get(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the doorbraak list ---------------------------------------------------------------------


class StuckSerializer(serializers.Serializer):
    step = serializers.UUIDField(source="step.uuid")
    person = serializers.CharField(
        source="step.route.candidate.partner_label", help_text="The code partners know them by."
    )
    title = serializers.CharField(source="step.title")
    kind = serializers.CharField(source="step.kind")
    owner = serializers.CharField(source="step.owner.name")
    plannedBy = serializers.CharField(source="step.route.organisation.name")
    why = serializers.ChoiceField(
        choices=[("due", "past its due date"), ("handoff", "hand-off not answered in time")]
    )
    since = serializers.DateField()
    days = serializers.IntegerField()


@extend_schema(tags=["routes"])
class StuckList(APIView):
    """The region's stuck steps, for its coordinator (people by their partner code)."""

    permission_classes = [Requires(Permission.VIEW_STUCK)]

    @extend_schema(responses=StuckSerializer(many=True))
    def get(self, request):
        rows, _regional = route_selectors.stuck_steps(actor=get_actor(request))
        return Response(StuckSerializer(rows, many=True).data)


# --- support at work ------------------------------------------------------------------------


class CheckInSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    dueOn = serializers.DateField(source="due_on", read_only=True)
    heldOn = serializers.DateField(source="held_on")
    withPerson = serializers.BooleanField(source="with_person", default=False)
    withEmployer = serializers.BooleanField(source="with_employer", default=False)
    outcome = serializers.ChoiceField(choices=CheckInOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmationSerializer(serializers.Serializer):
    confirmedOn = serializers.DateField(source="confirmed_on")
    source = serializers.ChoiceField(
        choices=ConfirmationSource.choices, help_text="Who confirmed it (someone who knows)."
    )
    method = serializers.ChoiceField(
        choices=ConfirmationMethod.choices, help_text="How it was confirmed."
    )
    stillEmployed = serializers.BooleanField(source="still_employed")
    lastDay = serializers.DateField(
        source="last_day",
        required=False,
        allow_null=True,
        default=None,
        help_text="The last day of work, when the person no longer works there.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    recordedBy = serializers.CharField(
        source="recorded_by.get_full_name", read_only=True, allow_null=True
    )
    recordedFor = serializers.CharField(source="recorded_for.name", read_only=True)


class CheckInReadSerializer(CheckInSerializer):
    """A check-in as answered: one planned but not yet held has no date and no outcome
    (null, never an empty string outside the outcome's values)."""

    heldOn = serializers.DateField(source="held_on", allow_null=True)
    outcome = serializers.ChoiceField(choices=CheckInOutcome.choices, allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["outcome"] = data["outcome"] or None
        return data


class SupportPlanSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    candidate = serializers.UUIDField(source="candidate.uuid")
    person = serializers.CharField(source="candidate.full_name")
    work = serializers.CharField(source="job_title")
    employer = serializers.CharField(source="employer_display")
    hire = serializers.SerializerMethodField(
        help_text="The hire behind the plan: a proposal's or one outside the platform."
    )
    supportedBy = serializers.CharField(source="organisation.name")
    jobcoach = serializers.CharField(source="jobcoach.get_full_name", allow_null=True)
    startedOn = serializers.DateField(source="started_on")
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    endedOn = serializers.DateField(source="ended_on", allow_null=True)
    durableDueOn = serializers.DateField(
        source="durable_due_on", help_text="The day the six months in work are full."
    )
    notConfirmed = serializers.BooleanField(
        source="not_confirmed",
        help_text="Six months in work are full and nobody confirmed the work (or its end).",
    )
    confirmation = serializers.SerializerMethodField()
    dropOutReason = serializers.CharField(source="drop_out_reason")
    missedCheckIn = serializers.BooleanField(source="missed", default=False)
    atRisk = serializers.BooleanField(source="at_risk", default=False)
    checkIns = CheckInReadSerializer(source="check_ins.all", many=True)

    @extend_schema_field(ConfirmationSerializer(allow_null=True))
    def get_confirmation(self, plan):
        confirmation = getattr(plan, "confirmation", None)
        return None if confirmation is None else ConfirmationSerializer(confirmation).data

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_hire(self, plan) -> dict:
        if plan.proposal_id:
            return {"kind": "proposal", "uuid": str(plan.proposal.uuid)}
        if plan.outside_hire_id:
            return {"kind": "outside", "uuid": str(plan.outside_hire.uuid)}
        return {"kind": "unknown", "uuid": ""}


@extend_schema(tags=["support"])
class SupportPlanList(APIView):
    """Support plans after a hire; signals (a missed check-in, a risk of drop-out) first."""

    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(
        parameters=[OpenApiParameter("signals", bool, description="only plans with a signal")],
        responses=SupportPlanSerializer(many=True),
    )
    def get(self, request):
        actor = get_actor(request)
        only = request.query_params.get("signals") in ("1", "true", "yes")
        plans = route_selectors.support_plans(actor=actor, only_signals=only)[:500]
        for plan in plans:
            access.record_candidate(actor, plan.candidate, ProcessingActivity.SUPPORT_AT_WORK)
        return Response(SupportPlanSerializer(plans, many=True).data)


@extend_schema(tags=["support"])
class SupportPlanDetail(APIView):
    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(responses=SupportPlanSerializer)
    def get(self, request, uuid):
        plan = route_selectors.support_plan_get(actor=get_actor(request), uuid=uuid)
        return Response(SupportPlanSerializer(plan).data)


@extend_schema(tags=["support"])
class SupportCheckIns(APIView):
    """Record a planned check-in (month 1, 3, 6 or 12) with the person and/or employer."""

    permission_classes = [Requires(Permission.RECORD_SUPPORT)]

    @extend_schema(request=CheckInSerializer, responses={201: CheckInReadSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        plan = route_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check_in = support.check_in_record(actor=actor, plan=plan, **data.validated_data)
        return Response(CheckInReadSerializer(check_in).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["support"])
class SupportConfirmation(APIView):
    """Record the evidence of durable work: someone who knows (the jobcoach, the employer,
    the person) confirmed at or after six months in work whether the person still works
    there. Still there: the placement is durable. Left: the drop-out is recorded with the
    last day of work (durable first when that day lies on or after the six months)."""

    permission_classes = [Requires(Permission.RECORD_SUPPORT)]

    @extend_schema(request=ConfirmationSerializer, responses={201: SupportPlanSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        plan = route_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = ConfirmationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        support.work_confirm(actor=actor, plan=plan, **data.validated_data)
        plan = SupportPlan.objects.select_related("confirmation__recorded_by").get(pk=plan.pk)
        return Response(SupportPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class DropOutSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The last day of work.")
    reason = serializers.CharField(max_length=300)


@extend_schema(tags=["support"])
class SupportDropOut(APIView):
    """The person stopped working: the plan ends, the journey says *uitgevallen* with the
    reason, and the person is back on the route."""

    permission_classes = [Requires(Permission.RECORD_SUPPORT)]

    @extend_schema(request=DropOutSerializer, responses=SupportPlanSerializer)
    def post(self, request, uuid):
        actor = get_actor(request)
        plan = route_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = DropOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = support.drop_out_record(actor=actor, plan=plan, **data.validated_data)
        return Response(SupportPlanSerializer(plan).data)


# --- a person's journey ---------------------------------------------------------------------


class TransitionSerializer(serializers.Serializer):
    date = serializers.DateField(source="occurred_on")
    fromStatus = serializers.ChoiceField(source="from_status", choices=JourneyStatus.choices)
    toStatus = serializers.ChoiceField(source="to_status", choices=JourneyStatus.choices)
    cause = serializers.ChoiceField(choices=TransitionCause.choices)
    reason = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", allow_null=True)


@extend_schema(tags=["candidates"])
class CandidateJourney(APIView):
    """Every dated transition of a person along the journey, for the serving organisations."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses=TransitionSerializer(many=True))
    def get(self, request, uuid):
        actor = get_actor(request)
        candidate, level = candidate_selectors.candidate_get_for_actor(actor=actor, uuid=uuid)
        if level != candidate_selectors.FULL:
            raise NotFound()
        journey = candidate.journey.select_related("organisation").order_by("occurred_on", "id")
        return Response(TransitionSerializer(journey, many=True).data)
