"""/api/v1/employers: the region's employers and their account owner; claim one."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import choice_param, existing_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission
from perspectief.taxonomy.models import Sector

from ..models import EmployerAccount
from ..services.employers import employer_claim


class EmployerOwnerSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    role = serializers.CharField()

    def get_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.username


class EmployerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    region = serializers.CharField(source="organisation.region.code", allow_null=True)
    kvkNumber = serializers.CharField(source="kvk_number")
    sector = serializers.CharField(source="sector.code", allow_null=True)
    owner = EmployerOwnerSerializer(allow_null=True)
    ownerSince = serializers.DateTimeField(source="owner_since", allow_null=True)

    class Meta:
        model = EmployerAccount
        fields = ["uuid", "name", "kvkNumber", "region", "sector", "size", "owner", "ownerSince"]


def _employers(request):
    return EmployerAccount.objects.visible_to(get_actor(request)).select_related(
        "organisation__region", "sector", "owner__user", "owner__organisation"
    )


@extend_schema(
    tags=["employers"],
    summary="Employers of the region and their account owner",
    parameters=[
        OpenApiParameter("owner", str, enum=["mine", "none"]),
        OpenApiParameter("sector", str, description="SBI section, e.g. H"),
    ],
)
class EmployerList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]
    serializer_class = EmployerSerializer

    def get_queryset(self):
        qs = _employers(self.request).order_by("organisation__name", "id")
        ownership = choice_param(self.request, "owner", ["mine", "none"])
        if ownership == "mine":
            qs = qs.filter(owner=get_actor(self.request).membership)
        elif ownership == "none":
            qs = qs.filter(owner__isnull=True)
        sector = existing_param(self.request, "sector", Sector.objects.all(), "code")
        if sector:
            qs = qs.filter(sector=sector)
        return qs


@extend_schema(tags=["employers"], summary="One employer")
class EmployerDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]
    serializer_class = EmployerSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return _employers(self.request)


@extend_schema(
    tags=["employers"],
    summary="Become the account owner",
    request=None,
    responses=EmployerSerializer,
)
class EmployerClaim(APIView):
    """Command: claim an employer without an owner; 400 names the current owner otherwise."""

    permission_classes = [Requires(Permission.MANAGE_EMPLOYERS)]

    def post(self, request, uuid):
        account = _employers(request).filter(uuid=uuid).first()
        if account is None:
            raise NotFound()
        try:
            account = employer_claim(actor=get_actor(request), account=account)
        except ValidationError as exc:
            raise serializers.ValidationError({"owner": exc.messages}) from None
        return Response(EmployerSerializer(_employers(request).get(pk=account.pk)).data)
