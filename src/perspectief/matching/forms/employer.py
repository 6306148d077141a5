"""The employer's search of the region's anonymous profiles."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.regions.models import Municipality


class SearchForm(forms.Form):
    """What an employer may search on: only what the anonymous profile shows."""

    occupation = forms.CharField(label=gettext_lazy("Occupation"), required=False, max_length=100)
    skill = forms.CharField(label=gettext_lazy("Skill"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    hours = forms.IntegerField(
        label=gettext_lazy("At least hours per week"), required=False, min_value=1, max_value=60
    )
    driving_licence = forms.BooleanField(
        label=gettext_lazy("Has a driving licence"), required=False
    )

    def __init__(self, *args, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            ("", _("All")),
            *[
                (m.code, m.name)
                for m in Municipality.objects.filter(region_id=region_id).order_by("name")
            ],
        ]
