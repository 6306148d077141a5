"""/api/v1/instruments: the published employer instruments of a region, and what a
described hire may get (``POST /api/v1/instruments/check``).

Both take an anonymous description, never a person, and answer any signed-in API user
(token or session): the platform's API has no anonymous operations; visitors without an
account use the public Regelingenwijzer page (``/werkgeversservicepunt/regelingen/``),
which is throttled per address.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from perspectief.api.permissions import Requires
from perspectief.candidates.constants import Benefit, TargetGroup
from perspectief.regions.models import Municipality, Region

from .selectors import public as selectors
from .selectors.public import CaseError

UNKNOWN = "Empty or absent: not known (the answer then names what is missing)."


# --- GET /instruments -------------------------------------------------------------------
class InstrumentCategoryTextSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField())


class InstrumentDeadlineTextSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class InstrumentSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The instrument's code: LKV, LKS, NO_RISK, …")
    name = serializers.CharField()
    version = serializers.IntegerField()
    region = serializers.CharField(
        allow_null=True, help_text="The region that owns it; null for a national instrument."
    )
    validFrom = serializers.DateField()
    validUntil = serializers.DateField(allow_null=True)
    executingBody = serializers.CharField()
    legalBasis = serializers.CharField()
    decidedBy = serializers.CharField()
    contact = serializers.CharField(help_text="Whom to call.")
    summary = serializers.CharField()
    conditions = serializers.ListField(
        child=serializers.CharField(), help_text="The conditions for everyone, in words."
    )
    categories = InstrumentCategoryTextSerializer(
        many=True, help_text="Categories with their own conditions; only the highest counts."
    )
    amountNote = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())
    deadlines = InstrumentDeadlineTextSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    sources = serializers.ListField(child=serializers.CharField())
    verified = serializers.BooleanField(help_text="Confirmed in a primary source.")
    verifyNote = serializers.CharField(help_text="What is not confirmed.")


# --- POST /instruments/check: the request (documented; read by _case below) ------------
class PersonFactsSerializer(serializers.Serializer):
    age = serializers.IntegerField(allow_null=True, required=False, help_text="15 to 100.")
    benefit = serializers.ChoiceField(
        choices=Benefit.choices, allow_null=True, required=False, help_text=UNKNOWN
    )
    targetGroups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices),
        allow_null=True,
        required=False,
        help_text="[] says: in none of them. " + UNKNOWN,
    )
    structuralFunctionalLimitation = serializers.BooleanField(allow_null=True, required=False)
    wageValuePercent = serializers.FloatField(
        allow_null=True, required=False, help_text="Loonwaarde, 0 to 100 (% of WML)."
    )
    employedByThisEmployerInLast6Months = serializers.BooleanField(allow_null=True, required=False)
    weeksOnBenefit = serializers.FloatField(allow_null=True, required=False)


class JobFactsSerializer(serializers.Serializer):
    hoursPerWeek = serializers.FloatField(
        allow_null=True, required=False, help_text="More than 0, at most 60."
    )
    contractMonths = serializers.FloatField(allow_null=True, required=False)
    permanent = serializers.BooleanField(allow_null=True, required=False)
    hourlyWage = serializers.FloatField(
        allow_null=True, required=False, help_text="Euro, 0 to 200."
    )
    bbl = serializers.BooleanField(
        allow_null=True, required=False, help_text="Needs a recognised training company."
    )
    trialPlacementMonths = serializers.FloatField(allow_null=True, required=False)
    shelteredWork = serializers.BooleanField(
        allow_null=True,
        required=False,
        default=False,
        help_text="Absent: false (a described hire is a regular job unless said).",
    )
    reinstatement = serializers.BooleanField(
        allow_null=True,
        required=False,
        default=False,
        help_text="Absent: false (a described hire is a new hire unless said).",
    )


class EmployerFactsSerializer(serializers.Serializer):
    recognisedTrainingCompany = serializers.BooleanField(allow_null=True, required=False)
    intendsContractMonths = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text="The contract promised after a trial placement, in months (0: none).",
    )


class InstrumentCheckSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="CBS code of the labour-market region, e.g. AM18.")
    municipality = serializers.CharField(
        allow_null=True, required=False, help_text="CBS code of the gemeente, e.g. GM0363."
    )
    date = serializers.DateField(
        allow_null=True, required=False, help_text="The start of work; default today."
    )
    person = PersonFactsSerializer(required=False, allow_null=True)
    job = JobFactsSerializer(required=False, allow_null=True)
    employer = EmployerFactsSerializer(required=False, allow_null=True)


# --- POST /instruments/check: the answer -----------------------------------------------
class InstrumentConditionSerializer(serializers.Serializer):
    text = serializers.CharField()
    met = serializers.BooleanField(allow_null=True, help_text="null: not known yet.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="The facts that would tell (person.age, …)."
    )


class InstrumentDeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    dueOn = serializers.DateField(allow_null=True, help_text="Counted from `date` where it can.")


class InstrumentVariationSerializer(serializers.Serializer):
    scope = serializers.CharField(help_text="The gemeente or UWV whose practice applies.")
    offered = serializers.BooleanField()
    note = serializers.CharField()


class InstrumentAnswerSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    eligible = serializers.BooleanField(allow_null=True, help_text="null: can't tell yet.")
    category = serializers.CharField(allow_null=True, help_text="The category that counts.")
    categoryCode = serializers.CharField(allow_null=True)
    amountPerYear = serializers.FloatField(allow_null=True)
    amountPerMonth = serializers.FloatField(allow_null=True)
    amountTotal = serializers.FloatField(allow_null=True)
    maxPerYear = serializers.FloatField(allow_null=True)
    durationMonths = serializers.FloatField(allow_null=True)
    amountNote = serializers.CharField()
    conditions = InstrumentConditionSerializer(many=True)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Facts that, once known, could change it."
    )
    documents = serializers.ListField(child=serializers.CharField())
    deadlines = InstrumentDeadlineSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    decidedBy = serializers.CharField()
    contact = serializers.CharField(help_text="Whom to call.")
    sources = serializers.ListField(child=serializers.CharField())
    verified = serializers.BooleanField()
    verifyNote = serializers.CharField()
    variation = InstrumentVariationSerializer(allow_null=True)


class InstrumentCheckResultSerializer(serializers.Serializer):
    instruments = InstrumentAnswerSerializer(many=True)


GROUPS = ("person", "job", "employer")
TOP = ("region", "municipality", "date", *GROUPS)


Reason = tuple[str, str]


def _region(value: Any, errors: dict[str, Reason]) -> Region | None:
    if value in (None, ""):
        errors["region"] = (
            "geef de arbeidsmarktregio (een CBS-code zoals AM18)",
            "give the labour-market region (a CBS code such as AM18)",
        )
        return None
    region = selectors.region_by_code(value) if isinstance(value, str) else None
    if region is None:
        errors["region"] = (
            f"onbekende arbeidsmarktregio {value}; geef een CBS-code zoals AM18",
            f"unknown labour-market region {value}; give a CBS code such as AM18",
        )
    return region


def _municipality(value: Any, region: Region | None, errors: dict[str, Reason]):
    if value in (None, ""):
        return None
    found = (
        Municipality.objects.select_related("region").filter(code=value.strip().upper()).first()
        if isinstance(value, str)
        else None
    )
    if found is None:
        errors["municipality"] = (
            f"onbekende gemeente {value}; geef een CBS-code zoals GM0363",
            f"unknown gemeente {value}; give a CBS code such as GM0363",
        )
    elif region is not None and found.region_id != region.pk:
        errors["municipality"] = selectors.outside_region(found, region)
    return found


def _date(value: Any, errors: dict[str, Reason]) -> datetime.date:
    if value in (None, ""):
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors["date"] = ("geef een datum als JJJJ-MM-DD", "give a date as YYYY-MM-DD")
        return timezone.localdate()
    if not selectors.FIRST_DAY <= day <= selectors.LAST_DAY:
        errors["date"] = (
            "geef een datum in de jaren 2000 tot en met 2099",
            "give a date in the years 2000 to 2099",
        )
    return day


def _refuse(errors: dict[str, Reason]) -> None:
    """A 400 naming each field, with its reason in the request's language."""
    if errors:
        raise ValidationError(
            {name: [selectors.in_language(reason)] for name, reason in errors.items()}
        )


def _case(data: Any):
    """The request's region, gemeente, date and facts; a 400 naming each wrong field."""
    if not isinstance(data, dict):
        _refuse({"nonFieldErrors": ("stuur een JSON-object", "send a JSON object")})
    errors: dict[str, Reason] = {
        key: (
            f"onbekend veld; deze operatie kent: {', '.join(TOP)}",
            f"unknown field; this operation takes: {', '.join(TOP)}",
        )
        for key in data
        if key not in TOP
    }
    region = _region(data.get("region"), errors)
    municipality = _municipality(data.get("municipality"), region, errors)
    on = _date(data.get("date"), errors)
    case = {}
    for group in GROUPS:
        value = data.get(group)
        if value is not None and not isinstance(value, dict):
            errors[group] = (
                "geef een object met de gegevens, of laat het weg",
                "give an object with the facts, or leave it out",
            )
        else:
            case[group] = value or {}
    facts: dict[str, Any] = {}
    try:
        facts = selectors.clean_facts(case)
    except CaseError as exc:
        errors.update(exc.errors)
    _refuse(errors)
    return region, municipality, on, facts


@extend_schema(tags=["instruments"])
class InstrumentList(APIView):
    """The published instruments valid on a date: the national ones and the region's own."""

    permission_classes = [Requires(None)]

    @extend_schema(
        summary="Published employer instruments of a region",
        parameters=[
            OpenApiParameter(
                "region", str, description="CBS region code, e.g. AM18; absent: national only"
            ),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Valid on; default today"),
        ],
        responses=InstrumentSerializer(many=True),
    )
    def get(self, request):
        errors: dict[str, Reason] = {}
        code = request.query_params.get("region")
        region = _region(code, errors) if code else None
        on = _date(request.query_params.get("date"), errors)
        _refuse(errors)
        rows = [
            selectors.describe_version(version, region)
            for version in selectors.instruments_of(region, on)
        ]
        return Response(InstrumentSerializer(rows, many=True).data)


@extend_schema(tags=["instruments"])
class InstrumentCheck(APIView):
    """What a described hire may get: every instrument, condition by condition.

    The description is anonymous (an age, a benefit code, hours). A fact that is absent or
    null is not known, and an instrument that depends on it answers ``eligible: null`` with
    the fact named in ``missing``, never a guess. Two facts have a default: ``shelteredWork``
    and ``reinstatement`` are false unless said, because a described hire is a new hire in a
    regular job.
    """

    permission_classes = [Requires(None)]

    @extend_schema(
        summary="What can this employer get for this hire?",
        request=InstrumentCheckSerializer,
        responses=InstrumentCheckResultSerializer,
    )
    def post(self, request):
        region, municipality, on, facts = _case(request.data)
        assert region is not None  # _case refuses a request without one
        answers = selectors.answers_for(
            facts, region=region, municipality=municipality, on=on, start=on
        )
        rows = [selectors.present(item, municipality) for item in answers]
        return Response(InstrumentCheckResultSerializer({"instruments": rows}).data)
