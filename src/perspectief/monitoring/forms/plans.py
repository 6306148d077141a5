"""Forms for the action plan, its activities and spend; the rules live in
:mod:`perspectief.monitoring.services.plans` and the modules beside it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.catalogue.models import Offer
from perspectief.funding.models import FundingPot
from perspectief.funding.services import Payer
from perspectief.monitoring.constants import (
    ActivityKind,
    ActivityResult,
    ActivityStatus,
    AmbitionDimension,
    BorgingStatus,
)
from perspectief.monitoring.forms.dashboard import DATE
from perspectief.monitoring.services.activities import ActivityInput
from perspectief.monitoring.services.borging import BorgingInput, region_organisations
from perspectief.monitoring.services.plans import PlanInput
from perspectief.organisations.models import Organisation


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)
    lead = forms.ModelChoiceField(
        label=_("Lead (centrumgemeente)"), queryset=Organisation.objects.none()
    )
    employer_lead = forms.CharField(label=_("Employers' representative"), max_length=200)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ambition = forms.IntegerField(label=_("Ambition: extra matches a year"))
    baseline = forms.IntegerField(
        label=_("Baseline: matches a year before the plan"),
        required=False,
        help_text=_("Empty: counted from the platform's placements in the year before."),
    )
    budget = forms.DecimalField(label=_("Budget (€)"), max_digits=12, decimal_places=2)
    ambitions = forms.CharField(
        label=_("Ambition per target group or sector"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: target group or SBI sector code, then the number, e.g. "
            "“statushouder 40” or “H 25”."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Optional: the history keeps every version, who changed it and when, with or "
            "without a reason."
        ),
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(is_active=True)
        self.fields["lead"].queryset = orgs.filter(kind="gemeente", region_id=region_id)
        self.fields["partners"].queryset = (
            (orgs.filter(region_id=region_id) | orgs.filter(municipality__region_id=region_id))
            .distinct()
            .order_by("name")
        )

    def clean_ambitions(self):
        parsed = []
        groups = set(TargetGroup.values)
        for number, line in enumerate((self.cleaned_data.get("ambitions") or "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write the group and a number, e.g. “statushouder 40”.")
                    % {"n": number}
                )
            key, matches = parts[0], int(parts[1])
            dimension = (
                AmbitionDimension.TARGET_GROUP if key in groups else AmbitionDimension.SECTOR
            )
            parsed.append((dimension, key.upper() if dimension == "sector" else key, matches))
        return parsed

    def plan_input(self) -> PlanInput:
        d = self.cleaned_data
        return PlanInput(
            title=d["title"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            lead=d["lead"],
            employer_lead=d["employer_lead"],
            ambition=d["ambition"],
            budget=d["budget"],
            baseline=d.get("baseline"),
            partners=list(d.get("partners") or []),
            ambitions=d.get("ambitions") or [],
        )

    @classmethod
    def initial_for(cls, plan) -> dict:
        return {
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "lead": plan.lead_id,
            "employer_lead": plan.employer_lead,
            "partners": list(plan.partners.values_list("pk", flat=True)),
            "ambition": plan.ambition,
            "baseline": plan.baseline,
            "budget": plan.budget,
            "ambitions": "\n".join(f"{a.key} {a.matches}" for a in plan.ambitions.all()),
        }


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    budget = forms.DecimalField(label=_("Budget (€)"), max_digits=12, decimal_places=2)
    offers = forms.ModelMultipleChoiceField(
        label=_("Services and training it pays for"),
        queryset=Offer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Placements of people whose route used them count for the activity."),
    )
    funding_pot = forms.ModelChoiceField(
        label=_("Paid from (funding pot)"),
        queryset=FundingPot.objects.none(),
        required=False,
        help_text=_("The pot that pays this activity; its committed amount counts it."),
    )
    funding_amount = forms.DecimalField(
        label=_("Amount paid from the pot (€)"), max_digits=12, decimal_places=2, required=False
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        help_text=_("Optional: the history keeps every version either way."),
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(is_active=True)
        self.fields["owner"].queryset = (
            (orgs.filter(region_id=region_id) | orgs.filter(municipality__region_id=region_id))
            .exclude(kind="employer")
            .distinct()
            .order_by("name")
        )
        self.fields["offers"].queryset = Offer.objects.filter(region_id=region_id).order_by("title")
        self.fields["funding_pot"].queryset = FundingPot.objects.for_region(region_id).order_by(
            "name"
        )

    def activity_input(self) -> ActivityInput:
        d = self.cleaned_data
        return ActivityInput(
            name=d["name"],
            kind=d["kind"],
            owner=d["owner"],
            budget=d["budget"],
            status=d["status"],
            offers=list(d.get("offers") or []),
            funding=Payer(d.get("funding_pot"), d.get("funding_amount")),
        )


class ActivityChangeForm(forms.Form):
    """The changes a running plan sees most: an activity's status and its budget."""

    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    budget = forms.DecimalField(label=_("Budget (€)"), max_digits=12, decimal_places=2)
    funding_pot = forms.ModelChoiceField(
        label=_("Paid from (funding pot)"), queryset=FundingPot.objects.none(), required=False
    )
    funding_amount = forms.DecimalField(
        label=_("Amount paid from the pot (€)"), max_digits=12, decimal_places=2, required=False
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        help_text=_("Optional: the history keeps every version either way."),
    )

    def __init__(self, *args, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region_id is not None:
            self.fields["funding_pot"].queryset = FundingPot.objects.for_region(region_id)

    def activity_input(self, activity) -> ActivityInput:
        # A form without the funding fields (an older page, a script) leaves it as it is.
        funding = None
        if "funding_pot" in self.data:
            d = self.cleaned_data
            funding = Payer(d.get("funding_pot"), d.get("funding_amount"))
        return ActivityInput(
            name=activity.name,
            kind=activity.kind,
            owner=activity.owner,
            budget=self.cleaned_data["budget"],
            status=self.cleaned_data["status"],
            offers=list(activity.offers.all()),
            funding=funding,
        )


class SpendForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("What for"), max_length=200)


class ActivityResultForm(forms.Form):
    """How an activity turned out: when it started (empty: not started), the result and a
    short text."""

    started_on = forms.DateField(
        label=_("Started on"),
        widget=DATE,
        required=False,
        help_text=_("Empty: not started."),
    )
    result = forms.ChoiceField(
        label=_("How did it turn out?"),
        choices=[("", _("no result yet")), *ActivityResult.choices],
        required=False,
    )
    result_note = forms.CharField(
        label=_("About the result"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BorgingForm(forms.Form):
    """What continues after the programme: who owns it, who pays for it, from when."""

    what = forms.CharField(label=_("What continues after the programme"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=Organisation.objects.none()
    )
    payer = forms.CharField(
        label=_("Who pays"),
        max_length=200,
        required=False,
        help_text=_("An organisation or budget; or choose a funding pot."),
    )
    funding_pot = forms.ModelChoiceField(
        label=_("Paid from (funding pot)"), queryset=FundingPot.objects.none(), required=False
    )
    planned_from = forms.DateField(label=_("Continues from"), widget=DATE)

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = region_organisations(region_id)
        self.fields["funding_pot"].queryset = FundingPot.objects.for_region(region_id).order_by(
            "name"
        )

    def borging_input(self) -> BorgingInput:
        d = self.cleaned_data
        return BorgingInput(
            what=d["what"],
            owner=d["owner"],
            planned_from=d["planned_from"],
            payer=d.get("payer") or "",
            funding_pot=d.get("funding_pot"),
        )


class BorgingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BorgingStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
