"""/api/v1/stuck: the region's doorbraak list, for its coordinator."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission

from ..selectors import stuck


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
        rows, _regional = stuck.stuck_steps(actor=get_actor(request))
        return Response(StuckSerializer(rows, many=True).data)
