"""/api/v1/employer/... for employers: the people proposed for the employer's own places,
its answer and the outcome, and the search of the region's anonymous profiles. The employer
side serializes the projection of :mod:`perspectief.matching.selectors.employer` and
nothing else."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import uuid_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.api.schema import RATE_LIMITED
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..constants import EMPLOYER_NOTE_MAX_LENGTH, NotSuitable, ProposalStatus
from ..forms.employer import SearchForm
from ..selectors import employer as employer_side
from ..selectors import employer_search
from ..selectors.proposals import proposals_for_employer
from ..services.proposals import employer_respond
from .proposals import OutcomeSerializer, record_outcome


class SkillLabelSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    englishOnly = serializers.BooleanField(
        help_text="The label is English: ESCO has no Dutch label for this skill "
        "(false when English was asked for)."
    )


class AnonymousProfileSerializer(serializers.Serializer):
    """What an employer sees. Name and contact stay empty until the person consented to be
    introduced to this employer; there is no field for a BSN, birth date or address."""

    pseudonym = serializers.CharField()
    occupations = serializers.ListField(child=serializers.CharField())
    skills = serializers.ListField(child=serializers.CharField())
    skillLabels = SkillLabelSerializer(
        many=True, help_text="The skills again, each saying whether its label is English only."
    )
    educationLevel = serializers.CharField()
    dutchLevel = serializers.CharField()
    drivingLicence = serializers.BooleanField(allow_null=True)
    hoursPerWeek = serializers.IntegerField(allow_null=True)
    availableFrom = serializers.DateField(allow_null=True)
    workReadiness = serializers.CharField()
    municipality = serializers.CharField()
    distance = serializers.CharField(
        allow_null=True, help_text="Distance band to the place: < 5 km, 5-15 km, 15-30 km, > 30 km"
    )
    introduced = serializers.BooleanField()
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class EmployerProposalSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    vacancy = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    motivation = serializers.CharField(
        help_text="Why the Werkgeversservicepunt proposes this candidate."
    )
    profile = AnonymousProfileSerializer()


@extend_schema(tags=["employer"])
class EmployerProposalList(APIView):
    """The people proposed for the employer's own places, as anonymous profiles under the
    employer's pseudonyms (named only with the person's consent)."""

    permission_classes = [Requires(Permission.EMPLOYER_PORTAL)]

    @extend_schema(
        parameters=[OpenApiParameter("vacancy", str, description="UUID of one of your places")],
        responses=EmployerProposalSerializer(many=True),
    )
    def get(self, request):
        actor = get_actor(request)
        employer = employer_side.employer_of(actor)
        proposals = proposals_for_employer(employer).order_by("created_at", "id")
        vacancy = uuid_param(request, "vacancy", Vacancy.objects.filter(employer=employer))
        if vacancy is not None:
            proposals = proposals.filter(vacancy=vacancy)
        proposals = list(proposals[:500])
        # Machine reads count against the employer's daily number of profiles.
        employer_side.charge_profiles(actor, employer, len(proposals))
        candidates = employer_side.with_profile_data(
            Candidate.objects.filter(pk__in=[p.candidate_id for p in proposals])
        )
        shown = employer_side.profiles_for(actor, employer, candidates)
        rows = [
            {
                "uuid": p.uuid,
                "vacancy": p.vacancy.uuid,
                "status": p.status,
                "motivation": p.motivation,
                "profile": shown[p.candidate_id],
            }
            for p in proposals
            if p.candidate_id in shown
        ]
        return Response(EmployerProposalSerializer(rows, many=True).data)


class AnswerSerializer(serializers.Serializer):
    interested = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Required when not interested: why the candidate is not suitable, one of "
            + ", ".join(f"`{value}`" for value in NotSuitable.values)
            + " (`other` needs a note)."
        ),
    )
    note = serializers.CharField(
        max_length=EMPLOYER_NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="A note for the Werkgeversservicepunt; required with the reason `other`.",
    )


@extend_schema(tags=["employer"])
class EmployerProposalAnswer(APIView):
    """Command: the employer says whether it wants to meet the person."""

    permission_classes = [Requires(Permission.EMPLOYER_PORTAL)]

    @extend_schema(request=AnswerSerializer, responses={200: None})
    def post(self, request, uuid):
        actor = get_actor(request)
        employer = employer_side.employer_of(actor)
        proposal = proposals_for_employer(employer).filter(uuid=uuid).first()
        if proposal is None:
            raise NotFound()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = employer_respond(
            actor=actor,
            proposal=proposal,
            interested=serializer.validated_data["interested"],
            note=serializer.validated_data["note"],
            reason=serializer.validated_data["reason"],
        )
        return Response({"uuid": str(proposal.uuid), "status": proposal.status})


class FitSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.IntegerField(
        allow_null=True,
        help_text="The criterion's points (100 x its contribution); null for the distance, "
        "which an employer reads as a band.",
    )
    max = serializers.IntegerField(
        allow_null=True,
        help_text="The most points the criterion can give (its weight x 100); null for the "
        "distance.",
    )
    fit = serializers.CharField(help_text="How well the person fits on this criterion, in words.")
    text = serializers.CharField(
        help_text="One sentence with the facts, e.g. 'has 4 of the 6 essential skills; "
        "misses 2'; for the distance a band."
    )


class RankedProfileSerializer(AnonymousProfileSerializer):
    explanation = FitSerializer(many=True, required=False)


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    ranked = serializers.BooleanField(
        help_text="True when ranked by the matching engine for a place or an occupation."
    )
    rankedFor = serializers.ListField(
        child=serializers.DictField(),
        help_text="The occupations the free words resolved to (uri, label); the first counts.",
    )
    profiles = RankedProfileSerializer(many=True)


#: The API's query parameters as the search form's fields.
SEARCH_PARAMETERS = {
    "occupation": "occupation",
    "occupationUri": "occupation_uri",
    "skill": "skill",
    "place": "place",
    "municipality": "municipality",
    "hours": "hours",
    "drivingLicence": "driving_licence",
    "page": "page",
}


@extend_schema(tags=["employer"])
class EmployerCandidateSearch(APIView):
    """Search the region's anonymous profiles (people who consented to a regional profile),
    ranked by the matching engine for one of the employer's open places or an occupation
    (free words, e.g. "magazijnmedewerker nachtdienst", resolve to ESCO occupations), 20 a
    page. Rate-limited per employer (429 when exceeded; every page counts); every search is
    audited and every profile shown is in the access log."""

    permission_classes = [Requires(Permission.EMPLOYER_PORTAL)]

    @extend_schema(
        parameters=[
            OpenApiParameter("occupation", str, description="an occupation in free words"),
            OpenApiParameter("occupationUri", str, description="an ESCO occupation URI"),
            OpenApiParameter("skill", str, description="a skill the person should have"),
            OpenApiParameter("place", str, description="uuid of one of your open places"),
            OpenApiParameter("municipality", str, description="CBS code, e.g. GM0363"),
            OpenApiParameter("hours", int, description="at least this many hours per week"),
            OpenApiParameter("drivingLicence", bool),
            OpenApiParameter("page", int),
        ],
        responses={
            200: SearchResultSerializer,
            429: OpenApiResponse(description=RATE_LIMITED),
        },
    )
    def get(self, request):
        actor = get_actor(request)
        employer = employer_side.employer_of(actor)
        query = request.query_params
        data = {
            field: query.get(name)
            for name, field in SEARCH_PARAMETERS.items()
            if query.get(name) not in (None, "")
        }
        if "driving_licence" in data:
            data["driving_licence"] = data["driving_licence"] in ("true", "1")
        if "municipality" in data:
            data["municipality"] = data["municipality"].strip().upper()
        places = Vacancy.objects.filter(employer=employer, status=VacancyStatus.OPEN)
        form = SearchForm(data, region_id=employer.organisation.region_id, places=places)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    name: form.errors[field]
                    for name, field in SEARCH_PARAMETERS.items()
                    if field in form.errors
                }
            )
        try:
            result = employer_search.search_for(
                actor=actor, employer=employer, data=form.cleaned_data
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"occupationUri": exc.messages}) from None
        payload = {
            "total": result.total,
            "page": result.page.number if result.page is not None else 1,
            "pages": result.page.paginator.num_pages if result.page is not None else 1,
            "ranked": result.ranked,
            "rankedFor": [{"uri": uri, "label": label} for uri, label in result.occupations],
            "profiles": result.profiles,
        }
        return Response(SearchResultSerializer(payload).data)


@extend_schema(tags=["employer"])
class EmployerProposalOutcome(APIView):
    """Command: the employer records whether it hired the person it met."""

    permission_classes = [Requires(Permission.EMPLOYER_PORTAL)]

    @extend_schema(request=OutcomeSerializer, responses={200: None})
    def post(self, request, uuid):
        employer = employer_side.employer_of(get_actor(request))
        proposal = proposals_for_employer(employer).filter(uuid=uuid).first()
        if proposal is None:
            raise NotFound()
        proposal = record_outcome(request, proposal)
        return Response({"uuid": str(proposal.uuid), "status": proposal.status})
