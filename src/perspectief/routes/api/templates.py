"""/api/v1/route-templates: the region's route templates."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.catalogue.models import Offer
from perspectief.core.authz import Permission

from ..constants import StepKind
from ..models import RouteTemplate
from ..services import templates
from .routes import resolve


class TemplateStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    weeks = serializers.IntegerField(min_value=1, max_value=104, required=False, allow_null=True)
    offer = serializers.UUIDField(source="offer.uuid", required=False, allow_null=True)


class TemplateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    active = serializers.BooleanField(source="is_active", read_only=True)
    steps = TemplateStepSerializer(many=True)


def _template_steps(request, items) -> list[templates.TemplateStepInput]:
    actor = get_actor(request)
    offers = Offer.objects.filter(region_id=actor.region_id)
    out = []
    for item in items:
        offer = resolve(Offer, (item.get("offer") or {}).get("uuid"), "steps", offers)
        out.append(
            templates.TemplateStepInput(
                kind=item["kind"],
                title=item.get("title") or (offer.title if offer else ""),
                weeks=item.get("weeks") or (offer.duration_weeks if offer else 0) or 0,
                offer=offer,
            )
        )
    return out


@extend_schema(tags=["routes"])
class TemplateList(APIView):
    permission_classes = [Requires(Permission.MANAGE_ROUTE_TEMPLATES)]

    @extend_schema(responses=TemplateSerializer(many=True))
    def get(self, request):
        templates = RouteTemplate.objects.filter(
            region_id=get_actor(request).region_id
        ).prefetch_related("steps__offer")
        return Response(TemplateSerializer(templates, many=True).data)

    @extend_schema(request=TemplateSerializer, responses={201: TemplateSerializer})
    def post(self, request):
        data = TemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = templates.template_save(
            actor=get_actor(request),
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            steps=_template_steps(request, data.validated_data["steps"]),
        )
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["routes"])
class TemplateDetail(APIView):
    permission_classes = [Requires(Permission.MANAGE_ROUTE_TEMPLATES)]

    def _get(self, request, uuid) -> RouteTemplate:
        found = RouteTemplate.objects.filter(
            region_id=get_actor(request).region_id, uuid=uuid
        ).first()
        if found is None:
            raise NotFound()
        return found

    @extend_schema(responses=TemplateSerializer)
    def get(self, request, uuid):
        return Response(TemplateSerializer(self._get(request, uuid)).data)

    @extend_schema(request=TemplateSerializer, responses=TemplateSerializer)
    def put(self, request, uuid):
        template = self._get(request, uuid)
        data = TemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = templates.template_save(
            actor=get_actor(request),
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            steps=_template_steps(request, data.validated_data["steps"]),
            template=template,
        )
        return Response(TemplateSerializer(template).data)

    @extend_schema(responses={204: None})
    def delete(self, request, uuid):
        """Take the template out of use (routes made from it keep their steps)."""
        templates.template_retire(actor=get_actor(request), template=self._get(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)
