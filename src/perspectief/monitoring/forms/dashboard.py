"""The dashboard's filters: a period for the region's own numbers, and one narrowing at a
time (municipality, target group, sector or activity) per completed quarter."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.monitoring.models import PlanActivity
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.regions.models import Municipality
from perspectief.taxonomy.models import Sector

#: A date field as the browser's date picker sends it.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

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
