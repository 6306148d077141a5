"""/api/v1/proposals for advisers: the proposals of people the caller may see, proposing a
person for a place, and the commands on a proposal — the introduction by name (with the
person's consent), withdrawal and the outcome. The same rules as the pages (the services
check the actor; errors are problem+json)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import uuid_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.constants import STAFF_CONSENT_METHODS
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.vacancies.constants import Contract
from perspectief.vacancies.models import Vacancy

from ..constants import MOTIVATION_MAX_LENGTH, NotSuitable, ProposalStatus
from ..models import Proposal
from ..selectors.proposals import proposals_visible
from ..services.outcomes import outcome_record
from ..services.proposals import introduction_record, proposal_create, proposal_withdraw


class ProposalSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    vacancy = serializers.UUIDField(source="vacancy.uuid")
    candidate = serializers.UUIDField(source="candidate.uuid")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    proposedBy = serializers.CharField(source="proposed_for.name")
    motivation = serializers.CharField(help_text="Why the person fits; the employer reads it.")
    employerNote = serializers.CharField(source="employer_note")
    notSuitableReason = serializers.CharField(
        source="not_suitable_reason",
        help_text=(
            "Why the employer found the person not suitable, one of "
            + ", ".join(f"`{value}`" for value in NotSuitable.values)
            + " (empty otherwise; the employer's words are in `employerNote`)."
        ),
    )
    createdAt = serializers.DateTimeField(source="created_at")


class ProposalCreateSerializer(serializers.Serializer):
    vacancy = serializers.UUIDField()
    candidate = serializers.UUIDField()
    motivation = serializers.CharField(
        max_length=MOTIVATION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Why the person fits the place, for the employer: no name, BSN or contact details "
            "(refused when it holds them)."
        ),
    )


@extend_schema(tags=["proposals"])
class ProposalList(APIView):
    """Proposals of people the caller may see (for one place or one person); POST proposes
    a person for an open place."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("vacancy", str, description="UUID of a place"),
            OpenApiParameter("candidate", str, description="UUID of a job seeker"),
        ],
        responses=ProposalSerializer(many=True),
    )
    def get(self, request):
        actor = get_actor(request)
        vacancy = uuid_param(request, "vacancy", Vacancy.objects.visible_to(actor))
        candidate = uuid_param(request, "candidate", Candidate.objects.visible_to(actor))
        if vacancy is None and candidate is None:
            raise serializers.ValidationError({"vacancy": [_("Give vacancy or candidate.")]})
        rows, _hidden = proposals_visible(actor=actor, vacancy=vacancy, candidate=candidate)
        return Response(ProposalSerializer(rows, many=True).data)

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def post(self, request):
        actor = get_actor(request)
        serializer = ProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        vacancy = Vacancy.objects.visible_to(actor).filter(uuid=data["vacancy"]).first()
        candidate = Candidate.objects.visible_to(actor).filter(uuid=data["candidate"]).first()
        errors = {}
        if vacancy is None:
            errors["vacancy"] = [_("Unknown place.")]
        if candidate is None:
            errors["candidate"] = [_("Unknown job seeker.")]
        if errors:
            raise serializers.ValidationError(errors)
        proposal = proposal_create(
            actor=actor, vacancy=vacancy, candidate=candidate, motivation=data["motivation"]
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class OutcomeSerializer(serializers.Serializer):
    hired = serializers.BooleanField()
    startDate = serializers.DateField(
        source="start_date", required=False, allow_null=True, default=None
    )
    contract = serializers.ChoiceField(
        choices=Contract.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the person was not hired (required then).",
    )


def proposal_for_adviser(request, uuid) -> Proposal:
    """The proposal named in the URL, if the caller sees its person and its place."""
    actor = get_actor(request)
    found = (
        Proposal.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            vacancy__in=Vacancy.objects.visible_to(actor),
        )
        .filter(uuid=uuid)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def record_outcome(request, proposal: Proposal) -> Proposal:
    """The outcome in the request's body, recorded (shared with the employer's command)."""
    serializer = OutcomeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return outcome_record(
        actor=get_actor(request),
        proposal=proposal,
        hired=data["hired"],
        start_date=data["start_date"],
        contract=data["contract"],
        reason=data["reason"],
    )


class IntroductionSerializer(serializers.Serializer):
    """How the person agreed to be introduced, and the version of the text they heard."""

    method = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in STAFF_CONSENT_METHODS],
        help_text="How the person gave consent to be introduced.",
    )
    statementVersion = serializers.CharField(
        max_length=20,
        required=False,
        help_text=(
            "The version of the consent text the person was shown; the version in force "
            "when left out. A version that is no longer in force is refused."
        ),
    )


@extend_schema(tags=["proposals"])
class ProposalIntroduction(APIView):
    """Command: the person agreed (with their klantmanager) to be introduced by name to this
    employer, in person, by phone or in writing. Only a klantmanager of an organisation that
    serves the person records it."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=IntroductionSerializer, responses={200: ProposalSerializer})
    def post(self, request, uuid):
        proposal = proposal_for_adviser(request, uuid)
        # The service checks who may record it before it looks at the body (a role that may
        # not record consent hears 403, not what is missing from its request).
        body = request.data if isinstance(request.data, dict) else {}
        version = body.get("statementVersion")
        introduction_record(
            actor=get_actor(request),
            proposal=proposal,
            method=str(body.get("method") or ""),
            statement_version=str(version) if version is not None else None,
        )
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)


@extend_schema(tags=["proposals"])
class ProposalWithdraw(APIView):
    """Command: withdraw an open proposal."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=None, responses={200: ProposalSerializer})
    def post(self, request, uuid):
        proposal = proposal_withdraw(
            actor=get_actor(request), proposal=proposal_for_adviser(request, uuid)
        )
        return Response(ProposalSerializer(proposal).data)


@extend_schema(tags=["proposals"])
class ProposalOutcome(APIView):
    """Command: hired (start date, contract — fills a place, the person becomes *geplaatst*
    and it counts as a match) or not hired (reason). After the introduction by name."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=OutcomeSerializer, responses={200: ProposalSerializer})
    def post(self, request, uuid):
        proposal = record_outcome(request, proposal_for_adviser(request, uuid))
        return Response(ProposalSerializer(proposal).data)
