from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from perspectief.api.filters import existing_param, search_param
from perspectief.api.permissions import Requires
from perspectief.core.authz import Permission

from .models import Municipality, Postcode, Region


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    centrumgemeente = MunicipalityRefSerializer(allow_null=True)
    municipalityCount = serializers.IntegerField(source="municipality_count")

    class Meta:
        model = Region
        fields = ["code", "name", "centrumgemeente", "municipalityCount"]


class RegionDetailSerializer(RegionSerializer):
    municipalities = MunicipalityRefSerializer(many=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "municipalities"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Municipality
        fields = ["code", "name", "province", "region", "latitude", "longitude"]


class PostcodeSerializer(serializers.ModelSerializer):
    municipality: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    region = serializers.CharField(source="municipality.region.code")
    placeNames = serializers.CharField(source="place_names")

    class Meta:
        model = Postcode
        fields = ["code", "placeNames", "latitude", "longitude", "municipality", "region"]


def _regions():
    # GROUP BY queries ignore Meta.ordering: order explicitly.
    return (
        Region.objects.select_related("centrumgemeente")
        .annotate(municipality_count=Count("municipalities"))
        .order_by("code")
    )


@extend_schema(tags=["reference data"], summary="The 35 labour-market regions")
class RegionList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = RegionSerializer
    pagination_class = None

    def get_queryset(self):
        return _regions()


@extend_schema(tags=["reference data"], summary="One region with its municipalities")
class RegionDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = RegionDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return _regions().prefetch_related("municipalities")


@extend_schema(
    tags=["reference data"],
    summary="Municipalities (gemeenten)",
    parameters=[
        OpenApiParameter("region", str, description="CBS region code, e.g. AM18"),
        OpenApiParameter("search", str, description="Part of the name (at least 2 characters)"),
    ],
)
class MunicipalityList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = MunicipalitySerializer

    def get_queryset(self):
        qs = Municipality.objects.select_related("region").order_by("code")
        region = existing_param(self.request, "region", Region.objects.all(), "code")
        if region is not None:
            qs = qs.filter(region=region)
        search = search_param(self.request)
        if search:
            qs = qs.filter(Q(name__icontains=search) | Q(code__iexact=search))
        return qs


@extend_schema(tags=["reference data"], summary="One PC4 postcode area with its coordinates")
class PostcodeDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = PostcodeSerializer
    lookup_field = "code"
    queryset = Postcode.objects.select_related("municipality__region")
