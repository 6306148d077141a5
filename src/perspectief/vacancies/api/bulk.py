"""/api/v1/vacancies/{uuid}/phases, /fill-rate and /cohort: bulk requests over the API, with
the same rules as the pages (the services check the actor; errors are problem+json)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.core.policies import deny

from ..constants import CohortStage, OutsideReason
from ..models import Vacancy
from ..selectors import bulk as selectors
from ..selectors.places import hires, shown_people
from ..services import bulk


def visible_place(request, uuid) -> Vacancy:
    """The place the caller may see, or 404."""
    found = Vacancy.objects.visible_to(get_actor(request)).filter(uuid=uuid).first()
    if found is None:
        raise NotFound()
    return found


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    startsOn = serializers.DateField(source="starts_on")
    places = serializers.IntegerField(min_value=1, max_value=10000)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlanSerializer(serializers.Serializer):
    phase = serializers.IntegerField(source="phase.pk", allow_null=True)
    startsOn = serializers.DateField(source="phase.starts_on", allow_null=True)
    places = serializers.IntegerField()
    plannedTotal = serializers.IntegerField(source="planned_total")
    preparing = serializers.IntegerField()
    ready = serializers.IntegerField()
    started = serializers.IntegerField()
    stillToFind = serializers.IntegerField(source="gap")


class FillPointSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    planned = serializers.IntegerField()
    filled = serializers.IntegerField(help_text="viaPlatform + outside")
    viaPlatform = serializers.IntegerField(
        source="via_platform", help_text="Hires recorded against the place, by start of work."
    )
    outside = serializers.IntegerField(help_text="Places filled outside the platform by then.")


class OutsideFillSerializer(serializers.Serializer):
    places = serializers.IntegerField()
    filledOn = serializers.DateField(source="filled_on")
    reason = serializers.ChoiceField(choices=OutsideReason.choices)
    explanation = serializers.CharField()
    recordedBy = serializers.CharField(
        source="recorded_for.name", allow_null=True, help_text="null: the data migration of #14"
    )
    recordedAt = serializers.DateTimeField(source="created_at")


class FillRateSerializer(serializers.Serializer):
    places = serializers.IntegerField()
    placesFilled = serializers.IntegerField(help_text="filledViaPlatform + filledOutside")
    filledViaPlatform = serializers.IntegerField(help_text="Hires recorded against the place.")
    filledOutside = serializers.IntegerField(
        help_text="Places filled outside the platform (recorded with a reason); no matches."
    )
    outside = OutsideFillSerializer(many=True)
    phases = PlanSerializer(many=True)
    series = FillPointSerializer(many=True)


@extend_schema(tags=["places"])
class VacancyPhases(APIView):
    """Intake phases of a place (a bulk request); POST adds one."""

    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]

    @extend_schema(responses=PhaseSerializer(many=True))
    def get(self, request, uuid):
        vacancy = visible_place(request, uuid)
        return Response(PhaseSerializer(vacancy.phases.all(), many=True).data)

    @extend_schema(request=PhaseSerializer, responses={201: PhaseSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        if not actor.has_perm(Permission.MANAGE_PLACES):
            deny(request._request, "missing_permission", Permission.MANAGE_PLACES)
        vacancy = visible_place(request, uuid)
        serializer = PhaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        phase = bulk.phase_add(
            actor=actor,
            vacancy=vacancy,
            starts_on=data["starts_on"],
            places=data["places"],
            note=data.get("note", ""),
        )
        return Response(PhaseSerializer(phase).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["places"])
class VacancyFillRate(APIView):
    """The plan per intake phase (cohort counts only) and the fill over time: hires
    recorded against the place, and apart the places filled outside the platform."""

    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]

    @extend_schema(responses=FillRateSerializer)
    def get(self, request, uuid):
        vacancy = visible_place(request, uuid)
        outside = selectors.outside_fills(vacancy)
        return Response(
            FillRateSerializer(
                {
                    "places": vacancy.places,
                    "placesFilled": vacancy.places_filled,
                    "filledViaPlatform": len(hires(vacancy)),
                    "filledOutside": sum(o.places for o in outside),
                    "outside": outside,
                    "phases": selectors.planning(vacancy),
                    "series": selectors.fill_series(vacancy),
                }
            ).data
        )


class CohortMemberSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    candidate = serializers.UUIDField(source="candidate.uuid")
    name = serializers.CharField(
        source="shown_name",
        read_only=True,
        help_text="The name for an organisation that serves the person; otherwise the "
        "partner label (no name).",
    )
    phase = serializers.IntegerField(source="phase_id", allow_null=True, required=False)
    stage = serializers.ChoiceField(choices=CohortStage.choices, default=CohortStage.WORK_READY)
    preparation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    addedBy = serializers.CharField(source="added_by.name", read_only=True)


class CohortSerializer(serializers.Serializer):
    members = CohortMemberSerializer(many=True)
    othersNotVisible = serializers.IntegerField()


@extend_schema(tags=["places"])
class VacancyCohort(APIView):
    """The people being prepared for a bulk request that the caller may see (each access
    logged) and how many others; POST adds a person the caller may see."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses=CohortSerializer)
    def get(self, request, uuid):
        vacancy = visible_place(request, uuid)
        members, hidden = selectors.cohort_visible(actor=get_actor(request), vacancy=vacancy)
        return Response(CohortSerializer({"members": members, "othersNotVisible": hidden}).data)

    @extend_schema(request=CohortMemberSerializer, responses={201: CohortMemberSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        vacancy = visible_place(request, uuid)
        serializer = CohortMemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidate = (
            Candidate.objects.visible_to(actor).filter(uuid=data["candidate"]["uuid"]).first()
        )
        if candidate is None:
            raise serializers.ValidationError({"candidate": [_("Unknown job seeker.")]})
        member = bulk.cohort_add(
            actor=actor,
            vacancy=vacancy,
            candidate=candidate,
            phase=data.get("phase_id"),
            stage=data.get("stage", CohortStage.WORK_READY),
            preparation=data.get("preparation", ""),
        )
        shown_people(actor, [member])
        return Response(CohortMemberSerializer(member).data, status=status.HTTP_201_CREATED)
