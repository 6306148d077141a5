"""The filters of the person list (also the links of the data-quality page's counts)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Actor
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Region
from perspectief.taxonomy.forms import ConceptInput

from .. import parsing
from ..constants import JourneyStatus, TargetGroup
from ..selectors.data_quality import COMPLETENESS_BANDS, MISSING_CHOICES


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=100,
        help_text=_(
            "Names of the people your organisation serves; the K-code of a shared profile."
        ),
    )
    occupation = forms.CharField(
        label=_("Wanted occupation"),
        required=False,
        max_length=200,
        widget=ConceptInput(kind="occupation"),
        help_text=_("ESCO name, e.g. orderpicker"),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Served by"), queryset=None, required=False, empty_label=_("All")
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *JourneyStatus.choices], required=False
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", _("All")), *TargetGroup.choices], required=False
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=[
            ("", _("All")),
            ("now", _("available now")),
            ("later", _("available later")),
            ("reconfirm", _("to be reconfirmed")),
            ("due", _("to be reconfirmed, still looking for work")),
        ],
        required=False,
    )
    max_completeness = forms.IntegerField(
        label=_("Completeness at most (%)"), min_value=0, max_value=100, required=False
    )
    # The data-quality page's counts link here. These look at fields a partner may not see,
    # so they filter only the people the organisation serves.
    missing = forms.ChoiceField(
        label=_("Missing or out of date"),
        choices=[("", _("All")), *MISSING_CHOICES],
        required=False,
        help_text=_("Only the people your organisation serves."),
    )
    completeness = forms.ChoiceField(
        label=_("Completeness"),
        choices=[("", _("All")), *[(band, f"{band}%") for band in COMPLETENESS_BANDS]],
        required=False,
        help_text=_("Only the people your organisation serves."),
    )
    served = forms.ChoiceField(
        label=_("Whose"),
        choices=[("", _("All I may see")), ("own", _("Served by my organisation"))],
        required=False,
    )

    def __init__(self, *args, actor: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        region_id = actor.region_id if actor else None
        organisation, region = self.fields["organisation"], self.fields["region"]
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(region, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(
            region_id=region_id,  # type: ignore[misc]  # no actor: no region, no organisations
            is_active=True,
            kind__in=[OrganisationKind.GEMEENTE, OrganisationKind.UWV, OrganisationKind.SW_BEDRIJF],
        ).order_by("name")
        region.queryset = Region.objects.order_by("code")
        self.resolver = parsing.Resolver()

    def clean_occupation(self):
        value = (self.cleaned_data.get("occupation") or "").strip()
        if not value:
            return None
        try:
            return self.resolver.occupations(value)[0]
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
