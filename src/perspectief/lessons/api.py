"""/api/v1/lessons: the leeragenda over the API, read-only, with the pages' visibility rule
(the own region's lessons and every region's shared ones; the national roles shared ones)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from perspectief.api.filters import choice_param, existing_param, search_param
from perspectief.api.pagination import PageNumberPagination
from perspectief.api.permissions import Requires, get_actor
from perspectief.core import codes
from perspectief.core.authz import Permission
from perspectief.regions.models import Region

from . import selectors
from .constants import Outcome, Pillar, ReactionKind, Visibility
from .models import Lesson


class CodesField(serializers.ListField):
    """A comma-separated code field (core.codes) as a list of codes."""

    child = serializers.CharField()

    def to_representation(self, data):
        return codes.split(data)


class ReactionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReactionKind.choices)
    text = serializers.CharField()
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    organisation = serializers.CharField(source="organisation.name")
    createdAt = serializers.DateTimeField(source="created_at")


class AdoptionSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    regionName = serializers.CharField(source="region.name")
    organisation = serializers.CharField(source="organisation.name")
    note = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")


class LessonSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    region = serializers.CharField(source="region.code")
    organisation = serializers.CharField(source="organisation.name")
    activity = serializers.UUIDField(source="activity.uuid", allow_null=True, default=None)
    tried = serializers.CharField()
    forWhom = serializers.CharField(source="for_whom")
    place = serializers.CharField()
    startedOn = serializers.DateField(source="started_on", allow_null=True)
    endedOn = serializers.DateField(source="ended_on", allow_null=True)
    result = serializers.CharField()
    worked = serializers.CharField()
    failed = serializers.CharField()
    conditions = serializers.CharField()
    pillars = CodesField(child=serializers.ChoiceField(choices=Pillar.choices))
    targetGroups = CodesField(source="target_groups")
    sectors = CodesField(help_text="SBI sections")
    instruments = CodesField(help_text="instrument codes")
    activityKind = serializers.CharField(source="activity_kind")
    sharedAt = serializers.DateTimeField(source="shared_at", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")


class NumberSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="key", help_text="matches, durable, dropped_out")
    name = serializers.CharField(source="label", help_text="the indicator in words")
    value = serializers.IntegerField(allow_null=True, help_text="null: hidden (small number)")


class ActivityNumbersSerializer(serializers.Serializer):
    activity = serializers.UUIDField(source="activity.uuid")
    name = serializers.CharField(source="activity.name")
    start = serializers.DateField(allow_null=True, help_text="first day of the quarters counted")
    end = serializers.DateField(allow_null=True, help_text="last day of the quarters counted")
    computedOn = serializers.DateField(source="computed_on")
    minCell = serializers.IntegerField(source="min_cell")
    numbers = serializers.SerializerMethodField()

    def get_numbers(self, obj) -> list[dict]:
        return NumberSerializer(obj.rows, many=True).data  # type: ignore[return-value]


class LessonDetailSerializer(LessonSerializer):
    municipalities = serializers.SerializerMethodField()
    activityNumbers = serializers.SerializerMethodField(
        help_text="The activity's numbers from the platform (null without an activity)."
    )
    reactions = ReactionSerializer(many=True)
    adoptions = AdoptionSerializer(many=True)

    def get_municipalities(self, obj) -> list[str]:
        return [m.code for m in obj.municipalities.order_by("code")]

    @extend_schema_field(ActivityNumbersSerializer(allow_null=True))
    def get_activityNumbers(self, obj) -> dict | None:
        numbers = selectors.activity_numbers(obj)
        return None if numbers is None else ActivityNumbersSerializer(numbers).data


@extend_schema(tags=["leeragenda"])
class LessonList(generics.ListAPIView):
    """The lessons the caller sees, newest first (the outcome plays no part in the order)."""

    permission_classes = [Requires(Permission.VIEW_LESSONS)]
    pagination_class = PageNumberPagination
    serializer_class = LessonSerializer

    @extend_schema(
        summary="Search the leeragenda",
        parameters=[
            OpenApiParameter("q", str, description="words in the lesson's texts (each one)"),
            OpenApiParameter("outcome", str, enum=Outcome.values),
            OpenApiParameter("pillar", str, enum=Pillar.values),
            OpenApiParameter("region", str, description="a region's code, e.g. AM18"),
        ],
        responses=LessonSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        region = existing_param(request, "region", Region.objects.all(), "code")
        filters = selectors.Filters(
            text=search_param(request, "q") or "",
            outcome=choice_param(request, "outcome", Outcome.values) or "",
            pillar=choice_param(request, "pillar", Pillar.values) or "",
            region=region.code if region is not None else "",
        )
        return selectors.search(actor=get_actor(request), filters=filters).select_related(
            "activity"
        )


@extend_schema(tags=["leeragenda"])
class LessonDetail(generics.GenericAPIView):
    permission_classes = [Requires(Permission.VIEW_LESSONS)]
    serializer_class = LessonDetailSerializer

    @extend_schema(
        summary="One lesson with its activity's numbers, reactions and adoptions",
        description="404 for a lesson the caller does not see (another region's internal "
        "one), as for one that does not exist.",
        responses=LessonDetailSerializer,
    )
    def get(self, request, uuid):
        lesson = (
            Lesson.objects.visible_to(get_actor(request))
            .select_related("region", "organisation", "activity__plan")
            .filter(uuid=uuid)
            .first()
        )
        if lesson is None:
            raise NotFound()
        return Response(LessonDetailSerializer(lesson).data)
