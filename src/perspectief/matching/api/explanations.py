"""/api/v1/vacancies/{uuid}/match-explanation?candidate={uuid}: for a place and a person the
caller may see, why the matching does (not) rank the person — the hard conditions in words,
or, when every condition is met, the score explained per criterion. The same words as the
pages; the read is access-logged."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.filters import uuid_param
from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Permission
from perspectief.vacancies.api.bulk import visible_place

from ..selectors.configuration import for_place
from ..selectors.explanation import explain_criteria
from ..selectors.not_ranked import why_not_ranked
from ..selectors.proposals import shown_score
from .runs import CriterionSerializer


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="not_matchable, location, reach, licence, availability, hours, load, sector, "
        "work_demands (only for users with the health permission; others get restricted) "
        "or other."
    )
    text = serializers.CharField()


class MatchExplanationSerializer(serializers.Serializer):
    candidate = serializers.UUIDField(source="candidate.uuid")
    ranked = serializers.BooleanField(
        help_text="Every condition is met: the person is ranked (the lists show the best only)."
    )
    reasons = ReasonSerializer(many=True)
    score = serializers.FloatField(
        allow_null=True, help_text="The score as the caller may see it; empty when not ranked."
    )
    explanation = CriterionSerializer(many=True)


@extend_schema(tags=["matching"])
class MatchExplanation(APIView):
    """Why a person the caller may see is (not) ranked for a place."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]

    @extend_schema(
        parameters=[OpenApiParameter("candidate", str, description="UUID of a job seeker")],
        responses=MatchExplanationSerializer,
    )
    def get(self, request, uuid):
        actor = get_actor(request)
        vacancy = visible_place(request, uuid)
        candidate = uuid_param(request, "candidate", Candidate.objects.visible_to(actor))
        if candidate is None:
            raise serializers.ValidationError({"candidate": [_("Name a job seeker.")]})
        weights = for_place(vacancy).weights
        verdict = why_not_ranked(actor=actor, vacancy=vacancy, candidate=candidate, weights=weights)
        served = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
        match = verdict.match
        data = {"candidate": candidate, "reasons": verdict.reasons, "ranked": match is not None}
        if match is None:
            data.update(score=None, explanation=[])
        else:
            priority = match.contributions.get("priority", 0.0)
            data["score"] = round(shown_score(match.score, priority, served=served), 6)
            data["explanation"] = explain_criteria(
                match,
                verdict.candidate_record,
                verdict.vacancy_record,
                weights=weights,
                labels=verdict.labels,
                show_priority=served,
            )
        return Response(MatchExplanationSerializer(data).data)
