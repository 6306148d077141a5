from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.core.authz import Role


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = serializers.UUIDField()
    organisationName = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="The role's code.")
    roleLabel = serializers.CharField(help_text="The role in words, in the request's language.")
    region = serializers.CharField(allow_null=True)
    permissions = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["accounts"], summary="Who the request acts as", responses=MeSerializer)
class Me(APIView):
    permission_classes = [Requires(None)]

    def get(self, request):
        actor = get_actor(request)
        access.record(
            actor=actor,
            activity=ProcessingActivity.ACCOUNT_VIEW,
            subject_type=SubjectType.USER,
            subject_id=actor.user.uuid,
        )
        return Response(
            MeSerializer(
                {
                    "username": actor.user.username,
                    "organisation": actor.organisation.uuid,
                    "organisationName": actor.organisation.name,
                    "role": actor.role,
                    "roleLabel": actor.membership.get_role_display(),
                    "region": actor.region.code if actor.region else None,
                    "permissions": sorted(actor.membership.permissions),
                }
            ).data
        )
