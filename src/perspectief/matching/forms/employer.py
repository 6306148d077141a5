"""The employer's search of the region's anonymous profiles."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from perspectief.regions.models import Municipality
from perspectief.taxonomy.forms import ConceptInput

#: The longest search text accepted (a title or a CV line, not a document).
QUERY_MAX_LENGTH = 200


class SearchForm(forms.Form):
    """What an employer may search on: one of its own places, or an occupation, and only
    what the anonymous profile shows."""

    place = forms.ChoiceField(label=pgettext_lazy("employer", "For our place"), required=False)
    occupation = forms.CharField(
        label=gettext_lazy("Occupation"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=pgettext_lazy(
            "employer",
            "For example orderpicker or magazijnmedewerker. You may also type a job title "
            "as you would advertise it.",
        ),
        widget=ConceptInput(kind="occupation"),
    )
    occupation_uri = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
    skill = forms.CharField(
        label=gettext_lazy("Skill"),
        required=False,
        max_length=100,
        widget=ConceptInput(kind="skill"),
    )
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    hours = forms.IntegerField(
        label=gettext_lazy("At least hours per week"), required=False, min_value=1, max_value=60
    )
    driving_licence = forms.BooleanField(
        label=gettext_lazy("Has a driving licence"), required=False
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, region_id=None, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [
            ("", pgettext_lazy("employer", "No particular place")),
            *[(str(v.uuid), v.title) for v in places],
        ]
        self.fields["municipality"].choices = [
            ("", _("All")),
            *[
                (m.code, m.name)
                for m in Municipality.objects.filter(region_id=region_id).order_by("name")
            ],
        ]

    def clean_occupation(self):
        return _words(self.cleaned_data.get("occupation", ""))

    def clean_skill(self):
        return _words(self.cleaned_data.get("skill", ""))


def _words(value: str) -> str:
    """The typed text with its spaces tidied; only punctuation is refused."""
    text = " ".join(value.split())
    if text and not any(ch.isalnum() for ch in text):
        raise forms.ValidationError(
            _("Type a word: only punctuation cannot be searched."), code="punctuation"
        )
    return text
