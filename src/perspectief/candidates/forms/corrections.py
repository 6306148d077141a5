"""The person's proposal to correct one field of their profile: a question in plain words,
the right input for the field, and an optional explanation."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.taxonomy.forms import ConceptInput
from perspectief.taxonomy.models import EducationLevel

from .. import parsing
from ..constants import CorrectionField, LanguageLevel, Transport
from ..models.people import MAX_HOURS, MAX_TRAVEL_KM
from ..services.corrections import MAX_REASON

F = CorrectionField

#: The question each field asks the person (B1: short, direct, "je").
QUESTIONS: dict[str, Any] = {
    F.EMAIL: _("What is your email address?"),
    F.PHONE: _("What is your phone number?"),
    F.POSTCODE: _("What is your postcode?"),
    F.HOURS: _("How many hours a week can you work?"),
    F.AVAILABLE_FROM: _("From what date can you start working?"),
    F.TRAVEL: _("How far can you travel to work? (in km)"),
    F.TRANSPORT: _("How do you travel to work?"),
    F.DRIVING_LICENCE: _("Do you have a driving licence for a car (B)?"),
    F.EDUCATION: _("What is the highest school or training you finished?"),
    F.DUTCH: _("How well do you speak Dutch?"),
    F.OCCUPATIONS: _("What work do you want to do?"),
}

#: A hint under the question, where one helps.
HINTS: dict[str, Any] = {
    F.EMAIL: _("Leave empty if we should not use an email address."),
    F.PHONE: _("Leave empty if we should not call you."),
    F.POSTCODE: _("For example 1234 AB."),
    F.OCCUPATIONS: _(
        "Write the name of the job, for example: orderpicker. More jobs? Put ; between them."
    ),
}

BLANK: list[tuple[str, Any]] = [("", "—")]


def _value_field(field: str) -> forms.Field:
    """The input that fits the field (all Django's own widgets: they work on a phone)."""
    label, hint = QUESTIONS[field], HINTS.get(field, "")
    if field == F.EMAIL:
        return forms.EmailField(label=label, help_text=hint, required=False, max_length=254)
    if field == F.PHONE:
        return forms.CharField(label=label, help_text=hint, required=False, max_length=30)
    if field in (F.HOURS, F.TRAVEL):
        top = MAX_HOURS if field == F.HOURS else MAX_TRAVEL_KM
        return forms.IntegerField(
            label=label,
            min_value=0,
            max_value=top,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    if field == F.AVAILABLE_FROM:
        return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))
    if field == F.TRANSPORT:
        return forms.ChoiceField(label=label, choices=BLANK + Transport.choices)
    if field == F.DRIVING_LICENCE:
        return forms.ChoiceField(label=label, choices=[*BLANK, ("ja", _("yes")), ("nee", _("no"))])
    if field == F.DUTCH:
        return forms.ChoiceField(label=label, choices=BLANK + LanguageLevel.choices)
    if field == F.EDUCATION:
        return forms.ModelChoiceField(
            label=label, queryset=EducationLevel.objects.all(), to_field_name="code"
        )
    if field == F.OCCUPATIONS:  # suggests ESCO occupations as the person types
        widget = ConceptInput(kind="occupation", multiple=True)
        return forms.CharField(label=label, help_text=hint, max_length=200, widget=widget)
    # Postcode: text, read by the profile's own parser.
    return forms.CharField(label=label, help_text=hint, max_length=200)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this change needed?"),
        help_text=_("You do not have to explain. It can help your klantmanager."),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, field: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.correction_field = field
        self.fields = {"value": _value_field(field), **self.fields}
        self.resolver = parsing.Resolver()

    def clean_value(self) -> str:
        """The answer in the fixed text form a correction keeps
        (``selectors.corrections.stored_value``)."""
        value = self.cleaned_data.get("value")
        field = self.correction_field
        try:
            if field == F.POSTCODE:
                found = self.resolver.postcode(value or "")
                if found is None:
                    raise forms.ValidationError(_("We do not know this postcode. Check it."))
                return found.code
            if field == F.AVAILABLE_FROM:
                day = parsing.available_from(value)
                return day.isoformat() if day else ""
            if field == F.EDUCATION:
                return value.code if value else ""
            if field == F.OCCUPATIONS:
                return self._occupations(value or "")
        except ValueError as exc:
            raise forms.ValidationError(parsing.in_language(exc)) from None
        if value is None:
            return ""
        return str(value).strip()

    def _occupations(self, value: str) -> str:
        found = []
        for part in (p.strip() for p in re.split(r"[;|]", value) if p.strip()):
            try:
                found += self.resolver.occupations(part)
            except ValueError:
                raise forms.ValidationError(
                    _(
                        "We do not know the job “%(job)s”. Try another word, or ask your "
                        "klantmanager."
                    )
                    % {"job": part}
                ) from None
        if not found:
            raise forms.ValidationError(_("Write at least one job."))
        return " ".join(sorted({o.uri for o in found}))
