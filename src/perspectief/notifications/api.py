"""/api/v1/inbox: the same items as "Mijn werkvoorraad", for the organisation's own systems."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor

from .constants import Kind
from .inbox import inbox_for


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, help_text="The kind of work's code.")
    kindLabel = serializers.CharField(source="kind_label", help_text="The kind in words.")
    title = serializers.CharField(help_text="What waits, in words.")
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The page where the work is done.")
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


@extend_schema(
    tags=["inbox"],
    summary="What waits for the caller (Mijn werkvoorraad), overdue first",
    parameters=[
        OpenApiParameter("kind", str, enum=Kind.values, description="Only this kind of work."),
        OpenApiParameter("overdue", bool, description="Only work past its due date."),
    ],
    responses=InboxItemSerializer(many=True),
)
class InboxList(APIView):
    permission_classes = [Requires(None)]

    def get(self, request):
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in Kind.values:
            raise ValidationError({"kind": ["Unknown kind."]})
        overdue = (request.query_params.get("overdue") or "").lower() in {"true", "1"}
        items = inbox_for(get_actor(request), kind=kind, overdue_only=overdue)
        return Response(InboxItemSerializer(items, many=True).data)
