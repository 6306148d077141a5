"""Register or edit a job seeker, and change their status."""

from typing import Any

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from perspectief.core import bsn as bsn_lib
from perspectief.core import codes
from perspectief.core.validators import validate_person_name
from perspectief.taxonomy.constants import SBI_SECTIONS, PhysicalLoad, Support
from perspectief.taxonomy.forms import ConceptInput
from perspectief.taxonomy.models import EducationLevel, Skill

from .. import parsing
from ..constants import (
    RECORDED_ONLY,
    Barrier,
    Benefit,
    Capacity,
    JourneyStatus,
    LanguageLevel,
    Motivation,
    TargetGroup,
    Transport,
    WorkReadiness,
)
from ..selectors.people import sector_labels
from ..services.people import CLEARABLE_FIELDS, CandidateInput

#: Choices: (value, label), the labels plain or lazily translated text.
BLANK: list[tuple[str, Any]] = [("", "—")]
YES_NO: list[tuple[str, Any]] = [("", "—"), ("ja", _("yes")), ("nee", _("no"))]


class CandidateForm(forms.Form):
    """Register or edit a job seeker. Occupations and skills are typed as ESCO labels (Dutch
    or English) or URIs, separated by ';'."""

    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("Nine digits. Leave empty if unknown; a known BSN finds the person."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_person_name]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, validators=[validate_person_name]
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, help_text=_("DD-MM-YYYY")
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, help_text=_("1234 AB"))
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    benefit = forms.ChoiceField(label=_("Benefit"), choices=BLANK + Benefit.choices, required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    education_level = forms.ModelChoiceField(
        label=_("Education level"), queryset=EducationLevel.objects.all(), required=False
    )
    dutch_level = forms.ChoiceField(
        label=_("Dutch language level"), choices=BLANK + LanguageLevel.choices, required=False
    )
    driving_licence = forms.ChoiceField(
        label=_("Driving licence (B)"), choices=YES_NO, required=False
    )
    transport = forms.ChoiceField(
        label=_("Transport"), choices=BLANK + Transport.choices, required=False
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours per week available"), min_value=0, max_value=60, required=False
    )
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    max_travel_km = forms.IntegerField(
        label=_("Maximum travel distance (km)"), min_value=0, max_value=200, required=False
    )
    occupations = forms.CharField(
        label=_("Wanted occupations"),
        required=False,
        widget=ConceptInput(kind="occupation", multiple=True),
        help_text=_(
            "ESCO occupation names, separated by ';' (e.g. orderpicker; heftruckchauffeur)."
        ),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        widget=ConceptInput(kind="skill", multiple=True),
        help_text=_("ESCO skill names or URIs, separated by ';'."),
    )
    work_experience = forms.CharField(
        label=_("Work experience"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_readiness = forms.ChoiceField(
        label=_("Work-readiness"), choices=BLANK + WorkReadiness.choices, required=False
    )
    barriers = forms.MultipleChoiceField(
        label=_("What holds the person back"),
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.ChoiceField(
        label=_("Motivation"), choices=BLANK + Motivation.choices, required=False
    )
    capacity = forms.ChoiceField(
        label=_("Capacity for work"), choices=BLANK + Capacity.choices, required=False
    )
    # Soft factors of matching (#18).
    ready_from = forms.DateField(
        label=_("Work-ready from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the person is, or is expected to be, work-ready."),
    )
    max_hours_per_week = forms.IntegerField(
        label=_("Hours per week the person can carry"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_(
            "The most the person can work, which may be less than they want. Empty: taken "
            "from the capacity for work (half days 20, a few hours 12)."
        ),
    )
    max_physical_load = forms.ChoiceField(
        label=_("Physical load the person can carry"),
        choices=BLANK + PhysicalLoad.choices,
        required=False,
    )
    excluded_sectors = forms.MultipleChoiceField(
        label=_("Sectors the person will not work in"),
        choices=[(code, code) for code in SBI_SECTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_needs = forms.MultipleChoiceField(
        label=_("Support needed at work"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, registering=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = parsing.Resolver()
        if not registering:
            del self.fields["bsn"]
        self.fields["excluded_sectors"].choices = list(sector_labels().items())

    def _parsed(self, name, parser):
        try:
            return parser(self.cleaned_data.get(name) or "")
        except ValueError as exc:
            raise forms.ValidationError(parsing.in_language(exc)) from None

    def clean_bsn(self):
        """Checked with the other fields, so that its error shows on the first submit."""
        value = self.cleaned_data.get("bsn") or ""
        wrong = bsn_lib.problem(value)
        if wrong:
            raise forms.ValidationError(wrong)
        return bsn_lib.normalise(value) if value.strip() else ""

    def clean_available_from(self):
        value = self.cleaned_data.get("available_from")
        if value is not None and value == self.initial.get("available_from"):
            return value  # recorded before the bounds; not changed now
        try:
            return parsing.available_from(value)
        except ValueError as exc:
            raise forms.ValidationError(parsing.in_language(exc)) from None

    def clean_ready_from(self):
        value = self.cleaned_data.get("ready_from")
        if value is not None and value == self.initial.get("ready_from"):
            return value  # not changed now
        try:
            return parsing.ready_from(value)
        except ValueError as exc:
            raise forms.ValidationError(parsing.in_language(exc)) from None

    def clean_date_of_birth(self):
        return self._parsed("date_of_birth", parsing.birth_date)

    def clean_postcode(self):
        return self._parsed("postcode", parsing.postcode)

    def clean_driving_licence(self):
        return self._parsed("driving_licence", parsing.yes_no)

    def clean_occupations(self):
        return self._parsed("occupations", self.resolver.occupations)

    def clean_skills(self):
        return self._parsed("skills", self.resolver.skills)

    def to_input(self, *, klantmanager=None) -> CandidateInput:
        data = self.cleaned_data

        def text(name):
            return data.get(name) or ""

        return CandidateInput(
            bsn=data.get("bsn") or None,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
            email=text("email"),
            phone=text("phone"),
            postcode=data.get("postcode"),
            benefit=text("benefit"),
            education_level=data.get("education_level"),
            dutch_level=text("dutch_level"),
            driving_licence=data.get("driving_licence"),
            transport=text("transport"),
            hours_per_week=data.get("hours_per_week"),
            available_from=data.get("available_from"),
            max_travel_km=data.get("max_travel_km"),
            work_experience=text("work_experience"),
            work_readiness=text("work_readiness"),
            barriers=list(data.get("barriers") or []),
            motivation=text("motivation"),
            capacity=text("capacity"),
            ready_from=data.get("ready_from"),
            max_hours_per_week=data.get("max_hours_per_week"),
            max_physical_load=text("max_physical_load"),
            excluded_sectors=list(data.get("excluded_sectors") or []),
            support_needs=list(data.get("support_needs") or []),
            target_groups=list(data.get("target_groups") or []),
            occupations=data.get("occupations") or [],
            skills=[(skill, "stated") for skill in data.get("skills") or []],
            klantmanager=klantmanager,
            # The form shows every field: one sent back empty was emptied.
            cleared=frozenset(
                name for name in CLEARABLE_FIELDS if name in self.fields and data.get(name) is None
            ),
        )


def skills_as_typed(skills) -> str:
    """The person's skills as the field shows them: by name (Dutch, else English), so that
    an adviser reads and edits words, not URIs; by URI only where the name would read back
    as another skill (the form resolves a name to the first skill with it) or holds ';'."""
    names = {s.pk: (s.label_nl or s.label_en or "") for s in skills}
    wanted = {n.lower() for n in names.values() if n}
    first: dict[str, int] = {}
    rows = (
        Skill.objects.annotate(nl=Lower("label_nl"), en=Lower("label_en"))
        .filter(Q(nl__in=wanted) | Q(en__in=wanted))
        .order_by("id")
        .values_list("id", "nl", "en")
    )
    for pk, nl, en in rows:
        for name in (nl, en):
            if name in wanted:
                first.setdefault(name, pk)
    return "; ".join(
        names[s.pk]
        if names[s.pk]
        and first.get(names[s.pk].lower()) == s.pk
        and not any(ch in names[s.pk] for ch in ";|")
        else s.uri
        for s in skills
    )


def initial_from(candidate) -> dict:
    return {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "date_of_birth": candidate.date_of_birth.strftime("%d-%m-%Y")
        if candidate.date_of_birth
        else "",
        "postcode": candidate.postcode.code if candidate.postcode else "",
        "email": candidate.email,
        "phone": candidate.phone,
        "benefit": candidate.benefit,
        "target_groups": list(candidate.target_group_rows.values_list("group", flat=True)),
        "education_level": candidate.education_level,
        "dutch_level": candidate.dutch_level,
        "driving_licence": {True: "ja", False: "nee"}.get(candidate.driving_licence, ""),
        "transport": candidate.transport,
        "hours_per_week": candidate.hours_per_week,
        "available_from": candidate.available_from,
        "max_travel_km": candidate.max_travel_km,
        "occupations": "; ".join(o.label_nl or o.label_en for o in candidate.occupations.all()),
        "skills": skills_as_typed([s.skill for s in candidate.skills.select_related("skill")]),
        "work_experience": candidate.work_experience,
        "work_readiness": candidate.work_readiness,
        "barriers": candidate.barrier_list,
        "motivation": candidate.motivation,
        "capacity": candidate.capacity,
        "ready_from": candidate.ready_from,
        "max_hours_per_week": candidate.max_hours_per_week,
        "max_physical_load": candidate.max_physical_load,
        "excluded_sectors": codes.split(candidate.excluded_sectors),
        "support_needs": codes.split(candidate.support_needs),
    }


class StatusForm(forms.Form):
    #: Placed, durable and dropped out follow from a hire and the support plan, not a choice.
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in JourneyStatus.choices if v not in RECORDED_ONLY],
    )
