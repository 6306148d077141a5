"""/api/v1/support-plans: support at work after a hire — check-ins, the confirmation of
durable work and a drop-out — with the same services and access log as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.core.authz import Permission

from ..constants import (
    CheckInChannel,
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
    PlanStatus,
)
from ..models import SupportPlan
from ..selectors import support as support_selectors
from ..services import support as support_services


class CheckInSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    dueOn = serializers.DateField(source="due_on", read_only=True)
    heldOn = serializers.DateField(source="held_on")
    withPerson = serializers.BooleanField(source="with_person", default=False)
    withEmployer = serializers.BooleanField(source="with_employer", default=False)
    outcome = serializers.ChoiceField(choices=CheckInOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(
        choices=CheckInChannel.choices,
        required=False,
        default=CheckInChannel.IN_PERSON,
        help_text="How the check-in was held: in person (when left out), or at a distance "
        "by phone, video call or message.",
    )


class ConfirmationSerializer(serializers.Serializer):
    confirmedOn = serializers.DateField(source="confirmed_on")
    # A declared field, not Field.source: DRF's metaclass takes it out of the class.
    source = serializers.ChoiceField(  # type: ignore[assignment]
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
    channel = serializers.ChoiceField(
        choices=CheckInChannel.choices,
        allow_null=True,
        help_text="How it was held; null when not held yet, or recorded before this was asked.",
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["outcome"] = data["outcome"] or None
        data["channel"] = data["channel"] or None
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
        plans = support_selectors.support_plans(actor=actor, only_signals=only)[:500]
        for plan in plans:
            access.record_candidate(actor, plan.candidate, ProcessingActivity.SUPPORT_AT_WORK)
        return Response(SupportPlanSerializer(plans, many=True).data)


@extend_schema(tags=["support"])
class SupportPlanDetail(APIView):
    permission_classes = [Requires(Permission.VIEW_ROUTES)]

    @extend_schema(responses=SupportPlanSerializer)
    def get(self, request, uuid):
        plan = support_selectors.support_plan_get(actor=get_actor(request), uuid=uuid)
        return Response(SupportPlanSerializer(plan).data)


@extend_schema(tags=["support"])
class SupportCheckIns(APIView):
    """Record a planned check-in (month 1, 3, 6 or 12) with the person and/or employer."""

    permission_classes = [Requires(Permission.RECORD_SUPPORT)]

    @extend_schema(request=CheckInSerializer, responses={201: CheckInReadSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        plan = support_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check_in = support_services.check_in_record(actor=actor, plan=plan, **data.validated_data)
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
        plan = support_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = ConfirmationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        support_services.work_confirm(actor=actor, plan=plan, **data.validated_data)
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
        plan = support_selectors.support_plan_get(actor=actor, uuid=uuid)
        data = DropOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = support_services.drop_out_record(actor=actor, plan=plan, **data.validated_data)
        return Response(SupportPlanSerializer(plan).data)
