"""/api/v1/routes and route-steps: a person's route and its steps, with the same services,
visibility rules and access log as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.models import Candidate
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.core.authz import Permission
from perspectief.core.ids import parse_uuid
from perspectief.organisations.models import Organisation

from ..constants import HandOff, StepKind, StepStatus
from ..models import Route, RouteStep, RouteTemplate
from ..selectors import routes as route_selectors
from ..services import handoffs, progress, steps
from ..services import routes as route_services


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
    handoffNote = serializers.CharField(
        source="handoff_note",
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the partner a step is handed to should know (no name or BSN); "
        "ignored for a step of the caller's own organisation.",
    )


def resolve(model, value, field: str, queryset=None):
    if not value:
        return None
    found = (queryset if queryset is not None else model.objects).filter(uuid=value).first()
    if found is None:
        raise serializers.ValidationError({field: [_("unknown")]})
    return found


def _step_input(request, data: dict) -> steps.StepInput:
    actor = get_actor(request)
    return steps.step_input(
        kind=data["kind"],
        own=actor.organisation,
        title=data.get("title") or "",
        owner=resolve(Organisation, (data.get("owner") or {}).get("uuid"), "owner"),
        offer=resolve(Offer, (data.get("offer") or {}).get("uuid"), "offer"),
        edition=resolve(OfferEdition, (data.get("edition") or {}).get("uuid"), "edition"),
        planned_start=data.get("planned_start"),
        planned_end=data.get("planned_end"),
        handoff_note=data.get("handoff_note") or "",
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
        template = resolve(
            RouteTemplate,
            data.validated_data.get("template"),
            "template",
            RouteTemplate.objects.filter(region_id=candidate.region_id),
        )
        route = route_services.route_start(
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
        step = route_services.step_add(
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
        step = route_services.step_change(
            actor=get_actor(request), step=step, data=_step_input(request, data.validated_data)
        )
        return Response(StepSerializer(step).data)

    @extend_schema(responses={204: None})
    def delete(self, request, uuid):
        route_services.step_remove(actor=get_actor(request), step=_step(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepActionSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="For decline and stop, and required for reopen (why the completion is undone).",
    )


STEP_ACTIONS = ("accept", "decline", "start", "complete", "stop", "reopen")


@extend_schema(tags=["routes"])
class RouteStepAction(APIView):
    """``accept`` or ``decline`` a hand-off (the owner); ``start``, ``complete`` or
    ``stop`` a step (the owner once accepted, or the planning organisation); ``reopen`` a
    completed step whose completion was recorded by mistake (the same people; a ``reason``
    is required): it is started again and the skills the course added are removed."""

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
            step = handoffs.handoff_answer(
                actor=actor, step=step, accept=action == "accept", reason=reason
            )
        elif action == "start":
            step = progress.step_start(actor=actor, step=step, on=on)
        elif action == "complete":
            step = progress.step_complete(actor=actor, step=step, on=on)
        elif action == "reopen":
            step = progress.step_reopen(actor=actor, step=step, reason=reason)
        else:
            step = progress.step_stop(actor=actor, step=step, reason=reason, on=on)
        return Response(StepSerializer(step).data)
