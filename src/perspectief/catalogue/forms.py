from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.candidates import parsing
from perspectief.candidates.constants import TargetGroup
from perspectief.taxonomy.forms import ConceptInput

from .constants import Funding, OfferKind
from .selectors import Filters


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = forms.CharField(
        label=_("Skills it teaches"),
        required=False,
        widget=ConceptInput(kind="skill", multiple=True),
        help_text=_(
            "ESCO names or URIs separated by ';' — required for MBO, BBL and praktijkleren."
        ),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("For target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to everyone."),
    )
    duration_weeks = forms.IntegerField(
        label=_("Duration (weeks)"), min_value=1, max_value=520, required=False
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours per week"), min_value=1, max_value=60, required=False
    )
    cost = forms.DecimalField(
        label=_("Cost per person (€)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    funding = forms.ChoiceField(label=_("Funded by"), choices=Funding.choices)
    postcode = forms.CharField(
        label=_("Location (postcode)"), required=False, help_text=_("1234 AB")
    )
    online = forms.BooleanField(label=_("Online (no travel)"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = parsing.Resolver()

    def clean_skills(self):
        try:
            return self.resolver.skills(self.cleaned_data.get("skills") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_postcode(self):
        try:
            return parsing.postcode(self.cleaned_data.get("postcode") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    @staticmethod
    def initial_for(offer) -> dict:
        return {
            "kind": offer.kind,
            "title": offer.title,
            "description": offer.description,
            "skills": "; ".join(s.skill.uri for s in offer.skills.select_related("skill")),
            "target_groups": [t.group for t in offer.target_groups.all()],
            "duration_weeks": offer.duration_weeks,
            "hours_per_week": offer.hours_per_week,
            "cost": offer.cost,
            "funding": offer.funding,
            "postcode": offer.postcode.code if offer.postcode_id else "",
            "online": offer.online,
            "contact": offer.contact,
        }


class EditionForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    seats = forms.IntegerField(
        label=_("Seats"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all kinds")), *OfferKind.choices], required=False
    )
    skill = forms.CharField(
        label=_("Teaches the skill"),
        required=False,
        max_length=200,
        widget=ConceptInput(kind="skill"),
    )
    occupation = forms.CharField(
        label=_("For the occupation"),
        required=False,
        max_length=200,
        help_text=_("ESCO name"),
        widget=ConceptInput(kind="occupation"),
    )
    near = forms.CharField(label=_("Near postcode"), required=False, max_length=7)
    km = forms.IntegerField(label=_("Within (km)"), min_value=1, max_value=300, required=False)
    starts_from = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = parsing.Resolver()

    def clean_occupation(self):
        try:
            found = self.resolver.occupations(self.cleaned_data.get("occupation") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return found[0] if found else None

    def filters(self):
        """The valid form as the catalogue search's filters."""
        data = self.cleaned_data
        return Filters(
            text=data["q"],
            kind=data["kind"],
            skill=data["skill"],
            occupation=data["occupation"],
            near=data["near"],
            km=data["km"],
            starts_from=data["starts_from"],
        )

    def clean_near(self):
        try:
            return parsing.postcode(self.cleaned_data.get("near") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
