"""/api/v1/candidates: the same rules as the pages — visibility through visible_to, the
partner view an allowlist of fields, an access record for every person served."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import choice_param, existing_param, int_param, uuid_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.parsing import ParsingSerializerMixin
from perspectief.core.authz import Permission
from perspectief.core.policies import deny
from perspectief.core.validators import validate_person_name
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Region
from perspectief.taxonomy.constants import SBI_SECTIONS, PhysicalLoad, Support

from .. import parsing
from ..constants import Benefit, Capacity, JourneyStatus, Motivation, TargetGroup, WorkReadiness
from ..models import Candidate
from ..selectors import people as selectors
from ..selectors.person_list import annotate_access, candidate_list
from ..services import journey
from ..services.people import CandidateInput, candidate_register

#: Fields a partner (with the person's consent) may see; never name, BSN, contact, exact
#: postcode, date of birth or health.
PARTNER_FIELDS = (
    "uuid",
    "view",
    "label",
    "age",
    "municipality",
    "region",
    "status",
    "hoursPerWeek",
    "availableFrom",
    "maxTravelKm",
    "educationLevel",
    "startkwalificatie",
    "dutchLevel",
    "drivingLicence",
    "workReadiness",
    "transport",
    "capacity",
    "readyFrom",
    "maxHoursPerWeek",
    "maxPhysicalLoad",
    "excludedSectors",
    "occupations",
    "skills",
)


class CandidateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    view = serializers.ChoiceField(choices=["full", "partner"])
    # A declared field, not Field.label: DRF's metaclass takes it out of the class.
    label = serializers.CharField(source="partner_label")  # type: ignore[assignment]
    firstName = serializers.CharField(
        source="first_name", required=False, help_text="Only in the full view (not to partners)."
    )
    lastName = serializers.CharField(source="last_name", required=False)
    hasBsn = serializers.BooleanField(source="has_bsn", required=False)
    dateOfBirth = serializers.DateField(source="date_of_birth", allow_null=True, required=False)
    age = serializers.IntegerField(allow_null=True)
    email = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    postcode = serializers.CharField(source="postcode.code", allow_null=True, required=False)
    municipality = serializers.CharField(source="postcode.municipality.code", allow_null=True)
    region = serializers.CharField(source="region.code")
    status = serializers.ChoiceField(choices=JourneyStatus.choices)
    benefit = serializers.CharField(required=False)
    targetGroups = serializers.ListField(child=serializers.CharField(), required=False)
    hoursPerWeek = serializers.IntegerField(source="hours_per_week", allow_null=True)
    availableFrom = serializers.DateField(source="available_from", allow_null=True)
    maxTravelKm = serializers.IntegerField(source="max_travel_km", allow_null=True)
    educationLevel = serializers.CharField(source="education_level.code", allow_null=True)
    startkwalificatie = serializers.BooleanField(
        source="education_level.startkwalificatie", allow_null=True
    )
    dutchLevel = serializers.CharField(source="dutch_level")
    drivingLicence = serializers.BooleanField(source="driving_licence", allow_null=True)
    workReadiness = serializers.CharField(source="work_readiness")
    transport = serializers.CharField()
    capacity = serializers.CharField()
    motivation = serializers.CharField(required=False, help_text="Only in the full view.")
    readyFrom = serializers.DateField(
        source="ready_from", allow_null=True, help_text="The day the person is work-ready."
    )
    maxHoursPerWeek = serializers.IntegerField(
        source="max_hours_per_week",
        allow_null=True,
        help_text="Hours a week the person can carry (a limit; hoursPerWeek is what they want).",
    )
    maxPhysicalLoad = serializers.CharField(
        source="max_physical_load", help_text="light, medium or heavy; empty when not known."
    )
    excludedSectors = serializers.ListField(
        child=serializers.CharField(),
        source="excluded_sector_list",
        help_text="SBI sections (one letter each, e.g. G) the person will not work in.",
    )
    supportNeeds = serializers.ListField(
        child=serializers.ChoiceField(choices=Support.choices),
        source="support_need_list",
        required=False,
        help_text="Only in the full view.",
    )
    occupations = serializers.ListField(child=serializers.CharField(), source="occupations_list")
    skills = serializers.ListField(child=serializers.CharField(), source="skills_list")
    completeness = serializers.IntegerField(required=False)

    def to_representation(self, pair):
        candidate, level = pair
        candidate.view = "full" if level == selectors.FULL else "partner"
        candidate.age = selectors.age(candidate)
        candidate.occupations_list = [o.uri for o in candidate.occupations.all()]
        candidate.skills_list = [s.skill.uri for s in candidate.skills.all()]
        candidate.target_groups = [t.group for t in candidate.target_group_rows.all()]
        data = super().to_representation(candidate)
        if level != selectors.FULL:
            data = {key: value for key, value in data.items() if key in PARTNER_FIELDS}
        return data


class CandidateCreateSerializer(ParsingSerializerMixin, serializers.Serializer):
    """Register a job seeker for the organisation of the token's membership."""

    bsn = serializers.CharField(required=False, allow_blank=True, max_length=11)
    firstName = serializers.CharField(max_length=100, validators=[validate_person_name])
    lastName = serializers.CharField(max_length=150, validators=[validate_person_name])
    dateOfBirth = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    benefit = serializers.ChoiceField(choices=Benefit.choices, required=False, allow_blank=True)
    targetGroups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), required=False
    )
    hoursPerWeek = serializers.IntegerField(min_value=0, max_value=60, required=False)
    workReadiness = serializers.ChoiceField(
        choices=WorkReadiness.choices, required=False, allow_blank=True
    )
    readyFrom = serializers.DateField(required=False, allow_null=True)
    maxHoursPerWeek = serializers.IntegerField(
        min_value=0, max_value=60, required=False, allow_null=True
    )
    maxPhysicalLoad = serializers.ChoiceField(
        choices=PhysicalLoad.choices, required=False, allow_blank=True
    )
    motivation = serializers.ChoiceField(
        choices=Motivation.choices, required=False, allow_blank=True
    )
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False, allow_blank=True)
    excludedSectors = serializers.ListField(
        child=serializers.ChoiceField(choices=[(c, c) for c in SBI_SECTIONS]), required=False
    )
    supportNeeds = serializers.ListField(
        child=serializers.ChoiceField(choices=Support.choices), required=False
    )
    educationLevel = serializers.CharField(required=False, allow_blank=True)
    occupations = serializers.ListField(child=serializers.CharField(), required=False)
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=50)

    def validate_dateOfBirth(self, value):
        return self._parse(parsing.birth_date, value)

    def validate_postcode(self, value):
        return self._parse(parsing.postcode, value)

    def validate_readyFrom(self, value):
        return self._parse(parsing.ready_from, value)

    def validate_educationLevel(self, value):
        return self._parse(self.resolver.education_level, value)

    def validate_occupations(self, value):
        return self._parse(self.resolver.occupations, ";".join(value))

    def validate_skills(self, value):
        return self._parse(self.resolver.skills, ";".join(value))

    def to_input(self) -> CandidateInput:
        data = self.validated_data
        return CandidateInput(
            bsn=data.get("bsn") or None,
            first_name=data["firstName"],
            last_name=data["lastName"],
            date_of_birth=data.get("dateOfBirth"),
            postcode=data.get("postcode"),
            email=data.get("email"),
            phone=data.get("phone"),
            benefit=data.get("benefit"),
            target_groups=data.get("targetGroups"),
            hours_per_week=data.get("hoursPerWeek"),
            work_readiness=data.get("workReadiness"),
            ready_from=data.get("readyFrom"),
            max_hours_per_week=data.get("maxHoursPerWeek"),
            max_physical_load=data.get("maxPhysicalLoad"),
            motivation=data.get("motivation"),
            capacity=data.get("capacity"),
            excluded_sectors=data.get("excludedSectors"),
            support_needs=data.get("supportNeeds"),
            education_level=data.get("educationLevel"),
            occupations=data.get("occupations"),
            skills=[(s, "stated") for s in data["skills"]] if "skills" in data else None,
            reference=data.get("reference"),
        )


def _prefetched(qs):
    return qs.select_related(
        "postcode__municipality", "region", "education_level"
    ).prefetch_related("occupations", "skills__skill", "target_group_rows")


@extend_schema(
    tags=["job seekers"],
    parameters=[
        OpenApiParameter("status", str, enum=JourneyStatus.values),
        OpenApiParameter("targetGroup", str, enum=TargetGroup.values),
        OpenApiParameter("availability", str, enum=["now", "later", "reconfirm"]),
        OpenApiParameter("region", str, description="CBS region code, e.g. AM18"),
        OpenApiParameter("organisation", str, description="UUID of a serving organisation"),
        OpenApiParameter("occupation", str, description="ESCO occupation URI or name"),
        OpenApiParameter("maxCompleteness", int, description="Completeness at most (0-100)"),
    ],
)
class CandidateList(generics.ListCreateAPIView):
    """Job seekers visible to the caller; POST registers one (or finds them by BSN)."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]
    serializer_class = CandidateSerializer

    def get_queryset(self):
        request = self.request
        filters = {
            "status": choice_param(request, "status", JourneyStatus.values),
            "target_group": choice_param(request, "targetGroup", TargetGroup.values),
            "availability": choice_param(request, "availability", ["now", "later", "reconfirm"]),
            "region": existing_param(request, "region", Region.objects.all(), "code"),
            "organisation": uuid_param(request, "organisation", Organisation.objects.all()),
            "max_completeness": int_param(request, "maxCompleteness", 0, 100),
        }
        occupation = request.query_params.get("occupation")
        if occupation:
            try:
                filters["occupation"] = parsing.Resolver().occupations(occupation)[0]
            except ValueError as exc:
                raise serializers.ValidationError({"occupation": [str(exc)]}) from None
        return candidate_list(actor=get_actor(request), filters=filters).apply(_prefetched)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = annotate_access(get_actor(request), page)
        return self.get_paginated_response(CandidateSerializer(rows, many=True).data)

    @extend_schema(request=CandidateCreateSerializer, responses={201: CandidateSerializer})
    def post(self, request, *args, **kwargs):
        actor = get_actor(request)
        if not actor.has_perm(Permission.MANAGE_CANDIDATES):
            deny(request._request, "missing_permission", Permission.MANAGE_CANDIDATES)
        serializer = CandidateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate, created = candidate_register(actor=actor, data=serializer.to_input())
        candidate = _prefetched(Candidate.objects.filter(pk=candidate.pk)).get()
        return Response(
            CandidateSerializer((candidate, selectors.FULL)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["job seekers"], responses=CandidateSerializer)
class CandidateDetail(APIView):
    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    def get(self, request, uuid):
        candidate, level = selectors.candidate_get_for_actor(actor=get_actor(request), uuid=uuid)
        candidate = _prefetched(Candidate.objects.filter(pk=candidate.pk)).get()
        return Response(CandidateSerializer((candidate, level)).data)


@extend_schema(
    tags=["job seekers"],
    request=inline_serializer(
        "StatusChange", {"status": serializers.ChoiceField(choices=JourneyStatus.choices)}
    ),
    responses=CandidateSerializer,
)
class CandidateStatus(APIView):
    """Command: move the person along the journey."""

    permission_classes = [Requires(Permission.MANAGE_CANDIDATES)]

    def post(self, request, uuid):
        actor = get_actor(request)
        candidate, level = selectors.candidate_get_for_actor(actor=actor, uuid=uuid)
        new_status = request.data.get("status") if hasattr(request.data, "get") else None
        try:
            journey.candidate_change_status(actor=actor, candidate=candidate, status=new_status)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        candidate = _prefetched(Candidate.objects.filter(pk=candidate.pk)).get()
        return Response(CandidateSerializer((candidate, level)).data)
