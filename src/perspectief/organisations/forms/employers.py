"""The form that registers an employer of the region."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from perspectief.regions import selectors as regions
from perspectief.taxonomy.models import Sector

from ..constants import EmployerSize
from ..services import employers


def clean_kvk(value: str) -> str:
    """A form's KvK number through the service's rule, its refusal on the field."""
    try:
        return employers.validate_kvk(value)
    except ValidationError as exc:
        raise forms.ValidationError(exc.message_dict["kvk_number"]) from None


class EmployerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kvk_number = forms.CharField(label=gettext_lazy("KvK number"), max_length=12)
    postcode = forms.CharField(
        label=gettext_lazy("Postcode of the main location"), help_text=gettext_lazy("1234 AB")
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Street, number and town."),
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (SBI)"), queryset=Sector.objects.all(), required=False
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Size"), choices=[("", "—"), *EmployerSize.choices], required=False
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Contact email"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=30
    )

    def clean_kvk_number(self):
        return clean_kvk(self.cleaned_data["kvk_number"])

    def clean_postcode(self):
        try:
            return regions.postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
