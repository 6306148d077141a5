"""/api/v1/support/...: the support team's work over the API, read-only, with the pages'
visibility rules (the querysets' ``visible_to`` and the pages' selectors). The national
support team sees every region; a region's programme manager the progress questionnaires,
the region's own responses and requests; the region's partners its reflection rounds. The
SZW analyst and employers see none of it (403). Nothing here is about a person: figures
are the suppressed table's, texts are checked for personal data before they are saved, and
no user is named — so no access is logged."""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers

from perspectief.api.filters import choice_param, existing_param, uuid_param
from perspectief.api.pagination import PageNumberPagination
from perspectief.api.permissions import RequiresAny, get_actor
from perspectief.core.authz import Permission
from perspectief.monitoring.periods import quarter_bounds
from perspectief.regions.models import Region

from .constants import (
    Figure,
    Pillar,
    QuestionKind,
    QuestionnaireKind,
    QuestionnaireStatus,
    QuestionTag,
    RequestStatus,
    ResponseStatus,
)
from .models import Answer, Questionnaire, Response, SupportRequest
from .query import is_team
from .selectors import progress as progress_selectors

P = Permission
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _region(request):
    return existing_param(request, "region", Region.objects.all(), "code")


# --- questionnaires ---------------------------------------------------------------------


class RegionStateSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    regionName = serializers.CharField(source="region.name")
    state = serializers.ChoiceField(
        choices=progress_selectors.STATES,
        help_text="answered (on time), late (submitted after the deadline), waiting (not "
        "yet), overdue (not yet, deadline passed)",
    )
    submittedAt = serializers.DateTimeField(
        source="response.submitted_at", allow_null=True, default=None
    )


class QuestionnaireSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField(
        source="display_title", help_text="as typed, or said from the quarter"
    )
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    periodStart = serializers.DateField(source="period_start")
    periodEnd = serializers.DateField(source="period_end")
    deadline = serializers.DateField()
    publishedAt = serializers.DateTimeField(source="published_at")
    regions = serializers.SerializerMethodField(
        help_text="Per region that answers: its state. A programme manager: the own region."
    )

    @extend_schema_field(RegionStateSerializer(many=True))
    def get_regions(self, obj) -> list[dict]:
        rows = progress_selectors.overview(obj)
        actor = self.context["actor"]
        if not is_team(actor):
            rows = [row for row in rows if row.region.pk == actor.region_id]
        return RegionStateSerializer(rows, many=True).data  # type: ignore[return-value]


@extend_schema_view(
    get=extend_schema(
        tags=["support"], summary="The quarterly progress questionnaires and who answered"
    )
)
class QuestionnaireList(generics.ListAPIView):
    """The published progress questionnaires, newest quarter first, with which regions
    answered (on time, late) and which not yet."""

    permission_classes = [RequiresAny(P.SUPPORT_REGIONS, P.REPORT_PROGRESS)]
    pagination_class = PageNumberPagination
    serializer_class = QuestionnaireSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": get_actor(self.request)}

    def get_queryset(self):
        return (
            progress_selectors.questionnaires(get_actor(self.request))
            .filter(status=QuestionnaireStatus.PUBLISHED)
            .order_by("-period_start", "-id")
        )


# --- progress responses -----------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="question.order")
    question = serializers.CharField(source="question.text")
    kind = serializers.ChoiceField(source="question.kind", choices=QuestionKind.choices)
    figure = serializers.ChoiceField(
        source="question.figure", choices=[("", ""), *Figure.choices], help_text="platform figures"
    )
    tag = serializers.ChoiceField(source="question.tag", choices=QuestionTag.choices)
    fromPlatform = serializers.BooleanField(
        source="from_platform",
        help_text="filled in by the platform (the monitoring's definitions), not typed",
    )
    computedOn = serializers.DateField(source="computed_on", allow_null=True)
    number = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    suppressed = serializers.BooleanField(
        help_text="a count too small to show (number null): 'x' on the pages"
    )
    text = serializers.CharField(help_text="the written answer")
    lessons = serializers.SerializerMethodField(help_text="shared lessons linked by the team")

    def get_lessons(self, obj) -> list[str]:
        return [str(lesson.uuid) for lesson in obj.lessons.all()]


class ResponseSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    questionnaire = serializers.UUIDField(source="questionnaire.uuid")
    year = serializers.IntegerField(source="questionnaire.year")
    quarter = serializers.IntegerField(source="questionnaire.quarter")
    region = serializers.CharField(source="region.code")
    regionName = serializers.CharField(source="region.name")
    status = serializers.ChoiceField(choices=ResponseStatus.choices)
    submittedAt = serializers.DateTimeField(source="submitted_at", allow_null=True)
    late = serializers.BooleanField(help_text="submitted after the deadline's day")
    figuresOn = serializers.DateField(source="figures_on", allow_null=True)
    answers = AnswerSerializer(many=True)


@extend_schema_view(
    get=extend_schema(
        tags=["support"],
        summary="Answers to the progress questionnaire",
        parameters=[
            OpenApiParameter("questionnaire", str, description="a questionnaire's UUID"),
            OpenApiParameter("region", str, description="a region's code, e.g. AM18"),
        ],
    )
)
class ResponseList(generics.ListAPIView):
    """The regions' answers to the progress questionnaire: the team the submitted ones of
    every region, a programme manager the own region's (a draft too)."""

    permission_classes = [RequiresAny(P.SUPPORT_REGIONS, P.REPORT_PROGRESS)]
    pagination_class = PageNumberPagination
    serializer_class = ResponseSerializer

    def get_queryset(self):
        actor = get_actor(self.request)
        found = Response.objects.visible_to(actor).filter(
            questionnaire__kind=QuestionnaireKind.PROGRESS
        )
        questionnaire = uuid_param(
            self.request, "questionnaire", progress_selectors.questionnaires(actor)
        )
        if questionnaire is not None:
            found = found.filter(questionnaire=questionnaire)
        region = _region(self.request)
        if region is not None:
            found = found.filter(region=region)
        answers = Answer.objects.select_related("question").prefetch_related("lessons")
        return (
            found.select_related("questionnaire", "region")
            .prefetch_related(Prefetch("answers", queryset=answers))
            .order_by("-questionnaire__period_start", "region__code", "id")
        )


# --- reflection -------------------------------------------------------------------------


class ReflectionAnswerSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="question.order")
    question = serializers.CharField(source="question.text")
    text = serializers.CharField()


class ReflectionResponseSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.name")
    submittedAt = serializers.DateTimeField(source="submitted_at")
    late = serializers.BooleanField()
    answers = ReflectionAnswerSerializer(many=True)


class QuestionSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    text = serializers.CharField()
    optional = serializers.SerializerMethodField()

    def get_optional(self, obj) -> bool:
        return not obj.required


class ReflectionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField(source="display_title")
    region = serializers.CharField(source="region.code")
    regionName = serializers.CharField(source="region.name")
    periodStart = serializers.DateField(source="period_start")
    periodEnd = serializers.DateField(source="period_end")
    deadline = serializers.DateField()
    questions = QuestionSerializer(many=True)
    responses = ReflectionResponseSerializer(
        many=True, source="submitted", help_text="the partner organisations' submitted answers"
    )


def _quarter(request):
    """The ``period`` parameter, a quarter such as 2026-Q3, as its first and last day."""
    value = (request.query_params.get("period") or "").strip().upper()
    if not value:
        return None
    found = _QUARTER.match(value)
    if found is None:
        raise exceptions.ValidationError({"period": [_("Give a quarter such as 2026-Q3.")]})
    return quarter_bounds(int(found.group(1)), int(found.group(2)))


@extend_schema_view(
    get=extend_schema(
        tags=["support"],
        summary="The regions' reflection rounds and answers",
        parameters=[
            OpenApiParameter("region", str, description="a region's code, e.g. AM18"),
            OpenApiParameter(
                "period", str, description="a quarter the round's period overlaps, e.g. 2026-Q3"
            ),
        ],
    )
)
class ReflectionList(generics.ListAPIView):
    """The regions' reflection rounds with their partners' submitted answers, newest first:
    the team every region's, a region's partners their own region's."""

    permission_classes = [RequiresAny(P.SUPPORT_REGIONS, P.REFLECT)]
    pagination_class = PageNumberPagination
    serializer_class = ReflectionSerializer

    def get_queryset(self):
        actor = get_actor(self.request)
        found = Questionnaire.objects.visible_to(actor).filter(kind=QuestionnaireKind.REFLECTION)
        region = _region(self.request)
        if region is not None:
            found = found.filter(region=region)
        period = _quarter(self.request)
        if period is not None:
            found = found.filter(Q(period_start__lte=period[1]) & Q(period_end__gte=period[0]))
        submitted = (
            Response.objects.visible_to(actor)
            .filter(status=ResponseStatus.SUBMITTED)
            .select_related("organisation", "questionnaire")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.select_related("question"))
            )
            .order_by("organisation__name")
        )
        return (
            found.select_related("region")
            .prefetch_related(
                "questions", Prefetch("responses", queryset=submitted, to_attr="submitted")
            )
            .order_by("-period_start", "-id")
        )


# --- support requests -------------------------------------------------------------------


class RequestSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    region = serializers.CharField(source="region.code")
    regionName = serializers.CharField(source="region.name")
    organisation = serializers.CharField(source="organisation.name")
    subject = serializers.CharField()
    question = serializers.CharField()
    pillar = serializers.ChoiceField(choices=Pillar.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    createdAt = serializers.DateTimeField(source="created_at")
    answer = serializers.CharField(help_text="the support team's answer; empty while open")
    answeredAt = serializers.DateTimeField(source="answered_at", allow_null=True)


@extend_schema_view(
    get=extend_schema(
        tags=["support"],
        summary="Support requests and the team's answers",
        parameters=[
            OpenApiParameter("region", str, description="a region's code, e.g. AM18"),
            OpenApiParameter("status", str, enum=RequestStatus.values),
        ],
    )
)
class RequestList(generics.ListAPIView):
    """Support requests, newest first: the team every region's, a programme manager the own
    region's."""

    permission_classes = [RequiresAny(P.SUPPORT_REGIONS, P.REPORT_PROGRESS)]
    pagination_class = PageNumberPagination
    serializer_class = RequestSerializer

    def get_queryset(self):
        found = SupportRequest.objects.visible_to(get_actor(self.request))
        region = _region(self.request)
        if region is not None:
            found = found.filter(region=region)
        status = choice_param(self.request, "status", RequestStatus.values)
        if status:
            found = found.filter(status=status)
        return found.select_related("region", "organisation").order_by("-created_at", "-id")
