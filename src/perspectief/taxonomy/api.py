from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers

from perspectief.api.filters import search_param
from perspectief.api.permissions import Requires
from perspectief.core.authz import Permission

from . import search
from .constants import ConceptKind, SkillRelation
from .models import EducationLevel, Occupation, Sector, Skill

ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"


class ConceptSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField()
    # A declared field, not Field.label: DRF's metaclass takes it out of the class.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    labelNl = serializers.CharField(source="label_nl")
    labelEn = serializers.CharField(source="label_en")
    # Only in an answer to ?q= (set on the object by ranked(); left out otherwise).
    matched = serializers.CharField(required=False, help_text="The label that matched q.")
    englishOnly = serializers.BooleanField(
        source="english_only",
        required=False,
        help_text="The concept has no Dutch label: label is the English one.",
    )
    score = serializers.FloatField(
        required=False, help_text="How well it matched q (higher is better; only for order)."
    )

    def get_id(self, obj) -> str:
        return obj.uri.rsplit("/", 1)[-1]


class SkillSerializer(ConceptSerializer):
    skillType = serializers.CharField(source="skill_type")
    reuseLevel = serializers.CharField(source="reuse_level")

    class Meta:
        model = Skill
        fields = ["id", "uri", "label", "labelNl", "labelEn", "skillType", "reuseLevel"]
        fields += ["matched", "englishOnly", "score"]


class OccupationSerializer(ConceptSerializer):
    iscoGroup = serializers.CharField(source="isco_group.code", allow_null=True)

    class Meta:
        model = Occupation
        fields = ["id", "uri", "code", "label", "labelNl", "labelEn", "iscoGroup"]
        fields += ["matched", "englishOnly", "score"]


class OccupationDetailSerializer(OccupationSerializer):
    description = serializers.SerializerMethodField()
    essentialSkills = serializers.SerializerMethodField()
    optionalSkills = serializers.SerializerMethodField()

    class Meta(OccupationSerializer.Meta):
        fields = [
            *OccupationSerializer.Meta.fields[:7],
            "description",
            "essentialSkills",
            "optionalSkills",
        ]

    def get_description(self, obj) -> str:
        return obj.description_nl or obj.description_en

    def _skills(self, obj, relation):
        rels = [r for r in obj.skill_relations.all() if r.relation == relation]
        return SkillSerializer([r.skill for r in rels], many=True).data

    def get_essentialSkills(self, obj) -> list[dict]:
        return self._skills(obj, SkillRelation.ESSENTIAL)

    def get_optionalSkills(self, obj) -> list[dict]:
        return self._skills(obj, SkillRelation.OPTIONAL)


def _search(qs, term):
    return qs.filter(
        Q(label_nl__icontains=term)
        | Q(label_en__icontains=term)
        | Q(alt_labels_nl__icontains=term)
        | Q(alt_labels_en__icontains=term)
    )


SEARCH = OpenApiParameter(
    "search", str, description="Part of a Dutch or English (alternative) label, 2+ characters"
)
Q_PARAMETER = OpenApiParameter(
    "q",
    str,
    description=(
        "Ranked search as people type and write (Dutch first): Dutch, English and other "
        "imported labels and alternative labels, tolerant of typos, case, accents, hyphens "
        "and compounds; for occupations also of what titles add (hours, shifts, seniority, "
        "m/v). At most 50 answers, best first, each with the label that matched. At most "
        f"{search.MAX_QUERY} characters with a letter or digit; not together with search."
    ),
)
#: Most answers to ?q= (then paged as any list).
MOST_SUGGESTIONS = 50


def ranked(request, kind: str, queryset) -> list | None:
    """The concepts that answer ``?q=``, best first (None without ``q``); a ``q`` the search
    cannot take is a 400 that names it."""
    q = request.query_params.get("q")
    if q is None:
        return None
    if request.query_params.get("search"):
        raise exceptions.ValidationError({"q": [_("Use q or search, not both.")]})
    try:
        suggestions = search.suggest(q, kind=kind, limit=MOST_SUGGESTIONS)
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"q": exc.messages}) from None
    found = {obj.uri: obj for obj in queryset.filter(uri__in=[s.uri for s in suggestions])}
    answer = []
    for suggestion in suggestions:
        obj = found.get(suggestion.uri)
        if obj is not None:
            obj.matched, obj.english_only = suggestion.matched, suggestion.english_only
            obj.score = suggestion.score
            answer.append(obj)
    return answer


@extend_schema(
    tags=["reference data"], summary="ESCO occupations", parameters=[Q_PARAMETER, SEARCH]
)
class OccupationList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = OccupationSerializer

    def get_queryset(self):
        qs = Occupation.objects.select_related("isco_group").order_by("label_nl", "id")
        answer = ranked(self.request, ConceptKind.OCCUPATION, qs)
        if answer is not None:
            return answer
        term = search_param(self.request)
        return _search(qs, term) if term else qs


@extend_schema(tags=["reference data"], summary="One ESCO occupation with its skills")
class OccupationDetail(generics.RetrieveAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = OccupationDetailSerializer

    def get_object(self):
        obj = (
            Occupation.objects.select_related("isco_group")
            .prefetch_related("skill_relations__skill")
            .filter(uri=ESCO_OCCUPATION + str(self.kwargs["id"]))
            .first()
        )
        if obj is None:
            raise Http404
        return obj


@extend_schema(tags=["reference data"], summary="ESCO skills", parameters=[Q_PARAMETER, SEARCH])
class SkillList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = SkillSerializer

    def get_queryset(self):
        qs = Skill.objects.order_by("label_en", "id")
        answer = ranked(self.request, ConceptKind.SKILL, qs)
        if answer is not None:
            return answer
        term = search_param(self.request)
        return _search(qs, term) if term else qs


class EducationLevelSerializer(serializers.ModelSerializer):
    # Explicit so the schema does not depend on the database's integer ranges.
    eqf = serializers.IntegerField(min_value=1, max_value=8, allow_null=True)
    schoolType = serializers.CharField(source="school_type")
    cbsLevel = serializers.CharField(source="cbs_level")

    class Meta:
        model = EducationLevel
        fields = ["code", "name", "schoolType", "nlqf", "eqf", "cbsLevel", "startkwalificatie"]


@extend_schema(tags=["reference data"], summary="Dutch education levels")
class EducationLevelList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = EducationLevelSerializer
    pagination_class = None
    queryset = EducationLevel.objects.all()


class SectorSerializer(serializers.ModelSerializer):
    shortName = serializers.CharField(source="short_name")

    class Meta:
        model = Sector
        fields = ["code", "name", "shortName"]


@extend_schema(tags=["reference data"], summary="SBI 2008 sections")
class SectorList(generics.ListAPIView):
    permission_classes = [Requires(Permission.VIEW_REFERENCE_DATA)]
    serializer_class = SectorSerializer
    pagination_class = None
    queryset = Sector.objects.all()
