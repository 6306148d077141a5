"""Forms for the action plan and the dashboard's filters; the rules live in plans.py."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.catalogue.models import Offer
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Municipality
from perspectief.taxonomy.models import Sector

from .constants import ActivityKind, ActivityStatus, AmbitionDimension
from .disclosure import completed_quarters
from .models import PlanActivity
from .plans import ActivityInput, PlanInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        help_text=_("Required once the plan is in force; kept in the history."),
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
    reason = forms.CharField(label=_("Reason for this change"), required=False)

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

    def activity_input(self) -> ActivityInput:
        d = self.cleaned_data
        return ActivityInput(
            name=d["name"],
            kind=d["kind"],
            owner=d["owner"],
            budget=d["budget"],
            status=d["status"],
            offers=list(d.get("offers") or []),
        )


class ActivityChangeForm(forms.Form):
    """The changes a running plan sees most: an activity's status and its budget."""

    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    budget = forms.DecimalField(label=_("Budget (€)"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason for this change"), required=False)

    def activity_input(self, activity) -> ActivityInput:
        return ActivityInput(
            name=activity.name,
            kind=activity.kind,
            owner=activity.owner,
            budget=self.cleaned_data["budget"],
            status=self.cleaned_data["status"],
            offers=list(activity.offers.all()),
        )


class SpendForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("What for"), max_length=200)


ONE_NARROWING = _(
    "Choose one of municipality, target group, sector or activity at a time: combined, they "
    "would single out groups too small to show."
)


class DashboardFilters(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", _("All")), *TargetGroup.choices], required=False
    )

    quarter = forms.ChoiceField(
        label=_("Quarter (below region level)"),
        required=False,
        choices=lambda: [
            (f"{y}-{q}", _("%(y)s quarter %(q)s") % {"y": y, "q": q})
            for y, q in completed_quarters()
        ],
        help_text=_(
            "Numbers for a municipality, target group, sector or activity come per completed "
            "quarter, so that no small number can be worked out from two periods."
        ),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector (matches)"),
        queryset=Sector.objects.order_by("code"),
        required=False,
        empty_label=_("All"),
        to_field_name="code",
    )
    activity = forms.ModelChoiceField(
        label=_("Activity of the plan"),
        queryset=PlanActivity.objects.none(),
        required=False,
        empty_label=_("All"),
        to_field_name="uuid",
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region_id=region_id
        ).order_by("name")
        self.fields["activity"].queryset = PlanActivity.objects.filter(
            plan__region_id=region_id
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period cannot lie before its start."))
        narrowed = [
            data.get(name) for name in ("municipality", "target_group", "sector", "activity")
        ]
        if sum(1 for value in narrowed if value) > 1:
            raise forms.ValidationError(ONE_NARROWING)
        return data

    def quarter_period(self) -> tuple[date, date]:
        """The completed quarter asked for (default: the last one)."""
        from .report import quarter_bounds

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        raw = data.get("quarter") or ""
        for year, quarter in completed_quarters():
            if raw == f"{year}-{quarter}":
                return quarter_bounds(year, quarter)
        return quarter_bounds(*completed_quarters(1)[0])

    def period(self, plan) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or (plan.period_start if plan else today.replace(month=1, day=1))
        end = data.get("end") or (min(plan.period_end, today) if plan else today)
        return start, end
