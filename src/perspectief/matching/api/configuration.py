"""/api/v1/matching-configuration: the caller's region's matching configuration — what is in
force (every criterion's weight, bounds and default; the minimum score) and every version
with who made it, when and why. Read-only: a new version is made on the page, by the
region's programme manager. Whoever sees rankings, the fairness report or sets it reads it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission
from perspectief.core.policies import deny

from ..selectors.configuration import (
    CRITERIA,
    Setting,
    criteria_rows,
    history,
    in_force,
    may_see,
)


class MatchingCriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.IntegerField(help_text="Points out of 100; 0: it does not count.")
    lowest = serializers.IntegerField(source="low")
    highest = serializers.IntegerField(source="high")
    default = serializers.IntegerField(help_text="The platform's default weight.")


class MatchingConfigurationVersionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    version = serializers.IntegerField()
    createdAt = serializers.DateTimeField(source="created_at")
    changedBy = serializers.CharField(source="changed_for.name", help_text="The organisation.")
    reason = serializers.CharField()
    weights = serializers.DictField(child=serializers.IntegerField(), help_text="Points.")
    minScore = serializers.IntegerField(source="min_score")


class MatchingConfigurationSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="AM code.")
    version = serializers.IntegerField(
        allow_null=True, help_text="The version in force; null: the platform's defaults."
    )
    criteria = MatchingCriterionSerializer(many=True)
    minScore = serializers.IntegerField(
        help_text="People with fewer points (counted without the priority criterion) are "
        "not shown in rankings nor suggested by a run."
    )
    versions = MatchingConfigurationVersionSerializer(many=True, help_text="Newest first.")


def _version(configuration) -> dict:
    setting = Setting.of(configuration)
    return {
        "uuid": configuration.uuid,
        "version": configuration.version,
        "created_at": configuration.created_at,
        "changed_for": configuration.changed_for,
        "reason": configuration.reason,
        "weights": {name: setting.points[name] for name in CRITERIA},
        "min_score": configuration.min_score,
    }


class MatchingConfigurationDetail(APIView):
    """The matching configuration of the caller's region and its versions."""

    permission_classes = [Requires(None)]

    @extend_schema(tags=["matching"], responses=MatchingConfigurationSerializer)
    def get(self, request):
        actor = get_actor(request)
        if not may_see(actor):  # the pages' rule
            deny(request._request, "missing_permission", Permission.CONFIGURE_MATCHING)
        setting = in_force(actor.region_id)
        data = {
            "region": actor.region.code,
            "version": setting.version,
            "criteria": criteria_rows(setting),
            "minScore": setting.min_score,
            "versions": [_version(item["configuration"]) for item in history(actor.region_id)],
        }
        return Response(MatchingConfigurationSerializer(data).data)
