from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = serializers.UUIDField()
    organisationName = serializers.CharField()
    role = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    permissions = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["accounts"], summary="Who the request acts as", responses=MeSerializer)
class Me(APIView):
    permission_classes = [Requires(None)]

    def get(self, request):
        actor = get_actor(request)
        return Response(
            MeSerializer(
                {
                    "username": actor.user.username,
                    "organisation": actor.organisation.uuid,
                    "organisationName": actor.organisation.name,
                    "role": actor.role,
                    "region": actor.region.code if actor.region else None,
                    "permissions": sorted(actor.membership.permissions),
                }
            ).data
        )
