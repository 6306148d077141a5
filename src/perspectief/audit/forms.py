from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.core import bsn as bsn_lib


class PersonSearchForm(forms.Form):
    """Find a person for a request for access: by BSN, or by last name and date of birth.
    Sent with POST, so the BSN never appears in a URL (or a server log of one)."""

    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )

    def clean_bsn(self):
        raw = self.cleaned_data["bsn"].strip()
        if not raw:
            return ""
        if not bsn_lib.is_valid(raw):
            raise forms.ValidationError(_("This is not a valid BSN (nine digits, elfproef)."))
        return bsn_lib.normalise(raw)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("bsn") and not (data.get("last_name") and data.get("date_of_birth")):
            raise forms.ValidationError(
                _("Give the person's BSN, or their last name and date of birth.")
            )
        return data
