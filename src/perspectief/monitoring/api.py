"""/api/v1/indicators: the dashboard's numbers, with the same suppression rules for those
who see aggregates only."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.constants import TargetGroup
from perspectief.core.authz import Permission
from perspectief.core.ids import parse_uuid
from perspectief.regions.models import Municipality, Region
from perspectief.taxonomy.models import Occupation, Sector

from . import disclosure, indicators, narrowed
from .models import PlanActivity


class IndicatorsSerializer(serializers.Serializer):
    region = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    suppressed = serializers.BooleanField(
        help_text="Whether counts under minCell are hidden (null) in this answer."
    )
    minCell = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Per indicator; null: suppressed (fewer than minCell).",
    )
    matchesByMonth = serializers.ListField(child=serializers.DictField(), required=False)
    rows = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="With `by`: {value, label, counts} per value of the dimension, suppressed "
        "as one table (value null: none, e.g. no postcode).",
    )


def _date(request, name, default):
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("invalid date (use YYYY-MM-DD)")]}) from None


@extend_schema(tags=["monitoring"])
class IndicatorList(APIView):
    """The indicators of a region for a period. Regional staff get their own region for any
    period; the ministry any region, per completed calendar quarter (default: the last),
    always with small counts suppressed. Below a region (one narrowing at a time, or ``by``
    for a whole table) the numbers come per completed quarter from the region's suppressed
    table of that dimension, for everyone (see narrowed.py)."""

    permission_classes = [Requires(None)]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="AM code; default: your own region"),
            OpenApiParameter("from", str, description="YYYY-MM-DD; default: 1 January"),
            OpenApiParameter("until", str, description="YYYY-MM-DD; default: today"),
            OpenApiParameter("municipality", str, description="GM code"),
            OpenApiParameter("targetGroup", str, enum=TargetGroup.values),
            OpenApiParameter("sector", str, description="SBI section (matches in it)"),
            OpenApiParameter("occupation", str, description="ESCO URI (matches in it)"),
            OpenApiParameter("activity", str, description="uuid of an activity of the plan"),
            OpenApiParameter(
                "by",
                str,
                enum=["municipality", "targetGroup", "sector", "activity"],
                description="the whole table of one dimension (one completed quarter); "
                "occupations one at a time with `occupation`",
            ),
        ],
        responses=IndicatorsSerializer,
    )
    def get(self, request):
        actor = get_actor(request)
        national = actor.has_perm(Permission.NATIONAL_INDICATORS)
        if not (national or actor.has_perm(Permission.VIEW_INDICATORS)):
            raise PermissionDenied()
        code = request.query_params.get("region")
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            raise NotFound()
        if region is None:
            region = Region.objects.filter(pk=actor.region_id).first()
        if region is None:
            raise ValidationError({"region": [_("Give a region (its AM code).")]})
        if not national and region.pk != actor.region_id:
            raise NotFound()
        today = date.today()
        if national:
            # Aggregates only, per completed calendar quarter (see disclosure.py).
            from .report import quarter_bounds

            last = quarter_bounds(*disclosure.completed_quarters(1)[0])
            start, end = _date(request, "from", last[0]), _date(request, "until", last[1])
            if disclosure.quarter_of(start, end) is None:
                raise ValidationError(
                    {
                        "from": [
                            _(
                                "Per completed calendar quarter only: from is its first day, "
                                "until its last day."
                            )
                        ]
                    }
                )
        else:
            start = _date(request, "from", today.replace(month=1, day=1))
            end = _date(request, "until", today)
        if end < start:
            raise ValidationError({"until": [_("lies before the start")]})
        f = indicators.Filters(start, end, region_id=region.pk)
        if request.query_params.get("municipality"):
            municipality = Municipality.objects.filter(
                code=request.query_params["municipality"], region=region
            ).first()
            if municipality is None:
                raise ValidationError({"municipality": [_("unknown in this region")]})
            f.municipality_id = municipality.pk
        group = request.query_params.get("targetGroup") or ""
        if group and group not in TargetGroup.values:
            raise ValidationError({"targetGroup": [_("unknown")]})
        f.target_group = group
        if request.query_params.get("sector"):
            if not Sector.objects.filter(code=request.query_params["sector"]).exists():
                raise ValidationError({"sector": [_("unknown SBI section")]})
            f.sector = request.query_params["sector"]
        if request.query_params.get("occupation"):
            occupation = Occupation.objects.filter(uri=request.query_params["occupation"]).first()
            if occupation is None:
                raise ValidationError({"occupation": [_("unknown occupation")]})
            f.occupation_id = occupation.pk
        if request.query_params.get("activity"):
            activity = PlanActivity.objects.filter(
                plan__region=region, uuid=parse_uuid(request.query_params["activity"])
            ).first()
            if activity is None:
                raise ValidationError({"activity": [_("unknown in this region")]})
            f.activity = activity
        by = request.query_params.get("by") or ""
        if by == "occupation":
            raise ValidationError(
                {
                    "by": [
                        _(
                            "Occupations one at a time (occupation=<ESCO URI>): a list would "
                            "tell which have people where all are hidden."
                        )
                    ]
                }
            )
        if by and by not in BY:
            raise ValidationError({"by": [_("one of %(choices)s") % {"choices": ", ".join(BY)}]})
        asked = len(f.narrowing()) + bool(by)
        if national and asked:
            raise ValidationError(
                {"region": [_("The ministry sees regions per quarter, not narrowed further.")]}
            )
        if asked > 1:
            raise ValidationError({"by": [ONE_NARROWING]})
        if asked and disclosure.quarter_of(start, end) is None:
            raise ValidationError(
                {
                    "from": [
                        _(
                            "Below region level per completed calendar quarter only: from is "
                            "its first day, until its last day."
                        )
                    ]
                }
            )
        suppressed = national or bool(asked)
        f.quarter = (start, end)
        tables = narrowed.Tables(region.pk)
        if national:
            # The region's row of the national table, with its secondary suppression.
            _regions, shown, _totals = disclosure.national_table(start, end)
            counts = shown[region.code]
        else:
            counts = tables.counts(f)
        body = {
            "region": region.code,
            "start": start,
            "end": end,
            "suppressed": suppressed,
            "minCell": disclosure.min_cell(),
            "counts": counts,
        }
        if not suppressed:
            body["matchesByMonth"] = [
                {"month": m.isoformat()[:7], "matches": n} for m, n in indicators.by_month(f)
            ]
        if by:
            table = tables.get(BY[by], start, end)
            codes = _codes(BY[by], table.cells)
            body["rows"] = [
                {"value": codes[value], "label": table.labels[value], "counts": cells}
                for value, cells in sorted(table.cells.items(), key=lambda t: table.labels[t[0]])
            ]
        return Response(IndicatorsSerializer(body).data)


#: ``by``: the dimension a whole suppressed table is asked for (one completed quarter).
BY = {
    "municipality": "municipality",
    "targetGroup": "target_group",
    "sector": "sector",
    "activity": "activity",
}

ONE_NARROWING = gettext_lazy(
    "One narrowing at a time: municipality, target group, sector, occupation or activity."
)


def _codes(dimension: str, values) -> dict:
    """The codes the API names a dimension's values by (GM code, uuid, the code itself)."""
    ids = [v for v in values if v is not None]
    if dimension == "municipality":
        codes = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "code"))
    elif dimension == "activity":
        codes = {
            pk: str(u)
            for pk, u in PlanActivity.objects.filter(pk__in=ids).values_list("pk", "uuid")
        }
    else:
        codes = {v: v for v in ids}
    return {v: codes.get(v) for v in values}
