"""/api/v1/match-runs and /api/v1/match-suggestions: the regional matching run over the API
(start, progress) and its suggestions to review, with the same rules as the pages (the
services check the actor; errors are problem+json)."""

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
from perspectief.core.authz import Permission
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.selectors.places import shown_people

from ..constants import RunStatus, SuggestionStatus
from ..models import MatchSuggestion
from ..selectors.proposals import shown_score
from ..selectors.runs import (
    may_review,
    runs_visible,
    suggestions_in_shown_order,
    suggestions_visible,
    with_explanations,
)
from ..services.runs import run_cancel, run_start, suggestion_review


class MatchingConfigurationReferenceSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    version = serializers.IntegerField()
    createdAt = serializers.DateTimeField(source="created_at")


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
    configuration = MatchingConfigurationReferenceSerializer(
        allow_null=True,
        help_text="The version of the region's matching configuration the run used; null: "
        "the platform's defaults (GET /api/v1/matching-configuration).",
    )


class CriterionSerializer(serializers.Serializer):
    """One criterion of a match as people read it (the same as on the pages)."""

    criterion = serializers.CharField(help_text="The criterion's code, e.g. distance.")
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.IntegerField(help_text="The criterion's points: 100 × contribution.")
    max = serializers.IntegerField(
        allow_null=True, help_text="Its maximum: 100 × its weight in the weights used."
    )
    text = serializers.CharField(help_text="One sentence with the facts behind the points.")


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
    relatedEssentialSkills = serializers.ListField(
        source="related",
        child=serializers.DictField(),
        help_text="Essential skills credited in part through a related skill the person has "
        "({skill, via, credit}); not missing.",
    )
    explanation = CriterionSerializer(
        many=True,
        read_only=True,
        help_text="Per criterion: points out of the maximum and one sentence; the priority "
        "criterion only for organisations that serve the person.",
    )
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
    if not may_review(actor):
        raise PermissionDenied()
    return actor


def _run(request, uuid):
    found = (
        runs_visible(_reviewer(request)).select_related("configuration").filter(uuid=uuid).first()
    )
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
        runs = runs_visible(_reviewer(request)).select_related("started_for", "configuration")[:50]
        return Response(MatchRunSerializer(runs, many=True).data)

    @extend_schema(request=None, responses={202: MatchRunSerializer})
    def post(self, request):
        actor = _reviewer(request)
        if not actor.has_perm(Permission.RUN_MATCHING):
            raise PermissionDenied()
        run = run_start(actor=actor)
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
class MatchRunCancel(APIView):
    """Command: cancel a waiting or running run. Its parts stop at their next progress step
    and nothing of it is stored. Only the organisation that started the run cancels it (who
    of it may start runs); a run already finished answers 400."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(request=None, responses={200: MatchRunSerializer})
    def post(self, request, uuid):
        actor = _reviewer(request)
        if not actor.has_perm(Permission.RUN_MATCHING):
            raise PermissionDenied()
        run = _run(request, uuid)
        cancelled = run_cancel(actor=actor, run=run)
        cancelled.refresh_from_db()
        return Response(MatchRunSerializer(cancelled).data)


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
        rows = suggestions_in_shown_order(
            actor, suggestions_visible(actor, run).select_related("vacancy", "candidate")
        )
        vacancy = uuid_param(request, "vacancy", Vacancy.objects.visible_to(actor))
        if vacancy is not None:
            rows = rows.filter(vacancy=vacancy)
        if request.query_params.get("assigned") in ("true", "1"):
            rows = rows.filter(assigned=True)
        paginator = PageNumberPagination()
        page = with_explanations(
            shown_people(actor, paginator.paginate_queryset(rows, request, view=self))
        )
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
        actor = _reviewer(request)
        suggestion = (
            MatchSuggestion.objects.filter(run__in=runs_visible(actor), uuid=uuid)
            .select_related("run", "vacancy", "candidate")
            .first()
        )
        if suggestion is None:
            raise NotFound()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = suggestion_review(actor=actor, suggestion=suggestion, **serializer.validated_data)
        [found] = with_explanations(shown_people(actor, [found]))
        return Response(SuggestionSerializer(found).data)
