"""The match workflow over the API, with the same rules as the pages (the services check the
actor; errors are problem+json):

- ``/api/v1/vacancies/{uuid}/shortlist`` and ``/api/v1/shortlist/{uuid}``;
- ``/api/v1/proposals/{uuid}/introduction``, ``/withdraw`` and ``/outcome`` for advisers,
  ``/api/v1/employer/proposals/{uuid}/outcome`` for the employer;
- ``/api/v1/candidates/{uuid}/hires`` for a hire into a job found outside the platform;
- ``/api/v1/match-runs`` (start, progress) and their suggestions to review.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import uuid_param
from perspectief.api.pagination import PageNumberPagination
from perspectief.api.permissions import Requires, get_actor
from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.constants import STAFF_CONSENT_METHODS
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.vacancies.api.bulk import visible_place as _vacancy
from perspectief.vacancies.constants import Contract
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.selectors.places import shown_people

from . import batch, services
from . import employer as employer_side
from .api import ProposalSerializer
from .constants import RunStatus, SuggestionStatus
from .models import Proposal, ShortlistEntry
from .selectors import shown_score

# --- shortlists ------------------------------------------------------------------------------


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
        rows, hidden = services.shortlist_visible(actor=actor, vacancy=_vacancy(request, uuid))
        return Response(ShortlistSerializer({"entries": rows, "othersNotVisible": hidden}).data)

    @extend_schema(request=ShortlistEntrySerializer, responses={201: ShortlistEntrySerializer})
    def post(self, request, uuid):
        actor = get_actor(request)
        vacancy = _vacancy(request, uuid)
        serializer = ShortlistEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidate = (
            Candidate.objects.visible_to(actor).filter(uuid=data["candidate"]["uuid"]).first()
        )
        if candidate is None:
            raise serializers.ValidationError({"candidate": [_("Unknown job seeker.")]})
        entry = services.shortlist_add(
            actor=actor, vacancy=vacancy, candidate=candidate, reason=data["reason"]
        )
        [entry] = shown_people(actor, [entry])
        entry.shown_score = services.shown_score(entry)
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
        services.shortlist_remove(actor=actor, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- proposals: introduction, withdrawal, outcome --------------------------------------------


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


def _proposal_for_adviser(request, uuid) -> Proposal:
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


def _record_outcome(request, proposal: Proposal) -> Proposal:
    serializer = OutcomeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return services.outcome_record(
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
        proposal = _proposal_for_adviser(request, uuid)
        # The service checks who may record it before it looks at the body (a role that may
        # not record consent hears 403, not what is missing from its request).
        body = request.data if isinstance(request.data, dict) else {}
        version = body.get("statementVersion")
        services.introduction_record(
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
        proposal = services.proposal_withdraw(
            actor=get_actor(request), proposal=_proposal_for_adviser(request, uuid)
        )
        return Response(ProposalSerializer(proposal).data)


@extend_schema(tags=["proposals"])
class ProposalOutcome(APIView):
    """Command: hired (start date, contract — fills a place, the person becomes *geplaatst*
    and it counts as a match) or not hired (reason). After the introduction by name."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=OutcomeSerializer, responses={200: ProposalSerializer})
    def post(self, request, uuid):
        proposal = _record_outcome(request, _proposal_for_adviser(request, uuid))
        return Response(ProposalSerializer(proposal).data)


@extend_schema(tags=["employer"])
class EmployerProposalOutcome(APIView):
    """Command: the employer records whether it hired the person it met."""

    permission_classes = [Requires(Permission.EMPLOYER_PORTAL)]

    @extend_schema(request=OutcomeSerializer, responses={200: None})
    def post(self, request, uuid):
        employer = employer_side.employer_of(get_actor(request))
        proposal = services.proposals_for_employer(employer).filter(uuid=uuid).first()
        if proposal is None:
            raise NotFound()
        proposal = _record_outcome(request, proposal)
        return Response({"uuid": str(proposal.uuid), "status": proposal.status})


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
        from perspectief.candidates import selectors as candidate_selectors
        from perspectief.organisations.models import EmployerAccount

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
        hire = services.outside_hire_record(
            actor=actor, candidate=candidate, employer=employer, **data
        )
        return Response(OutsideHireSerializer(hire).data, status=status.HTTP_201_CREATED)


# --- the regional matching run ---------------------------------------------------------------


class MatchRunSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RunStatus.choices)
    startedBy = serializers.CharField(source="started_for.name")
    createdAt = serializers.DateTimeField(source="created_at")
    finishedAt = serializers.DateTimeField(source="finished_at", allow_null=True)
    placesTotal = serializers.IntegerField(source="places_total")
    placesDone = serializers.IntegerField(source="places_done")
    percent = serializers.IntegerField()
    candidates = serializers.IntegerField(help_text="Job seekers considered.")
    suggestions = serializers.IntegerField(source="suggestions_count")
    assigned = serializers.IntegerField(help_text="Suggestions in the optimal distribution.")
    totalScore = serializers.FloatField(source="total_score")
    error = serializers.CharField(source="error_text")


class SuggestionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    vacancy = serializers.UUIDField(source="vacancy.uuid")
    candidate = serializers.UUIDField(source="candidate.uuid")
    name = serializers.CharField(source="shown_name")
    rank = serializers.IntegerField(
        allow_null=True,
        help_text="The place in the run's ranking; empty for people the caller's "
        "organisation does not serve (the ranking counts the hidden priority criterion).",
    )
    score = serializers.FloatField()
    contributions = serializers.DictField(child=serializers.FloatField())
    missingEssentialSkills = serializers.ListField(source="missing", child=serializers.DictField())
    assigned = serializers.BooleanField(help_text="In the run's optimal distribution.")
    status = serializers.ChoiceField(choices=SuggestionStatus.choices)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "served", False):
            # As on the pages: the priority criterion (a target group) only for organisations
            # that serve the person — left out of the score too.
            priority = data["contributions"].pop("priority", 0.0)
            data["score"] = round(shown_score(data["score"], priority, served=False), 6)
            data["rank"] = None  # the run's rank counts the priority too
        return data


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["shortlist", "propose", "dismiss", "reopen"])
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _reviewer(request):
    actor = get_actor(request)
    if not batch.may_review(actor):
        raise PermissionDenied()
    return actor


def _run(request, uuid):
    found = batch.runs_visible(_reviewer(request)).filter(uuid=uuid).first()
    if found is None:
        raise NotFound()
    return found


@extend_schema(tags=["matching"])
class MatchRunList(APIView):
    """The region's matching runs; POST starts one (the Werkgeversservicepunt) — it runs in
    the background: follow its progress on the run. Nothing is sent to anyone."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses=MatchRunSerializer(many=True))
    def get(self, request):
        runs = batch.runs_visible(_reviewer(request)).select_related("started_for")[:50]
        return Response(MatchRunSerializer(runs, many=True).data)

    @extend_schema(request=None, responses={202: MatchRunSerializer})
    def post(self, request):
        actor = _reviewer(request)
        if not actor.has_perm(Permission.RUN_MATCHING):
            raise PermissionDenied()
        run = batch.run_start(actor=actor)
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["matching"])
class MatchRunDetail(APIView):
    """A run's status and progress."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(responses=MatchRunSerializer)
    def get(self, request, uuid):
        return Response(MatchRunSerializer(_run(request, uuid)).data)


@extend_schema(tags=["matching"])
class MatchRunSuggestions(APIView):
    """A finished run's suggestions of people and places the caller may see, by place and
    rank (paginated); every person returned is in the access log."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]
    pagination_class = PageNumberPagination  # the schema declares the page it answers

    @extend_schema(
        parameters=[
            OpenApiParameter("vacancy", str, description="UUID of a place"),
            OpenApiParameter("assigned", bool, description="only the optimal distribution"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=SuggestionSerializer(many=True),
    )
    def get(self, request, uuid):
        actor = _reviewer(request)
        run = _run(request, uuid)
        rows = batch.suggestions_in_shown_order(
            actor, batch.suggestions_visible(actor, run).select_related("vacancy", "candidate")
        )
        vacancy = uuid_param(request, "vacancy", Vacancy.objects.visible_to(actor))
        if vacancy is not None:
            rows = rows.filter(vacancy=vacancy)
        if request.query_params.get("assigned") in ("true", "1"):
            rows = rows.filter(assigned=True)
        paginator = PageNumberPagination()
        page = shown_people(actor, paginator.paginate_queryset(rows, request, view=self))
        # One access record per person shown, however many places they are suggested for.
        for person in {s.candidate_id: s.candidate for s in page}.values():
            access.record_candidate(actor, person, ProcessingActivity.CANDIDATE_MATCHING)
        return paginator.get_paginated_response(SuggestionSerializer(page, many=True).data)


@extend_schema(tags=["matching"])
class MatchSuggestionReview(APIView):
    """Command: put a suggested person on the place's shortlist, propose them, or set the
    suggestion aside."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=ReviewSerializer, responses={200: SuggestionSerializer})
    def post(self, request, uuid):
        from .models import MatchSuggestion

        actor = _reviewer(request)
        suggestion = (
            MatchSuggestion.objects.filter(run__in=batch.runs_visible(actor), uuid=uuid)
            .select_related("run", "vacancy", "candidate")
            .first()
        )
        if suggestion is None:
            raise NotFound()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = batch.suggestion_review(
            actor=actor, suggestion=suggestion, **serializer.validated_data
        )
        [found] = shown_people(actor, [found])
        return Response(SuggestionSerializer(found).data)
