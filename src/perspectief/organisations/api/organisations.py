"""/api/v1/organisations: the directory of participating organisations."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from perspectief.api.filters import choice_param, existing_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission
from perspectief.regions.models import Region

from ..constants import OrganisationKind
from ..models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    #: null for a national organisation (a ministry) that belongs to no region or municipality
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["uuid", "name", "kind", "region", "municipality"]


@extend_schema(
    tags=["organisations"],
    summary="Participating organisations",
    parameters=[
        OpenApiParameter("region", str, description="CBS region code, e.g. AM18"),
        OpenApiParameter("kind", str, enum=OrganisationKind.values),
    ],
)
class OrganisationList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_ORGANISATIONS)]
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        qs = (
            Organisation.objects.visible_to(get_actor(self.request))
            .select_related("region", "municipality")
            .order_by("name", "id")
        )
        region = existing_param(self.request, "region", Region.objects.all(), "code")
        if region is not None:
            qs = qs.filter(region=region)
        kind = choice_param(self.request, "kind", OrganisationKind.values)
        if kind:
            qs = qs.filter(kind=kind)
        return qs


@extend_schema(tags=["organisations"], summary="One participating organisation")
class OrganisationDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_ORGANISATIONS)]
    serializer_class = OrganisationSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return Organisation.objects.visible_to(get_actor(self.request)).select_related(
            "region", "municipality"
        )
