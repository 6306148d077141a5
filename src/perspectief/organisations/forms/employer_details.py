"""Forms that change an employer's data, its locations and its contact persons."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from perspectief.regions import selectors as regions
from perspectief.taxonomy.models import Sector

from ..constants import EmployerSize
from .employers import clean_kvk


def _postcode(value: str):
    """The PC4 area of a postcode as typed (perspectief.core.postcodes), or the reason not."""
    try:
        found = regions.postcode(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None
    if found is None:
        raise forms.ValidationError(gettext_lazy("Give the postcode, for example 1011 AB."))
    return found


class EmployerEditForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kvk_number = forms.CharField(
        label=gettext_lazy("KvK number"), max_length=12, help_text=gettext_lazy("Eight digits.")
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (SBI)"), queryset=Sector.objects.all(), required=False
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Size"), choices=[("", "—"), *EmployerSize.choices], required=False
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Street, number and town."),
    )
    postcode = forms.CharField(label=gettext_lazy("Postcode"), help_text=gettext_lazy("1234 AB"))

    def clean_kvk_number(self):
        return clean_kvk(self.cleaned_data["kvk_number"])

    def clean_postcode(self):
        return _postcode(self.cleaned_data["postcode"])

    @staticmethod
    def initial_for(account) -> dict:
        return {
            "name": account.organisation.name,
            "kvk_number": account.kvk_number,
            "sector": account.sector_id,
            "size": account.size,
            "address": account.address,
            "postcode": account.postcode.code if account.postcode else "",
        }


class LocationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: warehouse Westpoort."),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Street, number and town."),
    )
    postcode = forms.CharField(label=gettext_lazy("Postcode"), help_text=gettext_lazy("1234 AB"))

    def clean_postcode(self):
        return _postcode(self.cleaned_data["postcode"])

    @staticmethod
    def initial_for(location) -> dict:
        return {
            "name": location.name,
            "address": location.address,
            "postcode": location.postcode.code,
        }


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    function = forms.CharField(
        label=gettext_lazy("Role"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For example: HR adviser, site manager."),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)

    @staticmethod
    def initial_for(contact) -> dict:
        return {
            "name": contact.name,
            "function": contact.function,
            "email": contact.email,
            "phone": contact.phone,
        }
