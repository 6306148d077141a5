"""/api/v1/indicators: the dashboard's numbers, with the same suppression rules for those
who see aggregates only. The computation is
:mod:`perspectief.monitoring.selectors.indicator_query`; this view checks who asks for
which region and hands the query over."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Actor, Permission
from perspectief.monitoring.selectors.indicator_query import answer, read_query
from perspectief.regions.models import Region


class IndicatorsSerializer(serializers.Serializer):
    region = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    suppressed = serializers.BooleanField(
        help_text="Whether counts under minCell are hidden (null) in this answer."
    )
    minCell = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Per indicator; null: suppressed (fewer than minCell).",
    )
    matchesByMonth = serializers.ListField(child=serializers.DictField(), required=False)
    rows = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="With `by`: {value, label, counts} per value of the dimension, suppressed "
        "as one table (value null: none, e.g. no postcode).",
    )


def _region(request, actor: Actor, *, national: bool) -> Region:
    """The region asked for (default: the actor's own); another region than their own is
    not found for regional staff."""
    code = request.query_params.get("region")
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        raise NotFound()
    if region is None:
        region = Region.objects.filter(pk=actor.region_id).first()
    if region is None:
        raise ValidationError({"region": [_("Give a region (its AM code).")]})
    if not national and region.pk != actor.region_id:
        raise NotFound()
    return region


@extend_schema(tags=["monitoring"])
class IndicatorList(APIView):
    """The indicators of a region for a period. Regional staff get their own region for any
    period; the ministry any region, per completed calendar quarter (default: the last),
    always with small counts suppressed. Below a region (one narrowing at a time, or ``by``
    for a whole table) the numbers come per completed quarter from the region's suppressed
    table of that dimension, for everyone (see narrowed.py)."""

    permission_classes = [Requires(None)]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="AM code; default: your own region"),
            OpenApiParameter("from", str, description="YYYY-MM-DD; default: 1 January"),
            OpenApiParameter("until", str, description="YYYY-MM-DD; default: today"),
            OpenApiParameter("municipality", str, description="GM code"),
            OpenApiParameter("targetGroup", str, enum=TargetGroup.values),
            OpenApiParameter("sector", str, description="SBI section (matches in it)"),
            OpenApiParameter("occupation", str, description="ESCO URI (matches in it)"),
            OpenApiParameter("activity", str, description="uuid of an activity of the plan"),
            OpenApiParameter(
                "by",
                str,
                enum=["municipality", "targetGroup", "sector", "activity"],
                description="the whole table of one dimension (one completed quarter); "
                "occupations one at a time with `occupation`",
            ),
        ],
        responses=IndicatorsSerializer,
    )
    # No docstring here: drf-spectacular would take it for the operation's description
    # instead of the class's, and the committed OpenAPI would change.
    def get(self, request):
        actor = get_actor(request)
        national = actor.has_perm(Permission.NATIONAL_INDICATORS)
        if not (national or actor.has_perm(Permission.VIEW_INDICATORS)):
            raise PermissionDenied()
        region = _region(request, actor, national=national)
        query = read_query(
            request.query_params, region=region, national=national, today=date.today()
        )
        return Response(IndicatorsSerializer(answer(query)).data)
