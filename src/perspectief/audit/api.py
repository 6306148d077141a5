from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission, Role

from .models import AccessRecord
from .selectors import access_records_for_person


class AccessRecordSerializer(serializers.ModelSerializer):
    time = serializers.DateTimeField(source="started_at")
    traceId = serializers.CharField(source="trace_id")
    activityLabel = serializers.CharField(source="get_activity_display")
    actor = serializers.CharField(source="actor_display")
    organisation = serializers.CharField(source="organisation_name")
    role = serializers.ChoiceField(
        choices=Role.choices,
        allow_blank=True,
        help_text="The role's code; empty when the platform itself acted.",
    )
    roleLabel = serializers.CharField(
        source="role_label", help_text="The role in words, in the request's language."
    )

    class Meta:
        model = AccessRecord
        fields = [
            "time",
            "traceId",
            "activity",
            "activityLabel",
            "operation",
            "result",
            "organisation",
            "role",
            "roleLabel",
            "actor",
            "channel",
        ]


@extend_schema(
    tags=["access log"],
    summary="Processings of one person's data (AVG inzage)",
    parameters=[
        OpenApiParameter(
            "person", str, required=True, description="UUID of the person (user or job seeker)"
        )
    ],
)
class AccessLogList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_ACCESS_LOG)]
    serializer_class = AccessRecordSerializer

    def get_queryset(self):
        return access_records_for_person(
            actor=get_actor(self.request), person=self.request.query_params.get("person")
        )
