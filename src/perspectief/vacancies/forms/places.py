from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.candidates import parsing
from perspectief.candidates.constants import LanguageLevel
from perspectief.core import codes
from perspectief.taxonomy.constants import PhysicalLoad, Support, WorkDemand
from perspectief.taxonomy.forms import ConceptInput
from perspectief.taxonomy.models import EducationLevel, Sector

from ..constants import Contract, PlaceType, VacancyStatus


def physical_load_field() -> forms.ChoiceField:
    """What a place asks of the body (the form of a place and of a request turned into one)."""
    return forms.ChoiceField(
        label=_("Physical load of the work"),
        choices=[("", "—"), *PhysicalLoad.choices],
        required=False,
    )


def work_demands_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("What the work asks"),
        choices=WorkDemand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what is a real part of the work: it decides who is proposed."),
    )


def support_offered_field(help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Support offered"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place_type = forms.ChoiceField(label=_("Type of place"), choices=PlaceType.choices)
    occupation = forms.CharField(
        label=_("Occupation (ESCO)"),
        required=False,
        help_text=_("e.g. orderpicker"),
        widget=ConceptInput(kind="occupation"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=10000)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    min_hours_per_week = forms.IntegerField(
        label=_("Part time from (hours per week)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_(
            "The fewest hours a week a new colleague may work here. Empty: only the hours "
            "per week above."
        ),
    )
    contract = forms.ChoiceField(label=_("Contract"), choices=Contract.choices)
    wage_min = forms.DecimalField(
        label=_("Gross hourly wage from (€)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    wage_max = forms.DecimalField(
        label=_("Gross hourly wage to (€)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    postcode = forms.CharField(label=_("Location (postcode)"), help_text=_("1234 AB"))
    essential_skills = forms.CharField(
        label=_("Essential skills"),
        required=False,
        help_text=_("ESCO names or URIs separated by ';'."),
        widget=ConceptInput(kind="skill", multiple=True),
    )
    teachable_skills = forms.CharField(
        label=_("Of which you teach on the job"),
        required=False,
        help_text=_("The essential skills a new colleague may still learn here."),
        widget=ConceptInput(kind="skill", multiple=True),
    )
    optional_skills = forms.CharField(
        label=_("Optional skills"),
        required=False,
        widget=ConceptInput(kind="skill", multiple=True),
    )
    min_education = forms.ModelChoiceField(
        label=_("Minimum education"), queryset=EducationLevel.objects.all(), required=False
    )
    dutch_level = forms.ChoiceField(
        label=_("Dutch language level needed"),
        choices=[("", "—"), *LanguageLevel.choices],
        required=False,
    )
    driving_licence = forms.BooleanField(label=_("Driving licence needed"), required=False)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closing_date = forms.DateField(
        label=_("Closing date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    physical_load = physical_load_field()
    work_demands = work_demands_field()
    support_offered = support_offered_field(
        help_text=_("An adjusted place (type of place) always offers an adjusted place.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = parsing.Resolver()

    def _parse(self, name, parser):
        try:
            return parser(self.cleaned_data.get(name) or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_occupation(self):
        found = self._parse("occupation", self.resolver.occupations)
        return found[0] if found else None

    def clean_postcode(self):
        return self._parse("postcode", parsing.postcode)

    def clean_essential_skills(self):
        return self._parse("essential_skills", self.resolver.skills)

    def clean_teachable_skills(self):
        return self._parse("teachable_skills", self.resolver.skills)

    def clean_optional_skills(self):
        return self._parse("optional_skills", self.resolver.skills)

    def clean(self):
        data = super().clean()
        start, close = data.get("start_date"), data.get("closing_date")
        if start and close and close < start:
            self.add_error("closing_date", _("The closing date cannot be before the start date."))
        low, high = data.get("wage_min"), data.get("wage_max")
        if low is not None and high is not None and high < low:
            self.add_error("wage_max", _("The wage range runs from low to high."))
        low, hours = data.get("min_hours_per_week"), data.get("hours_per_week")
        if low is not None and hours is not None and low > hours:
            self.add_error(
                "min_hours_per_week",
                _("Part time cannot start above the hours per week (%(hours)d).")
                % {"hours": hours},
            )
        essential = {s.pk for s in data.get("essential_skills") or []}
        if any(s.pk not in essential for s in data.get("teachable_skills") or []):
            self.add_error("teachable_skills", _("Only essential skills can be taught here."))
        return data

    def model_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "title",
                "place_type",
                "occupation",
                "description",
                "places",
                "hours_per_week",
                "contract",
                "wage_min",
                "wage_max",
                "postcode",
                "min_education",
                "dutch_level",
                "driving_licence",
                "start_date",
                "closing_date",
                "min_hours_per_week",
            )
        } | {
            "description": data.get("description") or "",
            "dutch_level": data.get("dutch_level") or "",
            "physical_load": data.get("physical_load") or "",
            "support_offered": codes.join(data.get("support_offered") or [], Support.values),
            "work_demands": codes.join(data.get("work_demands") or [], WorkDemand.values),
        }


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Title or employer"), required=False, max_length=100)
    place_type = forms.ChoiceField(
        label=_("Type of place"), choices=[("", _("All")), *PlaceType.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *VacancyStatus.choices], required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    occupation = forms.CharField(
        label=_("Occupation"),
        required=False,
        max_length=100,
        widget=ConceptInput(kind="occupation"),
    )
