"""/api/v1/vacancies: places visible to the caller; POST creates one for an employer."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from perspectief.api.filters import choice_param, existing_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates import parsing
from perspectief.candidates.parsing import ParsingSerializerMixin
from perspectief.core.authz import Permission
from perspectief.core.policies import deny
from perspectief.organisations.models import EmployerAccount
from perspectief.regions.models import Municipality
from perspectief.taxonomy.constants import PhysicalLoad, Support, WorkDemand
from perspectief.taxonomy.models import EducationLevel, Occupation, Sector

from ..constants import Contract, PlaceType, VacancyStatus
from ..models import Vacancy
from ..services import places as services


class VacancySerializer(serializers.ModelSerializer):
    employer = serializers.UUIDField(source="employer.uuid")
    employerName = serializers.CharField(source="employer.organisation.name")
    placeType = serializers.CharField(source="place_type")
    occupation = serializers.CharField(source="occupation.uri", allow_null=True)
    hoursPerWeek = serializers.IntegerField(source="hours_per_week")
    postcode = serializers.CharField(source="postcode.code")
    # Explicit so the schema does not depend on the database's integer ranges.
    places = serializers.IntegerField(min_value=1)
    placesFilled = serializers.IntegerField(
        source="places_filled",
        help_text="Hires recorded against the place plus places filled outside the platform.",
    )
    placesOpen = serializers.IntegerField(source="places_open")
    skills = serializers.SerializerMethodField()
    minHoursPerWeek = serializers.IntegerField(
        source="min_hours_per_week",
        allow_null=True,
        help_text="The fewest hours a week the place accepts (part time); null: only its hours.",
    )
    physicalLoad = serializers.CharField(
        source="physical_load", help_text="light, medium or heavy; empty when not stated."
    )
    supportOffered = serializers.ListField(
        child=serializers.ChoiceField(choices=Support.choices),
        source="support_offered_list",
        help_text="Support the place offers; an adjusted place (aangepaste_plek) offers "
        "'adjusted'.",
    )
    workDemands = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkDemand.choices), source="work_demand_list"
    )

    class Meta:
        model = Vacancy
        fields = [
            "uuid",
            "employer",
            "employerName",
            "title",
            "reference",
            "placeType",
            "occupation",
            "hoursPerWeek",
            "contract",
            "postcode",
            "places",
            "placesFilled",
            "placesOpen",
            "status",
            "start_date",
            "closing_date",
            "skills",
            "minHoursPerWeek",
            "physicalLoad",
            "supportOffered",
            "workDemands",
        ]

    def get_skills(self, vacancy) -> list[dict]:
        return [
            {"skill": s.skill.uri, "relation": s.relation, "teachable": s.teachable}
            for s in vacancy.skills.all()
        ]


class VacancyCreateSerializer(ParsingSerializerMixin, serializers.Serializer):
    employer = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    placeType = serializers.ChoiceField(choices=PlaceType.choices)
    occupation = serializers.CharField(required=False, allow_blank=True)
    hoursPerWeek = serializers.IntegerField(min_value=1, max_value=60)
    contract = serializers.ChoiceField(choices=Contract.choices)
    postcode = serializers.CharField()
    places = serializers.IntegerField(min_value=1, max_value=10000)
    essentialSkills = serializers.ListField(child=serializers.CharField(), required=False)
    teachableSkills = serializers.ListField(child=serializers.CharField(), required=False)
    optionalSkills = serializers.ListField(child=serializers.CharField(), required=False)
    minEducation = serializers.CharField(required=False, allow_blank=True)
    drivingLicence = serializers.BooleanField(required=False)
    startDate = serializers.DateField(required=False, allow_null=True)
    closingDate = serializers.DateField(required=False, allow_null=True)
    minHoursPerWeek = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )
    physicalLoad = serializers.ChoiceField(
        choices=PhysicalLoad.choices, required=False, allow_blank=True
    )
    supportOffered = serializers.ListField(
        child=serializers.ChoiceField(choices=Support.choices), required=False
    )
    workDemands = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkDemand.choices), required=False
    )

    def validate(self, attrs):
        low, hours = attrs.get("minHoursPerWeek"), attrs.get("hoursPerWeek")
        if low is not None and hours is not None and low > hours:
            raise serializers.ValidationError(
                {
                    "minHoursPerWeek": [
                        _("Part time cannot start above the hours per week (%(hours)d).")
                        % {"hours": hours}
                    ]
                }
            )
        return attrs

    def validate_occupation(self, value):
        found = self._parse(self.resolver.occupations, value)
        return found[0] if found else None

    def validate_postcode(self, value):
        return self._parse(parsing.postcode, value)

    def validate_essentialSkills(self, value):
        return self._parse(self.resolver.skills, ";".join(value))

    def validate_teachableSkills(self, value):
        return self._parse(self.resolver.skills, ";".join(value))

    def validate_optionalSkills(self, value):
        return self._parse(self.resolver.skills, ";".join(value))

    def validate_minEducation(self, value):
        return self._parse(self.resolver.education_level, value)


def _vacancies(request):
    return (
        Vacancy.objects.visible_to(get_actor(request))
        .select_related("employer__organisation", "occupation", "postcode")
        .prefetch_related("skills__skill")
    )


@extend_schema(
    tags=["places"],
    parameters=[
        OpenApiParameter("status", str, enum=VacancyStatus.values),
        OpenApiParameter("placeType", str, enum=PlaceType.values),
        OpenApiParameter("sector", str, description="SBI section of the employer, e.g. H"),
        OpenApiParameter("occupation", str, description="ESCO occupation URI"),
        OpenApiParameter("municipality", str, description="CBS municipality code, e.g. GM0363"),
    ],
)
class VacancyList(generics.ListCreateAPIView):
    """Places of the region (or the employer's own); POST creates a place."""

    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]
    serializer_class = VacancySerializer

    def get_queryset(self):
        qs = _vacancies(self.request).order_by("-created_at", "id")
        state = choice_param(self.request, "status", VacancyStatus.values)
        if state:
            qs = qs.filter(status=state)
        place_type = choice_param(self.request, "placeType", PlaceType.values)
        if place_type:
            qs = qs.filter(place_type=place_type)
        sector = existing_param(self.request, "sector", Sector.objects.all(), "code")
        if sector:
            qs = qs.filter(employer__sector=sector)
        occupation = existing_param(self.request, "occupation", Occupation.objects.all(), "uri")
        if occupation:
            qs = qs.filter(occupation=occupation)
        municipality = existing_param(
            self.request, "municipality", Municipality.objects.all(), "code"
        )
        if municipality:
            qs = qs.filter(postcode__municipality=municipality)
        return qs

    @extend_schema(request=VacancyCreateSerializer, responses={201: VacancySerializer})
    def post(self, request, *args, **kwargs):
        actor = get_actor(request)
        if not actor.has_perm(Permission.MANAGE_PLACES):
            deny(request._request, "missing_permission", Permission.MANAGE_PLACES)
        serializer = VacancyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        employer = EmployerAccount.objects.visible_to(actor).filter(uuid=data["employer"]).first()
        if employer is None:
            raise serializers.ValidationError({"employer": [_("Unknown employer.")]})
        fields = {
            "title": data["title"],
            "reference": data.get("reference", "").strip(),
            "place_type": data["placeType"],
            "occupation": data.get("occupation"),
            "hours_per_week": data["hoursPerWeek"],
            "contract": data["contract"],
            "postcode": data["postcode"],
            "places": data["places"],
            "min_education": data.get("minEducation")
            if isinstance(data.get("minEducation"), EducationLevel)
            else None,
            "driving_licence": data.get("drivingLicence", False),
            "start_date": data.get("startDate"),
            "closing_date": data.get("closingDate"),
            "min_hours_per_week": data.get("minHoursPerWeek"),
            "physical_load": data.get("physicalLoad") or "",
            "support_offered": data.get("supportOffered") or [],
            "work_demands": data.get("workDemands") or [],
        }
        # A refusal of the service becomes problem+json in api.problems.exception_handler.
        vacancy = services.vacancy_save(
            actor=actor,
            employer=employer,
            data=fields,
            essential=data.get("essentialSkills") or [],
            optional=data.get("optionalSkills") or [],
            teachable=data.get("teachableSkills") or [],
        )
        return Response(
            VacancySerializer(_vacancies(request).get(pk=vacancy.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["places"])
class VacancyDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_EMPLOYERS)]
    serializer_class = VacancySerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return _vacancies(self.request)
