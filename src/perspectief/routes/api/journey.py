"""/api/v1/candidates/{uuid}/journey: every dated transition of a person along the journey
that follows the route."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.constants import JourneyStatus, TransitionCause
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission


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
