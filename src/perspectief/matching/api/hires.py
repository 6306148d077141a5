"""/api/v1/candidates/{uuid}/hires: a hire into a job the person found outside the
platform, with the same rules as the page (errors are problem+json)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.constants import Contract

from ..services.hires import outside_hire_record


class OutsideHireSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    candidate = serializers.UUIDField(source="candidate.uuid", read_only=True)
    employerAccount = serializers.UUIDField(
        source="employer_uuid",
        required=False,
        allow_null=True,
        default=None,
        help_text="The employer's account, when it has one here (see /employers).",
    )
    employerName = serializers.CharField(
        source="employer_name",
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The employer's name, when it has no account here.",
    )
    employer = serializers.CharField(source="employer_name", read_only=True)
    jobTitle = serializers.CharField(source="job_title", max_length=200)
    contract = serializers.ChoiceField(choices=Contract.choices)
    startDate = serializers.DateField(source="start_date")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    supportPlan = serializers.UUIDField(source="support_plan.uuid", read_only=True)


@extend_schema(tags=["proposals"])
class CandidateHires(APIView):
    """Command: record a hire into a job the person found outside the platform (no place,
    no proposal), by an organisation that serves the person: the employer (its account or
    its name), the job, the contract and the start of work. The person becomes *geplaatst*
    (a match) and the support plan starts, as with any hire."""

    permission_classes = [Requires(Permission.MANAGE_CANDIDATES)]

    @extend_schema(request=OutsideHireSerializer, responses={201: OutsideHireSerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        candidate, level = candidate_selectors.candidate_get_for_actor(actor=actor, uuid=uuid)
        if level != candidate_selectors.FULL:
            raise NotFound()  # only a serving organisation records a hire: as on the page
        serializer = OutsideHireSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        account = data.pop("employer_uuid")
        employer = None
        if account is not None:
            employer = EmployerAccount.objects.visible_to(actor).filter(uuid=account).first()
            if employer is None:
                raise serializers.ValidationError({"employerAccount": "Unknown employer."})
        hire = outside_hire_record(actor=actor, candidate=candidate, employer=employer, **data)
        return Response(OutsideHireSerializer(hire).data, status=status.HTTP_201_CREATED)
