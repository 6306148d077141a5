"""Forms for support at work: a check-in, a drop-out and the confirmation of durable work.
They parse input; the rules live in :mod:`perspectief.routes.services.support`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..constants import (
    CHECK_IN_MONTHS,
    CheckInChannel,
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
)
from .routes import DATE


class CheckInForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Check-in"),
        coerce=int,
        choices=lambda: [
            (m, ngettext("after %(n)s month", "after %(n)s months", m) % {"n": m})
            for m in CHECK_IN_MONTHS
        ],
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    channel = forms.ChoiceField(
        label=_("How it was held"),
        choices=CheckInChannel.choices,
        initial=CheckInChannel.IN_PERSON,
        widget=forms.RadioSelect,
        help_text=_("At a distance counts too: by phone, video call or message."),
    )
    with_person = forms.BooleanField(label=_("Spoke with the person"), required=False)
    with_employer = forms.BooleanField(label=_("Spoke with the employer"), required=False)
    outcome = forms.ChoiceField(label=_("How it goes"), choices=CheckInOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DropOutForm(forms.Form):
    on = forms.DateField(label=_("Last day of work"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ConfirmationForm(forms.Form):
    """The evidence of durable work: who confirmed, how, when, and whether the person still
    works there (with the last day of work when not)."""

    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DATE)
    source = forms.ChoiceField(
        label=_("Confirmed by"), choices=ConfirmationSource.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("How"), choices=ConfirmationMethod.choices)
    still_employed = forms.TypedChoiceField(
        label=_("Does the person still work there?"),
        choices=[("yes", _("yes, still works there")), ("no", _("no, no longer works there"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    last_day = forms.DateField(
        label=_("Last day of work (when no longer there)"), required=False, widget=DATE
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
