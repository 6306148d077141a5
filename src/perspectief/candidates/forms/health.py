"""Functional limitations: plain words, and the work demands they rule out (#18)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.taxonomy.constants import WorkDemand

MAX_TEXT = 5000


class HealthForm(forms.Form):
    functional_limitations = forms.CharField(
        label=_("Functional limitations"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    limitations = forms.MultipleChoiceField(
        label=_("Work the person cannot do"),
        choices=WorkDemand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The matching does not propose the person for a place that asks this. Others "
            "only see whether a place fits, never which limitation; employers see nothing "
            "of it."
        ),
    )
    adjustments = forms.CharField(
        label=_("Adjustments needed at work"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
