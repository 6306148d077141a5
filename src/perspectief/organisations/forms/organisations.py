"""Forms of the organisation pages: the directory's filter, and a new organisation."""

from django import forms
from django.utils.translation import gettext_lazy

from perspectief.regions.models import Municipality, Region

from ..constants import OrganisationKind


class OrganisationFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All regions"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *OrganisationKind.choices],
        required=False,
    )
    q = forms.CharField(label=gettext_lazy("Name contains"), required=False, max_length=100)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=OrganisationKind.choices)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Required for a gemeente; otherwise where the organisation is based."
        ),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = region.municipalities.all()
