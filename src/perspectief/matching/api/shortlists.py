"""/api/v1/vacancies/{uuid}/shortlist and /api/v1/shortlist/{uuid}: a place's shortlist,
shared by the region's partners, with the same rules as the pages (the services check the
actor; errors are problem+json)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.vacancies.api.bulk import visible_place
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.selectors.places import shown_people

from ..models import ShortlistEntry
from ..selectors.shortlists import entry_score, shortlist_visible
from ..services.shortlists import shortlist_add, shortlist_remove


class ShortlistEntrySerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    candidate = serializers.UUIDField(source="candidate.uuid")
    name = serializers.CharField(
        source="shown_name",
        read_only=True,
        help_text="The name for an organisation that serves the person; a partner label otherwise.",
    )
    addedBy = serializers.CharField(source="added_for.name", read_only=True)
    engineScore = serializers.FloatField(
        source="shown_score",
        read_only=True,
        allow_null=True,
        help_text="The matching's score at the time; empty when it does not rank the person.",
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the matching does not rank the person for the place.",
    )
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)


class ShortlistSerializer(serializers.Serializer):
    entries = ShortlistEntrySerializer(many=True)
    othersNotVisible = serializers.IntegerField(
        help_text="People on the shortlist whom the caller may not see."
    )


@extend_schema(tags=["matching"])
class VacancyShortlist(APIView):
    """The shortlist of a place, shared by the region's partners: the people the caller may
    see (each access logged) and how many others; POST adds a person."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses=ShortlistSerializer)
    def get(self, request, uuid):
        actor = get_actor(request)
        rows, hidden = shortlist_visible(actor=actor, vacancy=visible_place(request, uuid))
        return Response(ShortlistSerializer({"entries": rows, "othersNotVisible": hidden}).data)

    @extend_schema(request=ShortlistEntrySerializer, responses={201: ShortlistEntrySerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        vacancy = visible_place(request, uuid)
        serializer = ShortlistEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidate = (
            Candidate.objects.visible_to(actor).filter(uuid=data["candidate"]["uuid"]).first()
        )
        if candidate is None:
            raise serializers.ValidationError({"candidate": [_("Unknown job seeker.")]})
        entry = shortlist_add(
            actor=actor, vacancy=vacancy, candidate=candidate, reason=data["reason"]
        )
        [entry] = shown_people(actor, [entry])
        entry.shown_score = entry_score(entry)
        return Response(ShortlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["matching"])
class ShortlistEntryDetail(APIView):
    """Take a person off a shortlist (the organisation that added them, or a serving one)."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses={204: None})
    def delete(self, request, uuid):
        actor = get_actor(request)
        entry = (
            ShortlistEntry.objects.filter(
                candidate__in=Candidate.objects.visible_to(actor),
                vacancy__in=Vacancy.objects.visible_to(actor),
            )
            .filter(uuid=uuid)
            .first()
        )
        if entry is None:
            raise NotFound()
        shortlist_remove(actor=actor, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)
