"""/api/v1/funding: the region's funding pots and the national ones, with what the
region has committed to each (the same rules as the overview page)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.core.authz import Permission
from perspectief.regions.models import Region

from . import selectors
from .conditions import in_words
from .constants import PotKind


class ApplicationPeriodSerializer(serializers.Serializer):
    opensOn = serializers.DateField(source="opens_on")
    closesOn = serializers.DateField(
        source="closes_on", allow_null=True, help_text="Empty: open-ended."
    )


class FundingPotSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    code = serializers.CharField(
        help_text="Key of a shipped national pot; empty for a region's own."
    )
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PotKind.choices)
    region = serializers.CharField(allow_null=True, help_text="AM code; null: a national pot.")
    purpose = serializers.CharField()
    whoMayApply = serializers.CharField(source="who_may_apply")
    conditions = serializers.CharField(
        source="conditions_text", help_text="The conditions in words."
    )
    checkedConditions = serializers.ListField(
        child=serializers.CharField(),
        help_text="The conditions the platform evaluates, each in words.",
    )
    periods = ApplicationPeriodSerializer(many=True)
    openNow = serializers.BooleanField(
        allow_null=True, help_text="Whether one can apply today; null: no period recorded."
    )
    available = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null: not known (national)."
    )
    committed = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Sum of the region's route steps and plan activities paid from the pot.",
    )
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    overCommitted = serializers.BooleanField()
    sources = serializers.ListField(child=serializers.URLField())
    verified = serializers.BooleanField()
    verifyNote = serializers.CharField(source="verify_note")
    contact = serializers.CharField()


def _row(row: selectors.PotRow) -> dict:
    pot = row.pot
    return {
        "uuid": pot.uuid,
        "code": pot.code,
        "name": pot.name,
        "kind": pot.kind,
        "region": pot.region.code if pot.region is not None else None,
        "purpose": pot.purpose,
        "who_may_apply": pot.who_may_apply,
        "conditions_text": pot.conditions_text,
        "checkedConditions": [in_words(rule) for rule in pot.rules],
        "periods": list(pot.periods.all()),
        "openNow": row.open_now,
        "available": row.money.available,
        "committed": row.money.committed,
        "remaining": row.money.remaining,
        "overCommitted": row.money.over,
        "sources": pot.sources,
        "verified": pot.verified,
        "verify_note": pot.verify_note,
        "contact": pot.contact,
    }


@extend_schema(tags=["funding"])
class FundingList(APIView):
    """The funding pots of a region ("Waar zit wat"): its own and the national ones, with
    purpose, who may apply, conditions, application periods and the money: available,
    committed (computed from the route steps and plan activities that say the pot pays
    them) and remaining. Regional staff see their own region."""

    permission_classes = [Requires(Permission.VIEW_FUNDING)]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="AM code; default: your own region"),
        ],
        responses=FundingPotSerializer(many=True),
    )
    def get(self, request):
        actor = get_actor(request)
        code = (request.query_params.get("region") or "").strip().upper()
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise ValidationError({"region": [_("Unknown region %(code)s.") % {"code": code}]})
            if region.pk != actor.region_id:
                raise NotFound()
        today = timezone.localdate()
        rows = [row for _label, group in selectors.overview(actor, on=today) for row in group]
        return Response(FundingPotSerializer([_row(row) for row in rows], many=True).data)
