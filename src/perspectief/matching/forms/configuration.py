"""The form of a region's matching configuration: a weight in points per criterion, the
minimum score and why. It parses input; the rules are in
:mod:`perspectief.matching.services.configuration`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..constants import CONFIGURATION_REASON_MAX_LENGTH, CRITERIA_TEXT, MIN_SCORE_MAX
from ..selectors.configuration import CRITERIA, Setting, bounds_in_points, platform_points
from ..services.configuration import ConfigurationInput


class ConfigurationForm(forms.Form):
    """One number field per criterion (named as the criterion), then the minimum score and
    the reason; ``based_on`` carries the version the change starts from. Every field is
    needed, but the form leaves saying so to the service, so that one answer names every
    problem at once (a missing reason and a weight out of bounds together)."""

    def __init__(self, *args, setting: Setting, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = platform_points()
        for name in CRITERIA:
            low, high = bounds_in_points(name)
            self.fields[name] = forms.IntegerField(
                label=CRITERIA_TEXT[name][0],
                required=False,
                initial=setting.points[name],
                help_text=_("%(low)s to %(high)s points; the platform's default is %(default)s.")
                % {"low": low, "high": high, "default": defaults[name]},
                widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1}),
            )
        self.fields["min_score"] = forms.IntegerField(
            label=_("Minimum score"),
            required=False,
            initial=setting.min_score,
            help_text=_(
                "0 to %(max)s points. People below it are not shown in rankings and not "
                "suggested by a run. It counts without the priority points."
            )
            % {"max": MIN_SCORE_MAX},
            widget=forms.NumberInput(attrs={"min": 0, "max": MIN_SCORE_MAX, "step": 1}),
        )
        self.fields["reason"] = forms.CharField(
            label=_("Why do you change it?"),
            required=False,
            max_length=CONFIGURATION_REASON_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Kept with the version and shown in its history."),
        )
        self.fields["based_on"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=setting.version or 0, min_value=0
        )

    def weight_fields(self):
        return [self[name] for name in CRITERIA]

    def configuration_input(self) -> ConfigurationInput:
        data = self.cleaned_data
        return ConfigurationInput(
            weights={name: data.get(name) for name in CRITERIA},
            min_score=data.get("min_score"),
            reason=data.get("reason", ""),
            based_on=data.get("based_on") or 0,
        )
