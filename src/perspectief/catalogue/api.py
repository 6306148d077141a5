"""/api/v1/offers: the region's catalogue over the API, with the same rules as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates import parsing
from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Permission
from perspectief.taxonomy.models import Skill

from . import selectors, services
from .constants import Funding, OfferKind, OfferStatus
from .forms import SearchForm
from .models import Offer


class EditionSerializer(serializers.Serializer):
    startsOn = serializers.DateField(source="starts_on")
    endsOn = serializers.DateField(source="ends_on", allow_null=True)
    seats = serializers.IntegerField(allow_null=True, help_text="Empty: no limit.")


class OfferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    provider = serializers.CharField(source="provider.name", read_only=True)
    skills = serializers.ListField(
        source="skill_uris",
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="ESCO URIs of the skills it teaches (required for mbo, bbl, praktijkleren).",
    )
    targetGroups = serializers.ListField(
        source="group_values",
        child=serializers.ChoiceField(choices=TargetGroup.choices),
        required=False,
        default=list,
    )
    durationWeeks = serializers.IntegerField(
        source="duration_weeks", min_value=1, max_value=520, required=False, allow_null=True
    )
    hoursPerWeek = serializers.IntegerField(
        source="hours_per_week", min_value=1, max_value=60, required=False, allow_null=True
    )
    cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    funding = serializers.ChoiceField(choices=Funding.choices)
    postcode = serializers.CharField(
        source="postcode.code", required=False, allow_null=True, help_text="PC4"
    )
    online = serializers.BooleanField(required=False, default=False)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=OfferStatus.choices, read_only=True)
    editions = EditionSerializer(many=True, read_only=True)
    distanceKm = serializers.FloatField(source="distance_km", read_only=True, allow_null=True)

    def to_representation(self, instance):
        instance.distance_km = getattr(instance, "distance_km", None)
        return super().to_representation(instance)


def _offer_data(validated: dict) -> dict:
    """Serializer data → the service's data (skills and postcode resolved)."""
    data = dict(validated)
    data["target_groups"] = data.pop("group_values", [])
    uris = data.pop("skill_uris", [])
    found = {s.uri: s for s in Skill.objects.filter(uri__in=uris)}
    unknown = [u for u in uris if u not in found]
    if unknown:
        raise ValidationError({"skills": [_("unknown skill: %(uri)s") % {"uri": unknown[0]}]})
    data["skills"] = [found[u] for u in uris]
    code = (data.pop("postcode", None) or {}).get("code")
    try:
        data["postcode"] = parsing.postcode(code or "")
    except ValueError as exc:
        raise ValidationError({"postcode": [str(exc)]}) from None
    return data


@extend_schema(tags=["catalogue"])
class OfferList(APIView):
    """The region's catalogue, searchable; POST adds an offer of the caller's organisation."""

    permission_classes = [Requires(Permission.VIEW_CATALOGUE)]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="text in title or description"),
            OpenApiParameter("kind", str, enum=OfferKind.values),
            OpenApiParameter("skill", str, description="ESCO URI or part of a skill's name"),
            OpenApiParameter("occupation", str, description="ESCO URI or occupation name"),
            OpenApiParameter("near", str, description="postcode"),
            OpenApiParameter("km", int, description="within this distance of `near`"),
            OpenApiParameter("startsFrom", str, description="a start on or after (YYYY-MM-DD)"),
        ],
        responses=OfferSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params.copy()
        if "startsFrom" in params:
            params["starts_from"] = params.pop("startsFrom")[0]
        form = SearchForm(params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        offers = selectors.offer_search(actor=get_actor(request), filters=form.filters())
        return Response(OfferSerializer(offers[:500], many=True).data)

    @extend_schema(request=OfferSerializer, responses={201: OfferSerializer})
    def post(self, request):
        if not get_actor(request).has_perm(Permission.MANAGE_OFFERS):
            raise PermissionDenied()
        serializer = OfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = services.offer_save(
            actor=get_actor(request), data=_offer_data(serializer.validated_data)
        )
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["catalogue"])
class OfferDetail(APIView):
    permission_classes = [Requires(Permission.VIEW_CATALOGUE)]

    @extend_schema(responses=OfferSerializer)
    def get(self, request, uuid):
        offer = Offer.objects.visible_to(get_actor(request)).filter(uuid=uuid).first()
        if offer is None:
            raise NotFound()
        return Response(OfferSerializer(offer).data)
